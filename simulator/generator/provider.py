"""``CurrentsProvider``: a Faker provider of realistic Braze Currents events of every type.

Driven by the catalogue: for an event type, each storage field (``catalogue.EventSpec.fields``)
is filled from the event's *context* (user, device, message: the facts that must agree across
the events of one journey) or, failing that, by the value maker that ``_MAKERS`` names for the
field, or by a fallback chosen from the field's name suffix and type. Nothing is written per
event type, so a type added to the catalogue is generated without a line of code here.

Speed: Faker is called only to build pools of values once (names, cities, domains, URLs,
sentences); users, devices, campaigns and events pick from those pools with the provider's
``random`` (Faker's per-instance generator, seeded by ``Faker.seed_instance``; the shared global
one is refused). Custom/purchase property maps are pooled too (256 encoded maps per provider).
Weighted picks use tables built once from the class attributes' weights.

Each event type's plan (which fields come from the context, which are picked, which made) is
compiled on first use into one straight-line function, as the transformer does
(``currents_builder_source`` shows it); a campaign's messages get their own, with the campaign's
fields as constants.

Flat records carry every storage field of their type, null where absent (as in a storage file);
the http shape leaves nulls out, as Braze's envelope does.

Value sources: platforms, ``ad_id_type``, ``subscription_status``, ``state_change_source``,
``push_token_state_change_type``, ``button_action_type``, ``ios_push_token_apns_gateway``:
BRAZE_CURRENTS.md §3.1-§3.3. ``dispatch_id`` (§1.6): one per scheduled send, shared by its
recipients; one per user for triggered sends (action-based, API-triggered, and Canvas steps
other than the entry step). Ids: event ids and app ids are UUIDs, Braze user ids and dispatch
ids 24 hex digits, as in Braze's sample files.

Times are always passed in (``at``, UNIX seconds); nothing here reads a clock.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from math import trunc
from random import Random
from types import CodeType, FunctionType
from typing import Any, ClassVar, Literal

import orjson
from faker import generator as faker_generator
from faker.providers import BaseProvider

from simulator.currents.catalogue import CATALOGUE, EXPORTED, EventSpec, Field
from simulator.currents.shapes import flat_to_http

Shape = Literal["flat", "http"]
Identity = Literal["identified", "anonymous", "neither"]
DEVICE_CLASSES = ("normal", "heavy", "misconfigured", "quota")
Maker = Callable[[float], Any]
Context = dict[str, Any]
Message = tuple["Campaign", str]  # one message to one user: its campaign and its dispatch_id
# A compiled plan: (at, ctx, dispatch_id, extra) -> flat record (see ``CurrentsProvider._builder``).
Builder = Callable[[float, Context, str | None, Context | None], dict[str, Any]]

SCHEDULED_DISPATCHES = 3  # dispatch ids per scheduled campaign: one per send, shared by its users

# Fields every event of a user carries from the user's profile.
USER_FIELDS = (
    "user_id",
    "external_user_id",
    "email_address",
    "phone_number",
    "first_name",
    "last_name",
    "gender",
    "country",
    "language",
    "home_city",
    "dob",
    "timezone",
    "to_phone_number",
    "user_phone_number",
    "bsuid",
)
# Fields a device fixes for all its events.
DEVICE_FIELDS = (
    "device_id",
    "app_id",
    "platform",
    "os_version",
    "device_model",
    "ad_id",
    "ad_id_type",
    "ad_tracking_enabled",
    "sdk_version",
    "carrier",
    "resolution",
    "browser",
    "push_token",
    "push_token_device_id",
    "locale_key",
    "device_os",
    "device_class",
)
CAMPAIGN_FIELDS = ("campaign_id", "campaign_name", "message_variation_id", "message_variation_name")
CANVAS_FIELDS = (
    "canvas_id",
    "canvas_name",
    "canvas_variation_id",
    "canvas_variation_name",
    "canvas_step_id",
    "canvas_step_name",
    "canvas_step_message_variation_id",
)
SEND_FIELDS = ("dispatch_id", "send_id", "subscription_group_id", "channel", "channel_identifier")
# Every context (``currents_context``) has exactly these keys, None where they do not apply.
CONTEXT_FIELDS = (
    *USER_FIELDS,
    *DEVICE_FIELDS,
    *CAMPAIGN_FIELDS,
    *CANVAS_FIELDS,
    *SEND_FIELDS,
    "app_group_id",
)


NO_DEVICE = "no-device"  # the class every report gives events without a device (one spelling)


def device_class(device_id: str | None) -> str | None:
    """The class of a generated device, read from its id (``<class>-<uuid>``; bare UUID: normal).

    ``None`` for events without a device. Load tests and the connector report delays per class.
    """
    if device_id is None:
        return None
    prefix, _, rest = device_id.partition("-")
    return prefix if rest and prefix in DEVICE_CLASSES else "normal"


@dataclass(frozen=True, slots=True)
class Campaign:
    """One campaign or Canvas step that sends messages on one channel."""

    channel: str
    kind: str  # "campaign" or "canvas"
    fields: tuple[tuple[str, Any], ...]  # the campaign/canvas block, with None for the other
    triggered: bool  # action-based / API-triggered / non-entry Canvas step: dispatch per user
    dispatch_ids: tuple[str, ...]  # scheduled sends: one shared dispatch_id per send
    send_id: str
    subscription_group_id: str
    # The fields above as one message's context minus dispatch_id: copied per message (speed).
    message: dict[str, Any] = field(compare=False)
    # Per event type, its builder with this campaign's fields as constants (speed).
    builders: dict[str, Builder] = field(default_factory=dict, compare=False)


class CurrentsProvider(BaseProvider):
    """Braze Currents events and the users, devices and messages behind them."""

    # --- devices (platform values: BRAZE_CURRENTS.md §3.1) ---
    platforms: ClassVar[OrderedDict[str, float]] = OrderedDict(
        [
            ("ios", 0.44),
            ("android", 0.40),
            ("web", 0.10),
            ("kindle", 0.02),
            ("tvos", 0.02),
            ("roku", 0.02),
        ]
    )
    os_versions: ClassVar[dict[str, tuple[str, ...]]] = {
        "ios": ("16.7.10", "17.5.1", "17.6.1", "18.1", "18.3.2", "18.5"),
        "android": ("11", "12", "13", "14", "15"),
        "web": ("Windows 10", "Windows 11", "Mac OS X 14.5", "Linux", "iOS 18.1", "Android 14"),
        "kindle": ("Fire OS 7.3.2.9", "Fire OS 8.3.2.1"),
        "tvos": ("17.6", "18.1", "18.2"),
        "roku": ("12.5.5", "13.0.0", "14.0.4"),
    }
    device_models: ClassVar[dict[str, tuple[str, ...]]] = {
        "ios": (
            "iPhone14,5",
            "iPhone15,2",
            "iPhone15,4",
            "iPhone16,1",
            "iPhone16,2",
            "iPhone17,1",
            "iPad13,18",
            "iPad14,1",
        ),
        "android": (
            "SM-S918B",
            "SM-A546B",
            "Pixel 7",
            "Pixel 8 Pro",
            "Pixel 9",
            "moto g54 5G",
            "2201116SG",
            "CPH2451",
            "SM-G991U",
        ),
        "web": ("Chrome", "Safari", "Firefox", "Edge"),
        "kindle": ("KFTRWI", "KFMAWI", "AFTMM", "AFTKA"),
        "tvos": ("AppleTV11,1", "AppleTV14,1"),
        "roku": ("3941X", "4670X", "3960X"),
    }
    sdk_versions: ClassVar[dict[str, tuple[str, ...]]] = {
        "ios": ("9.2.0", "10.3.1", "11.1.1"),
        "android": ("30.4.0", "32.1.0", "33.0.0"),
        "web": ("5.4.0", "5.6.1"),
        "kindle": ("30.4.0", "32.1.0"),
        "tvos": ("10.3.1", "11.1.1"),
        "roku": ("2.1.0", "2.2.0"),
    }
    ad_id_types: ClassVar[dict[str, str | None]] = {
        "ios": "ios_idfa",
        "tvos": "ios_idfa",
        "android": "google_ad_id",
        "kindle": "google_ad_id",
        "roku": "roku_ad_id",
        "web": None,
    }
    resolutions: tuple[str, ...] = (
        "1170x2532",
        "1179x2556",
        "1080x2400",
        "1440x3120",
        "1920x1080",
        "2560x1440",
        "828x1792",
    )
    carriers: tuple[str, ...] = ("Verizon", "AT&T", "T-Mobile", "Vodafone", "Orange", "O2")
    browsers: tuple[str, ...] = ("Chrome", "Safari", "Firefox", "Edge", "Samsung Internet")
    user_agents: tuple[str, ...] = (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6_1 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8 Pro) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.6478.122 Mobile Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)"
        " Version/17.5 Safari/605.1.15",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0",
        "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)",
    )
    # --- people and places ---
    timezones: tuple[str, ...] = (
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Los_Angeles",
        "Europe/London",
        "Europe/Paris",
        "Europe/Berlin",
        "Asia/Tokyo",
        "Australia/Sydney",
        "America/Sao_Paulo",
    )
    countries: tuple[str, ...] = ("US", "US", "US", "GB", "FR", "DE", "JP", "AU", "BR", "CA")
    languages: tuple[str, ...] = ("en", "en", "en", "fr", "de", "ja", "pt", "es")
    genders: ClassVar[OrderedDict[str, float]] = OrderedDict(
        [("F", 0.45), ("M", 0.45), ("O", 0.04), ("N", 0.03), ("P", 0.03)]
    )
    # --- commerce (ISO 4217) ---
    currencies: ClassVar[OrderedDict[str, float]] = OrderedDict(
        [
            ("USD", 0.55),
            ("EUR", 0.2),
            ("GBP", 0.1),
            ("CAD", 0.05),
            ("AUD", 0.04),
            ("JPY", 0.03),
            ("BRL", 0.03),
        ]
    )
    products: tuple[tuple[str, float], ...] = (
        ("sku-1001-tshirt", 19.99),
        ("sku-1002-hoodie", 49.0),
        ("sku-2001-sneakers", 89.95),
        ("sku-3001-coffee-beans", 14.5),
        ("sku-4001-headphones", 129.0),
        ("premium_monthly", 9.99),
        ("premium_yearly", 79.99),
        ("coins_500", 4.99),
        ("coins_2000", 14.99),
        ("gift_card_25", 25.0),
    )
    custom_event_names: ClassVar[OrderedDict[str, float]] = OrderedDict(
        [
            ("viewed_product", 0.3),
            ("added_to_cart", 0.15),
            ("searched", 0.15),
            ("completed_level", 0.1),
            ("shared_content", 0.08),
            ("started_checkout", 0.08),
            ("rated_app", 0.04),
            ("watched_video", 0.1),
        ]
    )
    categories: tuple[str, ...] = ("apparel", "footwear", "grocery", "electronics", "games")
    # --- enums (BRAZE_CURRENTS.md §3.3) ---
    subscription_statuses: tuple[str, ...] = ("Subscribed", "Unsubscribed")
    state_change_sources: tuple[str, ...] = (
        "SDK",
        "Dashboard",
        "Subscription Page",
        "REST API",
        "CSV Import",
        "Preference Center",
        "Inbound Message",
        "Migration",
        "User Merge",
        "Canvas User Update Step",
        "Push Token Registration",
        "List-Unsubscribe",
        "Other",
    )
    token_change_types: tuple[str, ...] = ("add", "update", "remove")
    button_action_types: tuple[str, ...] = ("uri", "deep_link", "none", "close")
    abort_types: tuple[str, ...] = (
        "liquid_abort_message",
        "rate_limit",
        "frequency_cap",
        "quiet_hours",
        "user_not_subscribed",
    )
    retry_types: tuple[str, ...] = ("rate_limit", "provider_error", "timeout")
    sms_errors: tuple[tuple[str, str], ...] = (
        ("Landline or unreachable carrier", "30006"),
        ("Unknown destination handset", "30005"),
        ("Message blocked", "30007"),
        ("Carrier violation", "30004"),
    )
    bounce_reasons: tuple[str, ...] = (
        "550 5.1.1 The email account that you tried to reach does not exist.",
        "552 5.2.2 The email account that you tried to reach is over quota.",
        "554 5.7.1 Message rejected due to content restrictions.",
    )
    deferral_reasons: tuple[str, ...] = (
        "421 4.7.0 Try again later, closing connection.",
        "451 4.3.0 Mail server temporarily rejected message.",
    )
    esps: tuple[str, ...] = ("SendGrid", "SparkPost", "Amazon SES")
    mailbox_providers: tuple[str, ...] = ("Gmail", "Yahoo", "Microsoft", "Apple", "Other")
    channels: ClassVar[dict[str, str]] = {
        "push": "push",
        "email": "email",
        "sms": "sms",
        "whatsapp": "whatsapp",
        "rcs": "rcs",
        "line": "line",
    }
    message_kinds: tuple[str, ...] = (
        "Welcome Series",
        "Cart Abandonment",
        "Weekly Digest",
        "Flash Sale",
        "Win-Back",
        "Onboarding",
        "Price Drop",
        "Order Shipped",
        "Loyalty Rewards",
        "Re-engagement",
    )
    variation_names: tuple[str, ...] = ("Variant A", "Variant B", "Control", "Variant C")
    step_names: tuple[str, ...] = (
        "Entry Push",
        "Reminder Email",
        "Follow-up SMS",
        "Delay 1 day",
        "Action Path",
        "Final Nudge",
    )

    def __init__(self, generator: Any) -> None:
        super().__init__(generator)
        self._pools: dict[str, tuple[Any, ...]] | None = None
        self._campaigns: dict[str, tuple[Campaign, ...]] = {}
        self._apps: dict[str, str] = {}
        self._of_kind: dict[tuple[str, str | None], tuple[Campaign, ...]] = {}
        self._plans: dict[str, _Plan] = {}
        self._builders: dict[str, Builder] = {}
        self._app_group_id = ""
        self._rng: Random | None = None
        self._random: Callable[[], float] = self._unseeded
        self._people: tuple[Context, ...] = ()
        self._tables: dict[int, tuple[str, ...]] = {}
        self._json: dict[str, tuple[str, ...]] = {}
        self._rows: dict[str, list[tuple[Any, ...]]] = {}  # last row picked, per paired table
        self._uuids: list[str] = []  # UUIDs made ahead, in batches (see ``_uuid_batch``)

    def _r(self) -> Random:
        """Faker's per-instance ``Random``; refuses the module-global one Faker starts with."""
        if self._rng is None:
            rng = self.generator.random
            if rng is faker_generator.random:
                raise ValueError(
                    "seed the Faker instance first (fake.seed_instance(seed)): "
                    "CurrentsProvider never uses Faker's shared global random"
                )
            self._rng, self._random = rng, rng.random
        return self._rng

    def _unseeded(self) -> float:
        """``_random`` until ``_r`` has checked the seed: checks it, then draws."""
        return self._r().random()

    # --- ids ---
    def _uuid(self) -> str:
        """A random (version 4) UUID; made ``_UUID_BATCH`` at a time, the hottest value here."""
        uuids = self._uuids
        if not uuids:
            uuids.extend(_uuid_batch(self._rng or self._r(), _UUID_BATCH))
        return uuids.pop()

    def currents_event_id(self) -> str:
        """A globally unique event id (UUID, the Amplitude ``insert_id``)."""
        return self._uuid()

    def braze_user_id(self) -> str:
        """Braze's internal user id: 24 hex digits (a Mongo ObjectId)."""
        return _braze_ids(self._r(), 1)[0]

    def braze_user_ids(self, k: int) -> list[str]:
        """``k`` Braze ids (user or dispatch ids) at once, from one draw of random bits."""
        return _braze_ids(self._r(), k)

    def external_user_id(self) -> str:
        """The customer's own user id, as apps usually set it."""
        return f"user_{self._between(0, 10**10 - 1):010d}"

    def currents_device_id(self, device_class: str = "normal") -> str:
        """A device id; non-normal classes carry their class as a prefix (see ``device_class``)."""
        uuid = self._uuid().upper()
        return uuid if device_class == "normal" else f"{device_class}-{uuid}"

    def app_group_id(self) -> str:
        """The workspace (app group) id: one per provider instance."""
        if not self._app_group_id:
            self._app_group_id = self._uuid()
        return self._app_group_id

    def currents_event_type(self, exported_only: bool = False) -> str:
        """Any catalogue type (or only the types Braze exports to Amplitude)."""
        names = EXPORTED if exported_only else tuple(CATALOGUE)
        return str(self.random_element(names))

    def currents_platform(self) -> str:
        return self._weighted(self.platforms)

    # --- pools (Faker is called here, once) ---
    def _pool(self, name: str) -> tuple[Any, ...]:
        if self._pools is None:
            self._pools = self._build_pools()
        return self._pools[name]

    def _build_pools(self) -> dict[str, tuple[Any, ...]]:
        fake, rnd = self.generator, self._r()
        words = tuple(dict.fromkeys(fake.words(300)))
        domains = tuple(fake.domain_name() for _ in range(24))
        return {
            "words": words,
            "first_names": tuple(fake.first_name() for _ in range(120)),
            "last_names": tuple(fake.last_name() for _ in range(120)),
            "email_domains": tuple(fake.free_email_domain() for _ in range(12)),
            "cities": tuple(fake.city() for _ in range(60)),
            "urls": tuple(f"https://{self._choice(domains)}/{fake.uri_path()}" for _ in range(120)),
            "domains": domains,
            "app_ids": tuple(self._uuid() for _ in range(len(self.platforms))),
            "ips": tuple(
                f"198.{rnd.randint(0, 255)}.{rnd.randint(0, 255)}.{rnd.randint(1, 254)}"
                for _ in range(16)
            ),
            "sentences": tuple(fake.sentence(nb_words=8) for _ in range(40)),
            "subscription_groups": tuple(self._uuid() for _ in range(4)),
        }

    def _weighted(self, weights: OrderedDict[str, float]) -> str:
        """A weighted pick: ``random_elements``' semantics, from a 200-slot table built once."""
        return str(self._choice(self._weighted_table(weights)))

    def _weighted_table(self, weights: OrderedDict[str, float]) -> tuple[str, ...]:
        """Each key repeated in proportion to its weight (200 slots), so a uniform pick is
        a weighted one."""
        table = self._tables.get(id(weights))
        if table is None:
            total = sum(weights.values())
            table = tuple(
                k for k, w in weights.items() for _ in range(max(1, round(200 * w / total)))
            )
            self._tables[id(weights)] = table
        return table

    def _pick(self, pool: str) -> Any:
        return self._choice(self._pool(pool))

    def _choice(self, values: tuple[Any, ...]) -> Any:
        """A uniform pick. ``trunc`` is ``int`` for a float at half the cost (a plain function
        call, where ``int()`` goes through the type's call: ~280 vs ~590 instructions)."""
        return values[trunc(self._random() * len(values))]

    def _between(self, low: int, high: int) -> int:
        """``randint(low, high)`` in one expression: ``randint`` runs three Python frames."""
        return low + trunc(self._random() * (high - low + 1))

    # --- users, devices, messages: the context of a journey ---
    def currents_user(self, identity: Identity = "identified") -> Context:
        """A user's profile fields; ``anonymous`` and ``neither`` have no ``external_user_id``."""
        return self.currents_users(1, identity)[0]

    def currents_users(self, k: int, identity: Identity = "identified") -> list[Context]:
        """``k`` users' profiles, each field drawn for all of them at once: a stream's
        population is thousands of users, and a call of ``currents_user`` each cost ~4x more."""
        rnd = self._r()
        pick = rnd.choices
        firsts, lasts = pick(self._pool("first_names"), k=k), pick(self._pool("last_names"), k=k)
        phones = [
            f"+1{area}{exchange}{line:04d}"
            for area, exchange, line in zip(
                pick(_AREA_CODES, k=k), pick(_EXCHANGES, k=k), pick(_LINES, k=k), strict=True
            )
        ]
        emails = [
            f"{first}.{last}{n}@{domain}".lower()
            for first, last, n, domain in zip(
                firsts,
                lasts,
                pick(_EMAIL_NUMBERS, k=k),
                pick(self._pool("email_domains"), k=k),
                strict=True,
            )
        ]
        externals: list[str | None] = (
            [f"user_{n:010d}" for n in pick(_EXTERNAL_NUMBERS, k=k)]
            if identity == "identified"
            else [None] * k
        )
        dobs = [
            f"{year}-{month:02d}-{day:02d}"
            for year, month, day in zip(
                pick(_BIRTH_YEARS, k=k), pick(_MONTHS, k=k), pick(_DAYS, k=k), strict=True
            )
        ]
        columns = zip(
            _braze_ids(rnd, k),
            externals,
            emails,
            phones,
            [f"US.{rnd.getrandbits(60)}" for _ in range(k)],
            firsts,
            lasts,
            pick(self._weighted_table(self.genders), k=k),
            pick(self.countries, k=k),
            pick(self.languages, k=k),
            pick(self._pool("cities"), k=k),
            dobs,
            pick(self.timezones, k=k),
            strict=True,
        )
        return [
            {
                "user_id": user_id,
                "external_user_id": external,
                "email_address": email,
                "phone_number": phone,
                "to_phone_number": phone,
                "user_phone_number": phone,
                "bsuid": bsuid,
                "first_name": first,
                "last_name": last,
                "gender": gender,
                "country": country,
                "language": language,
                "home_city": city,
                "dob": dob,
                "timezone": timezone,
            }
            for (
                user_id,
                external,
                email,
                phone,
                bsuid,
                first,
                last,
                gender,
                country,
                language,
                city,
                dob,
                timezone,
            ) in columns
        ]

    def _app_ids(self) -> dict[str, str]:
        """One app id per platform (the workspace's apps)."""
        if not self._apps:
            self._apps = dict(zip(self.platforms, self._pool("app_ids"), strict=True))
        return self._apps

    def currents_device(self, device_class: str = "normal", platform: str | None = None) -> Context:
        """A device's fields; os version, model, SDK and ad id type all match the platform."""
        return self.currents_devices(1, device_class, platform)[0]

    def currents_devices(
        self, k: int, device_class: str = "normal", platform: str | None = None
    ) -> list[Context]:
        """``k`` devices of one class, each field drawn for all of them at once (a stream's
        population has thousands; one ``currents_device`` call each cost ~3x more)."""
        rnd = self._r()
        rand = rnd.random
        platforms = (
            [platform] * k if platform else rnd.choices(self._weighted_table(self.platforms), k=k)
        )
        ids = [self.currents_device_id(device_class) for _ in range(k)]
        tokens = rnd.randbytes(32 * k).hex()
        apps = self._app_ids()
        devices = []
        for i, (name, device_id) in enumerate(zip(platforms, ids, strict=True)):
            ad_type = self.ad_id_types[name]
            mobile = name in ("ios", "android")
            os_versions, models = self.os_versions[name], self.device_models[name]
            sdks = self.sdk_versions[name]
            devices.append(
                {
                    "device_id": device_id,
                    "app_id": apps[name],
                    "platform": name,
                    "os_version": os_versions[trunc(rand() * len(os_versions))],
                    "device_model": models[trunc(rand() * len(models))],
                    "device_os": name if name != "web" else "windows",
                    "device_class": "mobile" if mobile else "desktop",
                    "ad_id": self._uuid().upper() if ad_type else None,
                    "ad_id_type": ad_type,
                    "ad_tracking_enabled": rand() < 0.7 if ad_type else None,
                    "sdk_version": sdks[trunc(rand() * len(sdks))],
                    "carrier": self._choice(self.carriers) if mobile else None,
                    "resolution": self._choice(self.resolutions),
                    "browser": self._choice(self.browsers) if name == "web" else None,
                    "push_token": tokens[64 * i : 64 * i + 64],
                    "push_token_device_id": device_id,
                    "locale_key": "en-us",
                }
            )
        return devices

    def currents_campaigns(self, channel: str = "push") -> tuple[Campaign, ...]:
        """The workspace's campaigns and Canvas steps on ``channel`` (made once, then reused)."""
        if channel not in self._campaigns:
            self._campaigns[channel] = tuple(self._new_campaign(channel, i) for i in range(8))
        return self._campaigns[channel]

    def _new_campaign(self, channel: str, index: int) -> Campaign:
        """Even indexes are campaigns, odd ones Canvas steps (index 1 is an entry step)."""
        theme = self._choice(self.message_kinds)
        label = channel.upper() if len(channel) <= 3 else channel.title()
        variation = (self._uuid(), self._choice(self.variation_names))
        if index % 2 == 0:
            kind = "campaign"
            fields: dict[str, Any] = dict.fromkeys(CANVAS_FIELDS)
            values: tuple[Any, ...] = (self._uuid(), f"{theme} - {label}", *variation)
            fields.update(zip(CAMPAIGN_FIELDS, values, strict=True))
            triggered = index % 4 == 2  # half the campaigns are action-based / API-triggered
        else:
            kind = "canvas"
            entry = index == 1  # Canvas steps other than the entry step count as triggered
            step = f"Entry {label}" if entry else f"{self._choice(self.step_names)} {label}"
            fields = dict.fromkeys(CAMPAIGN_FIELDS)
            values = (
                self._uuid(),
                f"{theme} Journey",
                *variation,
                self._uuid(),
                step,
                self._uuid(),
            )
            fields.update(zip(CANVAS_FIELDS, values, strict=True))
            triggered = not entry
        dispatches = (
            () if triggered else tuple(self.braze_user_id() for _ in range(SCHEDULED_DISPATCHES))
        )
        send_id, group = self._uuid(), self._choice(self._pool("subscription_groups"))
        message = {
            **fields,
            "send_id": send_id,
            "subscription_group_id": group,
            "channel": self.channels.get(channel, channel),
        }
        return Campaign(
            channel, kind, tuple(fields.items()), triggered, dispatches, send_id, group, message
        )

    def currents_message(self, channel: str = "push", kind: str | None = None) -> Context:
        """The campaign/Canvas block, ``send_id`` and ``dispatch_id`` of one message to one user.

        ``kind`` is ``campaign``, ``canvas`` or None (either). ``dispatch_id`` follows Braze's
        rule: scheduled sends share one per send, triggered sends get one per user
        (BRAZE_CURRENTS.md §1.6).
        """
        campaign, dispatch_id = self._message(channel, kind)
        ctx = campaign.message.copy()
        ctx["dispatch_id"] = dispatch_id
        return ctx

    def _message(self, channel: str, kind: str | None) -> Message:
        """``currents_message`` as (campaign, dispatch_id), without building its context."""
        campaign: Campaign = self._choice(self._campaigns_of(channel, kind))
        if campaign.triggered:
            return campaign, self.braze_user_id()
        return campaign, self._choice(campaign.dispatch_ids)

    def _campaigns_of(self, channel: str, kind: str | None) -> tuple[Campaign, ...]:
        """The campaigns on ``channel`` of ``kind`` (either when None), filtered once."""
        campaigns = self._of_kind.get((channel, kind))
        if campaigns is None:
            campaigns = tuple(
                c for c in self.currents_campaigns(channel) if kind is None or c.kind == kind
            )
            self._of_kind[(channel, kind)] = campaigns
        return campaigns

    def currents_context(
        self,
        user: Context | None = None,
        device: Context | None = None,
        message: Context | None = None,
    ) -> Context:
        """A coherent user + device + message with every ``CONTEXT_FIELDS`` key (None: n/a).

        Missing parts are made up (an identified user, a normal device, a push message); pass
        ``device={}`` or ``message={}`` for none (a user with neither id has no device).
        """
        ctx: Context = _EMPTY_CONTEXT.copy()  # a clone: fromkeys would resize it five times
        ctx.update(self.currents_user() if user is None else user)
        ctx.update(self.currents_device() if device is None else device)
        ctx.update(self.currents_message() if message is None else message)
        ctx["app_group_id"] = self.app_group_id()
        return ctx

    # --- custom events and purchases ---
    def custom_event_name(self) -> str:
        return self._weighted(self.custom_event_names)

    def custom_event_properties(self, name: str | None = None) -> dict[str, Any]:
        """A property map with strings, numbers, booleans, a list and a nested object."""
        rnd = self._r()
        product, price = self._choice(self.products)
        props: dict[str, Any] = {
            "source": self._choice(("home", "search", "push", "email", "deeplink")),
            "screen": self._pick("words"),
            "count": rnd.randint(1, 12),
            "first_time": rnd.random() < 0.2,
        }
        if name in ("viewed_product", "added_to_cart", "started_checkout", None):
            props["item"] = {
                "sku": product,
                "price": price,
                "category": self._choice(self.categories),
                "tags": [self._pick("words"), self._pick("words")],
            }
        else:
            props["level"] = {"id": rnd.randint(1, 60), "score": round(rnd.random() * 1e4, 1)}
        return props

    def purchase_properties(self) -> dict[str, Any]:
        rnd = self._r()
        return {
            "quantity": rnd.randint(1, 3),
            "coupon": rnd.random() < 0.15,
            "shipping": {
                "method": self._choice(("standard", "express", "pickup")),
                "country": self._choice(self.countries),
            },
        }

    # --- events ---
    def currents_event(
        self,
        event_type: str | None = None,
        *,
        at: float,
        context: Context | None = None,
        extra: Context | None = None,
        shape: Shape = "flat",
    ) -> dict[str, Any]:
        """One Currents event of ``event_type`` (any type when None) at UNIX time ``at``.

        Context fields (user, device, message: ``CONTEXT_FIELDS``) come from ``context``, made
        by ``currents_context`` (a fresh one when None); ``extra`` holds journey values such as
        ``session_id`` or ``duration``; every other field comes from its value maker. A required
        field the context leaves None is made up too. Flat: the storage record (every field of
        the type, null where absent) plus ``event_type``; http: Braze's Custom HTTP envelope.
        """
        event_type = event_type or self.currents_event_type()
        ctx = self.currents_context() if context is None else context
        record = self._flat_event(event_type, at, ctx, None, extra)
        return flat_to_http(record) if shape == "http" else record

    def _flat_event(
        self,
        event_type: str,
        at: float,
        ctx: Context,
        message: Message | None,
        extra: Context | None,
    ) -> dict[str, Any]:
        """``currents_event`` in the flat shape, all arguments given: the stream's hot path.

        A thin wrapper over the type's (or the message's campaign's) builder; only turns the
        ``KeyError`` of an incomplete context into the error that says how to make one.
        """
        campaign, dispatch_id = (None, None) if message is None else message
        build = self._builder(event_type, campaign)
        try:
            return build(at, ctx, dispatch_id, extra)
        except KeyError as missing_key:
            raise ValueError(
                f"context lacks {missing_key}: build it with currents_context()"
            ) from None

    def _builder(self, event_type: str, message_campaign: Campaign | None) -> Builder:
        """The compiled plan of ``event_type`` (for messages of ``message_campaign`` if given),
        made on first use and cached (on the provider, or in ``Campaign.builders``): for callers
        that fetch it once and call it per event.

        It is called as ``build(at, ctx, dispatch_id, extra)`` and returns a new flat record:
        ``at`` is the UNIX time, ``ctx`` a ``currents_context`` (with a campaign, only its
        user's and device's fields are read), ``dispatch_id`` the message's (read only with a
        campaign), ``extra`` None or journey values (``session_id``, ``duration``...) that
        replace made values, never the context's, and add no key. A ``ctx`` missing a field
        raises ``KeyError`` (``_flat_event`` turns it into a ``ValueError``).
        """
        builders = self._builders if message_campaign is None else message_campaign.builders
        build = builders.get(event_type)
        if build is None:
            plan = self._plan_of(event_type, message_campaign)
            build = builders[event_type] = self._compile(plan)
        return build

    def currents_builder_source(self, event_type: str, campaign: Campaign | None = None) -> str:
        """The code that makes ``event_type``'s flat records (for ``campaign``'s messages if
        given): for reading when a generated event surprises you."""
        return _source(self._plan_of(event_type, campaign))

    def _plan_of(self, event_type: str, campaign: Campaign | None) -> _Plan:
        """The plan of ``event_type``'s records (of ``campaign``'s messages if given)."""
        if campaign is None:
            return self._type_plan(event_type)
        return self._campaign_plan(campaign, event_type)

    def _compile(self, plan: _Plan) -> Builder:
        """``plan``'s builder: ``_source`` run in ``_namespace(plan)`` (so builders are per
        provider; their code is shared)."""
        # A fresh copy of the shared code: CPython specializes a code object's global reads
        # for one namespace, and campaigns sharing one code object missed at each switch.
        code = _code(_source(plan), plan.template["event_type"]).replace()
        build: Builder = FunctionType(code, self._namespace(plan))
        return build

    def _namespace(self, plan: _Plan) -> dict[str, Any]:
        """The globals of ``plan``'s builders: this provider's random, UUID stock, and the
        plan's constants (``const_``), picks (``pick_``) and makers (``make_`` + field)."""
        uuids = self._uuids
        namespace: dict[str, Any] = {
            "template": plan.template,
            "uuids": uuids,
            "pop": uuids.pop,
            "new_uuid": self._uuid,
            "rand": self._r().random,
            "trunc": trunc,  # see ``_choice``
        }
        namespace.update((f"const_{k}", v) for k, v in plan.template.items() if v is not None)
        namespace.update((f"pick_{name}", values) for name, values, _ in plan.picks)
        namespace.update((f"make_{name}", make) for name, make in plan.makers)
        namespace.update((f"make_{name}", make) for name, make in plan.required_ctx)
        return namespace

    def _type_plan(self, event_type: str) -> _Plan:
        return self._plans.get(event_type) or self._plan(event_type)

    def _plan(self, event_type: str) -> _Plan:
        spec: EventSpec = CATALOGUE[event_type]
        from_ctx = [f for f in spec.fields if f.name in _CONTEXT_SET]
        names = tuple(f.name for f in from_ctx)
        required = tuple((f.name, self._maker(f, spec)) for f in from_ctx if not f.nullable)
        made = [
            (f.name, self._maker(f, spec))
            for f in spec.fields
            if f.name not in _CONTEXT_SET and f.name not in ("id", "time")
        ]
        plan = _Plan(
            template={
                "event_type": event_type,
                **dict.fromkeys(("id", "time", *names, *(name for name, _ in made))),
            },
            ctx_names=names,
            dispatch=False,
            required_ctx=required,
            picks=tuple((n, m.values, m.size) for n, m in made if isinstance(m, _Pick)),
            makers=tuple((n, m) for n, m in made if not isinstance(m, _Pick)),
        )
        self._plans[event_type] = plan
        return plan

    def _campaign_plan(self, campaign: Campaign, event_type: str) -> _Plan:
        """``event_type``'s plan for the messages of ``campaign``: its fields (and the app
        group's) filled in the template; ``dispatch_id``, which varies, set per event."""
        plan = self._type_plan(event_type)
        fixed = {**campaign.message, "app_group_id": self.app_group_id()}
        template = plan.template.copy()
        template.update((name, fixed[name]) for name in plan.ctx_names if name in fixed)
        names = tuple(n for n in plan.ctx_names if n not in fixed and n != "dispatch_id")
        return _Plan(
            template=template,
            ctx_names=names,
            dispatch="dispatch_id" in plan.ctx_names,
            # a field the campaign leaves None is still made per event if required
            required_ctx=tuple(
                (name, make)
                for name, make in plan.required_ctx
                if name in names or (name in fixed and fixed[name] is None)
            ),
            picks=plan.picks,
            makers=plan.makers,
        )

    def _maker(self, f: Field, spec: EventSpec) -> Maker:
        if f.name == "properties":
            if spec.name.endswith("Purchase"):
                return _picker(self._json_pool("purchase", self.purchase_properties), self._r())
            return _picker(self._json_pool("custom", self.custom_event_properties), self._r())
        if f.name in _MAKERS:
            return _MAKERS[f.name](self)
        for suffix, factory in _SUFFIX_MAKERS:
            if f.name.endswith(suffix) and f.type == "string":
                return factory(self)
        return _TYPE_MAKERS[f.type](self)

    def _json_pool(self, name: str, make: Callable[[], dict[str, Any]]) -> tuple[str, ...]:
        """Encoded property maps: 256 made once per provider, then picked (speed)."""
        pool = self._json.get(name)
        if pool is None:
            pool = self._json[name] = tuple(orjson.dumps(make()).decode() for _ in range(256))
        return pool

    def _standalone(self, field: str) -> Maker:
        """A value of a context field from a small pool of made-up users and devices."""
        if not self._people:
            self._people = tuple(self.currents_context(message={}) for _ in range(20))
        people, rng = self._people, self._r()
        return lambda at: people[trunc(rng.random() * len(people))][field]


