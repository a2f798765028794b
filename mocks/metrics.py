"""Prometheus metrics (``GET /metrics``) and the probes ``GET /livez`` and ``GET /readyz``.

Counters are read from the model when scraped (a custom collector), so ``/metrics`` and
``/_mock/stats`` count the very same thing: events by API key, endpoint and outcome
(``currents_sim_events_total``), journal size, ids under throttle. A reset of a key removes its
series, which Prometheus reads as a counter reset. The request latency histogram is measured by
a WSGI middleware around the whole app (the fast upload path included), labelled by a small
fixed set of routes so the series stay few whatever paths clients send.

Each app has its own registry (several mocks may live in one process: tests, benchmarks).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from flask import Blueprint, Flask, Response, current_app
from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from mocks.amplitude.routes import endpoint_of
from mocks.app import json_response, model_of
from simulator.amplitude import AmplitudeModel

REGISTRY = "metrics_registry"
READINESS = "readiness_checks"  # app.extensions: callables answering None (ready) or a reason
# Request latency buckets (seconds): uploads take ~1 ms, waits and faults with latency seconds.
LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
# Route label of a path by its prefix (first match), after the upload endpoints.
ROUTE_PREFIXES = (
    ("/_mock/stream", "stream"),
    ("/_mock/braze", "braze_admin"),
    ("/_mock", "admin"),
    ("/partners/", "braze"),
    ("/metrics", "metrics"),
)
ROUTE_SUFFIXES = (("/groupidentify", "groupidentify"), ("/identify", "identify"))

bp = Blueprint("metrics", __name__)


def init_app(app: Flask) -> None:
    registry = CollectorRegistry(auto_describe=True)
    model = model_of(app)
    registry.register(ModelCollector(model))
    latency = Histogram(
        "currents_sim_request_duration_seconds",
        "Time to answer a request (until the response starts for streams), by route and status",
        ["route", "status"],
        registry=registry,
        buckets=LATENCY_BUCKETS,
    )
    app.extensions[REGISTRY] = registry
    app.extensions.setdefault(READINESS, [])
    app.register_blueprint(bp)
    app.wsgi_app = Timed(app.wsgi_app, latency)  # type: ignore[method-assign]


def route_of(path: str) -> str:
    """The ``route`` label of a request path (a fixed, small set)."""
    endpoint = endpoint_of(path)
    if endpoint is not None:
        return endpoint
    for suffix, name in ROUTE_SUFFIXES:
        if path.endswith(suffix):
            return name
    for prefix, name in ROUTE_PREFIXES:
        if path.startswith(prefix):
            return name
    return "other"


class Timed:
    """WSGI middleware: observes each request's duration in the latency histogram."""

    def __init__(self, wsgi_app: Any, latency: Histogram) -> None:
        self.wsgi_app = wsgi_app
        self.latency = latency

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        started = time.perf_counter()
        status = ["500"]

        def start(code: str, headers: Any, exc_info: Any = None) -> Any:
            status[0] = code[:3]
            return start_response(code, headers, exc_info)

        try:
            body: Iterable[bytes] = self.wsgi_app(environ, start)
            return body
        finally:
            route = route_of(environ.get("PATH_INFO", ""))
            self.latency.labels(route, status[0]).observe(time.perf_counter() - started)


class ModelCollector:
    """Reads the model's counters at scrape time."""

    def __init__(self, model: AmplitudeModel) -> None:
        self.model = model

    def describe(self) -> list[Metric]:
        return []  # collected only when scraped (no help/type check at registration)

    def collect(self) -> Iterator[Metric]:
        model = self.model
        counts = model.event_counts()
        stats = model.stats()
        events = CounterMetricFamily(
            "currents_sim_events",
            "Events received, by API key, endpoint and outcome (as /_mock/stats counts them)",
            labels=["api_key", "endpoint", "outcome"],
        )
        for (api_key, endpoint, outcome), n in sorted(counts.items(), key=_sort_key):
            events.add_metric([api_key or "", endpoint, outcome], n)
        yield events
        journal = stats["journal"]
        yield _gauge("currents_sim_journal_entries", "Events held in the journal", journal["size"])
        yield _gauge("currents_sim_journal_max_entries", "Journal capacity", journal["max"])
        yield CounterMetricFamily(
            "currents_sim_journal_dropped",
            "Events trimmed from the full journal (still counted)",
            value=journal["dropped"],
        )
        yield _gauge("currents_sim_request_log_entries", "Requests held", stats["requests"])
        throttled = GaugeMetricFamily(
            "currents_sim_throttled_ids",
            "Devices and users answered 429 within the last throttle window, by API key",
            labels=["api_key", "kind"],
        )
        for api_key, ids in sorted(stats["throttled"].items()):
            for kind, listed in sorted(ids.items()):
                throttled.add_metric([api_key, kind], len(listed))
        yield throttled


def _sort_key(item: tuple[tuple[str | None, str, str], int]) -> tuple[str, str, str]:
    (api_key, endpoint, outcome), _ = item
    return api_key or "", endpoint, outcome


def _gauge(name: str, text: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, text, value=value)


@bp.get("/metrics")
def metrics() -> Response:
    registry: CollectorRegistry = current_app.extensions[REGISTRY]
    return Response(generate_latest(registry), mimetype=None, content_type=CONTENT_TYPE_LATEST)


@bp.get("/livez")
def livez() -> Response:
    """The process serves requests."""
    return json_response({"status": "ok"})


@bp.get("/readyz")
def readyz() -> Response:
    """Ready to take traffic: every readiness check (e.g. the data directory is loaded and its
    writer alive) answers None; else 503 with the reasons."""
    checks: list[Callable[[], str | None]] = current_app.extensions.get(READINESS, [])
    reasons = [reason for check in checks if (reason := check()) is not None]
    if reasons:
        return json_response({"code": 503, "status": "not ready", "reasons": reasons}, 503)
    return json_response({"status": "ready"})
