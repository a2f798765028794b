"""``serve``'s cohort options reach the app: Amplitude secret keys, Braze key and secrets."""

from __future__ import annotations

import argparse

import pytest

from cli.errors import CliError
from cli.serve import add_arguments, cohort_config
from mocks.app import create_app


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(list(argv))


def test_options_configure_both_mocks() -> None:
    args = parse(
        "--secret-key",
        "key-0001:s3cret",
        "--braze-partner-key",
        "pk-1",
        "--braze-client-secret",
        "cs-1",
        "--braze-client-secret",
        "cs-2",
    )
    client = create_app(cohort_config(args)).test_client()
    body = {
        "partner_api_key": "pk-1",
        "client_secret": "cs-2",
        "cohort_id": "c1",
        "name": "N",
        "created_at": "2024-01-01T00:00:00Z",
    }
    assert client.post("/partners/amplitude/cohorts", json=body).status_code == 200
    default = {**body, "partner_api_key": "currents-sim-partner-key"}
    assert client.post("/partners/amplitude/cohorts", json=default).status_code == 401
    secrets = client.get("/_mock/amplitude/secrets").json["secret_keys"]
    assert secrets == {"key-0001": "s3cret"}


def test_bad_secret_key_pair_is_a_usage_error() -> None:
    with pytest.raises(CliError, match="API_KEY:SECRET"):
        cohort_config(parse("--secret-key", "no-colon"))