@dataclass(frozen=True, slots=True)
class _Plan:
    """How to fill one event type: its template's constants, then context fields and values.

    The single declarative description of a record; ``_source`` spells it out as code."""

    template: dict[str, Any]  # the record's keys in order; event_type (and campaign) filled in
    ctx_names: tuple[str, ...]
    dispatch: bool  # dispatch_id is set from the message (it is not among ctx_names)
    required_ctx: tuple[tuple[str, Maker], ...]  # made when the context (or campaign) has None
    picks: tuple[tuple[str, tuple[Any, ...], int], ...]  # uniform picks: name, values, size
    makers: tuple[tuple[str, Maker], ...]  # every other made field


def _source(plan: _Plan) -> str:
    """Python source of the function that makes one flat record by ``plan``.

    Straight-line code, as the transformer's builders: one expression per field, picks done
    inline. It has two copies of the record's code, the second without ``extra``: journey
    values replace made ones only where given, so the common case tests nothing. Names it reads
    come from ``CurrentsProvider._compile``'s namespace (``const_``, ``pick_``, ``make_`` +
    field); the source depends on the plan's shape only, so campaigns of one kind share it."""
    slots = plan_slots(plan)
    values = [
        (key, _expression(plan, key, kind, size), kind == "const") for key, kind, size in slots
    ]
    with_extra = [
        (key, f"extra[{key!r}] if {key!r} in extra else {v}" if kind in MADE else v, constant)
        for (key, v, constant), (_, kind, _) in zip(values, slots, strict=True)
    ]
    lines = ["def build(at, ctx, dispatch_id, extra):", "    if extra:"]
    lines += _record(with_extra, "        ")
    lines += _record(values, "    ")
    return "\n".join(lines) + "\n"


