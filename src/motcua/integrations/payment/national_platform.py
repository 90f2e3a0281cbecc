"""The national payment platform's client (message set "1.0.6"), and the sandbox that speaks the same protocol."""

import json
import socket
import urllib.error
import urllib.request
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.integrations.registry import Setting

from . import protocol
from .base import (
    CallbackMessage,
    GatewayError,
    InvalidCallback,
    PaymentGateway,
    PaymentRequest,
    QueryResult,
    payment_gateways,
)

# PhiLePhi.LoaiPhiLePhi of the receipt block: 1 = phí, 2 = lệ phí.
FEE_KIND_CODES = {"service_fee": 1, "admin_charge": 2}


@payment_gateways.register("national_payment_platform")
class NationalPaymentPlatform(PaymentGateway):
    """Nền tảng thanh toán of the National Public Service Portal."""

    verbose_name = gettext_lazy("Nền tảng thanh toán của Cổng Dịch vụ công quốc gia")
    config_schema = {
        "init_url": Setting(kind="url"),
        "query_url": Setting(kind="url"),
        "bill_url": Setting(kind="url"),
        "partner_code": Setting(),
        "secret_key": Setting(kind="secret"),
        "access_token": Setting(kind="secret", required=False),
        "timeout": Setting(kind="float", default=15.0, min_value=0.1),
        "server_ip": Setting(default="127.0.0.1"),
    }

    # --- transport ---------------------------------------------------------------------------------------

    def _post(self, url: str, body: dict) -> bytes:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"}
        if self.config.get("access_token"):
            headers["Authorization"] = f"Bearer {self.config['access_token']}"
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.config["timeout"]) as response:  # noqa: S310
                return response.read()
        except urllib.error.HTTPError as error:
            raise GatewayError(
                _("Cổng thanh toán trả lỗi HTTP %(status)s.") % {"status": error.code}
            ) from error
        except TimeoutError as error:
            raise GatewayError(_("Cổng thanh toán không trả lời trong thời gian cho phép.")) from error
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            if isinstance(reason, TimeoutError | socket.timeout):
                raise GatewayError(_("Cổng thanh toán không trả lời trong thời gian cho phép.")) from error
            raise GatewayError(_("Không kết nối được tới cổng thanh toán.")) from error

    def _post_json(self, url: str, body: dict) -> dict:
        raw = self._post(url, body)
        try:
            reply = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise GatewayError(_("Cổng thanh toán trả lời không đúng định dạng.")) from error
        if not isinstance(reply, dict):
            raise GatewayError(_("Cổng thanh toán trả lời không đúng định dạng."))
        return reply

    # --- messages ----------------------------------------------------------------------------------------

    def build_init(self, request: PaymentRequest) -> dict:
        message = {
            "LoaiBanTin": "INIT",
            "PhienBan": protocol.VERSION,
            "MaDoiTac": self.config["partner_code"],
            "MaThamChieu": request.reference,
            "SoTien": request.amount,
            "LoaiHinhThanhToan": "PAY",
            "MaKenhThanhToan": "1",
            "MaThietBi": "1",
            "NgonNgu": "vi-VN",
            "MaTienTe": "VND",
            "MaNganHang": "PAYMENT",
            "ThongTinGiaoDich": request.description[:255],
            "ThoiGianGD": protocol.format_time(request.created_at),
            "Ip": self.config["server_ip"],
        }
        message = protocol.sign(message, protocol.INIT_FIELDS, self.config["secret_key"])
        message["ThongTinBienLai"] = {
            "MaDichVu": "2",
            "MaDVC": f"{request.procedure_code}.01" if request.procedure_code else "",
            "TenDVC": request.procedure_name[:250],
            "MaTTHC": request.procedure_code,
            "TenTTHC": request.procedure_name[:250],
            "MaDonVi": request.agency_code,
            "TenDonVi": request.agency_name,
            "MaHoSo": request.dossier_code,
            "TKThuHuong": request.beneficiary_account,
            "MaNHThuHuong": request.beneficiary_bank_code,
            "TenTKThuHuong": request.beneficiary_name,
            "NoiDungThanhToan": request.description,
            "HoTenNguoiNop": request.payer_name,
            "SoCMNDNguoiNop": request.payer_id_number,
            "DiaChiNguoiNop": request.payer_address,
            "PhiLePhi": [
                {
                    "LoaiPhiLePhi": FEE_KIND_CODES.get(item["kind"], 2),
                    "MaPhiLePhi": "",
                    "TenPhiLePhi": item["description"],
                    "SoTien": item["unit_amount"] * item.get("quantity", 1),
                }
                for item in request.items
            ],
            "DSKhoanNop": [
                {"NoiDung": item["description"], "SoTien": item["unit_amount"] * item.get("quantity", 1)}
                for item in request.items
            ],
        }
        # Where to notify and where to send the payer back (the real platform takes these from the partner's
        # registration; the sandbox reads them from the message).
        message["UrlThongBao"] = request.callback_url
        message["UrlTraVe"] = request.return_url
        return message

    def initiate(self, request: PaymentRequest) -> str:
        reply = self._post_json(self.config["init_url"], self.build_init(request))
        if not protocol.is_ok(reply.get("error_code")):
            raise GatewayError(
                _("Cổng thanh toán từ chối tạo giao dịch: %(message)s")
                % {"message": reply.get("message", "")}
            )
        body = reply.get("message")
        if isinstance(body, str):
            try:
                body = json.loads(body)
            except ValueError as error:
                raise GatewayError(_("Cổng thanh toán trả lời không đúng định dạng.")) from error
        url = body.get("UrlThanhToan") if isinstance(body, dict) else None
        if not url or not str(url).startswith(("http://", "https://")):
            raise GatewayError(_("Cổng thanh toán không trả về địa chỉ trang thanh toán."))
        return str(url)

    def parse_callback(self, payload: dict) -> CallbackMessage:
        if not isinstance(payload, dict) or not payload.get("MaThamChieu"):
            raise InvalidCallback("malformed", _("Thông báo thanh toán không đúng định dạng."))
        if not protocol.verify(payload, protocol.CALLBACK_FIELDS, self.config["secret_key"]):
            raise InvalidCallback("bad_signature", _("Mã xác thực của thông báo thanh toán không đúng."))
        if payload.get("MaDoiTac") != self.config["partner_code"]:
            raise InvalidCallback("malformed", _("Mã đối tác trong thông báo thanh toán không đúng."))
        try:
            amount = int(payload["SoTien"])
            gateway_time = protocol.parse_time(payload["ThoiGianGD"])
        except (KeyError, TypeError, ValueError):
            raise InvalidCallback("malformed", _("Thông báo thanh toán không đúng định dạng.")) from None
        if str(payload.get("MaTienTe", "VND")) != "VND":
            raise InvalidCallback("malformed", _("Chỉ nhận thanh toán bằng đồng Việt Nam."))
        code = str(payload.get("MaLoi", ""))
        return CallbackMessage(
            reference=str(payload["MaThamChieu"]),
            amount=amount,
            succeeded=code == protocol.SUCCESS,
            cancelled=code == protocol.CANCELLED,
            error_code=code,
            transaction_id=str(payload.get("MaGiaoDich") or ""),
            bank_code=str(payload.get("MaNganHang") or ""),
            gateway_time=gateway_time,
            signature=str(payload["MaXacThuc"]).lower(),
            raw=dict(payload),
        )

    def query(self, reference: str, created_at: datetime) -> QueryResult:
        message = protocol.sign(
            {
                "LoaiBanTin": "QUERY",
                "PhienBan": protocol.VERSION,
                "MaDoiTac": self.config["partner_code"],
                "MaThamChieu": reference,
                "ThoiGianGD": protocol.format_time(created_at),
            },
            protocol.QUERY_FIELDS,
            self.config["secret_key"],
        )
        reply = self._post_json(self.config["query_url"], message)
        state = str(reply.get("TrangThaiGD", ""))
        description = str(reply.get("MoTaLoi", ""))
        if state == protocol.QUERY_PENDING:
            return QueryResult("pending", description=description)
        if state not in (protocol.QUERY_SUCCEEDED, protocol.QUERY_FAILED):
            raise GatewayError(_("Cổng thanh toán trả lời tra vấn không rõ trạng thái."))
        try:
            parsed = self.parse_callback(reply)
        except InvalidCallback as error:
            raise GatewayError(error.message) from error
        return QueryResult(
            "succeeded" if state == protocol.QUERY_SUCCEEDED else "failed", parsed, description
        )

    def fetch_bill(self, reference: str, created_at: datetime) -> bytes:
        """The platform's own receipt (GET_BILL) as PDF bytes."""
        message = protocol.sign(
            {
                "LoaiBanTin": "GET_BILL",
                "PhienBan": protocol.VERSION,
                "MaDoiTac": self.config["partner_code"],
                "MaThamChieu": reference,
                "ThoiGianGD": protocol.format_time(created_at),
            },
            protocol.BILL_FIELDS,
            self.config["secret_key"],
        )
        data = self._post(self.config["bill_url"], message)
        if not data.startswith(b"%PDF"):
            raise GatewayError(_("Cổng thanh toán không trả về biên lai dạng PDF."))
        return data

    def reply(self, code: str, description: str) -> dict:
        body = {
            "MaLoi": code,
            "MoTaLoi": description,
            "MaDoiTac": self.config["partner_code"],
            "ThoiGianGD": protocol.format_time(datetime.now(protocol.VIETNAM)),
        }
        return protocol.sign(body, protocol.REPLY_FIELDS, self.config["secret_key"])


@payment_gateways.register("sandbox")
class SandboxGateway(NationalPaymentPlatform):
    """The sandbox platform run by `motcua run_payment_sandbox`: same messages, local HTTP, test secrets."""

    verbose_name = gettext_lazy("Cổng thanh toán thử nghiệm (mô phỏng nền tảng thanh toán quốc gia)")
    config_schema = {
        "base_url": Setting(kind="url", default="http://127.0.0.1:8765"),
        "partner_code": Setting(default="MOTCUA-SANDBOX"),
        "secret_key": Setting(kind="secret", default="sandbox-secret-not-for-production"),
        "access_token": Setting(kind="secret", default="sandbox-access-token"),
        "timeout": Setting(kind="float", default=5.0, min_value=0.1),
        "server_ip": Setting(default="127.0.0.1"),
    }

    @classmethod
    def clean_config(cls, config: dict) -> dict:
        base = config["base_url"].rstrip("/")
        return config | {
            "base_url": base,
            "init_url": f"{base}/init",
            "query_url": f"{base}/query",
            "bill_url": f"{base}/bill",
        }
