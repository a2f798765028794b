"""How every admin call travels (``clients.transport``): the bearer token, one error type with
the status and the parsed body, status 0 when the mock cannot be reached."""

from __future__ import annotations

import pytest
import requests

from clients import MockAdmin, MockAdminError


def test_a_refused_call_raises_with_status_and_parsed_body(admin):
    with pytest.raises(MockAdminError) as caught:
        admin.add_faults([{"status": 9999}])
    assert caught.value.status == 400 and "status" in caught.value.body["error"]


def test_an_unreachable_mock_raises_with_status_0_and_a_clear_message():
    admin = MockAdmin("http://127.0.0.1:9", timeout_s=2)
    with admin, pytest.raises(MockAdminError) as caught:
        admin.health()
    assert caught.value.status == 0 and "cannot reach the mock" in str(caught.value)


def test_an_unreachable_mocks_error_chains_what_the_transport_raised():
    admin = MockAdmin("http://127.0.0.1:9", timeout_s=2)
    with admin, pytest.raises(MockAdminError) as caught:
        admin.health()
    assert isinstance(caught.value.__cause__, requests.ConnectionError)


def test_the_admin_token_is_sent_as_a_bearer_on_every_call(served):
    seen: list[str | None] = []
    with requests.Session() as session:
        session.hooks["response"].append(
            lambda r, *a, **k: seen.append(r.request.headers.get("Authorization"))
        )
        admin = MockAdmin(served.url, api_key="k", admin_token="s3cret", session=session)
        admin.health()
        admin.events()
        admin.stats()
    assert seen == ["Bearer s3cret"] * 3


def test_no_authorization_header_without_a_token(served):
    seen: list[str | None] = []
    with requests.Session() as session:
        session.hooks["response"].append(
            lambda r, *a, **k: seen.append(r.request.headers.get("Authorization"))
        )
        MockAdmin(served.url, session=session).health()
    assert seen == [None]