# How a key of a record gets its value. ``const``: the template's (the event type, a campaign's
# field, None); ``fixed``: the same code for every type (``id``, ``time``); ``ctx``: the
# context's; ``required``: the context's, made when it is None; ``dispatch``: the message's
# dispatch id; ``pick``: a uniform pick from a pool; ``make``: a value maker; ``fill``: a
# required field the campaign leaves None, made. Journey extras replace ``MADE`` kinds only.
SlotKind = Literal["const", "fixed", "ctx", "required", "dispatch", "pick", "make", "fill"]
Slot = tuple[str, SlotKind, int]  # key, kind, and the pool's size for picks
MADE = frozenset({"pick", "make"})


def plan_slots(plan: _Plan) -> list[Slot]:
    """Each key of ``plan``'s record, in order, with how it gets its value: the one reading of a
    plan that both builders (the record dict's here, the JSON line's in ``lines``) spell out."""
    required = {name for name, _ in plan.required_ctx}
    ctx_names = set(plan.ctx_names)
    picks = {name: size for name, _, size in plan.picks}
    makers = {name for name, _ in plan.makers}
    slots: list[Slot] = [("event_type", "const", 0)]
    for key in list(plan.template)[1:]:
        kind: SlotKind
        if key in _FIXED_VALUES:
            kind = "fixed"
        elif key in ctx_names:
            kind = "required" if key in required else "ctx"
        elif key == "dispatch_id" and plan.dispatch:
            kind = "dispatch"
        elif key in picks:
            kind = "pick"
        elif key in makers:
            kind = "make"
        elif key in required:  # left None by the campaign
            kind = "fill"
        else:
            kind = "const"
        slots.append((key, kind, picks.get(key, 0)))
    return slots


