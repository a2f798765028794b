"""The admin views the dashboard reads: ``/_mock/journal``, ``limits``, ``profiles``,
``cohorts``, and the page itself at ``/`` and ``/_mock/ui`` (over a real socket)."""

from __future__ import annotations

import pytest

from tests.sandbox.conftest import played, upload


def _get(http, url, path, **params):
    response = http.get(f"{url}/_mock/{path}", params=params, timeout=10)
    return response.status_code, response.json()


def test_journal_view_takes_several_values_per_filter_newest_first_and_pages_back(served, http):
    upload(http, served.url, "key-aaaa", played(3, "device-0001"))
    upload(http, served.url, "key-aaaa", played(3, "device-0002", start=10))
    upload(http, served.url, "key-aaaa", played(3, "device-0003", start=20))
    upload(http, served.url, "key-bbbb", played(3, "device-0001", start=30))
    params = {"api_key": "key-aaaa", "device_id": "device-0001,device-0003", "limit": 4}
    status, page = _get(http, served.url, "journal", **params)
    assert status == 200
    assert [e["insert_id"] for e in page["entries"]] == ["ins-22", "ins-21", "ins-20", "ins-2"]
    status, older = _get(http, served.url, "journal", **params, before=page["before"])
    assert [e["insert_id"] for e in older["entries"]] == ["ins-1", "ins-0"]
    assert older["before"] is None


def test_journal_view_filters_a_received_at_range(served, http):
    upload(http, served.url, "key-aaaa", played(2))
    now_ms = http.get(f"{served.url}/_mock/clock", timeout=10).json()["now_ms"]
    http.post(f"{served.url}/_mock/clock", json={"advance_s": 60}, timeout=10)
    upload(http, served.url, "key-aaaa", played(2, start=10))
    _, page = _get(http, served.url, "journal", api_key="key-aaaa", from_ms=now_ms + 1)
    assert [e["insert_id"] for e in page["entries"]] == ["ins-11", "ins-10"]
    _, page = _get(http, served.url, "journal", api_key="key-aaaa", to_ms=now_ms)
    assert [e["insert_id"] for e in page["entries"]] == ["ins-1", "ins-0"]


@pytest.mark.parametrize("params", [{"outcome": "lost"}, {"limit": "0"}, {"before": "x"}])
def test_journal_view_refuses_bad_parameters_with_a_json_400(served, http, params):
    status, body = _get(http, served.url, "journal", **params)
    assert status == 400 and body["code"] == 400


def test_limits_rank_ids_by_window_fill_against_30_eps(served, http):
    # The served fixture allows 2 ev/s: 60 events per 30 s window.
    upload(http, served.url, "key-aaaa", played(45, "device-hot1"))
    upload(http, served.url, "key-aaaa", played(6, "device-cold", start=100))
    status, limits = _get(http, served.url, "limits", api_key="key-aaaa", n=5)
    assert status == 200 and limits["eps"] == 2 and limits["window_s"] == 30
    rows = [(d["id"], d["window_events"], d["window_fill"]) for d in limits["devices"]]
    assert rows == [("device-hot1", 45, 0.75), ("device-cold", 6, 0.1)]
    assert limits["devices"][0]["quota_fill"] == 45 / 500_000
    assert limits["users"] == []


def test_limits_mark_a_throttled_device_until_its_window_has_passed(served, http):
    assert upload(http, served.url, "key-aaaa", played(61))["code"] == 429
    _, limits = _get(http, served.url, "limits", api_key="key-aaaa")
    assert limits["devices"] == []  # a refused request counts in no window
    upload(http, served.url, "key-aaaa", played(50, start=100))
    assert upload(http, served.url, "key-aaaa", played(11, start=200))["code"] == 429
    _, limits = _get(http, served.url, "limits", api_key="key-aaaa")
    assert [(d["window_events"], d["throttled"]) for d in limits["devices"]] == [(50, True)]
    http.post(f"{served.url}/_mock/clock", json={"advance_s": 31}, timeout=10)
    _, limits = _get(http, served.url, "limits", api_key="key-aaaa")
    row = limits["devices"][0]
    assert (row["window_events"], row["throttled"], row["quota_events"]) == (0, False, 50)


def test_profiles_list_what_identify_set(served, http):
    events = [{"event_type": "$identify", "user_id": "user-0001",
               "user_properties": {"$set": {"plan": "pro"}}}]  # fmt: skip
    upload(http, served.url, "key-aaaa", events)
    status, profiles = _get(http, served.url, "profiles", api_key="key-aaaa")
    assert status == 200
    assert profiles == {"users": {"user-0001": {"plan": "pro"}}, "devices": {}, "groups": []}


def test_cohorts_list_the_amplitude_cohorts_of_a_key(served, http):
    rule = {"type": "did_event", "event_type": "Played", "days": 7}
    body = {"api_key": "key-aaaa", "name": "Players", "rule": rule}
    assert http.post(f"{served.url}/_mock/amplitude/cohorts", json=body, timeout=10).ok
    upload(http, served.url, "key-aaaa", [{"event_type": "Played", "user_id": "user-0001"}])
    _, listed = _get(http, served.url, "cohorts", api_key="key-aaaa")
    assert [(c["name"], c["size"]) for c in listed["cohorts"]] == [("Players", 1)]


@pytest.mark.parametrize("path", ["limits", "profiles", "cohorts"])
def test_key_views_need_an_api_key(served, http, path):
    status, body = _get(http, served.url, path)
    assert status == 400 and body["error"] == "api_key is required"


@pytest.mark.parametrize("path", ["/", "/_mock/ui"])
def test_the_dashboard_is_served_offline_from_the_package(served, http, path):
    page = http.get(f"{served.url}{path}", timeout=10)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert '<script src="/ui/app.js"' in page.text
    assert "http://" not in page.text and "https://" not in page.text  # nothing from a CDN
    for asset, kind in (("app.js", "text/javascript"), ("style.css", "text/css")):
        served_asset = http.get(f"{served.url}/ui/{asset}", timeout=10)
        assert served_asset.headers["Content-Type"].startswith(kind)
        assert "https://" not in served_asset.text
    unknown = http.get(f"{served.url}/ui/secrets.py", timeout=10)
    assert unknown.status_code >= 400 and unknown.json()["error"] == "Invalid request path"
