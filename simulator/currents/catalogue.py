"""The event catalogue: one row per Currents event type, the single source of truth.

Schemas (``schemagen``), the reference transformer, the generator and the docs are all derived
from this table and from ``fields.STORAGE_FIELDS``; no field list is written twice.

A row says, for one Braze event type (by its dotted name):
- whether Braze exports it to Amplitude at all (storage-only types are schemas only);
- its Amplitude name under each naming profile: ``page`` (the "Amplitude for Currents" partner
  page, BRAZE_CURRENTS.md §1.6, the default) and ``glossary`` (the current event glossary's
  Amplitude tab headers, §2.3);
- which identifiers go top level (``D``: ``device_id``; ``A``: ``idfa``/``adid`` from ``ad_id``);
- how ``event_properties`` differ from the storage fields (§2.2): extra drops, ``timezone``
  kept, renames, and "legacy" fields the glossary and the HTTP envelope still carry but the
  storage schema no longer has.

Decisions where the sources are silent are marked ``[inference]`` with the section that
discusses them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from simulator.currents.fields import STORAGE_FIELDS

Profile = Literal["page", "glossary"]
PROFILES: tuple[Profile, ...] = ("page", "glossary")

APPBOY = "[Appboy] "  # every exported name starts with it (§1.3)
CUSTOM_EVENT_PREFIX = (
    "[Appboy] [Custom Event] "  # §1.3, the page is the authority over the glossary
)
CUSTOM_PROPERTY_PREFIX = "[Custom event property] "  # one space: [inference] §7.3
PURCHASE_PROPERTY_PREFIX = "[Purchase property] "
LIBRARY = "Braze"

CUSTOM_EVENT = "users.behaviors.CustomEvent"
PURCHASE = "users.behaviors.Purchase"

# Fields of the HTTP envelope's ``user`` block (BRAZE_CURRENTS.md §3.1).
USER_BLOCK = ("user_id", "external_user_id", "device_id", "timezone")

# Never in event_properties (§2.2 "Always remove" and "Usually removed").
ALWAYS_DROPPED = frozenset(
    {
        "id",
        "user_id",
        "external_user_id",
        "device_id",
        "time",
        "timezone",  # kept only where a row says keep_timezone
        "canvas_step_message_variation_id",
        "canvas_step_message_variation_api_id",
        "carrier",
        "country",
        "gender",
        "language",
        "resolution",
        "sdk_version",
    }
)

# ``ad_id_type`` -> the Amplitude top-level field that receives ``ad_id`` ([inference] §2.1).
AD_ID_TARGETS = {"ios_idfa": "idfa", "google_ad_id": "adid"}

FieldType = Literal["string", "int", "long", "float", "boolean", "string[]"]


@dataclass(frozen=True, slots=True)
class Field:
    """One storage field: its name, type and whether it may be null."""

    name: str
    type: FieldType
    nullable: bool
    items_nullable: bool = False  # for arrays written ``string?[]``

    @classmethod
    def parse(cls, token: str) -> Field:
        name, _, spec = token.partition(":")
        if not spec:  # plain ``name`` or ``name?`` is a string
            return cls(name.rstrip("?"), "string", name.endswith("?"))
        nullable = spec.endswith("?")
        spec = spec.rstrip("?")
        items_nullable = spec == "string?[]"
        base = "string[]" if spec.endswith("[]") else spec
        if base not in ("string", "int", "long", "float", "boolean", "string[]"):
            raise ValueError(f"unknown field type in {token!r}")
        return cls(name, base, nullable, items_nullable)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class EventSpec:
    """Everything the project knows about one Currents event type."""

    name: str
    fields: tuple[Field, ...]
    exported: bool
    page_name: str | None = None
    glossary_name: str | None = None
    device: bool = False  # D: device_id goes top level
    ad_ids: bool = False  # A: ad_id goes to idfa/adid by ad_id_type
    keep_timezone: bool = False
    drop: frozenset[str] = frozenset()
    renames: tuple[tuple[str, str], ...] = ()
    legacy: tuple[Field, ...] = ()  # nullable fields only the glossary/HTTP envelope still carry
    retired: bool = False
    group: str = field(default="")
    http_optional: frozenset[str] = frozenset()  # required in storage, absent in Braze's envelope

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if not f.nullable)

    def amplitude_name(self, profile: Profile = "page") -> str:
        """The exported ``event_type`` (custom events get theirs from the event's ``name``)."""
        name = self.page_name if profile == "page" else self.glossary_name
        name = name or self.glossary_name or self.page_name
        if name is None:
            raise ValueError(f"{self.name} is not exported to Amplitude")
        return APPBOY + name

    def property_fields(self) -> tuple[tuple[Field, str], ...]:
        """(storage field, event_properties key) for every field kept in ``event_properties``."""
        renames = dict(self.renames)
        dropped = ALWAYS_DROPPED | self.drop
        if self.keep_timezone:
            dropped = dropped - {"timezone"}
        return tuple(
            (f, renames.get(f.name, f.name))
            for f in (*self.fields, *self.legacy)
            if f.name not in dropped
        )


def _fields(spec: str) -> tuple[Field, ...]:
    return tuple(Field.parse(token) for token in spec.split())


@dataclass(frozen=True)
class _Row:
    """One hand-written line of the Amplitude mapping table below."""

    page: str | None = None
    glossary: str | None = None
    D: bool = False
    A: bool = False
    tz: bool = False
    drop: str = ""
    legacy: str = ""
    rename: tuple[tuple[str, str], ...] = ()
    exported: bool = True
    retired: bool = False
    http_optional: str = ""


_STORAGE_ONLY = _Row(exported=False)
_CARD = (("content_card_id", "card_id"),)  # §2.2: Content Card events rename the card id

# The Amplitude mapping, one row per event type: BRAZE_CURRENTS.md §1.6 (page names), §2.3
# (glossary headers, D/A columns, kept keys). Names after "[Appboy] ".
MAPPING: dict[str, _Row] = {
    # --- customer behaviour ---
    CUSTOM_EVENT: _Row(page=None, glossary=None, D=True, A=True, drop="name properties"),
    PURCHASE: _Row("Purchase", "Purchase", D=True, A=True, drop="product_id price properties"),
    "users.behaviors.app.FirstSession": _Row("First Session", "First Session", D=True),
    "users.behaviors.app.SessionStart": _Row("Session Start", "Session Start", D=True),
    "users.behaviors.app.SessionEnd": _Row("Session End", "Session End", D=True),
    "users.behaviors.Location": _Row("Location", "Location", D=True, A=True),
    "users.behaviors.InstallAttribution": _Row(
        "Install Attribution", "Install Attribution", D=True
    ),
    "users.behaviors.Uninstall": _Row("Uninstall", "Uninstall", D=True),
    "users.behaviors.app.NewsFeedImpression": _Row(
        "News Feed Impression", "News Feed Impression", D=True, retired=True
    ),
    "users.behaviors.subscriptiongroup.StateChange": _Row(
        "Subscription Group State Change",
        "Subscription Group State Change",
        D=True,
        tz=True,
        drop="phone_number",
    ),
    "users.behaviors.subscription.GlobalStateChange": _Row(
        None, "Global Subscription State Change", tz=True, legacy="message_variation_name?"
    ),
    "users.behaviors.liveactivity.PushToStartTokenChange": _Row(
        None, "Live Activity Push To Start Token Change", D=True
    ),
    "users.behaviors.liveactivity.UpdateTokenChange": _Row(
        None, "Live Activity Update Token Change", D=True
    ),
    "users.behaviors.pushnotification.TokenStateChange": _Row(
        None, "Push Notification Token State Change"
    ),
    # --- campaigns and canvas ---
    "users.campaigns.Conversion": _Row(
        "Campaign Conversion Event", "Campaign Conversion", D=True, legacy="dispatch_id?"
    ),
    "users.campaigns.EnrollInControl": _Row(
        "Campaign Control Group Enrollment",
        "Campaign Control Group Enrollment",
        D=True,
        legacy="dispatch_id?",
    ),
    # Retired; listed by [AFC-c]. Names follow the glossary pattern: [inference].
    "users.campaigns.Abort": _Row(None, "Campaign Abort", D=True, retired=True),
    "users.canvas.Abort": _Row(None, "Canvas Abort", D=True, retired=True),
    "users.canvas.Conversion": _Row("Canvas Conversion Event", "Canvas Conversion", D=True),
    "users.canvas.Entry": _Row("Canvas Entry", "Canvas Entry", D=True),
    "users.canvas.experimentstep.SplitEntry": _Row(
        "Experiment Step Split Path Entry", "Experiment Split Entry"
    ),
    "users.canvas.experimentstep.Conversion": _Row(
        "Experiment Step Conversion", "Experiment Step Conversion"
    ),
    "users.canvas.exit.PerformedEvent": _Row(
        "Canvas Exit Performed Event",
        "Exit Perform Event",
        drop="app_group_api_id canvas_api_id canvas_variation_api_id canvas_step_api_id",
    ),
    "users.canvas.exit.MatchedAudience": _Row(
        "Canvas Exit Matched Audience",
        "Exit Match Audience",
        drop="app_group_api_id canvas_api_id canvas_variation_api_id canvas_step_api_id",
    ),
    "users.canvasstep.Progression": _Row(None, "Canvas Step Progression", D=True),
    # --- push ---
    "users.messages.pushnotification.Send": _Row(
        "Push Notification Send", "Push Notification Send", D=True, A=True, drop="push_token"
    ),
    "users.messages.pushnotification.Open": _Row(
        "Push Notification Open",
        "Push Notification Open",
        D=True,
        A=True,
        drop="button_action_type button_string",
    ),
    "users.messages.pushnotification.IosForeground": _Row(
        "Push Notification iOS Foreground Open",
        "Push Notification iOS Foreground Open",
        D=True,
        A=True,
        legacy="device_model? os_version?",
    ),
    "users.messages.pushnotification.Bounce": _Row(
        "Push Notification Bounce", "Push Notification Bounce", D=True, A=True, drop="push_token"
    ),
    "users.messages.pushnotification.Abort": _Row(None, "Push Notification Abort", D=True),
    "users.messages.pushnotification.Retry": _STORAGE_ONLY,
    # --- email ---
    "users.messages.email.Send": _Row("Email Send", "Email Send", D=True, drop="from_domain"),
    "users.messages.email.Delivery": _Row(
        "Email Delivery", "Email Delivery", D=True, drop="sending_ip"
    ),
    "users.messages.email.Open": _Row("Email Open", "Email Open", D=True),
    "users.messages.email.Click": _Row("Email Click", "Email Click", D=True),
    "users.messages.email.Bounce": _Row("Email Bounce", "Email Bounce", D=True, drop="sending_ip"),
    "users.messages.email.SoftBounce": _Row(
        "Email Soft Bounce", "Email Soft Bounce", D=True, drop="sending_ip"
    ),
    "users.messages.email.MarkAsSpam": _Row("Email Mark As Spam", "Email Mark As Spam", D=True),
    "users.messages.email.Unsubscribe": _Row("Email Unsubscribe", "Email Unsubscribe", D=True),
    "users.messages.email.Abort": _Row(None, "Email Abort", D=True),
    "users.messages.email.Deferral": _Row(None, "Email Deferral", tz=True, drop="sending_ip"),
    "users.messages.email.Retry": _STORAGE_ONLY,
    # --- SMS ---
    "users.messages.sms.Send": _Row("SMS Send", "SMS Send", D=True),
    "users.messages.sms.CarrierSend": _Row("SMS Send To Carrier", "SMS Carrier Send", D=True),
    "users.messages.sms.Delivery": _Row("SMS Delivery", "SMS Delivery", D=True),
    "users.messages.sms.Rejection": _Row("SMS Rejection", "SMS Rejection", D=True),
    "users.messages.sms.DeliveryFailure": _Row(
        "SMS Delivery Failure", "SMS Delivery Failure", D=True
    ),
    "users.messages.sms.Abort": _Row(None, "SMS Abort"),
    "users.messages.sms.InboundReceive": _Row(None, "SMS Inbound Receive", D=True),
    "users.messages.sms.ShortLinkClick": _Row(None, "SMS Short Link Click", D=True),
    "users.messages.sms.Retry": _STORAGE_ONLY,
    # --- in-app, content cards, news feed, banners, feature flags ---
    "users.messages.inappmessage.Impression": _Row(
        "In-App Message Impression",
        "In-App Message Impression",
        D=True,
        A=True,
        legacy="dispatch_id?",
    ),
    "users.messages.inappmessage.Click": _Row(
        "In-App Message Click", "In-App Message Click", D=True, A=True, legacy="dispatch_id?"
    ),
    "users.messages.inappmessage.Abort": _Row(
        None,
        "In-App Message Abort",
        D=True,
        A=True,
        drop="browser card_id version",
        http_optional="version",  # Braze's own envelope sample leaves it out [CX-HTTP]
    ),
    "users.messages.contentcard.Send": _Row(
        "Content Card Send", "Content Card Send", D=True, rename=_CARD, legacy="dispatch_id?"
    ),
    "users.messages.contentcard.Impression": _Row(
        "Content Card Impression",
        "Content Card Impression",
        D=True,
        A=True,
        rename=_CARD,
        legacy="dispatch_id?",
    ),
    "users.messages.contentcard.Click": _Row(
        "Content Card Click",
        "Content Card Click",
        D=True,
        A=True,
        rename=_CARD,
        legacy="dispatch_id?",
    ),
    "users.messages.contentcard.Dismiss": _Row(
        "Content Card Dismiss",
        "Content Card Dismiss",
        D=True,
        A=True,
        rename=_CARD,
        legacy="dispatch_id?",
    ),
    "users.messages.contentcard.Abort": _Row(None, "Content Card Abort", D=True),
    "users.messages.newsfeedcard.Impression": _Row(
        "News Feed Card Impression", "News Feed Card Impression", D=True, retired=True
    ),
    "users.messages.newsfeedcard.Click": _Row(
        "News Feed Card Click", "News Feed Card Click", D=True, retired=True
    ),
    "users.messages.newsfeedcard.Abort": _Row(None, "News Feed Card Abort", D=True, retired=True),
    "users.messages.banner.Impression": _Row(
        None,
        "Banner Impression",
        D=True,
        A=True,
        tz=True,
        legacy="canvas_step_message_variation_api_id?",
    ),
    "users.messages.banner.Click": _Row(
        None,
        "Banner Click",
        D=True,
        A=True,
        tz=True,
        legacy="canvas_step_message_variation_api_id?",
    ),
    "users.messages.banner.Dismiss": _Row(
        None,
        "Banner Dismiss",
        D=True,
        A=True,
        tz=True,
        legacy="canvas_step_message_variation_api_id?",
    ),
    "users.messages.banner.Abort": _Row(
        None,
        "Banner Abort",
        D=True,
        A=True,
        tz=True,
        legacy="canvas_step_message_variation_api_id?",
    ),
    "users.messages.featureflag.Impression": _Row(
        None, "Feature Flag Experiment Impression", D=True, tz=True
    ),
    # --- webhooks ---
    "users.messages.webhook.Send": _Row("Webhook Send", "Webhook Send", D=True),
    "users.messages.webhook.Abort": _Row(None, "Webhook Abort", D=True),
    "users.messages.webhook.Failure": _Row(None, "Webhook Failure"),
    "users.messages.webhook.Retry": _STORAGE_ONLY,
    # --- live activities ---
    "users.messages.liveactivity.Send": _Row(None, "Live Activity Send"),
    "users.messages.liveactivity.Outcome": _Row(None, "Live Activity Outcome"),
    # --- WhatsApp (time is a long, still in seconds in Braze's samples) ---
    "users.messages.whatsapp.Send": _Row(
        None, "WhatsApp Send", D=True, legacy="canvas_variation_name?"
    ),
    "users.messages.whatsapp.Delivery": _Row(None, "WhatsApp Delivery", D=True),
    "users.messages.whatsapp.Read": _Row(None, "WhatsApp Read", D=True),
    "users.messages.whatsapp.Failure": _Row(None, "WhatsApp Failure", D=True),
    "users.messages.whatsapp.Abort": _Row(None, "WhatsApp Abort", D=True),
    "users.messages.whatsapp.Click": _Row(None, "WhatsApp Tracked Link Click", D=True, tz=True),
    "users.messages.whatsapp.InboundReceive": _Row(None, "WhatsApp Inbound Receive", D=True),
    "users.messages.whatsapp.Retry": _STORAGE_ONLY,
    # --- LINE and RCS: the glossary headers are bare verbs ("Abort", "Click"), a documentation
    # artifact that would collide across channels; we prefix the channel: [inference] §2.3.
    "users.messages.line.Send": _Row(None, "LINE Send", D=True, tz=True),
    "users.messages.line.Abort": _Row(None, "LINE Abort", D=True, tz=True),
    "users.messages.line.Click": _Row(None, "LINE Click", D=True, tz=True),
    "users.messages.line.InboundReceive": _Row(None, "LINE Inbound Receive", D=True, tz=True),
    "users.messages.line.Retry": _STORAGE_ONLY,
    "users.messages.rcs.Send": _Row(None, "RCS Send", D=True),
    "users.messages.rcs.Delivery": _Row(None, "RCS Delivery", D=True),
    "users.messages.rcs.Read": _Row(None, "RCS Read"),
    "users.messages.rcs.Click": _Row(None, "RCS Click", D=True),
    "users.messages.rcs.Rejection": _Row(None, "RCS Rejection", D=True),
    "users.messages.rcs.Abort": _Row(None, "RCS Abort"),
    "users.messages.rcs.InboundReceive": _Row(None, "RCS Inbound Receive"),
    # --- storage-only: no Amplitude tab anywhere (§1.7) ---
    "users.profile.Update": _STORAGE_ONLY,
    "users.canvas.costep.Send": _STORAGE_ONLY,
    "users.UserDeleteRequest": _STORAGE_ONLY,
    "users.UserOrphan": _STORAGE_ONLY,
    "users.RandomBucketNumberUpdate": _STORAGE_ONLY,
    "agentconsole.AgentExecuted": _STORAGE_ONLY,
    "agentconsole.ToolInvocation": _STORAGE_ONLY,
}


def _group(name: str) -> str:
    if name.startswith("users.messages."):
        return "message_engagement"
    if name.startswith(("users.behaviors.", "users.campaigns.", "users.canvas")):
        return "customer_behavior"
    return "storage"


def _spec(name: str, row: _Row) -> EventSpec:
    return EventSpec(
        name=name,
        fields=_fields(STORAGE_FIELDS[name]),
        exported=row.exported,
        page_name=row.page,
        glossary_name=row.glossary,
        device=row.D,
        ad_ids=row.A,
        keep_timezone=row.tz,
        drop=frozenset(row.drop.split()),
        renames=row.rename,
        legacy=_fields(row.legacy),
        retired=row.retired,
        group=_group(name),
        http_optional=frozenset(row.http_optional.split()),
    )


CATALOGUE: dict[str, EventSpec] = {name: _spec(name, row) for name, row in MAPPING.items()}

EXPORTED: tuple[str, ...] = tuple(n for n, s in CATALOGUE.items() if s.exported)
PAGE_TYPES: tuple[str, ...] = tuple(
    n for n, s in CATALOGUE.items() if s.page_name is not None or n == CUSTOM_EVENT
)


def spec(event_type: str) -> EventSpec:
    """The catalogue row for ``event_type``; ``KeyError`` with a clear message if unknown."""
    try:
        return CATALOGUE[event_type]
    except KeyError:
        raise KeyError(f"unknown Currents event type: {event_type!r}") from None


@cache
def type_for_amplitude_name(event_type: str) -> str | None:
    """The Currents type an exported Amplitude ``event_type`` came from (any profile)."""
    if event_type.startswith(CUSTOM_EVENT_PREFIX):
        return CUSTOM_EVENT
    for name in EXPORTED:
        s = CATALOGUE[name]
        if name != CUSTOM_EVENT and event_type in {s.amplitude_name(p) for p in PROFILES}:
            return name
    return None
