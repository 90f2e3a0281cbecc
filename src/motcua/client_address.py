"""The address of the client that sent a request, as the throttles count it."""

from django.conf import settings


def client_address(request) -> str:
    """The client's address; behind a reverse proxy, the header named by LOOKUP_CLIENT_IP_HEADER (its first
    value, as set by the proxy)."""
    header = getattr(settings, "LOOKUP_CLIENT_IP_HEADER", "")
    if header:
        value = request.META.get(header, "")
        if value:
            return value.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"
