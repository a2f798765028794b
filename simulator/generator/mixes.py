"""The generator's data: journeys (chains of steps) and mixes (journey weights, hot devices).

Tables, not code: a new journey or mix is a new row here, and ``stream`` and ``schedule`` read
them without a line of their own changing.

- **Journeys** (``JOURNEYS``) are chains of steps: each step happens with its probability
  (a skipped step ends the journey unless it is optional), after an exponential delay, so a
  session starts before it ends, an e-mail is delivered after it is sent, conversions follow
  messages, and a push Open follows its Send except for a small ``early`` share (Braze notes
  that opens can be recorded before their send, BRAZE_CURRENTS.md §4.1).
- **Mixes** (``MIXES``) are journey weights, the share of users on heavy devices, hot devices
  and a default window.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

CONVERSION = "conversion"  # resolved per message: campaign or Canvas conversion
ANY_TYPE = "*"  # any catalogue type (the "all" mix), its message on the type's channel
HOUR = 3600.0


@dataclass(frozen=True, slots=True)
class Step:
    """One event of a journey, ``delay`` seconds (mean, exponential) after the previous one."""

    event_type: str
    p: float = 1.0
    delay: float = 0.0
    optional: bool = False  # skipped without ending the journey
    repeat: tuple[int, int] = (1, 1)
    early: float = 0.0  # share stamped between the journey start and the previous event


@dataclass(frozen=True, slots=True)
class Journey:
    steps: tuple[Step, ...]
    channel: str | None = None  # the message channel, None for behaviour-only journeys
    kind: str | None = None  # "campaign" / "canvas" / None (either)
    device: bool = True  # needs an app device (so users with neither id never take it)
    session: bool = False  # steps share a session_id; the last one carries the duration

    def mean_events(self) -> float:
        reach, total = 1.0, 0.0
        for step in self.steps:
            taken = reach * step.p
            total += taken * (step.repeat[0] + step.repeat[1]) / 2
            if not step.optional:
                reach = taken
        return total


@dataclass(frozen=True, slots=True)
class HotDevice:
    """A device that gets ``share`` of all events: steady, or in bursts of ``rate`` ev/s."""

    device_class: str
    share: float  # of all n events
    burst_seconds: float | None = None  # None: evenly spread over the whole window
    rate: float = 0.0  # events per second within a burst
    event_names: tuple[str, ...] = ("app_foreground", "heartbeat", "screen_view")


@dataclass(frozen=True, slots=True)
class Mix:
    journeys: Mapping[str, float]
    heavy_share: float = 0.05  # share of device users on heavy devices
    heavy_weight: float = 10.0  # how much more often a heavy device starts a journey
    hot: tuple[HotDevice, ...] = ()
    duration: float = HOUR
    description: str = ""


_B = "users.behaviors."
_M = "users.messages."
JOURNEYS: dict[str, Journey] = {
    "session": Journey(
        (
            Step(_B + "app.SessionStart"),
            Step(_B + "CustomEvent", p=0.85, delay=25, optional=True, repeat=(1, 5)),
            Step(_B + "Purchase", p=0.08, delay=40, optional=True),
            Step(_B + "app.SessionEnd", delay=60),
        ),
        session=True,
    ),
    "first_session": Journey(
        (
            Step(_B + "InstallAttribution"),
            Step(_B + "app.FirstSession", delay=2),
            Step(_B + "app.SessionStart"),
            Step(_B + "CustomEvent", p=0.9, delay=20, optional=True, repeat=(1, 3)),
            Step(_B + "app.SessionEnd", delay=90),
        ),
        session=True,
    ),
    "location": Journey((Step(_B + "Location"),)),
    "subscription": Journey(
        (Step(_B + "subscriptiongroup.StateChange"),), channel="email", device=False
    ),
    "push": Journey(
        (
            Step(_M + "pushnotification.Send", delay=20),
            Step(_M + "pushnotification.Open", p=0.25, delay=600, early=0.04),
            Step(CONVERSION, p=0.3, delay=1200),
        ),
        channel="push",
    ),
    "push_bounce": Journey(
        (Step(_M + "pushnotification.Send"), Step(_M + "pushnotification.Bounce", delay=5)),
        channel="push",
    ),
    "email": Journey(
        (
            Step(_M + "email.Send"),
            Step(_M + "email.Delivery", p=0.97, delay=8),
            Step(_M + "email.Open", p=0.4, delay=1800),
            Step(_M + "email.Click", p=0.3, delay=60),
            Step(CONVERSION, p=0.25, delay=900),
        ),
        channel="email",
        device=False,
    ),
    "email_bounce": Journey(
        (Step(_M + "email.Send"), Step(_M + "email.Bounce", delay=10)),
        channel="email",
        device=False,
    ),
    "sms": Journey(
        (
            Step(_M + "sms.Send"),
            Step(_M + "sms.CarrierSend", delay=2),
            Step(_M + "sms.Delivery", p=0.96, delay=6),
            Step(_M + "sms.ShortLinkClick", p=0.1, delay=300),
        ),
        channel="sms",
        device=False,
    ),
    "inapp": Journey(
        (
            Step(_M + "inappmessage.Impression"),
            Step(_M + "inappmessage.Click", p=0.2, delay=8),
            Step(CONVERSION, p=0.2, delay=300),
        ),
        channel="inapp",
    ),
    "contentcard": Journey(
        (
            Step(_M + "contentcard.Send"),
            Step(_M + "contentcard.Impression", p=0.6, delay=1800),
            Step(_M + "contentcard.Click", p=0.2, delay=10),
        ),
        channel="contentcard",
    ),
    "canvas": Journey(
        (
            Step("users.canvas.Entry"),
            Step(_M + "pushnotification.Send", delay=60),
            Step(_M + "pushnotification.Open", p=0.3, delay=600),
            Step(CONVERSION, p=0.3, delay=900),
        ),
        channel="push",
        kind="canvas",
    ),
    "webhook": Journey((Step(_M + "webhook.Send"),), channel="webhook", device=False),
    "catalogue": Journey((Step(ANY_TYPE),), channel="push", device=False),  # any type, once
}

_DEFAULT_JOURNEYS = {
    "session": 0.34,
    "first_session": 0.02,
    "push": 0.2,
    "email": 0.14,
    "sms": 0.06,
    "inapp": 0.06,
    "contentcard": 0.04,
    "canvas": 0.06,
    "location": 0.03,
    "subscription": 0.02,
    "push_bounce": 0.01,
    "email_bounce": 0.01,
    "webhook": 0.01,
}

MIXES: dict[str, Mix] = {
    "default": Mix(_DEFAULT_JOURNEYS, description="a typical app: sessions, messages, journeys"),
    "messaging": Mix(
        {
            "push": 0.3,
            "email": 0.3,
            "sms": 0.12,
            "canvas": 0.12,
            "inapp": 0.06,
            "contentcard": 0.05,
            "push_bounce": 0.02,
            "email_bounce": 0.02,
            "webhook": 0.01,
        },
        description="message engagement only",
    ),
    "behaviors": Mix(
        {"session": 0.85, "first_session": 0.05, "location": 0.07, "email": 0.03},
        description="sessions, custom events and purchases",
    ),
    "all": Mix({"catalogue": 1.0}, description="every catalogue type, uniformly, one-off"),
    "misconfigured": Mix(
        _DEFAULT_JOURNEYS,
        hot=(HotDevice("misconfigured", share=0.25, burst_seconds=60.0, rate=45.0),),
        description="default + one device bursting at 45 ev/s (needs n >= 4000)",
    ),
    "quota": Mix(
        _DEFAULT_JOURNEYS,
        hot=(HotDevice("quota", share=0.96),),  # 504,000 of 525,000 events over 24 h
        duration=24 * HOUR,
        description="default + one device with >= 500,000 events/24 h (needs n >= 521000)",
    ),
}
