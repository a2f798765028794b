"""``/metrics`` (Prometheus text), ``/livez`` and ``/readyz`` over a real socket."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from tests.sandbox.conftest import played, upload


def _families(http, url):
    response = http.get(f"{url}/metrics", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=")
    return {family.name: family for family in text_string_to_metric_families(response.text)}


def _mixed_traffic(http, url):
    """Every outcome a client can cause on two keys."""
    assert upload(http, url, "key-aaaa", played(40))["code"] == 200  # 40 of 60 (2 eps * 30 s)
    assert upload(http, url, "key-aaaa", played(40, start=100))["code"] == 429
    assert upload(http, url, "key-aaaa", played(3, "device-0002"))["code"] == 200
    assert upload(http, url, "key-aaaa", played(3, "device-0002"))["code"] == 200  # duplicates
    assert upload(http, url, "key-bbbb", [{"event_type": "x"}])["code"] == 400  # no ids
    http.delete(f"{url}/_mock/keys/key-cccc", timeout=10)
    assert upload(http, url, "key-cccc", played(2))["code"] == 400  # revoked key


def test_metrics_parse_and_event_counters_equal_mock_stats(served, http):
    _mixed_traffic(http, served.url)
    families = _families(http, served.url)
    stats = http.get(f"{served.url}/_mock/stats", timeout=10).json()
    per_key: dict[str, dict[str, float]] = {}
    for sample in families["currents_sim_events"].samples:
        assert sample.name == "currents_sim_events_total"
        assert sample.labels["endpoint"] == "httpapi"
        outcomes = per_key.setdefault(sample.labels["api_key"], {})
        outcomes[sample.labels["outcome"]] = sample.value
    expected = {k: {o: n for o, n in counts.items() if n} for k, counts in stats["keys"].items()}
    assert per_key == expected
    assert set(per_key) == {"key-aaaa", "key-bbbb", "key-cccc"}
    assert per_key["key-aaaa"] == {"ingested": 43, "throttled": 40, "deduplicated": 3}


def test_metrics_journal_size_and_throttled_ids_follow_the_model(served, http):
    _mixed_traffic(http, served.url)
    families = _families(http, served.url)
    stats = http.get(f"{served.url}/_mock/stats", timeout=10).json()
    assert families["currents_sim_journal_entries"].samples[0].value == stats["journal"]["size"]
    throttled = {
        (s.labels["api_key"], s.labels["kind"]): s.value
        for s in families["currents_sim_throttled_ids"].samples
    }
    assert throttled == {("key-aaaa", "devices"): 1, ("key-aaaa", "users"): 0}


def test_request_latency_histogram_counts_each_request_by_route_and_status(served, http):
    _mixed_traffic(http, served.url)
    families = _families(http, served.url)
    counts = {
        (s.labels["route"], s.labels["status"]): s.value
        for s in families["currents_sim_request_duration_seconds"].samples
        if s.name.endswith("_count")
    }
    assert counts[("httpapi", "200")] == 3
    assert counts[("httpapi", "429")] == 1
    assert counts[("httpapi", "400")] == 2
    assert counts[("admin", "200")] == 1  # the revocation


def test_livez_and_readyz_answer_ok(served, http):
    assert http.get(f"{served.url}/livez", timeout=10).json() == {"status": "ok"}
    ready = http.get(f"{served.url}/readyz", timeout=10)
    assert ready.status_code == 200 and ready.json() == {"status": "ready"}
