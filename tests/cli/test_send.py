"""``currents-sim send --to URL``: run as users run it, against a real local receiver."""

from __future__ import annotations

import json
import socket

import pytest

from cli.main import main
from tests.cli.commands import send
from tests.senders.receiver import Received, serve

SUMMARY_KEYS = {"to", "produced", "sent", "acknowledged", "dropped", "undelivered", "requests",
                "requests_by_status", "retries_by_status", "latency_ms", "elapsed_s"}  # fmt: skip


def test_generated_events_are_acknowledged_and_json_gives_the_figures(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with serve() as receiver:
        code = main(["send", "--to", receiver.url, "-n", "250", "--seed", "3", "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 0
    assert set(summary) == SUMMARY_KEYS
    assert (summary["produced"], summary["sent"], summary["acknowledged"]) == (250, 250, 250)
    assert summary["dropped"] == {} and summary["undelivered"] == 0
    assert set(summary["latency_ms"]) == {"p50", "p95", "max"}
    events = receiver.events()
    assert len(events) == len({e["id"] for e in events}) == 250
    assert all(len(r.events) <= 100 for r in receiver.requests)
    assert receiver.requests[0].events == []  # the empty batch that checks the token first


def test_each_request_holds_one_event_type_unless_one_queue_is_asked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def types(receiver_events: list[list[dict[str, object]]]) -> list[int]:
        return [len({e["event_type"] for e in events}) for events in receiver_events if events]

    with serve() as receiver:
        assert main(["send", "--to", receiver.url, "-n", "300", "--batch", "20"]) == 0
    assert set(types([r.events for r in receiver.requests])) == {1}
    with serve() as receiver:
        assert main(["send", "--to", receiver.url, "-n", "300", "--one-queue"]) == 0
    assert max(types([r.events for r in receiver.requests])) > 1


def test_the_token_goes_as_a_bearer_header(capsys: pytest.CaptureFixture[str]) -> None:
    with serve() as receiver:
        assert main(["send", "--to", receiver.url, "-n", "5", "--token", "tok-1"]) == 0
    assert {r.headers["Authorization"] for r in receiver.requests} == {"Bearer tok-1"}
    assert {r.headers["Braze-Currents-Version"] for r in receiver.requests} == {"1"}


def test_a_refused_token_is_one_line_and_exit_2() -> None:
    with serve(lambda request: 401) as receiver:
        result = send("--to", receiver.url, "-n", "10", "--token", "bad")
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        f"currents-sim: {receiver.url}: refused the credentials (401)"
    ]
    assert [len(r.events) for r in receiver.requests] == [0]  # nothing sent after the refusal


def test_an_unreachable_url_is_one_line_and_exit_2() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = send("--to", f"http://127.0.0.1:{port}/currents", "-n", "10")
    assert result.returncode == 2
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"currents-sim: http://127.0.0.1:{port}/")
    assert "no answer" in lines[0]


def test_a_token_refused_mid_run_halts_delivery_prints_figures_and_exits_2() -> None:
    def answer(request: Received) -> int:
        return 403 if b"events" in request.body and len(request.events) and refused() else 200

    seen = {"batches": 0}

    def refused() -> bool:
        seen["batches"] += 1
        return seen["batches"] > 2

    with serve(answer) as receiver:
        result = send("--to", receiver.url, "-n", "500", "--one-queue", "--drain", "0", "--json")
    summary = json.loads(result.stdout)
    assert result.returncode == 2
    assert summary["acknowledged"] == 200 and summary["undelivered"] == 300
    assert summary["retries_by_status"] == {"403": 1}
    assert result.stderr.decode().splitlines() == [
        f"currents-sim: {receiver.url}: refused the credentials (403); "
        "delivery halted with 300 events undelivered"
    ]


def test_events_the_receiver_rejects_are_dropped_and_the_run_exits_1(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with serve(lambda request: 400 if request.events else 200) as receiver:
        code = main(["send", "--to", receiver.url, "-n", "4", "--one-queue", "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 1
    assert summary["dropped"] == {"rejected: 400 alone": 4}
    assert [len(r.events) for r in receiver.requests] == [0, 4, 1, 1, 1, 1]


def test_a_rate_and_a_duration_bound_the_run(capsys: pytest.CaptureFixture[str]) -> None:
    with serve() as receiver:
        code = main(["send", "--to", receiver.url, "--rate", "100", "--duration", "1s", "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 0
    assert 90 <= summary["acknowledged"] <= 100
    assert summary["elapsed_s"] >= 0.9


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to-dir", "out", "--token", "T"], "--token is for --to URL"),
        (["--to", "http://127.0.0.1:9/", "--endpoint-url", "http://x"], "--endpoint-url is for"),
        (["--to", "http://127.0.0.1:9/", "--integration-id", "a"], "--integration-id is for"),
    ],
)
def test_an_option_of_another_target_is_refused(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["send", *args, "-n", "1"]) == 2
    assert message in capsys.readouterr().err
