from simulator.connector.ledger import Ledger
from simulator.connector.report import percentile, series, summarize


def test_nearest_rank_percentiles():
    values = [float(v) for v in range(100, 0, -1)]
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile(values, 100) == 100
    assert percentile([7.0], 95) == 7
    assert percentile([], 95) is None


def _ledger():
    ledger = Ledger()
    rows = [ledger.produce(f"ev-{i}", float(i), f"d-{i}", "hot" if i == 0 else "normal")
            for i in range(4)]  # fmt: skip
    ledger.attempt(rows[:2], 5.0, 500, "backoff")
    ledger.attempt(rows[:2], 40.0, 200, "delivered")
    ledger.deliver(rows[0], 40.0)
    ledger.deliver(rows[1], 40.0)
    ledger.drop(rows[2], 30.0, "retries_exhausted")
    ledger.skip(rows[3], "no_ids: none")
    return ledger


def test_summary_counts_delays_duplicates_and_loss_window():
    report = summarize(_ledger(), exclude_classes=["hot"])
    assert {k: report[k] for k in ("produced", "delivered", "lost", "skipped", "queued")} == {
        "produced": 4, "delivered": 2, "lost": 1, "skipped": 1, "queued": 0}  # fmt: skip
    assert report["duplicates"] == 2  # both re-sent after a 500 that may have stored them
    assert (report["delay_p50_s"], report["delay_max_s"]) == (39.0, 40.0)
    assert report["without"]["produced"] == 3 and report["without"]["delay_max_s"] == 39.0
    assert report["classes"]["hot"]["delivered"] == 1
    assert report["lost_window"] == {"first_s": 2.0, "last_s": 2.0}
    assert report["lost_reasons"] == {"retries_exhausted": 1}
    assert report["requests_by_status"] == {"200": 1, "500": 1}


def test_series_backlog_and_cumulative_loss():
    s = series(_ledger(), start=0.0)
    assert max(level for _, level in s.backlog) == 3  # skipped events are never held
    assert s.backlog[-1][1] == 0
    assert s.lost == [(30.0, 1)]
    assert sorted(s.delay) == ["hot", "normal"]