def _expression(plan: _Plan, key: str, kind: SlotKind, size: int) -> str:
    """The Python expression of a slot's value in the dict builder."""
    if kind == "const":  # the event type and None as literals (the cheapest), others by name
        fixed = plan.template[key]
        return repr(fixed) if key == "event_type" or fixed is None else f"const_{key}"
    if kind == "fixed":
        return _FIXED_VALUES[key]
    if kind == "ctx":
        return f"ctx[{key!r}]"
    if kind == "required":
        return f"v if (v := ctx[{key!r}]) is not None else make_{key}(at)"
    if kind == "dispatch":
        return "dispatch_id"
    if kind == "pick":
        return f"pick_{key}[trunc(rand() * {size})]"
    return f"make_{key}(at)"  # make, fill


# A key of the record, the expression of its value, and whether that is the template's constant.
_Value = tuple[str, str, bool]


def _record(values: list[_Value], indent: str) -> list[str]:
    """The statements that build and return the record, from its keys' expressions.

    When a third of the keys or more are constants (a campaign's messages), copying the
    template and storing the rest is cheapest (callgrind, 28 keys of which 15 constant: 8.3k vs
    14.2k instructions for a literal); otherwise a dict literal, its first ``_LITERAL_KEYS``
    keys in one display and the rest stored (28 keys: 14.5k vs 15.1k copying, 16.8k all in
    the display, which CPython 3.11 builds in chunks of 16 merged through temporary dicts)."""
    if 3 * sum(constant for _, _, constant in values) >= len(values):
        lines = [f"{indent}rec = template.copy()"]
        stores = [(key, v) for key, v, constant in values if not constant]
    else:
        literal = [f"{indent}    {key!r}: {v}," for key, v, _ in values[:_LITERAL_KEYS]]
        stores = [(key, v) for key, v, _ in values[_LITERAL_KEYS:]]
        lines = [f"{indent}{'rec =' if stores else 'return'} {{", *literal, f"{indent}}}"]
        if not stores:
            return lines
    lines += [f"{indent}rec[{key!r}] = {v}" for key, v in stores]
    return [*lines, f"{indent}return rec"]


