"""The Amplitude model: ingestion as Amplitude does it, minus HTTP, on an injected clock.

The same object backs the served mock (``mocks/amplitude`` is a thin shell) and runs in-process
for the connector and cohort models, which call it directly with parsed payloads::

    from simulator.amplitude import AmplitudeModel, Limits, Fault
    from simulator.clock import ManualClock

    clock = ManualClock(1_700_000_000.0)
    model = AmplitudeModel(clock, Limits(), api_keys=None, seed=0)   # None/empty: sandbox
    result = model.upload("httpapi", {"api_key": "k" * 32, "events": [...]}, size_bytes=1234)
    result.status, result.body  # exactly what the HTTP mock answers; body["code"] == status

Public API (all methods are thread-safe):

- ``AmplitudeModel(clock, limits=None, *, api_keys=None, seed=None)``
- ``upload(endpoint, payload, *, size_bytes, decoded_bytes=None) -> UploadResult`` with
  ``endpoint`` ``"httpapi"`` (``/2/httpapi``) or ``"batch"``; ``UploadResult(status, body, text,
  latency_s, drop)``: ``body`` is None only for injected non-JSON faults; ``latency_s``/``drop``
  are injected faults for the caller to carry out.
- ``identify(kind, form, *, size_bytes) -> UploadResult`` (``kind`` ``"identify"`` or
  ``"groupidentify"``; ``form`` the decoded form fields).
- keys: ``add_key(key, expires_at=None, restores_at=None)`` (seconds on the model clock),
  ``revoke_key(key)``, ``key_valid(key)``, ``keys()``, ``sandbox`` (True when built without
  keys: every key valid).
- faults: ``add_fault(Fault(status=503, count=2))``, ``Fault(probability=0.1, status=500)``,
  ``Fault(latency_ms=..)``, ``Fault(drop=True)``, ``Fault(status=200, body="no_code", after=True)``;
  ``clear_faults()``.
- queries: ``events(limit=100, cursor=None, api_key=, user_id=, device_id=, event_type=,
  insert_id=, outcome=) -> Page(total, items, next_cursor)``, ``count(**filters)``,
  ``requests(api_key=None, limit=100, cursor=None) -> Page``, ``stats()``,
  ``user_properties(api_key, user_id=|device_id=)``, ``group_properties(api_key, type, value)``.
- ``reset(api_key=None)``; ``clock`` (the injected clock); ``limits``; ``changed`` (a
  ``threading.Condition`` notified after every request, for waiters).

Outcomes journaled per event: ``ingested``, ``deduplicated``, ``throttled``, ``quota_exceeded``,
``invalid``, ``unauthorized``, ``payload_too_large`` (``simulator.amplitude.journal``).
Facts and their sources: ``limits.py`` (numbers), ``validation.py`` (400s), ``throttle.py``
(429s), ``dedupe.py``, ``identify.py``, ``errors.py`` (bodies), ``faults.py``.
"""

from simulator.amplitude.backend import ENDPOINTS, AmplitudeModel, Backend
from simulator.amplitude.errors import UploadResult
from simulator.amplitude.faults import Fault
from simulator.amplitude.journal import OUTCOMES, Page
from simulator.amplitude.limits import Limits

__all__ = [
    "ENDPOINTS",
    "OUTCOMES",
    "AmplitudeModel",
    "Backend",
    "Fault",
    "Limits",
    "Page",
    "UploadResult",
]
