"""Throttle for the public status lookup: too many wrong tries from one address in a minute are refused.

Only failed lookups (unknown code or wrong pair) are counted, in a fixed one-minute window per client address,
in Django's cache (which must be shared between the application's processes: the database cache by default).
Once an address has `LOOKUP_FAILURES_PER_MINUTE` failures in the current minute, every lookup from it is
refused until the minute is over, whether the pair is right or wrong, so guessing cannot continue.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

WINDOW_SECONDS = 60


def limit() -> int:
    return int(getattr(settings, "LOOKUP_FAILURES_PER_MINUTE", 30))


def client_address(request) -> str:
    """The client's address; behind a reverse proxy, the header named by LOOKUP_CLIENT_IP_HEADER (its first
    value, as set by the proxy)."""
    header = getattr(settings, "LOOKUP_CLIENT_IP_HEADER", "")
    if header:
        value = request.META.get(header, "")
        if value:
            return value.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(address: str) -> str:
    window = int(timezone.now().timestamp()) // WINDOW_SECONDS
    return f"motcua:lookup-failures:{address}:{window}"


def is_throttled(address: str) -> bool:
    return (cache.get(_key(address)) or 0) >= limit()


def record_failure(address: str) -> int:
    """Count one failed lookup from `address`; returns the number of failures in the current minute."""
    key = _key(address)
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
        return 1
