"""The event catalogue: coverage, and agreement with Braze's real storage schemas."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import fastavro
import pytest

from simulator.currents.catalogue import CATALOGUE, PAGE_TYPES, Field, spec, type_for_amplitude_name

# Every type the seed page lists (BRAZE_CURRENTS.md §1.6), with the page's Amplitude name.
SEED_PAGE = {
    "users.behaviors.Purchase": "Purchase",
    "users.behaviors.app.FirstSession": "First Session",
    "users.behaviors.app.SessionStart": "Session Start",
    "users.behaviors.app.SessionEnd": "Session End",
    "users.behaviors.Location": "Location",
    "users.behaviors.InstallAttribution": "Install Attribution",
    "users.behaviors.Uninstall": "Uninstall",
    "users.messages.pushnotification.Send": "Push Notification Send",
    "users.messages.pushnotification.Open": "Push Notification Open",
    "users.messages.pushnotification.IosForeground": "Push Notification iOS Foreground Open",
    "users.messages.pushnotification.Bounce": "Push Notification Bounce",
    "users.messages.email.Send": "Email Send",
    "users.messages.email.Delivery": "Email Delivery",
    "users.messages.email.Open": "Email Open",
    "users.messages.email.Click": "Email Click",
    "users.messages.email.Bounce": "Email Bounce",
    "users.messages.email.SoftBounce": "Email Soft Bounce",
    "users.messages.email.MarkAsSpam": "Email Mark As Spam",
    "users.messages.email.Unsubscribe": "Email Unsubscribe",
    "users.messages.sms.Send": "SMS Send",
    "users.messages.sms.CarrierSend": "SMS Send To Carrier",
    "users.messages.sms.Delivery": "SMS Delivery",
    "users.messages.sms.Rejection": "SMS Rejection",
    "users.messages.sms.DeliveryFailure": "SMS Delivery Failure",
    "users.behaviors.subscriptiongroup.StateChange": "Subscription Group State Change",
    "users.messages.inappmessage.Impression": "In-App Message Impression",
    "users.messages.inappmessage.Click": "In-App Message Click",
    "users.messages.webhook.Send": "Webhook Send",
    "users.messages.contentcard.Send": "Content Card Send",
    "users.messages.contentcard.Impression": "Content Card Impression",
    "users.messages.contentcard.Click": "Content Card Click",
    "users.messages.contentcard.Dismiss": "Content Card Dismiss",
    "users.messages.newsfeedcard.Impression": "News Feed Card Impression",
    "users.messages.newsfeedcard.Click": "News Feed Card Click",
    "users.behaviors.app.NewsFeedImpression": "News Feed Impression",
    "users.campaigns.Conversion": "Campaign Conversion Event",
    "users.campaigns.EnrollInControl": "Campaign Control Group Enrollment",
    "users.canvas.Conversion": "Canvas Conversion Event",
    "users.canvas.Entry": "Canvas Entry",
    "users.canvas.experimentstep.SplitEntry": "Experiment Step Split Path Entry",
    "users.canvas.experimentstep.Conversion": "Experiment Step Conversion",
    "users.canvas.exit.PerformedEvent": "Canvas Exit Performed Event",
    "users.canvas.exit.MatchedAudience": "Canvas Exit Matched Audience",
}
STORAGE_ONLY = [
    "users.profile.Update",
    "users.canvas.costep.Send",
    "agentconsole.AgentExecuted",
    "agentconsole.ToolInvocation",
    "users.UserDeleteRequest",
]


@pytest.mark.parametrize(("event_type", "name"), sorted(SEED_PAGE.items()))
def test_seed_page_types_export_under_page_names(event_type: str, name: str) -> None:
    row = spec(event_type)
    assert row.exported
    assert row.amplitude_name("page") == f"[Appboy] {name}"


def test_custom_event_is_a_page_type() -> None:
    assert "users.behaviors.CustomEvent" in PAGE_TYPES
    assert set(SEED_PAGE) <= set(PAGE_TYPES)


@pytest.mark.parametrize("event_type", STORAGE_ONLY)
def test_storage_only_types_are_not_exported(event_type: str) -> None:
    assert not spec(event_type).exported


def test_every_exported_type_has_a_glossary_name() -> None:
    missing = [
        n
        for n, s in CATALOGUE.items()
        if s.exported and n != "users.behaviors.CustomEvent" and not s.glossary_name
    ]
    assert missing == []


def test_amplitude_names_are_unique_within_a_profile() -> None:
    for profile in ("page", "glossary"):
        names = [
            s.amplitude_name(profile)
            for n, s in CATALOGUE.items()  # type: ignore[arg-type]
            if s.exported and n != "users.behaviors.CustomEvent"
        ]
        assert len(names) == len(set(names)), profile


def test_amplitude_name_maps_back_to_its_type() -> None:
    assert type_for_amplitude_name("[Appboy] Email Open") == "users.messages.email.Open"
    assert type_for_amplitude_name("[Appboy] Exit Match Audience") == (
        "users.canvas.exit.MatchedAudience"
    )
    assert type_for_amplitude_name("[Appboy] [Custom Event] x") == "users.behaviors.CustomEvent"
    assert type_for_amplitude_name("[Appboy] Nothing") is None


def test_unknown_type_lookup_raises_a_clear_key_error() -> None:
    with pytest.raises(KeyError, match="unknown Currents event type"):
        spec("users.nope")


def _avro_fields(schema: dict[str, Any]) -> list[Field]:
    def parse(field: dict[str, Any]) -> Field:
        t = field["type"]
        nullable = isinstance(t, list) and "null" in t
        if isinstance(t, list):
            t = next(x for x in t if x != "null")
        if isinstance(t, dict) and t["type"] == "array":
            items = t["items"]
            items_nullable = isinstance(items, list) and "null" in items
            return Field(field["name"], "string[]", nullable, items_nullable)
        return Field(field["name"], t, nullable)

    return [parse(f) for f in schema["fields"]]


def _reference_files(reference_dir: Path) -> list[Path]:
    return sorted((reference_dir / "sample-data" / "Avro").glob("*.avro")) + sorted(
        (reference_dir / "retired").glob("*.avro")
    )


@pytest.mark.reference
def test_catalogue_fields_match_brazes_avro_schemas(reference_dir: Path) -> None:
    files = _reference_files(reference_dir)
    assert len(files) == len(CATALOGUE) == 100
    for path in files:
        with path.open("rb") as stream:
            schema = fastavro.reader(stream).writer_schema
        event_type = path.stem
        assert list(spec(event_type).fields) == _avro_fields(schema), event_type
