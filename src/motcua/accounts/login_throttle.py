"""Helpers of the login throttle (django-axes, configured in settings: AXES_*)."""

import ipaddress

from motcua.client_address import client_address


def client_ip(request) -> str | None:
    """The client's address as the lookup throttle reads it (LOOKUP_CLIENT_IP_HEADER behind a reverse proxy),
    or None when it is not an IP address (axes stores it in an IP column, which PostgreSQL checks)."""
    try:
        return str(ipaddress.ip_address(client_address(request)))
    except ValueError:
        return None
