"""Throttle for taking tickets without a login (kiosk pages and the hardware-kiosk API).

A fixed one-minute window per client address in Django's shared cache: at most `QUEUE_TICKETS_PER_MINUTE`
tickets (default 30, far above what one kiosk prints: a busy center issues a few a minute) from one address;
more are refused with a Vietnamese message until the minute is over.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from motcua.client_address import client_address

WINDOW_SECONDS = 60

__all__ = ["client_address", "limit", "take"]


def limit() -> int:
    return int(getattr(settings, "QUEUE_TICKETS_PER_MINUTE", 30))


def take(address: str) -> bool:
    """Count one ticket from `address`; False when the address has used up this minute's tickets."""
    key = f"motcua:queue-tickets:{address}:{int(timezone.now().timestamp()) // WINDOW_SECONDS}"
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
        used = 1
    return used <= limit()
