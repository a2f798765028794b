"""``MockAdmin`` against a served mock: every ``/_mock`` route, every page, one error type."""

from __future__ import annotations

import json
import subprocess
import sys
from contextlib import closing

import pytest
import requests

from clients import MockAdmin, MockAdminError
from tests.clients.conftest import send
from tests.conftest import REPO


def test_importing_the_client_loads_no_flask():
    code = "import sys, clients.admin, clients; assert 'flask' not in sys.modules, 'flask loaded'"
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True, timeout=60)


def test_health_says_ok_and_gives_the_mock_time(admin):
    health = admin.health()
    assert health["status"] == "ok" and isinstance(health["now_ms"], int)


def test_openapi_lists_the_admin_routes(admin):
    assert "/_mock/events" in admin.openapi()["paths"]


def test_events_reads_every_page(admin):
    assert send(admin, 7) == 200
    admin.page_size = 2
    assert [e["insert_id"] for e in admin.events()] == [f"i{i}" for i in range(7)]


def test_events_filters_by_outcome_and_field(admin):
    send(admin, 3)
    send(admin, 2, start=10, event_type="Bought")
    assert len(admin.events(event_type="Bought")) == 2
    assert admin.events(outcome="throttled") == []
    assert len(admin.events(outcome="all")) == 5


def test_requests_reads_every_page(admin):
    for i in range(5):
        send(admin, 1, start=i)
    admin.page_size = 2
    assert [r["status"] for r in admin.requests()] == [200] * 5


def test_iter_requests_reads_a_page_only_when_the_previous_one_is_used_up(admin):
    for i in range(5):
        send(admin, 1, start=i)
    admin.page_size = 2
    log = admin.iter_requests()
    first_page = [next(log), next(log)]
    admin.reset()  # the log is gone before the second page is asked for
    assert [r["status"] for r in first_page] == [200, 200] and list(log) == []


def test_reset_forgets_only_its_own_key(admin, served):
    with MockAdmin(served.url, api_key=admin.api_key + "-other") as other:
        send(admin, 1)
        send(other, 1)
        admin.reset()
        assert admin.events() == [] and len(other.events()) == 1
        other.reset()


def test_stats_count_the_key(admin):
    send(admin, 2)
    assert admin.stats()["keys"][admin.api_key]["ingested"] == 2


def test_wait_returns_the_match_or_not_ok_on_timeout(admin):
    send(admin, 2)
    assert admin.wait(2) == (True, 2)
    assert admin.wait(3, timeout_s=0.1) == (False, 2)


def test_properties_are_none_until_identify_sets_them(admin):
    assert admin.properties(user_id="user-0001") is None
    ident = json.dumps([{"user_id": "user-0001", "user_properties": {"$set": {"plan": "pro"}}}])
    body = {"api_key": admin.api_key, "identification": ident}
    assert requests.post(admin.base_url + "/identify", data=body, timeout=10).status_code == 200
    assert admin.properties(user_id="user-0001") == {"plan": "pro"}


def test_clock_set_advance_and_scale(admin):
    assert admin.set_clock(1_000_000, scale=0) == (1_000_000, 0.0)
    assert admin.advance(60).now_ms == 1_060_000
    assert admin.now_ms() == 1_060_000
    assert admin.set_scale(2).scale == 2.0


def test_restoring_clock_puts_speed_and_offset_back(admin):
    admin.set_clock(5_000_000, scale=0)
    with admin.restoring_clock() as saved:
        admin.set_clock(9_000_000, scale=10)
    assert saved == (5_000_000, 0.0)
    assert admin.clock() == (5_000_000, 0.0)


@pytest.mark.parametrize("interruption", [RuntimeError, KeyboardInterrupt])
def test_restoring_clock_restores_on_an_exception_or_ctrl_c(admin, interruption):
    admin.set_clock(5_000_000, scale=0)
    with pytest.raises(interruption), admin.restoring_clock():
        admin.advance(3600)
        raise interruption
    assert admin.clock() == (5_000_000, 0.0)


def test_restoring_a_running_clock_keeps_its_offset_from_wall_time(admin):
    admin.set_clock(5_000_000, scale=1)
    with admin.restoring_clock():
        admin.set_clock(0, scale=0)
    after = admin.clock()
    assert after.scale == 1.0 and 5_000_000 <= after.now_ms < 5_000_000 + 5_000


