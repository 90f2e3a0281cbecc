"""A sandbox of the national payment platform that really runs over HTTP (for the demo and the tests).

It speaks the message set of `protocol` (INIT, the signed callback, QUERY, GET_BILL), keeps its transactions in
memory, and shows the payer a payment page where they pay or cancel; it then POSTs the signed callback to the
address given at INIT and sends the browser back. Extra endpoints under /sandbox/ inject what the real platform
does on a bad day: a slow INIT (timeouts), a bank timeout (state unknown, QUERY answers "pending"), callbacks
delivered several times, failures and cancellations.

    server = SandboxServer(port=0).start()    # port 0: any free port
    server.url                                # "http://127.0.0.1:54321"
    server.stop()

Only for testing: the secret and the access token are test values passed at start.
"""

import html
import io
import json
import secrets
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime
from urllib.parse import parse_qs

from ..local_server import LocalServer, request_body
from . import protocol

DEFAULTS = {
    "partner_code": "MOTCUA-SANDBOX",
    "secret_key": "sandbox-secret-not-for-production",
    "access_token": "sandbox-access-token",
}


class SandboxPlatform:
    """The WSGI application: the platform's endpoints and the payer's page."""

    def __init__(self, partner_code: str, secret_key: str, access_token: str):
        self.partner_code, self.secret_key, self.access_token = partner_code, secret_key, access_token
        self.public_url = ""
        self.transactions: dict[str, dict] = {}
        self.init_delay = 0.0
        self.lock = threading.Lock()

    # --- WSGI ----------------------------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "/")
        body = request_body(environ)
        status, headers, content = self.dispatch(method, path, body, environ)
        start_response(status, headers)
        return [content]

    def dispatch(self, method, path, body, environ):
        parts = [p for p in path.split("/") if p]
        if method == "POST" and parts in (["init"], ["query"], ["bill"]):
            if environ.get("HTTP_AUTHORIZATION") != f"Bearer {self.access_token}":
                return self._json(
                    {"error_code": "401", "message": "Sai hoặc thiếu mã truy cập."}, "401 Unauthorized"
                )
            message = self._load(body)
            if message is None:
                return self._json({"error_code": "99", "message": "Sai định dạng JSON."}, "400 Bad Request")
            return getattr(self, f"do_{parts[0]}")(message)
        if len(parts) == 2 and parts[0] == "thanh-toan":
            if method == "GET":
                return self.payment_page(parts[1])
            if method == "POST":
                form = parse_qs(body.decode("utf-8"))
                return self.payer_decides(parts[1], form.get("action", [""])[0])
        if method == "POST" and len(parts) == 3 and parts[:2] == ["sandbox", "settle"]:
            options = self._load(body) or {}
            return self._json(self.settle(parts[2], **options))
        if method == "POST" and parts == ["sandbox", "config"]:
            options = self._load(body) or {}
            self.init_delay = float(options.get("init_delay", self.init_delay))
            return self._json({"init_delay": self.init_delay})
        if method == "GET" and len(parts) == 3 and parts[:2] == ["sandbox", "transactions"]:
            with self.lock:
                transaction = self.transactions.get(parts[2])
                public = (
                    None if transaction is None else {k: v for k, v in transaction.items() if k != "init"}
                )
            return self._json(public or {"error": "unknown"}, "200 OK" if public else "404 Not Found")
        return self._json({"error_code": "404", "message": "Không có địa chỉ này."}, "404 Not Found")

    @staticmethod
    def _load(body: bytes):
        try:
            data = json.loads(body.decode("utf-8") or "{}")
        except (UnicodeDecodeError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    @staticmethod
    def _json(data, status="200 OK"):
        content = json.dumps(data, ensure_ascii=False).encode("utf-8")
        return status, [("Content-Type", "application/json; charset=utf-8")], content

    # --- platform messages ---------------------------------------------------------------------------------

    def do_init(self, message):
        if self.init_delay:
            time.sleep(self.init_delay)
        if message.get("LoaiBanTin") != "INIT" or message.get("MaDoiTac") != self.partner_code:
            return self._json({"error_code": "1", "message": "Sai loại bản tin hoặc mã đối tác."})
        if not protocol.verify(message, protocol.INIT_FIELDS, self.secret_key):
            return self._json({"error_code": "2", "message": "Sai mã xác thực."})
        try:
            amount = int(message["SoTien"])
            protocol.parse_time(message["ThoiGianGD"])
        except (KeyError, TypeError, ValueError):
            return self._json({"error_code": "3", "message": "Sai số tiền hoặc thời gian giao dịch."})
        if amount <= 0:
            return self._json({"error_code": "3", "message": "Số tiền phải lớn hơn 0."})
        reference = str(message.get("MaThamChieu", ""))
        with self.lock:
            if not reference or reference in self.transactions:
                return self._json({"error_code": "4", "message": "Mã tham chiếu trống hoặc đã tồn tại."})
            self.transactions[reference] = {
                "reference": reference,
                "amount": amount,
                "description": message.get("ThongTinGiaoDich", ""),
                "payer": (message.get("ThongTinBienLai") or {}).get("HoTenNguoiNop", ""),
                "callback_url": message.get("UrlThongBao", ""),
                "return_url": message.get("UrlTraVe", ""),
                "state": "pending",
                "transaction_id": "",
                "paid_at": "",
                "deliveries": [],
                "init": message,
            }
        url = f"{self.public_url}/thanh-toan/{reference}"
        return self._json({"error_code": "0", "message": json.dumps({"UrlThanhToan": url})})

    def callback_for(self, transaction: dict, code: str | None = None) -> dict:
        code = code or {"succeeded": protocol.SUCCESS, "cancelled": protocol.CANCELLED}.get(
            transaction["state"], "51"
        )
        message = {
            "LoaiBanTin": "PAYMENT_RESULT",
            "MaLoi": code,
            "MaDoiTac": self.partner_code,
            "MaThamChieu": transaction["reference"],
            "SoTien": transaction["amount"],
            "MaTienTe": "VND",
            "MaGiaoDich": transaction["transaction_id"],
            "MaNganHang": "SANDBOXBANK",
            "ThoiGianGD": transaction["paid_at"],
            "ThongTinGiaoDich": transaction["description"],
        }
        return protocol.sign(message, protocol.CALLBACK_FIELDS, self.secret_key)

    def do_query(self, message):
        if not protocol.verify(message, protocol.QUERY_FIELDS, self.secret_key):
            return self._json({"MaLoi": "02", "MoTaLoi": "Sai mã xác thực."})
        with self.lock:
            transaction = self.transactions.get(str(message.get("MaThamChieu")))
            if transaction is None:
                return self._json({"MaLoi": "01", "MoTaLoi": "Không tìm thấy giao dịch."})
            if transaction["state"] in ("pending", "unknown"):
                return self._json(
                    {"MaLoi": "00", "MoTaLoi": "Giao dịch chưa có kết quả cuối.", "TrangThaiGD": "3"}
                )
            reply = self.callback_for(transaction)
        state = protocol.QUERY_SUCCEEDED if transaction["state"] == "succeeded" else protocol.QUERY_FAILED
        return self._json(reply | {"MoTaLoi": "Đã có kết quả giao dịch.", "TrangThaiGD": state})

    def do_bill(self, message):
        if not protocol.verify(message, protocol.BILL_FIELDS, self.secret_key):
            return self._json({"MaLoi": "02", "MoTaLoi": "Sai mã xác thực."}, "403 Forbidden")
        with self.lock:
            transaction = self.transactions.get(str(message.get("MaThamChieu")))
        if transaction is None or transaction["state"] != "succeeded":
            return self._json({"MaLoi": "01", "MoTaLoi": "Không có biên lai."}, "404 Not Found")
        return "200 OK", [("Content-Type", "application/pdf")], self._bill_pdf(transaction)

    @staticmethod
    def _bill_pdf(transaction: dict) -> bytes:
        from reportlab.pdfgen.canvas import Canvas

        buffer = io.BytesIO()
        canvas = Canvas(buffer)
        canvas.drawString(72, 760, f"SANDBOX BILL {transaction['reference']}")
        canvas.drawString(
            72, 740, f"SoTien {transaction['amount']} VND  MaGiaoDich {transaction['transaction_id']}"
        )
        canvas.save()
        return buffer.getvalue()

    # --- the payer's side and the switches of the sandbox -----------------------------------------------------

    def settle(self, reference: str, outcome: str = "success", deliver: bool = True, times: int = 1) -> dict:
        """Finish a transaction the way a bank would; optionally deliver its callback `times` times."""
        states = {"success": "succeeded", "failure": "failed", "cancel": "cancelled", "timeout": "unknown"}
        if outcome not in states:
            return {"error": f"outcome must be one of {sorted(states)}"}
        with self.lock:
            transaction = self.transactions.get(reference)
            if transaction is None:
                return {"error": "unknown"}
            if transaction["state"] in ("pending", "unknown"):
                transaction["state"] = states[outcome]
                transaction["transaction_id"] = (
                    transaction["transaction_id"] or "SB" + secrets.token_hex(6).upper()
                )
                transaction["paid_at"] = protocol.format_time(datetime.now(protocol.VIETNAM))
            if transaction["state"] == "unknown":
                return {"state": "unknown", "callback": None, "deliveries": []}
            callback = self.callback_for(transaction)
            url = transaction["callback_url"]
        deliveries = [self.deliver(url, callback) for _ in range(times)] if deliver and url else []
        with self.lock:
            transaction["deliveries"] += deliveries
        return {"state": transaction["state"], "callback": callback, "deliveries": deliveries}

    @staticmethod
    def deliver(url: str, callback: dict):
        """POST a callback; returns the HTTP status and the reply, or the error text."""
        request = urllib.request.Request(
            url,
            data=json.dumps(callback, ensure_ascii=False).encode("utf-8"),
            headers={"Content-Type": "application/json; charset=utf-8"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return {"status": response.status, "reply": json.loads(response.read() or b"{}")}
        except urllib.error.HTTPError as error:
            return {"status": error.code, "reply": error.read().decode("utf-8", "replace")}
        except (OSError, ValueError) as error:
            return {"status": None, "reply": str(error)}

    def payer_decides(self, reference: str, action: str):
        if action not in ("pay", "cancel"):
            return (
                "400 Bad Request",
                [("Content-Type", "text/plain; charset=utf-8")],
                "Sai thao tác.".encode(),
            )
        result = self.settle(reference, "success" if action == "pay" else "cancel")
        if result.get("error"):
            return (
                "404 Not Found",
                [("Content-Type", "text/plain; charset=utf-8")],
                "Không có giao dịch.".encode(),
            )
        with self.lock:
            return_url = self.transactions[reference]["return_url"]
        if return_url:
            return "303 See Other", [("Location", return_url), ("Content-Type", "text/plain")], b""
        return "200 OK", [("Content-Type", "text/plain; charset=utf-8")], "Đã xử lý giao dịch.".encode()

    def payment_page(self, reference: str):
        with self.lock:
            transaction = self.transactions.get(reference)
        if transaction is None:
            return (
                "404 Not Found",
                [("Content-Type", "text/html; charset=utf-8")],
                "Không có giao dịch.".encode(),
            )
        amount = f"{transaction['amount']:,}".replace(",", ".")
        done = transaction["state"] != "pending"
        page = f"""<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>Cổng thanh toán thử nghiệm</title>
<style>body{{font-family:sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem}}
button{{font-size:1rem;padding:.5rem 1rem;margin-right:.5rem}}</style></head><body>
<h1>Cổng thanh toán thử nghiệm</h1>
<p>Môi trường thử nghiệm, không trừ tiền thật.</p>
<dl><dt>Mã tham chiếu</dt><dd>{html.escape(reference)}</dd>
<dt>Nội dung</dt><dd>{html.escape(str(transaction["description"]))}</dd>
<dt>Người nộp</dt><dd>{html.escape(str(transaction["payer"]))}</dd>
<dt>Số tiền</dt><dd><strong>{amount} đ</strong></dd></dl>
{
            "<p>Giao dịch đã được xử lý.</p>"
            if done
            else f'''<form method="post" action="/thanh-toan/{html.escape(reference)}">
<button name="action" value="pay">Xác nhận thanh toán</button>
<button name="action" value="cancel">Hủy giao dịch</button></form>'''
        }
</body></html>"""
        return "200 OK", [("Content-Type", "text/html; charset=utf-8")], page.encode("utf-8")


class SandboxServer(LocalServer):
    """The sandbox platform served on a local port, in a background thread (`start`) or the calling one
    (`serve_forever`, the management command)."""

    thread_name = "payment-sandbox"

    def __init__(self, host: str = "127.0.0.1", port: int = 0, **options):
        super().__init__(SandboxPlatform(**(DEFAULTS | options)), host, port)

    def bound(self) -> None:
        self.app.public_url = self.url
