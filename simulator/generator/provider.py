"""``CurrentsProvider``: a Faker provider of realistic Braze Currents events of every type.

The Faker-facing part of the generator: the value tables (class attributes) and the methods
Faker exposes (named after the value they return). The engine behind them has modules of its
own, reached through the provider's attributes:

- ``draws`` / ``pools`` (``draws``): the seeded random, picks, and values Faker makes once;
- ``ids`` (``ids``): UUIDs made in batches, Braze ids;
- ``population`` (``population``): users, devices, the workspace's apps;
- ``campaigns`` (``campaigns``): campaigns, Canvas steps and their messages;
- ``records`` (``records``, on ``plans`` and ``makers``): compiled record builders.

Each event type is driven by the catalogue: each storage field is filled from the event's
*context* (user, device, message: the facts that must agree across the events of one journey)
or made by its maker, so a type added to the catalogue is generated without a line of code.
The flat shape is the storage record; the http shape leaves nulls out, as Braze's envelope
does. Times are always passed in (``at``, UNIX seconds); nothing here reads a clock.

Faker's ``add_provider`` exposes every public *callable* of a provider as a formatter: the
engine's parts are plain attributes (not callables), and helpers stay ``_private``.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, ClassVar, Literal

from faker.providers import BaseProvider

from simulator.currents.catalogue import CATALOGUE, EXPORTED
from simulator.currents.shapes import flat_to_http
from simulator.generator.campaigns import Campaign, Campaigns
from simulator.generator.draws import Draws, Pools
from simulator.generator.ids import Ids
from simulator.generator.population import EMPTY_CONTEXT, Context, Identity, Population
from simulator.generator.records import RecordBuilders

Shape = Literal["flat", "http"]


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
        self.draws = Draws(generator)
        self.ids = Ids(self.draws.rng)
        self.pools = Pools(self.draws, self.ids, apps=len(self.platforms))
        self.population = Population(self, self.draws, self.ids, self.pools)
        self.campaigns = Campaigns(self, self.draws, self.ids, self.pools)
        self.records = RecordBuilders(self)

    # --- ids ---
    def currents_event_id(self) -> str:
        """A globally unique event id (UUID, the Amplitude ``insert_id``)."""
        return self.ids.uuid()

    def braze_user_id(self) -> str:
        """Braze's internal user id: 24 hex digits (a Mongo ObjectId)."""
        return self.ids.braze_id()

    def braze_user_ids(self, k: int) -> list[str]:
        """``k`` Braze ids (user or dispatch ids) at once, from one draw of random bits."""
        return self.ids.braze_ids(k)

    def external_user_id(self) -> str:
        """The customer's own user id, as apps usually set it."""
        return f"user_{self.draws.between(0, 10**10 - 1):010d}"

    def currents_device_id(self, device_class: str = "normal") -> str:
        """A device id; non-normal classes carry their class as a prefix (see ``device_class``)."""
        return self.ids.device_id(device_class)

    def app_group_id(self) -> str:
        """The workspace (app group) id: one per provider instance."""
        return self.population.app_group_id()

    def currents_event_type(self, exported_only: bool = False) -> str:
        """Any catalogue type (or only the types Braze exports to Amplitude)."""
        names = EXPORTED if exported_only else tuple(CATALOGUE)
        return str(self.random_element(names))

    def currents_platform(self) -> str:
        return self.draws.weighted(self.platforms)

    # --- users, devices, messages: the context of a journey ---
    def currents_user(self, identity: Identity = "identified") -> Context:
        """A user's profile fields; ``anonymous`` and ``neither`` have no ``external_user_id``."""
        return self.population.users(1, identity)[0]

    def currents_users(self, k: int, identity: Identity = "identified") -> list[Context]:
        """``k`` users' profiles, each field drawn for all of them at once."""
        return self.population.users(k, identity)

    def currents_device(self, device_class: str = "normal", platform: str | None = None) -> Context:
        """A device's fields; os version, model, SDK and ad id type all match the platform."""
        return self.population.devices(1, device_class, platform)[0]

    def currents_devices(
        self, k: int, device_class: str = "normal", platform: str | None = None
    ) -> list[Context]:
        """``k`` devices of one class, each field drawn for all of them at once."""
        return self.population.devices(k, device_class, platform)

    def currents_campaigns(self, channel: str = "push") -> tuple[Campaign, ...]:
        """The workspace's campaigns and Canvas steps on ``channel`` (made once, then reused)."""
        return self.campaigns.on(channel)

    def currents_message(self, channel: str = "push", kind: str | None = None) -> Context:
        """The campaign/Canvas block, ``send_id`` and ``dispatch_id`` of one message to one user.

        ``kind`` is ``campaign``, ``canvas`` or None (either); ``dispatch_id`` follows Braze's
        rule (``campaigns``)."""
        campaign, dispatch_id = self.campaigns.message(channel, kind)
        ctx = campaign.message.copy()
        ctx["dispatch_id"] = dispatch_id
        return ctx

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
        ctx: Context = EMPTY_CONTEXT.copy()  # a clone: fromkeys would resize it five times
        ctx.update(self.currents_user() if user is None else user)
        ctx.update(self.currents_device() if device is None else device)
        ctx.update(self.currents_message() if message is None else message)
        ctx["app_group_id"] = self.app_group_id()
        return ctx

    # --- custom events and purchases ---
    def custom_event_name(self) -> str:
        return self.draws.weighted(self.custom_event_names)

    def custom_event_properties(self, name: str | None = None) -> dict[str, Any]:
        """A property map with strings, numbers, booleans, a list and a nested object."""
        rnd, choice, word = self.draws.rng(), self.draws.choice, self.pools.pick
        product, price = choice(self.products)
        props: dict[str, Any] = {
            "source": choice(("home", "search", "push", "email", "deeplink")),
            "screen": word("words"),
            "count": rnd.randint(1, 12),
            "first_time": rnd.random() < 0.2,
        }
        if name in ("viewed_product", "added_to_cart", "started_checkout", None):
            props["item"] = {
                "sku": product,
                "price": price,
                "category": choice(self.categories),
                "tags": [word("words"), word("words")],
            }
        else:
            props["level"] = {"id": rnd.randint(1, 60), "score": round(rnd.random() * 1e4, 1)}
        return props

    def purchase_properties(self) -> dict[str, Any]:
        rnd, choice = self.draws.rng(), self.draws.choice
        return {
            "quantity": rnd.randint(1, 3),
            "coupon": rnd.random() < 0.15,
            "shipping": {
                "method": choice(("standard", "express", "pickup")),
                "country": choice(self.countries),
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
        record = self.records.event(event_type, at, ctx, None, extra)
        return flat_to_http(record) if shape == "http" else record

    def currents_builder_source(self, event_type: str, campaign: Campaign | None = None) -> str:
        """The code that makes ``event_type``'s flat records (for ``campaign``'s messages if
        given): for reading when a generated event surprises you."""
        return self.records.source(event_type, campaign)
