"""The HTTP connector (protocol in docs/DEPLOY.md, "Biên lai điện tử") and the sandbox that speaks it.

POST {base_url}/bien-lai      body: the signed XML; header X-Ma-Tham-Chieu: the receipt's reference
    200 {"MaKetQua": "00", "MaCQT": "...", "MoTa": "..."}   accepted (a resend answers the same code)
    422 {"MaKetQua": "01", "MoTa": "..."}                  refused (wrong structure, bad signature, ...)
    anything else (5xx, timeout, unreadable)                unknown: retried
POST {base_url}/bien-lai/huy  body: the signed cancellation notice (HBLai) of an accepted receipt; same answers
    (MaCQT: the code of the cancellation; a resend answers the same code)
GET  {base_url}/bien-lai/{MaCQT}  200 {"MaKetQua": "00", "TrangThai": "...", "MoTa": "..."}
"""

import json
import socket
import urllib.error
import urllib.parse
import urllib.request

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.integrations.registry import Setting

from .base import SendResult, TaxReceiptConnector, TransmissionError, tax_receipt_connectors

ACCEPTED, REFUSED = "00", "01"


@tax_receipt_connectors.register("http")
class HttpConnector(TaxReceiptConnector):
    verbose_name = gettext_lazy("Dịch vụ tiếp nhận biên lai điện tử (HTTP)")
    config_schema = {
        "base_url": Setting(kind="url"),
        "access_token": Setting(kind="secret"),
        "timeout": Setting(kind="float", default=15.0, min_value=0.1),
    }

    @classmethod
    def clean_config(cls, config: dict) -> dict:
        return config | {"base_url": config["base_url"].rstrip("/")}

    def _call(self, request: urllib.request.Request) -> tuple[int, dict]:
        request.add_header("Authorization", f"Bearer {self.config['access_token']}")
        request.add_header("Accept", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=self.config["timeout"]) as response:  # noqa: S310
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        except TimeoutError as error:
            raise TransmissionError(_("Cơ quan thuế không trả lời trong thời gian cho phép.")) from error
        except (urllib.error.URLError, OSError) as error:
            if isinstance(getattr(error, "reason", None), TimeoutError | socket.timeout):
                raise TransmissionError(_("Cơ quan thuế không trả lời trong thời gian cho phép.")) from error
            raise TransmissionError(_("Không kết nối được tới dịch vụ của cơ quan thuế.")) from error
        if status >= 500 or status in (401, 403, 429):
            raise TransmissionError(
                _("Dịch vụ của cơ quan thuế trả lỗi HTTP %(status)s.") % {"status": status}
            )
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise TransmissionError(_("Cơ quan thuế trả lời không đúng định dạng.")) from error
        if not isinstance(body, dict) or body.get("MaKetQua") not in (ACCEPTED, REFUSED):
            raise TransmissionError(_("Cơ quan thuế trả lời không đúng định dạng."))
        return status, body

    def send(self, xml: bytes, reference: str) -> SendResult:
        return self._post("bien-lai", xml, reference)

    def cancel(self, xml: bytes, reference: str) -> SendResult:
        return self._post("bien-lai/huy", xml, reference)

    def _post(self, path: str, xml: bytes, reference: str) -> SendResult:
        request = urllib.request.Request(
            f"{self.config['base_url']}/{path}",
            data=xml,
            method="POST",
            headers={"Content-Type": "application/xml; charset=utf-8", "X-Ma-Tham-Chieu": reference},
        )
        _status, body = self._call(request)
        if body["MaKetQua"] == ACCEPTED:
            if not body.get("MaCQT"):
                raise TransmissionError(_("Cơ quan thuế không trả về mã tiếp nhận."))
            return SendResult(True, str(body["MaCQT"])[:100], str(body.get("MoTa", ""))[:500])
        return SendResult(False, "", str(body.get("MoTa", ""))[:500])

    def status(self, code: str) -> SendResult:
        quoted = urllib.parse.quote(code, safe="")
        _status, body = self._call(urllib.request.Request(f"{self.config['base_url']}/bien-lai/{quoted}"))
        return SendResult(
            body["MaKetQua"] == ACCEPTED, code, str(body.get("TrangThai") or body.get("MoTa", ""))[:500]
        )


@tax_receipt_connectors.register("sandbox")
class SandboxConnector(HttpConnector):
    """The sandbox of `sandbox_server` (`motcua run_tax_receipt_sandbox`): same protocol, a published token."""

    verbose_name = gettext_lazy("Cơ quan thuế thử nghiệm (mô phỏng tiếp nhận biên lai điện tử)")
    config_schema = {
        "base_url": Setting(kind="url", default="http://127.0.0.1:8767"),
        "access_token": Setting(kind="secret", default="sandbox-access-token"),
        "timeout": Setting(kind="float", default=5.0, min_value=0.1),
    }
