"""The dashboard in a real browser: what a person sees and does, and the page never reloads."""

from __future__ import annotations

import requests
from amplitude import BaseEvent

from mocks.app import create_app
from mocks.server import Server
from tests.browser.conftest import send_with_sdk, shot

ROWS = "#journal-table tbody tr"


def _rows(page) -> int:
    return int(page("eval", expression=f"document.querySelectorAll('{ROWS}').length"))


def _column(page, index: int) -> list[str]:
    return list(page("texts", selector=f"{ROWS} td:nth-child({index})"))


def test_events_sent_with_the_python_sdk_appear_without_a_reload(page, sandbox, key):
    events = [
        BaseEvent("Played", user_id="user-0001", device_id="device-0001", insert_id=f"p{i}")
        for i in range(5)
    ]
    assert set(send_with_sdk(sandbox.url, key, events)) == {200}
    page.wait(f"document.querySelectorAll('{ROWS}').length === 5")
    assert page("eval", expression="window.notReloaded") is True
    assert sorted(_column(page, 7)) == [f"p{i}" for i in range(5)]
    page.wait("document.querySelector('#totals [data-outcome=ingested] b').textContent === '5'")
    page.wait("document.querySelector('#requests-table tbody tr td:nth-child(4)')")
    assert page("text", selector="#requests-table tbody tr td:nth-child(4)") == "200"


def test_the_journal_filters_by_several_values_and_the_view_link_restores_them(page, sandbox, key):
    events = [
        BaseEvent(kind, user_id=f"user-000{i % 3}", device_id="device-0001", insert_id=f"f{i}")
        for i, kind in enumerate(["Played", "Paused", "Played", "Shared", "Played", "Paused"])
    ]
    send_with_sdk(sandbox.url, key, events)
    page.wait(f"document.querySelectorAll('{ROWS}').length === 6")
    page("fill", selector="#filters [name=event_type]", value="Played, Shared")
    page("fill", selector="#filters [name=user_id]", value="user-0000,user-0001")
    page("click", selector="#filters button[type=submit]")
    page.wait(f"document.querySelectorAll('{ROWS}').length === 3")
    assert sorted(_column(page, 7)) == ["f0", "f3", "f4"]
    link = page("url")
    assert "event_type=Played%2CShared" in link and "user_id=user-0000%2Cuser-0001" in link
    page("goto", url=link)  # a shared link opens on the same view
    page.wait(f"document.querySelectorAll('{ROWS}').length === 3")
    assert page("eval", expression="document.querySelector('#filters [name=event_type]').value")
    assert sorted(_column(page, 7)) == ["f0", "f3", "f4"]


def test_an_event_opens_in_the_side_panel_with_its_request_from_the_keyboard(page, sandbox, key):
    send_with_sdk(sandbox.url, key, [BaseEvent("Played", device_id="device-0001", insert_id="k1")])
    page.wait(f"document.querySelectorAll('{ROWS}').length === 1")
    page("focus", selector=ROWS)
    page("press", key="Enter")
    page.wait("!document.getElementById('panel').hidden")
    page.wait("document.getElementById('panel-request').textContent.includes('\"status\": 200')")
    assert '"insert_id": "k1"' in page("text", selector="#panel-event")
    shot(page, "event-panel")
    page("press", key="Escape")
    page.wait("document.getElementById('panel').hidden")
    assert page("eval", expression="document.activeElement.dataset.seq !== undefined") is True


def test_a_key_revoked_from_the_page_gets_400_on_its_next_upload(page, sandbox, key):
    page("click", selector="#keys-form button[value=revoke]")
    page.wait(f"document.getElementById('revoked').textContent.includes('{key}')")
    body = {"api_key": key, "events": [{"event_type": "Played", "device_id": "device-0001"}]}
    answer = requests.post(f"{sandbox.url}/2/httpapi", json=body, timeout=10)
    assert answer.status_code == 400
    assert answer.json()["error"] == f"Invalid API key: {key}"
    page.wait("document.querySelector('#requests-table tbody tr td:nth-child(4)')")
    assert page("text", selector="#requests-table tbody tr td:nth-child(4)") == "400"
    page("click", selector="#restore-key")
    page.wait(f"!document.getElementById('revoked').textContent.includes('{key}')")
    assert requests.post(f"{sandbox.url}/2/httpapi", json=body, timeout=10).status_code == 200


def _fill_text(page) -> str:
    return str(
        page("text", selector="#limits-devices tbody tr[data-id=device-hot1] td:nth-child(2)")
    )


