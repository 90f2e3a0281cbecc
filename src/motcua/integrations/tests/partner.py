"""A local HTTP/1.1 partner server for the tests of outbound HTTP (kept-alive connections, gateways)."""

import http.server
import threading


class Partner:
    """A local HTTP/1.1 server that counts the connections it accepted and the requests it received.
    `mode`: "keep" (keeps the connection), "close" (answers with Connection: close), "drop" (answers, then
    closes without saying so, as a server whose idle timeout passed) or "hang_up" (reads the request and closes
    without answering)."""

    def __init__(self, mode: str = "keep"):
        partner = self
        self.connections = 0
        self.requests = []
        self.headers = []
        self.mode = mode
        self.lock = threading.Lock()

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self):
                super().setup()
                with partner.lock:
                    partner.connections += 1

            def do_POST(self):  # noqa: N802 - the standard library's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with partner.lock:
                    partner.requests.append(body)
                    partner.headers.append(dict(self.headers))
                if partner.mode == "hang_up":
                    self.close_connection = True
                    return
                answer = b'{"error_code": "0", "echo": "' + body + b'"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                if partner.mode == "close":
                    self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(answer)
                if partner.mode == "drop":
                    self.close_connection = True

            def log_message(self, format, *args):  # noqa: A002
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/api/integration"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        """Stops the server and closes this thread's kept connections (to it and to any other partner)."""
        from motcua.integrations import keepalive

        keepalive.close_all()
        self.stop()
        return False


def closed_port() -> int:
    """A local port nothing listens on."""
    listener = http.server.HTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    port = listener.server_port
    listener.server_close()
    return port
