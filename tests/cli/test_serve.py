"""``currents-sim serve``: waitress on 127.0.0.1, first stdout line is the URL, options apply
(cohort options too: Amplitude secret keys, Braze key and secrets reach the app)."""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import requests

from cli.errors import CliError
from cli.main import main
from cli.serve import add_arguments, cohort_config
from mocks.app import create_app


@pytest.fixture
def serve() -> Iterator:
    procs: list[subprocess.Popen[str]] = []

    def start(*options: str) -> str:
        proc = subprocess.Popen(
            [sys.executable, "-m", "cli", "serve", "--host", "127.0.0.1", "--port", "0",
             "--threads", "4", *options],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        procs.append(proc)
        assert proc.stdout is not None
        return proc.stdout.readline().strip()

    yield start
    for proc in procs:
        proc.terminate()
        proc.communicate(timeout=10)  # reaps it and closes its pipes


def _post(url: str, key: str, events: list[dict]) -> requests.Response:
    return requests.post(f"{url}/2/httpapi", json={"api_key": key, "events": events}, timeout=10)


def _events(n: int, start: int = 0) -> list[dict]:
    return [{"event_type": "e", "device_id": "device-0001", "insert_id": f"i{start + i}"}
            for i in range(n)]  # fmt: skip


def test_serve_prints_url_and_serves_on_waitress_with_only_given_keys(serve):
    url = serve("--api-key", "key-aaaa", "--api-key", "key-bbbb")
    assert url.startswith("http://127.0.0.1:")
    ok = _post(url, "key-bbbb", _events(1))
    assert ok.json()["code"] == 200
    assert ok.headers["Server"] == "currents-sim"  # waitress' ident, not Werkzeug's dev server
    assert _post(url, "key-cccc", _events(1)).json()["error"] == "Invalid API key: key-cccc"


def test_serve_limits_from_options(serve):
    url = serve("--eps", "1", "--daily-quota", "40", "--max-events", "5")
    assert _post(url, "key-aaaa", _events(30)).json()["code"] == 200
    throttled = _post(url, "key-aaaa", _events(1, 100)).json()
    assert throttled["code"] == 429 and throttled["eps_threshold"] == 1
    stats = requests.get(f"{url}/_mock/stats", timeout=10).json()
    assert stats["journal"]["size"] == 5 and stats["outcomes"]["ingested"] == 30
    requests.post(f"{url}/_mock/clock", json={"advance_s": 60}, timeout=10)
    quota = _post(url, "key-aaaa", _events(11, 200)).json()
    assert quota["exceeded_daily_quota_devices"] == {"device-0001": 41}


@pytest.mark.parametrize(
    "bad", [["--eps", "0"], ["--port", "70000"], ["--daily-quota", "-1"], ["--threads", "0"]]
)
def test_bad_options_are_one_line_errors(bad, capsys):
    assert main(["serve", *bad]) == 2
    err = capsys.readouterr().err
    assert err.startswith("currents-sim: ") and err.count("\n") == 1


def test_port_in_use_is_a_one_line_error(serve, capsys):
    url = serve()
    port = url.rsplit(":", 1)[1]
    assert main(["serve", "--port", port]) == 2
    assert "cannot listen" in capsys.readouterr().err


def test_export_delay_holds_events_back_until_the_delay_has_passed():
    """`serve --export-delay 2h` follows [EXP] ("exportable within 2 hours")."""
    from cli.serve import add_arguments, limits_from

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    overrides = limits_from(parser.parse_args(["--export-delay", "2h"]))
    assert overrides == {"export_delay_s": 7200.0}
    from mocks.app import create_app
    from mocks.server import Server

    with Server(create_app({"LIMITS": overrides})).start() as server:
        body = {"api_key": "key-00001", "events": [{"event_type": "e", "device_id": "dev-0001"}]}
        requests.post(f"{server.url}/2/httpapi", json=body, timeout=10)
        now = requests.get(f"{server.url}/_mock/clock", timeout=10).json()["now_ms"]
        hour = datetime.fromtimestamp(now / 1000, UTC).strftime("%Y%m%dT%H")
        params = {"start": hour, "end": hour}

        def export() -> int:
            return requests.get(f"{server.url}/api/2/export", params=params,
                                auth=("key-00001", "s"), timeout=10).status_code  # fmt: skip

        assert export() == 404
        requests.post(f"{server.url}/_mock/clock", json={"advance_s": 7200}, timeout=10)
        assert export() == 200


def test_cohort_body_and_braze_rate_options_reach_the_app_config():
    from cli.serve import add_arguments, cohort_config

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args(["--cohort-bodies", "observed", "--braze-requests-per-hour", "0"])
    config = cohort_config(args)
    assert (config["COHORT_BODIES"], config["BRAZE_REQUESTS_PER_HOUR"]) == ("observed", 0)
    defaults = cohort_config(parser.parse_args([]))
    assert (defaults["COHORT_BODIES"], defaults["BRAZE_REQUESTS_PER_HOUR"]) == (
        "documented",
        250_000,
    )


def test_a_negative_braze_rate_is_a_one_line_error(capsys):
    assert main(["serve", "--port", "0", "--braze-requests-per-hour", "-1"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "currents-sim: --braze-requests-per-hour must be >= 0 (0 = no limit)"


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