def test_a_hot_devices_window_fills_up_until_it_is_throttled(page, sandbox, key):
    def burst(n: int, start: int) -> list[int]:
        events = [BaseEvent("Played", device_id="device-hot1", insert_id=f"h{start + i}")
                  for i in range(n)]  # fmt: skip
        return send_with_sdk(sandbox.url, key, events)

    burst(300, 0)  # 300 events in the 30 s window: 10 ev/s of 30
    page.wait("document.querySelector('#limits-devices tbody tr[data-id=device-hot1]')")
    first = _fill_text(page)
    assert first.startswith("10")
    burst(450, 300)  # 750: 25 ev/s, 83 %
    page.wait(f"document.querySelector('#limits-devices [data-id=device-hot1] td:nth-child(2)')"
              f".textContent !== {first!r}")  # fmt: skip
    assert "(83%)" in _fill_text(page)
    answer = requests.post(
        f"{sandbox.url}/2/httpapi",
        json={
            "api_key": key,
            "events": [{"event_type": "Played", "device_id": "device-hot1"}] * 200,
        },
        timeout=10,
    )
    assert answer.status_code == 429
    page.wait("document.querySelector('#limits-devices [data-id=device-hot1]')"
              ".dataset.throttled === 'true'")  # fmt: skip
    assert "429" in page("text", selector="#limits-devices [data-id=device-hot1] td")
    page.wait("document.querySelector('#totals [data-outcome=throttled] b').textContent === '200'")
    shot(page, "dashboard")


def test_the_page_fits_a_phone_and_reports_no_script_error(browser, sandbox, key):
    send_with_sdk(sandbox.url, key, [BaseEvent("Played", device_id="device-0001", insert_id="m1")])
    browser("open", width=390, height=844)
    browser("goto", url=f"{sandbox.url}/?key={key}")
    browser.wait(f"document.querySelectorAll('{ROWS}').length === 1")
    overflow = browser("eval", expression="document.documentElement.scrollWidth - innerWidth")
    assert overflow <= 0  # nothing wider than the screen: tables scroll inside their boxes
    shot(browser, "dashboard-phone")
    assert browser("errors") == []


def test_faults_clock_and_reset_are_driven_from_the_page(page, sandbox, key):
    body = {"api_key": key, "events": [{"event_type": "Played", "device_id": "device-0001"}]}
    page("fill", selector="#faults-form [name=status]", value="503")
    page("click", selector="#faults-form button[type=submit]")
    page.wait("document.querySelectorAll('#fault-list li').length === 1")
    assert requests.post(f"{sandbox.url}/2/httpapi", json=body, timeout=10).status_code == 503
    page("click", selector="#clear-faults")
    page.wait("document.querySelectorAll('#fault-list li').length === 0")
    assert requests.post(f"{sandbox.url}/2/httpapi", json=body, timeout=10).status_code == 200
    page.wait(f"document.querySelectorAll('{ROWS}').length === 1")
    before = requests.get(f"{sandbox.url}/_mock/clock", timeout=10).json()["now_ms"]
    page("fill", selector="#clock-form [name=advance_s]", value="3600")
    page("click", selector="#clock-form button[type=submit]")
    page.wait("document.getElementById('control-result').textContent.includes('advanced')")
    after = requests.get(f"{sandbox.url}/_mock/clock", timeout=10).json()["now_ms"]
    assert after - before >= 3_600_000
    page("click", selector="#reset-form button[type=submit]")
    page.wait(f"document.querySelectorAll('{ROWS}').length === 0")
    assert requests.get(f"{sandbox.url}/_mock/events", params={"api_key": key},
                        timeout=10).json()["total"] == 0  # fmt: skip


def test_with_an_admin_token_the_page_works_from_a_token_link(browser, key):
    app = create_app({"ADMIN_TOKEN": "tok-0123456789"}, seed=0)
    with Server(app, threads=6).start() as guarded:
        assert requests.get(f"{guarded.url}/_mock/keys", timeout=10).status_code == 401
        browser("open", width=1280, height=800)
        browser("goto", url=f"{guarded.url}/?key={key}#token=tok-0123456789")
        browser.wait("document.getElementById('link').textContent === 'live'")
        assert "token" not in browser("url")  # dropped from the address bar
        send_with_sdk(guarded.url, key, [BaseEvent("Played", device_id="device-0001",
                                                   insert_id="t1")])  # fmt: skip
        browser.wait(f"document.querySelectorAll('{ROWS}').length === 1")
        browser("open", width=1280, height=800)  # the stream ends before the server does
