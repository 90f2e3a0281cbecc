"""The local HTTP server under the sandboxes (payment platform, national-portal simulator): a threaded WSGI
server that logs nothing per request and keeps a client's connection open between requests (HTTP/1.1
keep-alive, as a partner's real server does), through Django's request handler."""

import threading
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIServer, make_server

from django.core.servers.basehttp import WSGIRequestHandler


def request_body(environ) -> bytes:
    """The body of a WSGI request (empty without a valid Content-Length), as the sandboxes read it."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return environ["wsgi.input"].read(length) if length else b""


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class QuietHandler(WSGIRequestHandler):
    # The status line, the headers and the body leave in separate writes: on a kept connection, Nagle's
    # algorithm would hold the last one back until the client's delayed acknowledgement (about 40 ms a reply).
    disable_nagle_algorithm = True

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


class LocalServer:
    """A WSGI application served on a local port, in a background thread (`start`) or the calling one
    (`serve_forever`); port 0 picks a free port, `url` is known once bound. `bound()` runs after binding (for
    an application that must know its own address)."""

    thread_name = "local-server"

    def __init__(self, app, host: str = "127.0.0.1", port: int = 0):
        self.app = app
        self.host, self.port = host, port
        self._server = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def bound(self) -> None:
        """Called once the port is known."""

    def _bind(self) -> None:
        self._server = make_server(
            self.host, self.port, self.app, server_class=ThreadingWSGIServer, handler_class=QuietHandler
        )
        self.port = self._server.server_port
        self.bound()

    def start(self):
        self._bind()
        threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=self.thread_name,
            daemon=True,
        ).start()
        return self

    def serve_forever(self) -> None:
        self._bind()
        self._server.serve_forever()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