@cache
def _code(source: str, event_type: str) -> CodeType:
    """The code of ``build`` in ``source``, compiled once per source (so per plan shape),
    however many providers and campaigns."""
    module = compile(source, f"<generator {event_type}>", "exec")  # our own source
    return next(c for c in module.co_consts if isinstance(c, CodeType))


# Keys every record makes the same way (the id: a UUID made ahead, ``CurrentsProvider._uuid``).
_FIXED_VALUES = {"id": "pop() if uuids else new_uuid()", "time": "trunc(at)"}
_LITERAL_KEYS = 16


_CONTEXT_SET = frozenset(CONTEXT_FIELDS)
_EMPTY_CONTEXT: Context = dict.fromkeys(CONTEXT_FIELDS)
_UUID_BATCH = 1024
# Where each of a UUID's 32 hex digits goes in its line "xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx\n".
_UUID_COLUMNS = tuple((j, j + sum(j >= dash for dash in (8, 12, 16, 20))) for j in range(32))
_VARIANT_NIBBLE = bytes.maketrans(b"0123456789abcdef", b"89ab" * 4)  # RFC 4122 variant: 10xx


# The ranges users' numbers are drawn from (US-style phone numbers; adults' birth dates).
_AREA_CODES, _EXCHANGES, _LINES = range(201, 990), range(200, 1000), range(10_000)
_EMAIL_NUMBERS, _EXTERNAL_NUMBERS = range(100), range(10**10)
_BIRTH_YEARS, _MONTHS, _DAYS = range(1945, 2009), range(1, 13), range(1, 29)


