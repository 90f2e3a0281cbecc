"""Throttle for the anonymous recommendation form: at most RECOMMENDATIONS_PER_HOUR (default 5) recommendations
accepted from one source address in a fixed one-hour window; further submissions from it are refused (HTTP 429)
until the hour is over. Counted in the shared cache, like the lookup throttle, with the same client address
(LOOKUP_CLIENT_IP_HEADER behind a reverse proxy)."""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from motcua.client_address import client_address

WINDOW_SECONDS = 3600


def limit() -> int:
    return int(getattr(settings, "RECOMMENDATIONS_PER_HOUR", 5))


def _key(request) -> str:
    window = int(timezone.now().timestamp()) // WINDOW_SECONDS
    return f"motcua:recommendations-sent:{client_address(request)}:{window}"


def is_throttled(request) -> bool:
    return (cache.get(_key(request)) or 0) >= limit()


def record(request) -> None:
    """Count one accepted recommendation from the request's source."""
    key = _key(request)
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
