"""The one throttle of every public path that confirms a dossier code and a secret (phone or ID number).

The status lookup page, the API's lookup (GET and POST), the payment page, the evaluation kiosk — and any
path added later — call `confirm()`, never `services.lookup()` directly, so they share one count.

**Keyed by source.** Only failed confirmations (unknown code or wrong pair) are counted, per client address,
in Django's cache (which must be shared between the application's processes: the database cache by default).
Once an address has `limit()` failures (LOOKUP_FAILURES_PER_MINUTE, default 30) within a minute, every
confirmation from it, on every path, is refused (HTTP 429) for `lock_seconds()` (LOOKUP_LOCK_SECONDS, default
300), whether the pair is right or wrong, so guessing cannot go on. The count is per source and never per
dossier: an attacker guessing a citizen's dossier locks out only their own address, never the citizen, who
confirms from theirs. A citizen sharing the attacker's address (same NAT) waits at most `lock_seconds()`.

Behind a reverse proxy, LOOKUP_CLIENT_IP_HEADER names the header that carries the client's address.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy

from motcua.client_address import client_address

WINDOW_SECONDS = 60
MESSAGE = gettext_lazy("Bạn đã tra cứu sai quá nhiều lần. Vui lòng thử lại sau ít phút.")


class Throttled(Exception):
    """Too many failed confirmations from this source; `message` is the Vietnamese text to show."""

    message = MESSAGE


def limit() -> int:
    return int(getattr(settings, "LOOKUP_FAILURES_PER_MINUTE", 30))


def lock_seconds() -> int:
    return int(getattr(settings, "LOOKUP_LOCK_SECONDS", 300))


def _key(address: str) -> str:
    window = int(timezone.now().timestamp()) // WINDOW_SECONDS
    return f"motcua:lookup-failures:{address}:{window}"


def _lock_key(address: str) -> str:
    return f"motcua:lookup-locked:{address}"


def is_throttled(address: str) -> bool:
    lock, count = _lock_key(address), _key(address)
    found = cache.get_many([lock, count])  # one read of the shared cache
    return bool(found.get(lock)) or (found.get(count) or 0) >= limit()


def record_failure(address: str) -> int:
    """Count one failed confirmation from `address`; returns the number of failures in the current minute."""
    key = _key(address)
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
        count = 1
    if count >= limit():
        cache.set(_lock_key(address), 1, timeout=lock_seconds())
    return count


def confirm(request, code: str, secret: str = "", *, phone: str = "", id_number: str = "", find=None):
    """The dossier `code` when `secret` (its applicant's or submitter's phone or ID number; or `phone` /
    `id_number` given apart) matches, else None (a wrong pair is the same None as an unknown code). `find` is
    the lookup under the same rule that gives the answer: `services.lookup` (the dossier) by default, or
    `services.public_status` (only what the public sees, one query).

    Raises `Throttled` when the request's source has failed too often, before looking anything up.
    """
    from . import services

    address = client_address(request)
    if is_throttled(address):
        raise Throttled
    code, secret = (code or "").strip(), (secret or "").strip()
    phone, id_number = (phone or "").strip() or secret, (id_number or "").strip() or secret
    dossier = None
    if code and (phone or id_number):
        dossier = (find or services.lookup)(code, phone=phone, id_number=id_number)
    if dossier is None:
        record_failure(address)
    return dossier
