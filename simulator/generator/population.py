"""The users and devices behind generated events, and the context fields they fix.

A *context* (``CONTEXT_FIELDS``) is what every event of one journey agrees on: the user's
profile, the device, the message (``campaigns``) and the workspace's app group. Users and
devices are made many at once, each field drawn for all of them in one call: a stream's
population is thousands of users.
"""

from __future__ import annotations

from math import trunc
from typing import TYPE_CHECKING, Any, Literal

from simulator.generator.draws import Draws, Pools
from simulator.generator.ids import Ids, braze_ids

if TYPE_CHECKING:
    from simulator.generator.provider import CurrentsProvider

Identity = Literal["identified", "anonymous", "neither"]
Context = dict[str, Any]

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
# Every context has exactly these keys, None where they do not apply.
CONTEXT_FIELDS = (
    *USER_FIELDS,
    *DEVICE_FIELDS,
    *CAMPAIGN_FIELDS,
    *CANVAS_FIELDS,
    *SEND_FIELDS,
    "app_group_id",
)
EMPTY_CONTEXT: Context = dict.fromkeys(CONTEXT_FIELDS)

# The ranges users' numbers are drawn from (US-style phone numbers; adults' birth dates).
AREA_CODES, EXCHANGES, LINES = range(201, 990), range(200, 1000), range(10_000)
_EMAIL_NUMBERS, _EXTERNAL_NUMBERS = range(100), range(10**10)
_BIRTH_YEARS, _MONTHS, _DAYS = range(1945, 2009), range(1, 13), range(1, 29)


class Population:
    """One provider's users, devices and workspace (app group, one app per platform); the
    value tables (platforms, models, countries...) are the provider's."""

    def __init__(self, tables: CurrentsProvider, draws: Draws, ids: Ids, pools: Pools) -> None:
        self.tables, self.draws, self.ids, self.pools = tables, draws, ids, pools
        self._apps: dict[str, str] = {}
        self._app_group_id = ""

    def app_group_id(self) -> str:
        """The workspace (app group) id: one per provider."""
        if not self._app_group_id:
            self._app_group_id = self.ids.uuid()
        return self._app_group_id

    def app_ids(self) -> dict[str, str]:
        """One app id per platform (the workspace's apps)."""
        if not self._apps:
            self._apps = dict(zip(self.tables.platforms, self.pools.get("app_ids"), strict=True))
        return self._apps

    def users(self, k: int, identity: Identity = "identified") -> list[Context]:
        """``k`` users' profiles; ``anonymous`` and ``neither`` have no ``external_user_id``."""
        t, rnd, pools = self.tables, self.draws.rng(), self.pools
        pick = rnd.choices
        firsts, lasts = pick(pools.get("first_names"), k=k), pick(pools.get("last_names"), k=k)
        phones = [
            f"+1{area}{exchange}{line:04d}"
            for area, exchange, line in zip(
                pick(AREA_CODES, k=k), pick(EXCHANGES, k=k), pick(LINES, k=k), strict=True
            )
        ]
        emails = [
            f"{first}.{last}{n}@{domain}".lower()
            for first, last, n, domain in zip(
                firsts,
                lasts,
                pick(_EMAIL_NUMBERS, k=k),
                pick(pools.get("email_domains"), k=k),
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
            braze_ids(rnd, k),
            externals,
            emails,
            phones,
            [f"US.{rnd.getrandbits(60)}" for _ in range(k)],
            firsts,
            lasts,
            pick(self.draws.weighted_table(t.genders), k=k),
            pick(t.countries, k=k),
            pick(t.languages, k=k),
            pick(pools.get("cities"), k=k),
            dobs,
            pick(t.timezones, k=k),
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

    def devices(
        self, k: int, device_class: str = "normal", platform: str | None = None
    ) -> list[Context]:
        """``k`` devices of one class; os version, model, SDK and ad id type match the
        platform (drawn by weight when None)."""
        t, draws, rnd = self.tables, self.draws, self.draws.rng()
        rand, choice = rnd.random, draws.choice
        platforms = (
            [platform] * k if platform else rnd.choices(draws.weighted_table(t.platforms), k=k)
        )
        ids = [self.ids.device_id(device_class) for _ in range(k)]
        tokens = rnd.randbytes(32 * k).hex()
        apps = self.app_ids()
        devices = []
        for i, (name, device_id) in enumerate(zip(platforms, ids, strict=True)):
            ad_type = t.ad_id_types[name]
            mobile = name in ("ios", "android")
            os_versions, models, sdks = (
                t.os_versions[name],
                t.device_models[name],
                t.sdk_versions[name],
            )
            devices.append(
                {
                    "device_id": device_id,
                    "app_id": apps[name],
                    "platform": name,
                    "os_version": os_versions[trunc(rand() * len(os_versions))],
                    "device_model": models[trunc(rand() * len(models))],
                    "device_os": name if name != "web" else "windows",
                    "device_class": "mobile" if mobile else "desktop",
                    "ad_id": self.ids.uuid().upper() if ad_type else None,
                    "ad_id_type": ad_type,
                    "ad_tracking_enabled": rand() < 0.7 if ad_type else None,
                    "sdk_version": sdks[trunc(rand() * len(sdks))],
                    "carrier": choice(t.carriers) if mobile else None,
                    "resolution": choice(t.resolutions),
                    "browser": choice(t.browsers) if name == "web" else None,
                    "push_token": tokens[64 * i : 64 * i + 64],
                    "push_token_device_id": device_id,
                    "locale_key": "en-us",
                }
            )
        return devices
