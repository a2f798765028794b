"""``serve --data-dir DIR``: the mock's state in an embedded SQLite database (WAL), so a restart
resumes where it stopped, and named snapshots of it.

What is stored, and how it comes back (the model stays pure; this shell only copies):

- the journal and the request log, row by row (tables ``entries`` and ``requests``); on start
  they are replayed in order (``AmplitudeModel.replay``), which rebuilds what derives from them
  exactly as it was: the throttle windows and 24 h quotas, the dedupe set, the properties set by
  identify, the counters and the events/s timeline;
- the rest, small, as one value (table ``state``): keys and revocations, faults, ids throttled in
  the last window, cohort definitions and downloads, the request counter (``export_state``), and
  the clock (its time and speed: the clock resumes at the time it had when the mock stopped).

A writer thread copies what changed every ``FLUSH_S`` (0.2 s) and commits it: a ``kill -9``
loses at most the requests answered in the last flush period (README: at most 1 s, measured by
``tests/sandbox/test_persistence.py``). Without ``--data-dir`` nothing of this runs: the model
pays nothing for it (the writer polls the model; ingestion never waits for the disk).

Snapshots are consistent copies of the database (SQLite's backup API) in ``DIR/snapshots``;
restoring one replaces the state in place (``POST /_mock/snapshots/<name>/restore``).
The state value is a pickle: open only data directories you made yourself.
"""

from __future__ import annotations

import pickle
import re
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
from flask import Blueprint, Flask, Response, current_app, request

from mocks.amplitude.cohort_routes import cohort_api_of
from mocks.app import json_response, model_of
from mocks.metrics import READINESS
from mocks.server import CLOSE_HOOKS
from simulator.amplitude import AmplitudeModel
from simulator.amplitude.journal import Request, Row
from simulator.clock import Clock

EXTENSION = "store"
DB_NAME = "currents-sim.sqlite"
FLUSH_S = 0.2
SNAPSHOT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS entries (seq INTEGER PRIMARY KEY, api_key TEXT, "
    "request_id INTEGER, received_at INTEGER, outcome TEXT, reason TEXT, raw TEXT)",
    "CREATE INDEX IF NOT EXISTS entries_request ON entries (request_id)",
    "CREATE TABLE IF NOT EXISTS requests (id INTEGER PRIMARY KEY, time INTEGER, endpoint TEXT, "
    "api_key TEXT, status INTEGER, event_count INTEGER, body TEXT, fault INTEGER, "
    "duration_ms REAL)",
    "CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, value BLOB)",
)

bp = Blueprint("mock_snapshots", __name__, url_prefix="/_mock")


class StoreError(Exception):
    """A bad snapshot request: answered ``status`` (400)."""

    status = 400


class SnapshotMissing(StoreError):
    """A well-formed request for what this mock does not hold: a snapshot of that name, or any
    snapshot at all when it runs without a data directory. 404, like any absent resource."""

    status = 404


def init_app(app: Flask) -> None:
    """With ``DATA_DIR`` in the config: open the store, load it into the model and start the
    writer. The snapshot routes are always there (answering 404 without a data directory)."""
    app.register_blueprint(bp)
    data_dir = app.config.get("DATA_DIR")
    if not data_dir:
        return
    model = model_of(app)
    store = Store(Path(data_dir), model, model.clock, [cohort_api_of(app).reindex])
    store.load()
    store.start()
    app.extensions[EXTENSION] = store
    app.extensions.setdefault(CLOSE_HOOKS, []).append(store.close)
    app.extensions.setdefault(READINESS, []).append(store.problem)


