"""Messages of the national payment platform (Nền tảng thanh toán of the National Public Service Portal).

Version "1.0.6" as public provincial implementations use it: JSON messages `INIT` (create a payment and get the
URL the citizen is sent to), the callback (IPN) with the result, `QUERY` (the state of a transaction) and
`GET_BILL` (the platform's receipt as PDF). Each message carries `MaXacThuc`: the lowercase hex SHA-256 of its
signed fields joined with "|" and followed by "|" and the partner's secret. The field order below is part of the
contract. Times are `yyyyMMddHHmmss` on the 24-hour clock in Vietnam time.

Both sides use this module: motcua's gateway plugin and the sandbox platform that stands in for the real one.
"""

import hashlib
import hmac
from datetime import datetime
from zoneinfo import ZoneInfo

VERSION = "1.0.6"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
TIME_FORMAT = "%Y%m%d%H%M%S"

INIT_FIELDS = (
    "LoaiBanTin",
    "PhienBan",
    "MaDoiTac",
    "MaThamChieu",
    "SoTien",
    "LoaiHinhThanhToan",
    "MaKenhThanhToan",
    "MaThietBi",
    "NgonNgu",
    "MaTienTe",
    "MaNganHang",
    "ThongTinGiaoDich",
    "ThoiGianGD",
    "Ip",
)
CALLBACK_FIELDS = (
    "LoaiBanTin",
    "MaLoi",
    "MaDoiTac",
    "MaThamChieu",
    "SoTien",
    "MaTienTe",
    "MaGiaoDich",
    "MaNganHang",
    "ThoiGianGD",
    "ThongTinGiaoDich",
)
QUERY_FIELDS = ("LoaiBanTin", "PhienBan", "MaDoiTac", "MaThamChieu", "ThoiGianGD")
BILL_FIELDS = QUERY_FIELDS
REPLY_FIELDS = ("MaLoi", "MaDoiTac", "ThoiGianGD")

# MaLoi of a callback: "00" is a successful payment. "24" (the payer cancelled) is the sandbox's convention for
# a cancellation; any other code is a failed payment.
SUCCESS = "00"
CANCELLED = "24"

# TrangThaiGD of a QUERY reply.
QUERY_SUCCEEDED, QUERY_PENDING, QUERY_FAILED = "1", "3", "4"


def format_time(moment: datetime) -> str:
    return moment.astimezone(VIETNAM).strftime(TIME_FORMAT)


def parse_time(text: str) -> datetime:
    """Parse `yyyyMMddHHmmss` (Vietnam time); raises ValueError."""
    return datetime.strptime(str(text), TIME_FORMAT).replace(tzinfo=VIETNAM)


def signature(message: dict, fields: tuple[str, ...], secret: str) -> str:
    raw = "|".join(["" if message.get(f) is None else str(message.get(f)) for f in fields] + [secret])
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def sign(message: dict, fields: tuple[str, ...], secret: str) -> dict:
    """The message with its MaXacThuc."""
    return message | {"MaXacThuc": signature(message, fields, secret)}


def verify(message: dict, fields: tuple[str, ...], secret: str) -> bool:
    received = message.get("MaXacThuc")
    if not isinstance(received, str):
        return False
    return hmac.compare_digest(received.lower(), signature(message, fields, secret))


def is_ok(error_code) -> bool:
    """Replies have carried the success code as "0", "00" and 0 over the years: accept all three."""
    return str(error_code).strip() in ("0", "00")