def _braze_ids(rng: Random, k: int) -> list[str]:
    """``k`` Braze user ids (24 hex digits each), formatted from one draw of random bits."""
    digits = f"{rng.getrandbits(96 * k):0{24 * k}x}"
    return [digits[i : i + 24] for i in range(0, 24 * k, 24)]


def _uuid_batch(rng: Random, k: int) -> list[str]:
    """``k`` random version-4 UUIDs, about five times cheaper than formatting them one by one.

    All the hex digits are made in one call, then moved into their places in ``k`` lines a
    column at a time (one strided copy per digit position, in C), and the lines split apart.
    """
    digits = rng.randbytes(16 * k).hex().encode()
    lines = bytearray((b"-" * 36 + b"\n") * k)
    for src, dst in _UUID_COLUMNS:
        lines[dst::37] = digits[src::32]
    lines[14::37] = b"4" * k  # the version nibble
    lines[19::37] = digits[16::32].translate(_VARIANT_NIBBLE)
    return lines[:-1].decode().split("\n")


def _const(value: Any) -> Callable[[CurrentsProvider], Maker]:
    return lambda p: lambda at: value


def _picker(values: tuple[Any, ...], rng: Random) -> Maker:
    """A maker picking uniformly from ``values``; plans pick inline instead of calling it."""
    return _Pick(values, rng.random)


