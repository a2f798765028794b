"""``currents-sim simulate``: JSON figures, text table, plots, one-line errors."""

from __future__ import annotations

import json

import pytest

from cli.main import main

SMALL = ["--events", "1500", "--hours", "12h", "--outage", "4h", "--horizon", "2h"]


def run(capsys, *argv):
    code = main(["simulate", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_has_the_figures_and_per_class_breakdowns(capsys):
    code, out, _ = run(capsys, "credential-expiry", "--json", "--seed", "3", *SMALL)
    assert code == 0
    report = json.loads(out)
    for key in ("produced", "delivered", "lost", "skipped", "duplicates", "delay_p50_s",
                "delay_p95_s", "delay_max_s", "classes", "strategies"):  # fmt: skip
        assert key in report
    assert report["produced"] == 1500
    assert report["produced"] == (
        report["delivered"] + report["lost"] + report["skipped"] + report["queued"]
    )
    assert report["lost"] > 0  # a 4 h outage against a 2 h horizon
    assert report["lost_reasons"] == {"credentials_expired": report["lost"]}
    assert set(report["strategies"]) == {"braze", "per-device"}
    assert sum(c["produced"] for c in report["classes"].values()) == 1500
    assert report["parameters"]["outage_h"] == 4.0


def test_the_same_seed_gives_the_same_report(capsys):
    first = run(capsys, "amplitude-5xx-storm", "--json", "--events", "800", "--hours", "4h")[1]
    again = run(capsys, "amplitude-5xx-storm", "--json", "--events", "800", "--hours", "4h")[1]
    other = run(capsys, "amplitude-5xx-storm", "--json", "--events", "800", "--hours", "4h",
                "--seed", "1")[1]  # fmt: skip
    assert first == again
    assert first != other


def test_one_strategy_only(capsys):
    code, out, _ = run(capsys, "credential-expiry", "--json", "--strategy", "per-device", *SMALL)
    assert code == 0
    report = json.loads(out)
    assert report["strategy"] == "per-device"
    assert list(report["strategies"]) == ["per-device"]


def test_text_report_and_plots(capsys, tmp_path):
    code, out, _ = run(
        capsys, "credential-expiry", "--plot", str(tmp_path), "--strategy", "braze", *SMALL
    )
    assert code == 0
    assert "braze" in out and "lost events' times (h)" in out and "credentials_expired" in out
    pngs = sorted(p.name for p in tmp_path.iterdir())
    assert pngs == [
        "credential-expiry-backlog.png",
        "credential-expiry-delay.png",
        "credential-expiry-loss.png",
    ]
    for name in pngs:
        data = (tmp_path / name).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 10_000


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["no-such-scenario"], "unknown scenario"),
        (["misconfigured-device", "--outage", "3h"], "credential-expiry scenario only"),
        (["credential-expiry", "--events", "0"], "--events must be > 0"),
        (["credential-expiry", "--url", "http://127.0.0.1:9"], "no HTTP server answers there"),
    ],
)
def test_user_errors_are_one_line_with_exit_2(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert message in err and err.count("\n") == 1
    assert out == ""


def test_a_bad_duration_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["simulate", "credential-expiry", "--outage", "sixty hours"])
    assert exc.value.code == 2
    assert "not a duration" in capsys.readouterr().err
