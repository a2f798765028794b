"""The relay's engine: rows in, one request per step, rows finished only once every event of
theirs is settled, figures by reason."""

import math

import pytest

from simulator.connector import ConnectorConfig, SinkResponse
from simulator.relay import RelayEngine
from simulator.transform import transform
from tests.simulator.connector.helpers import T0, invalid_key, status


def envelope(n, event_type="users.behaviors.CustomEvent", device="device-0001"):
    return {
        "event_type": event_type,
        "id": f"ev-{n:07d}",
        "time": T0,
        "user": {"user_id": "5f01", "external_user_id": f"user-{n % 7}", "device_id": device},
        "properties": {"name": "tap", "custom_properties": {"k": n}},
    }


class Sink:
    """Answers from a list of statuses (then 200); remembers the batch sizes."""

    def __init__(self, *statuses):
        self.statuses = list(statuses)
        self.sent = []

    def send(self, api_key, events):
        self.sent.append(len(events))
        code = self.statuses.pop(0) if self.statuses else 200
        return invalid_key(api_key) if code == "key" else status(code)


def engine(sink, **config):
    return RelayEngine(sink, ConnectorConfig(batch_wait_s=1.0, **config), start=T0)


def test_a_full_batch_is_sent_at_the_next_step_and_its_row_finishes():
    sink = Sink()
    relay = engine(sink)
    relay.accept(7, [envelope(i) for i in range(100)], T0)
    assert relay.due() <= T0
    relay.step(T0)
    assert sink.sent == [100]
    assert relay.finished_rows() == [7]
    assert relay.stats()["delivered"] == 100 and relay.stats()["queued"] == 0


def test_a_partial_batch_waits_for_the_flush_time():
    sink = Sink()
    relay = engine(sink)
    relay.accept(1, [envelope(i) for i in range(3)], T0)
    assert relay.due() == T0 + 1.0
    relay.step(T0 + 0.5)
    assert sink.sent == [] and relay.finished_rows() == []
    relay.step(T0 + 1.0)
    assert sink.sent == [3] and relay.finished_rows() == [1]


def test_a_row_is_not_finished_while_any_of_its_events_is_undelivered():
    sink = Sink(503)
    relay = engine(sink, batch_size=2)
    relay.accept(1, [envelope(0), envelope(1), envelope(2)], T0)  # one row, two batches
    relay.step(T0)  # 503: the whole row waits
    assert relay.finished_rows() == []
    while len(sink.sent) < 3:
        relay.step(relay.due())
    assert sink.sent == [2, 2, 1]
    assert relay.finished_rows() == [1]


def test_one_step_sends_at_most_one_request():
    sink = Sink()
    relay = engine(sink)
    relay.accept(1, [envelope(i) for i in range(300)], T0)
    relay.step(T0)
    assert sink.sent == [100]
    relay.step(T0)
    relay.step(T0)
    assert sink.sent == [100, 100, 100]


def test_unknown_and_storage_only_types_are_skipped_and_counted_and_their_row_finishes():
    relay = engine(Sink())
    relay.accept(
        4, [envelope(0, "users.messages.hologram.Beam"), envelope(1, "users.profile.Update")], T0
    )
    assert relay.finished_rows() == [4]
    stats = relay.stats()
    assert stats["skipped_by_reason"] == {"unknown_type": 1, "not_exported": 1}
    assert stats["skipped"] == 2 and stats["produced"] == 2


def test_an_empty_row_finishes_at_once():
    relay = engine(Sink())
    relay.accept(9, [], T0)
    assert relay.finished_rows() == [9]


def test_a_lone_rejected_event_is_dropped_by_reason_and_the_rest_delivered():
    sink = Sink(400, 200, 400)
    relay = engine(sink, batch_size=2)
    relay.accept(1, [envelope(0), envelope(1)], T0)
    for _ in range(3):
        relay.step(T0)
    assert sink.sent == [2, 1, 1]
    stats = relay.stats()
    assert stats["delivered"] == 1 and stats["dropped_by_reason"] == {"rejected": 1}
    assert relay.finished_rows() == [1]
    assert stats["requests_by_status"] == {"200": 1, "400": 2}


def test_invalid_credentials_halt_sending_for_two_to_five_minutes():
    sink = Sink("key")
    relay = engine(sink)
    relay.accept(1, [envelope(i) for i in range(100)], T0)
    relay.step(T0)
    assert T0 + 120 <= relay.due() <= T0 + 300
    relay.step(relay.due())
    assert relay.stats()["delivered"] == 100


def test_time_never_goes_back_when_the_wall_clock_does():
    sink = Sink(503)
    relay = engine(sink)
    relay.accept(1, [envelope(i) for i in range(100)], T0 + 10)
    relay.step(T0 + 10)
    relay.step(T0)  # the wall clock stepped back: nothing breaks, nothing is sent early
    assert sink.sent == [100]
    assert relay.due() > T0 + 10