class Store:
    """One model's state in ``DIR/currents-sim.sqlite``."""

    def __init__(
        self,
        directory: Path,
        model: AmplitudeModel,
        clock: Clock,
        after_load: list[Callable[[], None]] | None = None,
    ) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        self.model = model
        self.clock = clock
        self.after_load = after_load or []  # e.g. the cohort API indexes the journal again
        self.db = _connect(directory / DB_NAME)
        self.lock = threading.Lock()  # one flush, snapshot or restore at a time
        self.seq = 0  # the newest journal seq and request id stored
        self.request_id = 0
        self._state: bytes = b""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._failure: str | None = None

    # -- loading ------------------------------------------------------------------------------
    def load(self) -> None:
        """Replay the stored journal into the (empty) model, then restore the rest."""
        with self.lock:
            self._load()

    def _load(self) -> None:
        db, model = self.db, self.model
        requests = {r.id: r for r in map(_request, db.execute("SELECT * FROM requests"))}
        rows: dict[int, list[Row]] = {}
        for row in db.execute("SELECT * FROM entries ORDER BY seq"):
            rows.setdefault(row[2], []).append(tuple(row))
        # Request ids and seqs grow together (both are taken under the model's lock), so
        # requests in id order replay their events in seq order.
        for request_id in sorted(requests.keys() | rows.keys()):
            model.replay(rows.pop(request_id, []), requests.get(request_id))
        saved = db.execute("SELECT value FROM state WHERE name = 'model'").fetchone()
        if saved is not None:
            state = pickle.loads(saved[0])
            model.apply_state(state["model"])
            _set_clock(self.clock, state["clock"])
            self._state = saved[0]
        self.seq, self.request_id = model.positions()
        for hook in self.after_load:
            hook()

    # -- writing ------------------------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="store-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(FLUSH_S):
            try:
                self.flush()
            except sqlite3.Error as exc:  # disk full, directory removed: say so on /readyz
                self._failure = f"cannot write {self.directory}: {exc}"

    def flush(self) -> None:
        """Copy what changed since the last flush and commit it."""
        with self.lock:
            self._flush()

    def _flush(self) -> None:
        changes = self.model.changes_since(self.seq, self.request_id)
        db = self.db
        for seq, request_id, api_key in changes.resets:
            if api_key is None:
                db.execute("DELETE FROM entries WHERE seq <= ?", (seq,))
                db.execute("DELETE FROM requests WHERE id <= ?", (request_id,))
            else:
                db.execute("DELETE FROM entries WHERE seq <= ? AND api_key = ?", (seq, api_key))
                db.execute(
                    "DELETE FROM requests WHERE id <= ? AND api_key = ?", (request_id, api_key)
                )
        if changes.rows:
            db.executemany("INSERT OR REPLACE INTO entries VALUES (?,?,?,?,?,?,?)", changes.rows)
            self.seq = changes.rows[-1][0]
        if changes.requests:
            db.executemany(
                "INSERT OR REPLACE INTO requests VALUES (?,?,?,?,?,?,?,?,?)",
                [_request_row(r) for r in changes.requests],
            )
            self.request_id = changes.requests[-1].id
        state = pickle.dumps({"model": changes.state, "clock": _clock_state(self.clock)})
        if state != self._state:
            db.execute("INSERT OR REPLACE INTO state VALUES ('model', ?)", (state,))
            self._state = state
        db.commit()

    def problem(self) -> str | None:
        """Why the store is not ready (None when it is)."""
        if self._failure is not None:
            return self._failure
        if self._thread is not None and not self._thread.is_alive():
            return "the store's writer has stopped"
        return None

    def close(self) -> None:
        """Stop the writer, write the last changes, close the database."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        with self.lock:
            self._flush()
            self.db.close()

    # -- snapshots ----------------------------------------------------------------------------
    def _snapshot_path(self, name: str) -> Path:
        if not SNAPSHOT_NAME.fullmatch(name):
            raise StoreError("a snapshot name is 1-64 letters, digits, '.', '_' or '-'")
        return self.directory / "snapshots" / f"{name}.sqlite"

    def snapshots(self) -> list[str]:
        folder = self.directory / "snapshots"
        return sorted(p.stem for p in folder.glob("*.sqlite")) if folder.is_dir() else []

    def snapshot(self, name: str) -> None:
        """Save the state now as ``name`` (replacing a snapshot of that name)."""
        path = self._snapshot_path(name)
        path.parent.mkdir(exist_ok=True)
        partial = path.with_suffix(".partial")
        with self.lock:
            self._flush()
            target = sqlite3.connect(partial)
            try:
                self.db.backup(target)
            finally:
                target.close()
        partial.replace(path)  # whole or absent

    def restore(self, name: str) -> None:
        """Make snapshot ``name`` the state: the model is emptied and the snapshot replayed;
        requests wait meanwhile."""
        path = self._snapshot_path(name)
        if not path.is_file():
            raise SnapshotMissing(
                f"no snapshot named {name!r} (have: {', '.join(self.snapshots())})"
            )
        with self.lock, self.model.lock:
            source = sqlite3.connect(path)
            try:
                source.backup(self.db)
            finally:
                source.close()
            self.model.reset()
            self.model.take_resets()  # the database already holds exactly the snapshot
            self._load()


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: a committed flush survives kill -9
    for statement in SCHEMA:
        db.execute(statement)
    db.commit()
    return db


def _request_row(r: Request) -> tuple[Any, ...]:
    body = None if r.body is None else orjson.dumps(r.body).decode()
    return (r.id, r.time, r.endpoint, r.api_key, r.status, r.event_count, body, int(r.fault),
            r.duration_ms)  # fmt: skip


def _request(row: tuple[Any, ...]) -> Request:
    rid, at, endpoint, api_key, status, count, body, fault, took = row
    parsed = None if body is None else orjson.loads(body)
    return Request(rid, at, endpoint, api_key, status, count, parsed, bool(fault), took)


def _clock_state(clock: Clock) -> dict[str, Any]:
    return {"now": clock.now(), "scale": getattr(clock, "scale", None)}


def _set_clock(clock: Clock, saved: dict[str, Any]) -> None:
    """Resume the clock at the time (and speed) it had when the state was saved."""
    setter, scaler = getattr(clock, "set", None), getattr(clock, "set_scale", None)
    if setter is not None:
        setter(saved["now"])
    if scaler is not None and saved.get("scale") is not None:
        scaler(saved["scale"])


# -- routes ---------------------------------------------------------------------------------
@bp.errorhandler(StoreError)
def _store_error(exc: StoreError) -> Response:
    return json_response({"code": exc.status, "error": str(exc)}, exc.status)


def _store() -> Store:
    found: Store | None = current_app.extensions.get(EXTENSION)
    if found is None:
        raise SnapshotMissing("snapshots need a data directory: serve --data-dir DIR")
    return found


@bp.get("/snapshots")
def list_snapshots() -> Response:
    return json_response({"snapshots": _store().snapshots()})


@bp.post("/snapshots")
def take_snapshot() -> Response:
    body = request.get_json(silent=True) if request.get_data() else {}
    name = body.get("name") if isinstance(body, dict) else None
    if not isinstance(name, str):
        raise StoreError('give the snapshot a name: {"name": "before-outage"}')
    store = _store()
    store.snapshot(name)
    return json_response({"snapshot": name, "snapshots": store.snapshots()}, 201)


@bp.post("/snapshots/<name>/restore")
def restore_snapshot(name: str) -> Response:
    store = _store()
    store.restore(name)
    return json_response({"restored": name, "now_ms": int(store.clock.now() * 1000)})
