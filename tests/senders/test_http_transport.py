"""The HTTP shell against a real local receiver: Braze's headers, the bearer token, the body
shape, kept-alive connections and the no-answer case."""

from __future__ import annotations

import socket

import pytest

from senders.http_transport import BadUrl, HttpTransport
from simulator.clock import SystemClock
from simulator.delivery import EMPTY_BATCH, DeliveryConfig, HttpDelivery
from tests.senders.receiver import serve


def envelope(i: int) -> dict[str, object]:
    return {"event_type": "users.messages.email.Open", "id": f"id-{i}", "time": 1,
            "user": {"user_id": "u"}, "properties": {"email_address": "a@b.c"}}  # fmt: skip


def test_requests_carry_brazes_headers_and_the_bearer_token() -> None:
    with serve() as receiver, HttpTransport(receiver.url, "s3cret") as transport:
        answer = transport.post(EMPTY_BATCH)
    assert answer.status == 200 and answer.body == {"ok": True}
    headers = receiver.requests[0].headers
    assert headers["Content-Type"] == "application/json"
    assert headers["Braze-Currents-Version"] == "1"
    assert headers["Authorization"] == "Bearer s3cret"
    assert receiver.requests[0].path == "/currents"


def test_no_token_means_no_authorization_header() -> None:
    with serve() as receiver, HttpTransport(receiver.url) as transport:
        transport.post(EMPTY_BATCH)
    assert "Authorization" not in receiver.requests[0].headers


def test_the_body_is_an_events_object_of_envelopes_and_the_connection_is_kept_alive() -> None:
    with serve() as receiver, HttpTransport(receiver.url) as transport:
        delivery = HttpDelivery(transport, SystemClock(), DeliveryConfig(batch_size=10))
        for i in range(35):
            delivery.offer(envelope(i))
        delivery.finish()
    assert [len(r.events) for r in receiver.requests] == [10, 10, 10, 5]
    assert receiver.requests[0].events[0] == envelope(0)
    assert receiver.connections == 1
    assert delivery.ledger.acknowledged == 35
    assert all(latency > 0 for latency in delivery.ledger.latencies_s)


def test_the_status_of_each_answer_reaches_the_delivery() -> None:
    with serve(lambda request: 401) as receiver, HttpTransport(receiver.url) as transport:
        assert transport.post(EMPTY_BATCH).status == 401


def test_a_closed_port_is_status_0_with_the_reason() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with HttpTransport(f"http://127.0.0.1:{port}/") as transport:
        answer = transport.post(EMPTY_BATCH)
    assert answer.status == 0 and answer.error and "refused" in answer.error.lower()


def test_a_connection_the_server_closed_is_reopened() -> None:
    with serve() as receiver, HttpTransport(receiver.url) as transport:
        receiver.hang_up = True  # as a server does when a kept-alive connection times out
        statuses = [transport.post(EMPTY_BATCH).status for _ in range(3)]
    assert statuses == [200, 200, 200]
    assert len(receiver.requests) == receiver.connections == 3


@pytest.mark.parametrize("url", ["ftp://host/x", "not a url", "http://:80/", "http://h:99999/"])
def test_a_url_it_cannot_post_to_is_refused_up_front(url: str) -> None:
    with pytest.raises(BadUrl):
        HttpTransport(url)
