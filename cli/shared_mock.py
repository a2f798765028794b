"""Commands that drive a served mock are good neighbours (``simulate --url``, ``cohort-sync
--url``, ``load --host``).

- ``probe(url, option)``: the address is checked before any work, in about a second at most: not
  a URL, nothing listening, or something that does not answer HTTP is refused in one line; the
  answer says whether it is a currents-sim mock (``GET /_mock/health``) or another HTTP server.
- ``taking_the_clock(url, own_keys, take_over)``: the mock clock is shared by every key, so a
  command that moves it first looks at ``/_mock/stats``: a mock holding other keys' data is
  refused unless ``--take-over``; the clock's speed and offset are put back when the command ends,
  also on an error or Ctrl-C (``MockAdmin.restoring_clock``). Data is only ever reset per key.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from cli.errors import CliError

PROBE_TIMEOUT_S = 1.0  # to connect, then to read: a refusal well within two seconds
ADMIN_TIMEOUT_S = 30.0
TAKE_OVER = "--take-over"


def add_take_over_argument(parser: Any) -> None:
    parser.add_argument(
        TAKE_OVER,
        action="store_true",
        help="move the clock of a mock that other API keys are using (it is put back at the end)",
    )


def probe(url: str, option: str) -> bool:
    """True for a currents-sim mock (its health check answers JSON), False for another HTTP
    server; CliError when nothing answers HTTP there."""
    from clients.admin import MockAdmin
    from clients.transport import NO_ANSWER, MockAdminError

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CliError(f"{option} needs a URL like http://127.0.0.1:8080, not {url!r}")
    with MockAdmin(url, timeout_s=PROBE_TIMEOUT_S) as admin:
        try:
            admin.health()
        except MockAdminError as exc:
            if exc.status != NO_ANSWER:
                return False  # an HTTP answer, but not the mock's health check
            raise _no_answer(f"{option} {url}", exc.__cause__) from None
    return True


def _no_answer(where: str, cause: BaseException | None) -> CliError:
    """Nothing listening (refused, unknown name), or no HTTP answer (a timeout, not HTTP)."""
    import requests

    if isinstance(cause, requests.ConnectionError):
        return CliError(f"{where}: no HTTP server answers there ({_why(cause)})")
    return CliError(f"{where}: no HTTP answer ({type(cause).__name__})")


def require_mock(url: str, option: str) -> None:
    """A command that sets the mock's keys and clock needs our mock, not any HTTP server."""
    if not probe(url, option):
        raise CliError(f"{option} {url}: not a currents-sim mock (no /_mock/health)")


@contextmanager
def taking_the_clock(url: str, own_keys: Iterable[str], take_over: bool) -> Iterator[Any]:
    """The mock's ``MockAdmin`` while this command moves its clock; see the module doc."""
    from clients.admin import MockAdmin
    from clients.transport import MockAdminError

    admin = MockAdmin(url, timeout_s=ADMIN_TIMEOUT_S)
    try:
        others = sorted(set(admin.stats().get("keys", {})) - set(own_keys) - {""})
        if others and not take_over:
            shown = ", ".join(others[:3]) + (", ..." if len(others) > 3 else "")
            raise CliError(
                f"{url}: other API keys use this mock ({shown}) and this command moves its "
                f"clock: give {TAKE_OVER} to do it anyway (the clock is put back at the end)"
            )
        with admin.restoring_clock():
            yield admin
    except MockAdminError as exc:
        raise CliError(f"{url}: {exc}") from None
    finally:
        admin.close()


def _why(exc: Exception) -> str:
    text = str(exc)
    for reason in ("Connection refused", "Name or service not known", "timed out"):
        if reason in text:
            return reason.lower()
    return type(exc).__name__