class _Pick:
    """A uniform pick from ``values``, kept as data so that ``_Plan.picks`` can do it inline:
    calling a maker per field costs more than the pick itself."""

    __slots__ = ("rand", "size", "values")

    def __init__(self, values: tuple[Any, ...], rand: Callable[[], float]) -> None:
        self.values, self.size, self.rand = values, len(values), rand

    def __call__(self, at: float) -> Any:
        return self.values[trunc(self.rand() * self.size)]


def _one_of(attr: str) -> Callable[[CurrentsProvider], Maker]:
    return lambda p: _picker(getattr(p, attr), p._r())


def _pool(name: str) -> Callable[[CurrentsProvider], Maker]:
    return lambda p: _picker(p._pool(name), p._r())


def _of(values: tuple[Any, ...]) -> Callable[[CurrentsProvider], Maker]:
    return lambda p: _picker(values, p._r())


# Makers bind the provider's ``random`` once and draw in one expression: a method call per
# value (``p._r()``) or ``randint``'s three Python frames cost more than the value.
def _int(lo: int, hi: int) -> Callable[[CurrentsProvider], Maker]:
    """Uniform in ``[lo, hi]``."""

    def factory(p: CurrentsProvider) -> Maker:
        rand, span = p._r().random, hi - lo + 1
        return lambda at: lo + trunc(rand() * span)

    return factory


def _float(lo: float, hi: float, digits: int = 2) -> Callable[[CurrentsProvider], Maker]:
    """Uniform in ``[lo, hi]``, rounded (``random.uniform``'s formula, without its frame)."""

    def factory(p: CurrentsProvider) -> Maker:
        rand, span = p._r().random, hi - lo
        return lambda at: round(lo + span * rand(), digits)

    return factory


def _bool(share_true: float) -> Callable[[CurrentsProvider], Maker]:
    def factory(p: CurrentsProvider) -> Maker:
        rand = p._r().random
        return lambda at: rand() < share_true

    return factory


def _paired(attr: str, index: int) -> Callable[[CurrentsProvider], Maker]:
    """Makers for the columns of one table row: the column-0 field picks a row, the others read
    it, so an event's ``product_id`` and ``price`` (or SMS ``error`` and code) agree. Storage
    order puts the column-0 field first; a type without it reads the last row picked."""

    def factory(p: CurrentsProvider) -> Maker:
        table: tuple[tuple[Any, ...], ...] = getattr(p, attr)
        cell = p._rows.setdefault(attr, [table[0]])
        if index:
            return lambda at: cell[0][index]
        size, rand = len(table), p._r().random

        def pick(at: float) -> Any:
            cell[0] = table[trunc(rand() * size)]
            return cell[0][0]

        return pick

    return factory


def _uuid_maker(p: CurrentsProvider) -> Maker:
    return lambda at: p._uuid()


def _oid_maker(p: CurrentsProvider) -> Maker:
    return lambda at: p.braze_user_id()


def _name_maker(p: CurrentsProvider) -> Maker:
    return lambda at: f"{p._pick('words').title()} {p._pick('words').title()}"


def _earlier(seconds: int) -> Callable[[CurrentsProvider], Maker]:
    """A whole second 60 to ``seconds`` before ``at``."""

    def factory(p: CurrentsProvider) -> Maker:
        rand, span = p._r().random, seconds - 59
        return lambda at: trunc(at) - 60 - trunc(rand() * span)

    return factory


def _weighted_by(attr: str) -> Callable[[CurrentsProvider], Maker]:
    """A maker picking a key of the weights class attribute ``attr``, in proportion."""
    return lambda p: _picker(p._weighted_table(getattr(p, attr)), p._r())


def _short_url(p: CurrentsProvider) -> Maker:
    bits = p._r().getrandbits
    return lambda at: f"https://brz.ai/{bits(32):08x}"


def _phone(p: CurrentsProvider) -> Maker:
    """A US-style number, from the ranges users' numbers are drawn from."""
    rand = p._r().random
    areas, exchanges, lines = _AREA_CODES, _EXCHANGES, _LINES
    sizes = len(areas), len(exchanges), len(lines)
    return lambda at: (
        f"+1{areas[trunc(rand() * sizes[0])]}{exchanges[trunc(rand() * sizes[1])]}"
        f"{lines[trunc(rand() * sizes[2])]:04d}"
    )


def _hex(bits: int) -> Callable[[CurrentsProvider], Maker]:
    def factory(p: CurrentsProvider) -> Maker:
        draw, digits = p._r().getrandbits, f"0{bits // 4}x"
        return lambda at: format(draw(bits), digits)

    return factory


