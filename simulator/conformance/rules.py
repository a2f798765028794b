"""The conformance rule table: one row per thing the report grades (PEERS.md §5 point 3).

Every finding names exactly one rule, so each kind of defect is counted in one place. Content
rules compare what Amplitude received with what the reference transformer says Braze should
send; behaviour rules read the mock's request log (they need ``--mock``).

``severity``: ``error`` = data is wrong or lost in Amplitude; ``warning`` = data is right but
the connector did extra or suboptimal work (Amplitude absorbs it). Any failing rule, of either
severity, fails the report (exit 1); the severity tells a reader what to fix first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]
Kind = Literal["content", "behaviour"]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    title: str
    checks: str
    severity: Severity
    kind: Kind


# Order matters only for display: the most fundamental rules first.
RULES: tuple[Rule, ...] = (
    # --- content: presence -------------------------------------------------------------------
    Rule("missing", "Expected event not received",
         "every event the reference transformer exports reached Amplitude (by insert_id)",
         "error", "content"),
    Rule("extra", "Unexpected event received",
         "every received event matches a produced, exportable event (events Braze skips, e.g. "
         "with no ids, must not be sent)", "error", "content"),
    Rule("duplicated", "Same insert_id received more than once",
         "each insert_id arrives once (Amplitude drops repeats within 7 days, but they cost "
         "quota and hide retry bugs)", "warning", "content"),
    # --- content: identity and naming --------------------------------------------------------
    Rule("event_type_prefix", "Wrong event_type prefix",
         "event_type keeps the exact '[Appboy] ' / '[Appboy] [Custom Event] ' prefix, case "
         "included", "error", "content"),
    Rule("event_type_name", "Wrong event_type name",
         "event_type after the prefix is the catalogue's Amplitude name (or the custom event's "
         "name)", "error", "content"),
    Rule("user_id", "user_id is not the external id",
         "user_id equals Currents external_user_id, and is absent for anonymous users",
         "error", "content"),
    Rule("device_id", "device_id missing or wrong",
         "device_id is sent, unchanged, for types that carry it", "error", "content"),
    Rule("time_unit", "time in the wrong unit",
         "time is epoch milliseconds (detected by its magnitude against the expected value: "
         "~1000x smaller = seconds, ~1000x larger = microseconds)", "error", "content"),
    Rule("time_value", "time differs",
         "time equals Currents time x 1000", "error", "content"),
    Rule("field_moved", "Field moved between top level and event_properties",
         "productId and price stay top level (Purchase), event_properties keys stay inside "
         "event_properties", "error", "content"),
    Rule("top_level_field", "Other top-level field missing, extra or different",
         "library, idfa/adid and any other top-level field match the reference", "error",
         "content"),
    # --- content: event_properties -----------------------------------------------------------
    Rule("property_missing", "event_properties key missing",
         "every expected event_properties key is present", "error", "content"),
    Rule("property_extra", "Unexpected event_properties key",
         "no event_properties key beyond the reference's", "warning", "content"),
    Rule("property_renamed", "event_properties key renamed",
         "keys are spelled exactly (a missing key whose value arrived under another key)",
         "error", "content"),
    Rule("property_mistyped", "event_properties value of the wrong JSON type",
         "each value keeps its JSON type (string, number, boolean, array, object, null)",
         "error", "content"),
    Rule("property_value", "event_properties value differs",
         "each value equals the reference's", "error", "content"),
    # --- behaviour (request log of the mock) -------------------------------------------------
    Rule("throttle_pause", "Throttled ids not paused 30 s",
         "after a 429, no event of a throttled device or user is resent within 30 s",
         "error", "behaviour"),
    Rule("head_of_line_blocking", "Whole batch held back after a 429",
         "after a 429 only throttled_events wait; the batch's other events are resent "
         "without the 30 s pause", "warning", "behaviour"),
    Rule("invalid_key_backoff", "No 2-5 min pause after 'Invalid API key'",
         "after an 'Invalid API key' 400, sending stops and resumes 2 to 5 minutes later",
         "error", "behaviour"),
    Rule("split_on_400", "400 batch not split",
         "a multi-event batch answered 400 is resent as single-event batches", "error",
         "behaviour"),
    Rule("split_on_413", "413 batch not split",
         "a batch answered 413 is resent in smaller batches", "error", "behaviour"),
    Rule("batch_limits", "Batch size or byte limit exceeded",
         "each request holds at most 2000 events and at most 1 MB", "error", "behaviour"),
)  # fmt: skip

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
CONTENT_RULES: tuple[str, ...] = tuple(r.id for r in RULES if r.kind == "content")
BEHAVIOUR_RULES: tuple[str, ...] = tuple(r.id for r in RULES if r.kind == "behaviour")
