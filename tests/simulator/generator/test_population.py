"""Users made in a batch (a stream's population) are the users made one at a time."""

from __future__ import annotations

import re

import pytest

from simulator.generator import make_provider

HEX24 = re.compile(r"^[0-9a-f]{24}$")


@pytest.mark.parametrize("identity", ["identified", "anonymous", "neither"])
def test_a_batch_of_users_has_the_fields_of_one_user(identity: str) -> None:
    provider = make_provider(5)
    one = provider.currents_user(identity)  # type: ignore[arg-type]
    batch = provider.currents_users(200, identity)  # type: ignore[arg-type]
    assert all(list(user) == list(one) for user in batch)
    assert all(
        (user["external_user_id"] is not None) == (identity == "identified") for user in batch
    )


def test_batched_users_are_distinct_and_coherent() -> None:
    users = make_provider(6).currents_users(500)
    assert len({u["user_id"] for u in users}) == 500
    assert all(HEX24.match(u["user_id"]) for u in users)
    for u in users:
        assert u["phone_number"] == u["to_phone_number"] == u["user_phone_number"]
        assert re.fullmatch(r"\+1[2-9]\d{9}", u["phone_number"])
        assert u["email_address"].startswith(f"{u['first_name']}.{u['last_name']}".lower())
        assert 1945 <= int(u["dob"][:4]) <= 2008
    assert len({u["first_name"] for u in users}) > 50  # drawn per user, not one value for all


def test_batched_users_repeat_for_a_seed() -> None:
    assert make_provider(7).currents_users(50) == make_provider(7).currents_users(50)
    assert make_provider(7).currents_users(50) != make_provider(8).currents_users(50)


def test_a_batch_of_devices_matches_their_platforms_and_class() -> None:
    provider = make_provider(9)
    one = provider.currents_device()
    devices = provider.currents_devices(400, "heavy")
    assert all(list(device) == list(one) for device in devices)
    assert len({d["device_id"] for d in devices}) == len({d["push_token"] for d in devices}) == 400
    for d in devices:
        assert d["device_id"].startswith("heavy-") and d["push_token_device_id"] == d["device_id"]
        assert d["os_version"] in provider.os_versions[d["platform"]]
        assert d["sdk_version"] in provider.sdk_versions[d["platform"]]
        assert re.fullmatch(r"[0-9a-f]{64}", d["push_token"])
        assert (d["carrier"] is not None) == (d["platform"] in ("ios", "android"))
    assert len({d["platform"] for d in devices}) == len(provider.platforms)  # weighted, not one
    assert {d["platform"] for d in provider.currents_devices(20, platform="web")} == {"web"}
