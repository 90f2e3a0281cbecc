"""The address of the client that sent a request, as the throttles count it.

Behind reverse proxies, LOOKUP_CLIENT_IP_HEADER names the header that carries it (e.g. `HTTP_X_FORWARDED_FOR`).
Each proxy *appends* the address it received the request from to `X-Forwarded-For` (nginx's
`$proxy_add_x_forwarded_for`, load balancers alike), after whatever the client itself sent. Only the entries
written by the proxies can be trusted, so the address is read from the right: with LOOKUP_CLIENT_IP_PROXIES
proxies in front of motcua (1 by default), it is the entry that many places from the end, the one the farthest
proxy wrote. Reading the first entry instead would let any client choose its own address by sending the header,
and with it escape the login, lookup and ticket throttles.
"""

from django.conf import settings


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or behind proxies the entry of LOOKUP_CLIENT_IP_HEADER written by the
    farthest of LOOKUP_CLIENT_IP_PROXIES proxies (the first entry when the header has fewer)."""
    header = getattr(settings, "LOOKUP_CLIENT_IP_HEADER", "")
    if header:
        entries = [entry.strip() for entry in request.META.get(header, "").split(",")]
        entries = [entry for entry in entries if entry]
        if entries:
            proxies = max(int(getattr(settings, "LOOKUP_CLIENT_IP_PROXIES", 1)), 1)
            return entries[-min(proxies, len(entries))]
    return request.META.get("REMOTE_ADDR", "") or "unknown"