def test_nothing_due_when_idle():
    assert math.isinf(engine(Sink()).due())


@pytest.mark.parametrize("rows", [[1, 2, 3], [5]])
def test_rows_finish_in_the_order_their_events_are_delivered(rows):
    relay = engine(Sink(), batch_size=1)
    for row in rows:
        relay.accept(row, [envelope(row)], T0)
    for _ in rows:
        relay.step(T0)
    assert relay.finished_rows() == rows


def test_a_custom_sink_response_without_body_is_a_retry():
    class Silent:
        def send(self, api_key, events):
            return SinkResponse(0, None)

    relay = engine(Silent())
    relay.accept(1, [envelope(i) for i in range(100)], T0)
    relay.step(T0)
    assert relay.due() >= T0 + 30 and relay.finished_rows() == []


def test_a_transformer_that_raises_skips_the_event_and_the_relay_goes_on():
    def fragile(record, profile):
        if record["id"].endswith("1"):
            raise KeyError("boom")
        return transform(record, profile)

    sink = Sink()
    relay = engine(sink, transformer=fragile, batch_size=2)
    relay.accept(3, [envelope(0), envelope(1), envelope(2)], T0)
    relay.step(T0)
    assert sink.sent == [2]
    assert relay.finished_rows() == [3]
    assert relay.stats()["skipped_by_reason"] == {"transformer_error": 1}


class Recording:
    """Answers 200 and remembers every request's events."""

    def __init__(self):
        self.requests = []

    def send(self, api_key, events):
        self.requests.append(events)
        return status(200)


def test_results_prepared_beforehand_are_sent_as_if_the_engine_had_transformed():
    mixed = [envelope(i) for i in range(150)]
    mixed[3] = envelope(3, event_type="users.messages.pigeon.Send")  # unknown: skipped
    mixed[4]["properties"]["custom_properties"] = {"nan": float("nan")}  # malformed: skipped
    runs = []
    for prepared in (False, True):
        sink = Recording()
        relay = engine(sink, batch_size=50)
        if prepared:
            relay.accept_prepared(1, relay.prepare(mixed), T0)
        else:
            relay.accept(1, mixed, T0)
        while relay.due() <= T0 + 1:
            relay.step(T0 + 1)
        runs.append((sink.requests, relay.stats(), relay.finished_rows()))
    assert runs[0] == runs[1]
    assert runs[0][1]["skipped_by_reason"] == {"unknown_type": 1, "malformed": 1}


def test_prepare_turns_a_raising_transformer_into_a_skip_too():
    def fragile(record, profile):
        raise ValueError("boom")

    relay = engine(Sink(), transformer=fragile)
    [result] = relay.prepare([envelope(0)])
    relay.accept_prepared(1, [result], T0)
    assert relay.stats()["skipped_by_reason"] == {"transformer_error": 1}


def test_a_prepared_event_keeps_its_identity_and_result_not_the_parsed_event():
    record = envelope(5, device="device-0042")
    [prepared] = engine(Sink()).prepare([record])
    assert prepared.event_id == "ev-0000005"
    assert prepared.device == "device-0042"
    assert prepared.result == transform(record, "page")
    assert all(field is not record for field in prepared)


def test_an_event_without_an_id_or_device_is_still_counted_and_its_row_finishes():
    record = envelope(0)
    del record["id"]
    del record["user"]["device_id"]
    relay = engine(Sink())
    [prepared] = relay.prepare([record])
    assert (prepared.event_id, prepared.device) == (None, None)
    relay.accept_prepared(1, [prepared], T0)
    assert relay.stats()["skipped_by_reason"] == {"malformed": 1}
    assert relay.finished_rows() == [1]


class Refusing:
    """Amplitude refusing the key, for ever."""

    def send(self, api_key, events):
        return invalid_key(api_key)


def _run_until(relay, end):
    while relay.due() <= end:
        relay.step(relay.due())


HORIZON = 48 * 3600.0


@pytest.mark.parametrize("fed_after_h", [0, 10, 47])
def test_a_row_that_waited_on_disk_is_dropped_one_horizon_after_the_first_failure_it_saw(
    fed_after_h,
):
    relay = engine(Refusing(), batch_size=1)
    relay.accept(1, [envelope(0)], T0)
    relay.step(T0)  # the key is refused at T0: every event the relay holds is covered
    relay.accept(2, [envelope(1)], T0 + 1, accepted_at=T0 + 1)  # stored, engine full
    _run_until(relay, T0 + fed_after_h * 3600)
    relay.accept(3, [envelope(2)], T0 + fed_after_h * 3600 + 1, accepted_at=T0 + 1)
    # the first failure after T0 + 1 came within 300 s; the drop, at the next attempt after that
    _run_until(relay, T0 + HORIZON + 2 * 300 + 1)
    assert relay.stats()["dropped_by_reason"] == {"credentials_expired": 3}
    assert relay.finished_rows() == [1, 2, 3]
