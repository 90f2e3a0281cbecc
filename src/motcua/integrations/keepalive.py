"""HTTP POSTs to an integration partner over kept-alive connections, one per thread and partner.

An outbox that sends each message on a new connection pays a TCP handshake for every message and, over HTTPS, a
TLS handshake too: two more round trips to the partner and the key exchange's CPU on both sides. `post` keeps
the connection of each thread to each partner (scheme, host, port) open between calls:

    status, body = keepalive.post(url, data, headers, timeout)   # raises NotSent or an error after sending

Rules, so that nothing is ever sent twice by this layer:
- a POST is never retried here. An error before any byte of the request left (the connection could not be
  opened) raises `NotSent`; any error after that is raised as it came (the caller decides whether the request
  may have been processed);
- a kept connection is used again only while it is fresh (idle for less than `IDLE_SECONDS`, below the usual
  servers' keep-alive timeouts) and the partner has not closed it meanwhile (its socket has nothing to read);
  otherwise it is closed and a new one opened, before sending;
- a connection the partner asked to close (``Connection: close``, HTTP/1.0), or on which anything failed, is
  closed and forgotten;
- when an outbound proxy applies to the URL (the environment's ``https_proxy``/``http_proxy`` and
  ``no_proxy``, as `urllib` reads them), `reusable` says no and the caller uses `urllib` as before.

HTTPS connections verify the partner's certificate with the system's trust store, as `urllib` does.
"""

import http.client
import select
import socket
import ssl
import threading
import time
import urllib.parse
import urllib.request

# Seconds a kept connection may stay idle and still be used again (nginx keeps 75 s by default, Apache 5 s).
IDLE_SECONDS = 4.0

_local = threading.local()


class NotSent(OSError):
    """The connection could not be opened: no byte of the request was sent."""


def reusable(url: str) -> bool:
    """Whether `post` may carry this URL: plain HTTP or HTTPS with no outbound proxy for its host."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    proxies = urllib.request.getproxies()
    return parts.scheme not in proxies or bool(urllib.request.proxy_bypass(parts.hostname))


def _connections() -> dict:
    found = getattr(_local, "connections", None)
    if found is None:
        found = _local.connections = {}
    return found


def _dropped(connection: http.client.HTTPConnection) -> bool:
    """Whether the partner closed (or wrote on) an idle kept connection: its socket is readable."""
    sock = connection.sock
    if sock is None:
        return True
    try:
        if hasattr(select, "poll"):  # any descriptor number (select() stops at 1024)
            poller = select.poll()
            poller.register(sock, select.POLLIN)
            return bool(poller.poll(0))
        readable, _writable, _errors = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


def _new(parts, timeout: float) -> http.client.HTTPConnection:
    if parts.scheme == "https":
        return http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=timeout, context=ssl.create_default_context()
        )
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)


def _forget(key) -> None:
    entry = _connections().pop(key, None)
    if entry is not None:
        entry[0].close()


def post(url: str, data: bytes, headers: dict, timeout: float) -> tuple[int, bytes]:
    """POST `data` to `url` on this thread's kept connection to its partner; returns (status, body)."""
    parts = urllib.parse.urlsplit(url)
    key = (parts.scheme, parts.hostname, parts.port, timeout)
    connections = _connections()
    entry = connections.get(key)
    if entry is not None and (time.monotonic() - entry[1] >= IDLE_SECONDS or _dropped(entry[0])):
        _forget(key)
        entry = None
    if entry is None:
        connection = _new(parts, timeout)
        try:
            connection.connect()
            # A request leaves in one write, but a partner's reply may not: no Nagle delay on this side either.
            connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError as error:
            connection.close()
            raise NotSent(*error.args) from error
        connections[key] = entry = [connection, time.monotonic()]
    connection = entry[0]
    target = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
    try:
        connection.request("POST", target, body=data, headers={**headers, "Connection": "keep-alive"})
        response = connection.getresponse()
        body = response.read()
    except BaseException:
        _forget(key)
        raise
    if response.will_close:
        _forget(key)
    else:
        entry[1] = time.monotonic()
    return response.status, body


def close_all() -> None:
    """Close this thread's kept connections (a worker thread that ends)."""
    for key in list(_connections()):
        _forget(key)