def test_keys_expire_revoke_and_restore(admin):
    key = admin.api_key
    admin.set_clock(1_000_000, scale=0)
    admin.expire_key(key, 2_000_000)
    assert {"key": key, "expires_at": 2_000_000, "restores_at": None} in admin.keys()["keys"]
    assert key in admin.revoke_key(key)["revoked"]
    assert send(admin, 1) == 400  # Invalid API key
    listed = admin.restore_key(key)
    assert key not in listed["revoked"]
    assert {"key": key, "expires_at": None, "restores_at": None} in listed["keys"]
    assert send(admin, 1) == 200


def test_an_outage_on_the_mock_clock_refuses_the_key_between_expiry_and_restore(admin):
    key = admin.api_key
    admin.set_clock(1_000_000, scale=0)
    admin.expire_key(key, 900_000, until_ms=1_600_000)
    assert {"key": key, "expires_at": 900_000, "restores_at": 1_600_000} in admin.keys()["keys"]
    assert send(admin, 1) == 400  # Invalid API key
    admin.advance(600)  # the mock clock reaches the restore: no call needed then
    assert send(admin, 1) == 200


def test_a_restore_not_after_the_expiry_is_a_400_naming_both(admin):
    with pytest.raises(MockAdminError, match="restores_at must come after expires_at"):
        admin.expire_key(admin.api_key, 2_000_000, until_ms=2_000_000)


def test_faults_apply_to_the_clients_key_and_clear(admin):
    rules = admin.add_fault(503, count=1)
    assert rules[-1]["api_key"] == admin.api_key and rules[-1]["status"] == 503
    assert admin.faults()[-1] == rules[-1]
    assert send(admin, 1) == 503
    admin.add_fault(500)
    admin.clear_faults()
    assert admin.faults() == [] and send(admin, 1) == 200


def test_a_call_about_data_needs_a_key(served):
    with MockAdmin(served.url) as admin, pytest.raises(ValueError, match="api_key"):
        admin.events()


def test_amplitude_cohort_routes(admin):
    assert admin.add_secret("secret-1")[admin.api_key] == "secret-1"
    assert admin.secret_keys()[admin.api_key] == "secret-1"
    made = admin.define_cohort("Players", {"type": "did_event", "event_type": "Played", "days": 1})
    assert made["id"]


def test_stream_follows_the_keys_journal_from_a_seq(admin):
    send(admin, 3)
    messages = admin.stream(since=0, topics="entries", max_s=5)
    with closing(messages):
        entries = next(data for event, data in messages if event == "entries")
    assert [e["insert_id"] for e in entries] == ["i0", "i1", "i2"]


def test_stream_refusal_raises_with_the_status(admin):
    with pytest.raises(MockAdminError) as caught:
        next(admin.stream(topics="nonsense"))
    assert caught.value.status == 400


def test_journal_view_lists_the_newest_first_with_seqs_and_pages_back(admin):
    send(admin, 3)
    newest = admin.journal(limit=2)
    assert [e["insert_id"] for e in newest["entries"]] == ["i2", "i1"]
    older = admin.journal(limit=2, before=newest["before"])
    assert [e["insert_id"] for e in older["entries"]] == ["i0"]


def test_nearest_limits_name_the_fullest_device(admin):
    send(admin, 3)
    found = admin.nearest_limits(n=1)
    assert "device-0001" in str(found) and found["window_s"] == 30


def test_profiles_and_cohorts_views_of_the_key(admin):
    assert admin.cohorts() == []
    admin.define_cohort("Players", {"type": "did_event", "event_type": "Played", "days": 1})
    assert [c["name"] for c in admin.cohorts()] == ["Players"]
    assert isinstance(admin.profiles(), dict)


def test_a_silenced_device_is_refused_until_unsilenced(admin):
    assert admin.device("device-0001")["silenced"] is False
    assert admin.silence_device("device-0001")["silenced"] is True
    assert send(admin, 1) == 400
    admin.silence_device("device-0001", silenced=False)
    assert send(admin, 1, start=1) == 200


def test_snapshots_need_a_mock_with_a_data_dir(admin):
    with pytest.raises(MockAdminError) as caught:
        admin.take_snapshot("before")
    assert caught.value.status == 404 and "--data-dir" in caught.value.body["error"]


def test_a_snapshot_is_taken_listed_and_restored(tmp_path):
    from mocks.app import create_app
    from mocks.server import Server

    with Server(create_app({"DATA_DIR": str(tmp_path)}), "127.0.0.1", 0).start() as server:
        admin = MockAdmin(server.url, api_key="k")
        with admin:
            admin.set_clock(1_000_000, scale=0)
            assert admin.take_snapshot("start") == ["start"]
            assert admin.snapshots() == ["start"]
            admin.advance(60)
            assert admin.restore_snapshot("start") == 1_000_000