def _words_list(p: CurrentsProvider) -> Maker:
    return lambda at: [p._pick("words")]


def _json_blob(p: CurrentsProvider) -> Maker:
    """A small JSON object (message extras, flow responses...), from a pool built once."""

    def blob() -> dict[str, Any]:
        tier = p._choice(("bronze", "silver", "gold"))
        return {"offer": p._pick("words"), "tier": tier, "discount": p._r().randint(5, 40)}

    return _picker(p._json_pool("blob", blob), p._r())


# Field name -> value maker factory. Everything not here falls back by suffix, then by type.
_MAKERS: dict[str, Callable[[CurrentsProvider], Maker]] = {
    **{name: (lambda f: lambda p: p._standalone(f))(name) for name in USER_FIELDS + DEVICE_FIELDS},
    "channel": _of(("email", "sms", "push")),
    "channel_identifier": _const(None),
    "user_id": _oid_maker,
    "app_group_id": lambda p: lambda at: p.app_group_id(),
    "dispatch_id": _oid_maker,
    "send_id": _uuid_maker,
    "subscription_group_id": _uuid_maker,
    "app_group_api_id": _const(None),
    "canvas_api_id": _const(None),  # deprecated: null
    "canvas_variation_api_id": _const(None),
    "canvas_step_api_id": _const(None),
    "orphaned_by_id": _oid_maker,
    "content_optimizer_step_id": _oid_maker,
    "session_id": _uuid_maker,
    "time_ms": lambda p: lambda at: int(at * 1000),
    "push_token_created_at": _earlier(86400 * 90),
    "push_token_updated_at": _earlier(86400),
    "product_id": _paired("products", 0),
    "price": _paired("products", 1),
    "currency": _weighted_by("currencies"),
    "name": _weighted_by("custom_event_names"),
    "source": _of(("Organic", "Facebook Ads", "Google Ads", "TikTok", "Apple Search Ads")),
    "latitude": _float(-60, 70, 5),
    "longitude": _float(-170, 170, 5),
    "altitude": _float(0, 900, 1),
    "ll_accuracy": _float(3, 65, 1),
    "alt_accuracy": _float(3, 30, 1),
    "duration": _int(5, 1800),
    "subscription_status": _one_of("subscription_statuses"),
    "state_change_source": _one_of("state_change_sources"),
    "push_token_state_change_type": _one_of("token_change_types"),
    "button_action_type": _one_of("button_action_types"),
    "ios_push_token_apns_gateway": _of((1, 2, 2, 2)),
    "abort_type": _one_of("abort_types"),
    "retry_type": _one_of("retry_types"),
    "abort_log": _pool("sentences"),
    "retry_log": _pool("sentences"),
    "error": _paired("sms_errors", 0),
    "provider_error_code": _paired("sms_errors", 1),
    "provider_error_title": _of(("Message undeliverable", "Re-engagement message")),
    "bounce_reason": _one_of("bounce_reasons"),
    "deferral_reason": _one_of("deferral_reasons"),
    "esp": _one_of("esps"),
    "mailbox_provider": _one_of("mailbox_providers"),
    "from_domain": lambda p: _picker(tuple("mail." + d for d in p._pool("domains")), p._r()),
    "recipient_domain": _of(("gmail.com", "yahoo.com", "outlook.com", "icloud.com")),
    "sending_ip": _pool("ips"),
    "ip_pool": _of(("transactional", "marketing")),
    "user_agent": _one_of("user_agents"),
    "url": _pool("urls"),
    "endpoint_url": _pool("urls"),
    "short_url": _short_url,
    "link_alias": _pool("words"),
    "machine_open": _of((None, "true")),
    "from_phone_number": _phone,
    "inbound_phone_number": _phone,
    "from_rcs_sender": _of(("BrazeShop", "AcmeStore")),
    "to_rcs_sender": _of(("BrazeShop",)),
    "category": _of(("opt-in", "opt-out", "help")),
    "action": _of(("Subscribed", "None")),
    "message_body": _pool("sentences"),
    "quick_reply_text": _of(("Yes", "No", "Stop")),
    "message_extras": _json_blob,
    "flow_response_json": _json_blob,
    "tool_arguments": _json_blob,
    "custom_attributes": _json_blob,
    "conversion_behavior": lambda p: (
        lambda at: orjson.dumps({"type": "purchase", "window": 259200}).decode()
    ),
    "conversion_behavior_index": _of((0, 0, 1)),
    "media_urls": _words_list,
    "suspected_bot_click_reason": _of((["user_agent"], ["ip_address", "user_agent"])),
    "is_suspected_bot_click": _bool(0.05),
    "in_control_group": _bool(0.1),
    "is_amp": _bool(0.02),
    "archived": _bool(0.01),
    "random_bucket_number": _int(0, 9999),
    "prev_random_bucket_number": _int(0, 9999),
    "http_status_code": _of((500, 502, 503, 404, 429)),
    "content_length": _int(20, 4000),
    "retry_count": _int(0, 5),
    "webhook_duration": _int(40, 9000),
    "attempt_count": _int(1, 5),
    "webhook_failure_source": _of(("http_status", "timeout", "connection_error")),
    "host": _pool("domains"),
    "url_path": _of(("/v1/hooks/braze", "/api/events")),
    "raw_response": _of(('{"error":"upstream timeout"}', "Service Unavailable")),
    "update_source": _of(("SDK", "API", "CSV")),
    "live_activity_event_type": _of(("start", "update", "end")),
    "live_activity_event_outcome": _of(("delivered", "failed")),
    "activity_attributes_type": _of(("DeliveryAttributes", "GameScoreAttributes")),
    "progression_type": _of(("entered_step", "exited_step")),
    "exit_reason": _of(("completed", "exit_criteria")),
    "combination_token": _of(("0_0_0", "0_1_0", "1_0_1")),
    "version": _of(("1", "2")),
    "template_name": _of(("order_update", "welcome_v2", "promo_spring")),
    "interaction_type": _of(("click", "reply")),
    "element_type": _of(("button", "link")),
    "element_label": _of(("Shop now", "Learn more")),
    "invocation_source": _of(("canvas", "test_panel")),
    "model_provider": _of(("openai",)),
    "model_name": _of(("gpt-4o-mini", "gpt-4.1")),
    "tool_name": _of(("lookup_order",)),
    "input": _pool("sentences"),
    "output": _pool("sentences"),
    "agent_name": _of(("Order Helper", "Win-back Writer")),
    "feature_flag_id_name": _pool("words"),
    "line_channel_name": _of(("Acme Official",)),
    "experiment_split_name": _of(("Path A", "Path B")),
    "button_string": _of(("View", "Later")),
}

_SUFFIX_MAKERS: tuple[tuple[str, Callable[[CurrentsProvider], Maker]], ...] = (
    ("_token", _hex(256)),
    ("_id", _uuid_maker),
    ("_name", _name_maker),
    ("_key", _hex(160)),
    ("_auth", _hex(128)),
)

_TYPE_MAKERS: dict[str, Callable[[CurrentsProvider], Maker]] = {
    "string": _pool("words"),
    "int": _int(1, 500),
    "long": _int(1, 10**6),
    "float": _float(0, 100),
    "boolean": _bool(0.5),
    "string[]": _words_list,
}
