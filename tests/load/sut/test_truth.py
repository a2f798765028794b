"""Joining the senders' ledgers with the mock's journal: delivered, lost, duplicated, delays."""

from load.sut.truth import ACKNOWLEDGED, Handed, join


def handed(event_id, cls="normal", sent=100.0, fate=ACKNOWLEDGED):
    return Handed(event_id, cls, sent, fate)


def entry(insert_id, outcome="ingested", at_s=101.0):
    return {"insert_id": insert_id, "outcome": outcome, "received_at": int(at_s * 1000)}


def test_an_acknowledged_event_never_ingested_is_lost():
    summary = join([handed("a"), handed("b")], [entry("a")], exported={"a", "b"})
    assert (summary["delivered"], summary["lost"]) == (1, 1)


def test_an_event_the_reference_does_not_export_is_neither_delivered_nor_lost():
    summary = join([handed("a"), handed("noid")], [entry("a")], exported={"a"})
    assert (summary["exported"], summary["delivered"], summary["lost"]) == (1, 1, 0)
    assert summary["undelivered"] == 0


def test_an_event_the_connector_refused_is_undelivered_not_lost_and_counted_by_reason():
    rows = [handed("a"), handed("b", fate="dropped: 400 alone")]
    summary = join(rows, [entry("a")], exported={"a", "b"})
    assert (summary["lost"], summary["undelivered"]) == (0, 1)
    assert summary["not_acknowledged_reasons"] == {"dropped: 400 alone": 1}


def test_repeats_after_the_first_ingestion_are_duplicates():
    entries = [entry("a"), entry("a", "deduplicated", 102), entry("a", "ingested", 103)]
    summary = join([handed("a")], entries, exported={"a"})
    assert (summary["delivered"], summary["duplicated"]) == (1, 2)


def test_throttled_answers_before_the_ingestion_do_not_count_as_delivered_twice():
    entries = [entry("a", "throttled", 100.5), entry("a", "ingested", 140)]
    summary = join([handed("a")], entries, exported={"a"})
    assert (summary["delivered"], summary["throttled"], summary["duplicated"]) == (1, 1, 0)


def test_the_delay_runs_from_braze_s_first_send_to_the_first_ingestion_per_class():
    rows = [handed("a", "normal", 100), handed("b", "misconfigured", 100)]
    summary = join(rows, [entry("a", at_s=102), entry("b", at_s=160)], exported={"a", "b"})
    assert summary["delay_p95_s.normal"] == 2.0
    assert summary["delay_max_s.misconfigured"] == 60.0
    assert summary["delay_max_s"] == 60.0
    assert summary["delivered.normal"] == 1


def test_an_ingested_id_no_sender_produced_is_extra():
    summary = join([handed("a")], [entry("a"), entry("zzz")], exported={"a"})
    assert summary["extra"] == 1
