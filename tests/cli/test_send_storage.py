"""``currents-sim send --to-dir`` and ``--to-s3``: Braze's storage files, by running the command.

The S3 tests start moto's S3 server (``moto_server``) as a subprocess on 127.0.0.1 and a free
port, and stop it at the end."""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import fastavro
import orjson
import pytest

from cli.main import main
from simulator.generator import make_provider
from tests.simulator.delivery.test_storage import KEY

OPEN, CLICK = "users.messages.email.Open", "users.messages.email.Click"
T = 1_700_000_000
AWS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
       "AWS_DEFAULT_REGION": "us-east-1"}  # fmt: skip


def write_events(path: Path, events: list[dict[str, Any]]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in events))
    return path


def events_of(event_type: str, n: int, times: list[int] | None = None) -> list[dict[str, Any]]:
    template = make_provider(1).currents_event(event_type, at=T)
    return [{**template, "id": f"{event_type}-{i}", "time": times[i] if times else T}
            for i in range(n)]  # fmt: skip


def read_avro(path: Path) -> list[dict[str, Any]]:
    return list(fastavro.reader(io.BytesIO(path.read_bytes())))  # type: ignore[arg-type]


def files_under(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in AWS.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def s3_server(aws: None) -> Iterator[str]:
    port = free_port()
    command = [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url, timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def bucket_objects(endpoint: str, bucket: str, prefix: str) -> dict[str, bytes]:
    client = boto3.client("s3", endpoint_url=endpoint)
    found = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            body = client.get_object(Bucket=bucket, Key=item["Key"])["Body"]
            with body:
                found[item["Key"].removeprefix(prefix + "/")] = body.read()
    return found


def test_to_dir_writes_brazes_layout_and_the_records_read_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = events_of(OPEN, 3) + events_of(CLICK, 2)
    source = write_events(tmp_path / "in.jsonl", events)
    out = tmp_path / "export"
    assert main(["send", "--to-dir", str(out), "--from", str(source), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["written"], summary["files"], summary["undelivered"]) == (5, 2, 0)
    files = files_under(out)
    assert all(KEY.fullmatch(f"prefix/{key}") for key in files)
    read = [r for key in sorted(files) for r in read_avro(out / key)]
    assert sorted(r["id"] for r in read) == sorted(e["id"] for e in events)
    assert not any(name.endswith(".tmp") for name in files)


@pytest.mark.slow
def test_to_dir_rolls_a_file_at_15000_events(tmp_path: Path) -> None:
    source = write_events(tmp_path / "in.jsonl", events_of(OPEN, 15_001))
    out = tmp_path / "export"
    assert main(["send", "--to-dir", str(out), "--from", str(source)]) == 0
    counts = {key: len(read_avro(out / key)) for key in files_under(out)}
    offsets = {KEY.fullmatch(f"p/{key}")["offset"]: n for key, n in counts.items()}  # type: ignore[index]
    assert offsets == {"0": 15_000, "15000": 1}


def test_to_dir_rolls_a_file_every_5_minutes_of_the_events_time(tmp_path: Path) -> None:
    times = [T + 60 * i for i in range(12)]  # one event a minute for 12 minutes
    source = write_events(tmp_path / "in.jsonl", events_of(OPEN, 12, times))
    out = tmp_path / "export"
    assert main(["send", "--to-dir", str(out), "--from", str(source)]) == 0
    files = files_under(out)
    counts = sorted(len(read_avro(out / key)) for key in files)
    assert counts == [2, 5, 5]


def test_generated_events_over_an_hour_make_files_per_type_and_5_minutes(tmp_path: Path) -> None:
    out = tmp_path / "export"
    args = ["send", "--to-dir", str(out), "--duration", "1h", "--seed", "2"]
    assert main(args) == 0
    files = files_under(out)
    assert len(files) > 12  # several types, each rolled every 5 minutes
    assert all(KEY.fullmatch(f"p/{key}") for key in files)
    total = sum(len(read_avro(out / key)) for key in files)
    assert total == 1000  # the default count, over the hour before now


def test_to_s3_writes_the_same_keys_and_bytes_as_to_dir(
    tmp_path: Path, s3_server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    times = [T + 7 * i for i in range(400)]
    events = events_of(OPEN, 400, times) + events_of(CLICK, 300, times)
    source = write_events(tmp_path / "in.jsonl", sorted(events, key=lambda e: e["time"]))
    boto3.client("s3", endpoint_url=s3_server).create_bucket(Bucket="exports")
    out = tmp_path / "export"
    assert main(["send", "--to-dir", str(out), "--from", str(source)]) == 0
    capsys.readouterr()
    to_s3 = ["send", "--to-s3", "s3://exports/braze/currents", "--endpoint-url", s3_server]
    assert main([*to_s3, "--from", str(source), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    objects = bucket_objects(s3_server, "exports", "braze/currents")
    assert objects == files_under(out)
    assert len(objects) >= 4  # two types, each rolled by the 5-minute rule
    assert all(KEY.fullmatch(f"braze-currents/{key}") for key in objects)
    assert (summary["to"], summary["written"]) == ("s3://exports/braze/currents", 700)


def test_an_unreachable_s3_endpoint_is_one_line_and_exit_2(tmp_path: Path) -> None:
    env = {**os.environ, **AWS, "AWS_MAX_ATTEMPTS": "1"}
    command = [sys.executable, "-m", "cli.main", "send", "--to-s3", "s3://b/p", "-n", "5",
               "--endpoint-url", f"http://127.0.0.1:{free_port()}"]  # fmt: skip
    result = subprocess.run(command, capture_output=True, env=env, timeout=120, check=False)
    assert result.returncode == 2
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("currents-sim: s3://b/p: ")


def test_a_missing_bucket_is_one_line_and_exit_2(s3_server: str) -> None:
    env = {**os.environ, **AWS}
    command = [sys.executable, "-m", "cli.main", "send", "--to-s3", "s3://nope/p", "-n", "5",
               "--endpoint-url", s3_server]  # fmt: skip
    result = subprocess.run(command, capture_output=True, env=env, timeout=120, check=False)
    assert result.returncode == 2
    assert len(result.stderr.decode().splitlines()) == 1


def test_with_a_rate_files_are_written_live_on_the_wall_clock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "export"
    args = ["send", "--to-dir", str(out), "--rate", "200", "--duration", "1s", "--json"]
    assert main(args) == 0
    summary = json.loads(capsys.readouterr().out)
    files = files_under(out)
    written = sum(len(read_avro(out / key)) for key in files)
    assert summary["written"] == written and 100 <= written <= 200  # paced: at most 200 in 1 s
    assert summary["files"] == len(files) and all(KEY.fullmatch(f"p/{key}") for key in files)
