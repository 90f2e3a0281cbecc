"""A sandbox of the tax authority's e-receipt service that really runs over HTTP (for the demo and the tests).

It speaks the protocol of `http`: it checks the bearer token, the XML against the receipt schema and the XML-DSig
signature (intact; trust is not checked: the sandbox knows no CA), then answers a code "CQT-…" derived from the
receipt, the same code for a resend of the same receipt and a refusal for a different receipt under the same
template, series and number. A cancellation notice (POST /bien-lai/huy) is accepted only for a receipt it
accepted, and recorded in `cancelled`. `fail_next(n)` makes the next n calls answer HTTP 503 (an outage).

    server = TaxSandboxServer(port=0).start()    # port 0: any free port
    server.url                                   # "http://127.0.0.1:54321"
    server.stop()
"""

import hashlib
import json
import threading

from motcua.integrations.local_server import LocalServer, request_body

DEFAULT_TOKEN = "sandbox-access-token"


class TaxSandbox:
    def __init__(self, access_token: str = DEFAULT_TOKEN):
        self.access_token = access_token
        self.received: dict[str, dict] = {}  # MaCQT -> {"key", "digest", "xml"}
        self.cancelled: dict[str, dict] = {}  # MaCQT of the receipt -> {"code", "digest", "xml"}
        self.calls = 0
        self._failures = 0
        self.lock = threading.Lock()

    def fail_next(self, count: int) -> None:
        with self.lock:
            self._failures = count

    def __call__(self, environ, start_response):
        body = request_body(environ)
        status, payload = self.dispatch(
            environ["REQUEST_METHOD"], environ.get("PATH_INFO", "/"), body, environ
        )
        start_response(status, [("Content-Type", "application/json; charset=utf-8")])
        return [json.dumps(payload, ensure_ascii=False).encode("utf-8")]

    def dispatch(self, method, path, body, environ):
        with self.lock:
            self.calls += 1
            if self._failures > 0:
                self._failures -= 1
                return "503 Service Unavailable", {"MoTa": "Hệ thống tạm ngừng."}
        if environ.get("HTTP_AUTHORIZATION") != f"Bearer {self.access_token}":
            return "401 Unauthorized", {"MoTa": "Sai hoặc thiếu mã truy cập."}
        parts = [p for p in path.split("/") if p]
        if method == "POST" and parts == ["bien-lai"]:
            return self.receive(body)
        if method == "POST" and parts == ["bien-lai", "huy"]:
            return self.cancel(body)
        if method == "GET" and len(parts) == 2 and parts[0] == "bien-lai":
            found = self.received.get(parts[1])
            if found is None:
                return "404 Not Found", {"MaKetQua": "01", "MoTa": "Không có biên lai với mã này."}
            return "200 OK", {"MaKetQua": "00", "TrangThai": "Đã tiếp nhận", "MoTa": found["key"]}
        return "404 Not Found", {"MaKetQua": "01", "MoTa": "Không có chức năng này."}

    @staticmethod
    def _checked(xml: bytes, path: str, not_this_kind: str):
        """(the element at `path`, None) for valid, intact XML of that kind, else (None, the refusal)."""
        from django.core.exceptions import ValidationError
        from lxml import etree

        from motcua.payments import ereceipts

        try:
            ereceipts.validate(xml)
        except ValidationError as error:
            return None, ("422 Unprocessable Entity", {"MaKetQua": "01", "MoTa": " ".join(error.messages)})
        if not ereceipts.verify(xml).intact:
            return None, ("422 Unprocessable Entity", {"MaKetQua": "01", "MoTa": "Chữ ký số không hợp lệ."})
        element = etree.fromstring(xml).find(path)
        if element is None:
            return None, ("422 Unprocessable Entity", {"MaKetQua": "01", "MoTa": not_this_kind})
        return element, None

    def receive(self, xml: bytes):
        common, refusal = self._checked(xml, "DLBLai/TTChung", "Dữ liệu không phải biên lai.")
        if refusal:
            return refusal
        key = "/".join(common.findtext(tag) for tag in ("KHMSBLai", "KHBLai", "SBLai"))
        digest = hashlib.sha256(xml).hexdigest()
        code = "CQT-" + hashlib.sha256(key.encode()).hexdigest()[:16].upper()
        with self.lock:
            known = self.received.get(code)
            if known is not None and known["digest"] != digest:
                return "422 Unprocessable Entity", {
                    "MaKetQua": "01",
                    "MoTa": f"Biên lai {key} đã được tiếp nhận với nội dung khác.",
                }
            self.received[code] = {"key": key, "digest": digest, "xml": xml}
        return "200 OK", {"MaKetQua": "00", "MaCQT": code, "MoTa": "Đã tiếp nhận biên lai."}

    def cancel(self, xml: bytes):
        cancelled, refusal = self._checked(xml, "DLHBLai/BLHuy", "Dữ liệu không phải thông báo hủy.")
        if refusal:
            return refusal
        receipt_code = cancelled.findtext("MCQT")
        digest = hashlib.sha256(xml).hexdigest()
        with self.lock:
            if receipt_code not in self.received:
                return "422 Unprocessable Entity", {
                    "MaKetQua": "01",
                    "MoTa": f"Không có biên lai đã tiếp nhận với mã {receipt_code}.",
                }
            known = self.cancelled.get(receipt_code)
            if known is not None and known["digest"] != digest:
                return "422 Unprocessable Entity", {
                    "MaKetQua": "01",
                    "MoTa": f"Biên lai {receipt_code} đã được hủy với nội dung khác.",
                }
            code = "HUY-" + receipt_code.removeprefix("CQT-")
            self.cancelled[receipt_code] = {"code": code, "digest": digest, "xml": xml}
        return "200 OK", {"MaKetQua": "00", "MaCQT": code, "MoTa": "Đã tiếp nhận thông báo hủy biên lai."}


class TaxSandboxServer(LocalServer):
    thread_name = "tax-sandbox"

    def __init__(self, host: str = "127.0.0.1", port: int = 0, **options):
        super().__init__(TaxSandbox(**options), host, port)
