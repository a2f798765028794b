"""Schemathesis hooks (``SCHEMATHESIS_HOOKS``) for fuzzing one shared served mock: state-changing
admin calls are confined so that one generated case cannot change what the next one is owed.

Only values inside their documented ranges are touched (negative cases go out unchanged):
``/_mock/wait`` waits at most ``WAIT_S`` (the documented 300 s would stall the run), an event
stream lives at most ``STREAM_S`` (its default lifetime is 120 s, for the same reason), injected
faults apply to a key no other case uses and sleep at most ``LATENCY_MS``, and keys added or
revoked through ``/_mock/keys`` are renamed into their own namespace (a revoked "0" would make
every later upload with ``api_key: "0"`` an invalid-key 400); so are the Braze workspaces added,
changed or deleted through ``/_mock/braze/workspaces`` (a locked "0" would make every later
partner call with ``client_secret: "0"`` a 423, a deleted default one every partner call a 401).
"""

from __future__ import annotations

from typing import Any

import schemathesis

WAIT_S = 0.2
STREAM_S = 0.05
LATENCY_MS = 5
FAULT_KEY = "schemathesis-fault-sink"
KEY_PREFIX = "schemathesis-key-"
SECRET_PREFIX = "schemathesis-workspace-"


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _confine_wait(body: dict[str, Any]) -> None:
    if body.get("timeout_s") is None:
        body["timeout_s"] = WAIT_S  # not the 10 s default
    elif _number(body.get("timeout_s")) and 0 <= body["timeout_s"] <= 300:
        body["timeout_s"] = min(body["timeout_s"], WAIT_S)


def _confine_stream(query: dict[str, Any]) -> None:
    lifetime = query.get("max_s")
    if lifetime is None or (_number(lifetime) and 0 <= lifetime <= 3600):
        query["max_s"] = STREAM_S if lifetime is None else min(lifetime, STREAM_S)


def _confine_fault(rule: Any) -> None:
    if not isinstance(rule, dict):
        return
    if isinstance(rule.get("api_key"), str) or "api_key" not in rule:
        rule["api_key"] = FAULT_KEY
    if _number(rule.get("latency_ms")) and 0 <= rule["latency_ms"] <= 60_000:
        rule["latency_ms"] = min(rule["latency_ms"], LATENCY_MS)


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    path, method = case.operation.path, case.method.upper()
    body = case.body if isinstance(case.body, dict) else None
    if path == "/_mock/wait" and body is not None:
        _confine_wait(body)
    elif path == "/_mock/stream" and isinstance(case.query, dict):
        _confine_stream(case.query)
    elif path == "/_mock/faults" and method == "POST" and body is not None:
        rules = body["faults"] if isinstance(body.get("faults"), list) else [body]
        for rule in rules:
            _confine_fault(rule)
    elif path == "/_mock/keys" and method == "POST" and body is not None:
        key = body.get("key")
        if isinstance(key, str) and 1 <= len(key) <= 1024 - len(KEY_PREFIX):
            body["key"] = KEY_PREFIX + key
    elif path == "/_mock/keys/{key}" and isinstance(case.path_parameters, dict):
        key = case.path_parameters.get("key")
        if isinstance(key, str) and 1 <= len(key) <= 1024 - len(KEY_PREFIX):
            case.path_parameters["key"] = KEY_PREFIX + key
    elif path == "/_mock/braze/workspaces" and method == "POST" and body is not None:
        _confine_secret(body)
    elif path == "/_mock/braze/workspaces" and method == "DELETE" and isinstance(case.query, dict):
        _confine_secret(case.query)


def _confine_secret(holder: dict[str, Any]) -> None:
    secret = holder.get("client_secret")
    if isinstance(secret, str) and 1 <= len(secret) <= 1024 - len(SECRET_PREFIX):
        holder["client_secret"] = SECRET_PREFIX + secret
