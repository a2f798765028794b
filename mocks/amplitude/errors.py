"""Core outcomes -> HTTP: the status line copies ``UploadResult.status``; the body is the core's.

The core (``simulator.amplitude.errors``) already renders Amplitude's exact bodies, because the
SDKs read ``body["code"]`` rather than the status line; this module only turns what the shell
itself rejects (unreadable bodies) into the same results and logs them on the model.
"""

from __future__ import annotations

from simulator.amplitude import AmplitudeModel
from simulator.amplitude.errors import UploadResult


def rejected(model: AmplitudeModel, endpoint: str, result: UploadResult) -> UploadResult:
    """A request refused before parsing: an injected fault wins, else ``result`` is logged."""
    fault = model.fault_for(endpoint)
    if fault is not None:
        return fault
    model.reject(endpoint, result)
    return result
