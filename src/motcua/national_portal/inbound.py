"""Dossiers submitted on the National Public Service Portal and pushed here (NATIONAL-PORTAL.md §1.2, §10.8).

The portal (or the provincial connector in front of it) POSTs one dossier as JSON; motcua creates a local online
dossier through `motcua.dossiers.services.submit_online`, so it waits in the online reception queue like any
online submission (status 1, no code and no clock until a reception officer receives it).

Authentication (the public implementations' endpoints are anonymous; §7.3 asks for signed requests and an IP
allow-list): every request carries
    X-DVCQG-Timestamp: <unix seconds>
    X-DVCQG-Signature: sha256=<hex HMAC-SHA256(NATIONAL_PORTAL_INBOUND_SECRET, "<timestamp>." + body bytes)>
and is refused when the secret is not configured, the signature does not match, the timestamp is more than
NATIONAL_PORTAL_INBOUND_MAX_SKEW_SECONDS (300) away from now, or the caller's address is outside
NATIONAL_PORTAL_INBOUND_ALLOWED_IPS (when set). mTLS, if wanted, belongs to the reverse proxy in front.

Body (the shape of OpenCPS's `createdossierfromdvcqg`, widened to citizens; the portal's own inbound shape is an
open question):
    MaHoSo (required: the portal's code; a repeat is answered error_code "1" and changes nothing),
    MaTTHC (required: a published procedure of the local catalog offered online),
    LoaiDoiTuong "1" citizen (ChuHoSo and SoGiayToChuHoSo, a 12-digit identity number, required) or
    "2" business (MaSoThue and TenThuongNhan required; implied when MaSoThue is given),
    DienThoai, Email, NguoiLienHe, DiaChiDoanhNghiep {MaTinh, MaHuyen, MaXa, DiaChiChiTiet} or DiaChi,
    TrichYeuHoSo (summary), MaDoiTuong (the owner's portal account TechID), MaCoQuanThucHien (receiving agency
    identity code; default: the procedure's resolving agency), HinhThuc ("1": result by post),
    TenTepDonDangKy + TepDonDangKy (base64), TaiLieuNop [{TenTepDinhKem, Base64}].
Replies, in the portal's shape: {"error_code": "0", "message": "... thành công"} created; "1" duplicate;
"-1" refused (the message says why, in Vietnamese; nothing is created).
"""

import base64
import binascii
import hashlib
import hmac
import ipaddress
import logging
import re
import time
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from motcua.catalog.models import OnlineLevel, Procedure
from motcua.dossiers import services as dossier_services
from motcua.dossiers.applicants import find_or_create_applicant
from motcua.dossiers.identity import CCCD_RE, TAX_CODE_RE
from motcua.dossiers.models import Applicant, DossierDocument
from motcua.dossiers.states import ReturnMethod
from motcua.org.models import Agency
from motcua.uploads import check_upload

from . import conf
from .models import InboundDossier

logger = logging.getLogger(__name__)
TIMESTAMP_HEADER = "X-DVCQG-Timestamp"
SIGNATURE_HEADER = "X-DVCQG-Signature"
CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-_/]{0,59}$")
MAX_FILES = 30
ONLINE_LEVELS = (OnlineLevel.FULL, OnlineLevel.PARTIAL)


class InboundRefused(Exception):
    """The call is refused; `status` is the HTTP status and `message` the Vietnamese reason."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class InboundResult:
    error_code: str
    message: str
    dossier: object = None
    created: bool = False
    errors: list = field(default_factory=list)

    def reply(self) -> dict:
        return {"error_code": self.error_code, "message": self.message}


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The value of the signature header for `body` sent at `timestamp`."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def authenticate(headers, body: bytes, remote_addr: str, now: float | None = None) -> None:
    """Raise InboundRefused unless the caller is allowed and the body is signed with the shared secret."""
    secret = conf.get("inbound_secret")
    if not secret:
        raise InboundRefused(_("Hệ thống chưa bật nhận hồ sơ từ Cổng DVCQG."), 403)
    allowed = [item.strip() for item in conf.get("inbound_allowed_ips").split(",") if item.strip()]
    if allowed:
        try:
            address = ipaddress.ip_address(remote_addr)
            networks = [ipaddress.ip_network(item, strict=False) for item in allowed]
        except ValueError:
            raise InboundRefused(_("Địa chỉ gọi đến không được phép."), 403) from None
        if not any(address in network for network in networks):
            raise InboundRefused(_("Địa chỉ gọi đến không được phép."), 403)
    timestamp = (headers.get(TIMESTAMP_HEADER) or "").strip()
    given = (headers.get(SIGNATURE_HEADER) or "").strip()
    if not timestamp or not given:
        raise InboundRefused(_("Thiếu chữ ký của yêu cầu (X-DVCQG-Timestamp, X-DVCQG-Signature)."), 401)
    try:
        sent_at = int(timestamp)
    except ValueError:
        raise InboundRefused(_("X-DVCQG-Timestamp phải là số giây Unix."), 401) from None
    skew = float(conf.get("inbound_max_skew_seconds") or 300)
    if abs((now if now is not None else time.time()) - sent_at) > skew:
        raise InboundRefused(_("Yêu cầu đã quá hạn hoặc đồng hồ bên gọi bị lệch."), 401)
    if not hmac.compare_digest(signature(secret, timestamp, body), given):
        raise InboundRefused(_("Chữ ký của yêu cầu không đúng."), 401)


def _text(data: dict, key: str, limit: int = 500) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str | int):
        raise InboundRefused(_("%(key)s: giá trị phải là chuỗi ký tự.") % {"key": key})
    return " ".join(str(value).split())[:limit]


def _file(name, content, label: str, errors: list):
    """A checked upload from a base64 field, or None (with the reason appended to `errors`)."""
    if not isinstance(name, str) or not name.strip():
        errors.append(_("%(label)s: thiếu tên tệp.") % {"label": label})
        return None
    if not isinstance(content, str) or not content.strip():
        errors.append(_("%(label)s: thiếu nội dung tệp (Base64).") % {"label": label})
        return None
    try:
        raw = base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        errors.append(_("%(label)s: nội dung tệp không phải Base64 hợp lệ.") % {"label": label})
        return None
    try:
        return check_upload(SimpleUploadedFile(name.strip(), raw))
    except ValidationError as error:
        errors.append(f"{label}: {error.messages[0]}")
        return None


def _applicant_fields(data: dict, errors: list) -> dict:
    kind = _text(data, "LoaiDoiTuong", 2) or ("2" if data.get("MaSoThue") else "1")
    phone = re.sub(r"[\s.]", "", _text(data, "DienThoai", 30) or _text(data, "SoDienThoai", 30))
    email = _text(data, "Email", 254)
    if phone and not re.fullmatch(r"\+?\d{8,15}", phone):
        errors.append(_("DienThoai: số điện thoại không hợp lệ."))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(_("Email: địa chỉ thư điện tử không hợp lệ."))
    address = data.get("DiaChiDoanhNghiep")
    if isinstance(address, dict):
        address_text = ", ".join(
            " ".join(str(address.get(k) or "").split())
            for k in ("DiaChiChiTiet", "MaXa", "MaHuyen", "MaTinh")
            if address.get(k)
        )
    else:
        address_text = _text(data, "DiaChi", 500)
    common = {"phone": phone, "email": email, "address": address_text[:500]}
    if kind == "1":
        name, number = _text(data, "ChuHoSo", 255), _text(data, "SoGiayToChuHoSo", 30)
        if not name:
            errors.append(_("ChuHoSo: bắt buộc với hồ sơ của công dân."))
        if not CCCD_RE.match(number):
            errors.append(_("SoGiayToChuHoSo: phải là số định danh cá nhân 12 chữ số."))
        return common | {
            "applicant_type": Applicant.Type.CITIZEN,
            "name": name,
            "id_type": Applicant.IdType.CCCD,
            "id_number": number,
        }
    if kind in ("2", "3", "4"):
        tax_code = _text(data, "MaSoThue", 14)
        name = _text(data, "TenThuongNhan", 255) or _text(data, "ChuHoSo", 255)
        if not TAX_CODE_RE.match(tax_code):
            errors.append(_("MaSoThue: phải có 10 chữ số (hoặc 10 chữ số, dấu gạch và 3 chữ số)."))
        if not name:
            errors.append(_("TenThuongNhan: bắt buộc với hồ sơ của tổ chức, doanh nghiệp."))
        return common | {
            "applicant_type": Applicant.Type.ORGANISATION,
            "name": name,
            "id_type": Applicant.IdType.TAX_CODE,
            "id_number": tax_code,
            "tax_code": tax_code,
            "representative": _text(data, "NguoiLienHe", 255),
        }
    errors.append(_("LoaiDoiTuong: giá trị không hợp lệ."))
    return {}


def receive(data, *, raw: bytes = b"", remote_addr: str | None = None) -> InboundResult:
    """Create the local online dossier for one portal dossier, once per MaHoSo. Never raises for bad input: a
    refused payload comes back as error_code "-1" with the reasons, and nothing is stored."""
    if not isinstance(data, dict):
        return InboundResult("-1", _("Nội dung phải là một đối tượng JSON (một hồ sơ)."))
    try:
        return _receive(data, raw, remote_addr)
    except InboundRefused as refused:
        return InboundResult("-1", refused.message)


def _receive(data: dict, raw: bytes, remote_addr) -> InboundResult:
    errors: list[str] = []
    portal_code = _portal_code(data, errors)
    if not errors:
        existing = _inbound_for(portal_code)
        if existing is not None:
            return _duplicate(existing)
    procedure = _procedure(data, errors)
    agency = _agency(data, errors)
    applicant_fields = _applicant_fields(data, errors)
    summary = _text(data, "TrichYeuHoSo", 500)
    method = _text(data, "HinhThuc", 2)
    if method not in ("", "0", "1"):
        errors.append(_("HinhThuc: giá trị không hợp lệ (0 nhận tại quầy/trực tuyến, 1 qua bưu chính)."))
    files = _files(data, errors)
    if errors:
        return InboundResult(
            "-1", _("Dữ liệu không hợp lệ: %(errors)s") % {"errors": "; ".join(errors)}, errors=errors
        )
    documents = [
        {"name": title, "original_count": 0, "copy_count": 0, "file": checked.as_content_file()}
        for title, checked in files
    ]
    return _store(
        data,
        raw,
        remote_addr,
        portal_code=portal_code,
        procedure=procedure,
        agency=agency,
        applicant_fields=applicant_fields,
        summary=summary,
        return_method=_return_method(method, procedure),
        documents=documents,
    )


def _portal_code(data: dict, errors: list) -> str:
    """The portal's dossier code (MaHoSo); an error when it is missing or malformed."""
    portal_code = _text(data, "MaHoSo", 100)
    if not portal_code:
        errors.append(_("MaHoSo: bắt buộc."))
    elif not CODE_RE.match(portal_code):
        errors.append(_("MaHoSo: chỉ gồm chữ, số và . - _ / (tối đa 60 ký tự)."))
    return portal_code


def _inbound_for(portal_code: str) -> InboundDossier | None:
    return InboundDossier.objects.filter(portal_code=portal_code).select_related("dossier").first()


def _procedure(data: dict, errors: list) -> Procedure | None:
    """The published procedure (MaTTHC) offered online here, or None with the error."""
    procedure_code = _text(data, "MaTTHC", 50)
    if not procedure_code:
        errors.append(_("MaTTHC: bắt buộc."))
        return None
    procedure = Procedure.objects.select_related("resolving_agency").filter(code=procedure_code).first()
    if procedure is None or procedure.status != Procedure.Status.PUBLISHED:
        errors.append(
            _("MaTTHC: thủ tục %(code)s không có trong danh mục đang công bố.") % {"code": procedure_code}
        )
        return None
    if procedure.online_level not in ONLINE_LEVELS:
        errors.append(
            _("MaTTHC: thủ tục %(code)s chưa cung cấp dịch vụ công trực tuyến tại hệ thống.")
            % {"code": procedure_code}
        )
        return None
    return procedure


def _agency(data: dict, errors: list) -> Agency | None:
    """The agency named by MaCoQuanThucHien, or None (none named, or unknown: then with the error)."""
    agency_code = _text(data, "MaCoQuanThucHien", 30)
    if not agency_code:
        return None
    agency = Agency.objects.filter(identity_code=agency_code.upper()).first()
    if agency is None:
        errors.append(_("MaCoQuanThucHien: không có cơ quan mã %(code)s.") % {"code": agency_code})
    return agency


def _files(data: dict, errors: list) -> list[tuple]:
    """(title, checked file) of the registration form (TepDonDangKy) and the attachments (TaiLieuNop)."""
    files = []
    attachments = data.get("TaiLieuNop") or []
    if not isinstance(attachments, list):
        errors.append(_("TaiLieuNop: phải là danh sách tệp."))
        attachments = []
    if len(attachments) > MAX_FILES:
        errors.append(_("TaiLieuNop: nhiều nhất %(n)d tệp.") % {"n": MAX_FILES})
        attachments = []
    if data.get("TepDonDangKy") or data.get("TenTepDonDangKy"):
        checked = _file(data.get("TenTepDonDangKy"), data.get("TepDonDangKy"), "TepDonDangKy", errors)
        if checked:
            files.append((_("Đơn đăng ký"), checked))
    for position, item in enumerate(attachments, start=1):
        label = f"TaiLieuNop[{position}]"
        if not isinstance(item, dict):
            errors.append(_("%(label)s: phải là một đối tượng.") % {"label": label})
            continue
        checked = _file(item.get("TenTepDinhKem"), item.get("Base64"), label, errors)
        if checked:
            files.append((_text(item, "TenTepDinhKem", 500), checked))
    return files


def _return_method(method: str, procedure: Procedure) -> str:
    if method == "1":
        return ReturnMethod.POST
    if procedure.online_level == OnlineLevel.FULL:
        return ReturnMethod.ONLINE
    return ReturnMethod.COUNTER


def _store(
    data: dict,
    raw: bytes,
    remote_addr,
    *,
    portal_code: str,
    procedure: Procedure,
    agency: Agency | None,
    applicant_fields: dict,
    summary: str,
    return_method: str,
    documents: list[dict],
) -> InboundResult:
    """Submit the checked dossier online and record where it came from, in one transaction; the files stored
    are removed again if anything fails."""
    stored: list[tuple] = []
    token = _collector.set(stored)
    try:
        with transaction.atomic():
            applicant = find_or_create_applicant(**applicant_fields)
            dossier = dossier_services.submit_online(
                procedure=procedure,
                applicant=applicant,
                agency=agency,
                return_method=return_method,
                summary=summary,
                documents=documents,
            )
            # The files are in storage already, the rows not yet committed: if the transaction rolls back
            # (the same MaHoSo committed by a simultaneous push, or any error), the files go with the rows.
            stored[:] = stored_files(dossier)
            InboundDossier.objects.create(
                portal_code=portal_code,
                dossier=dossier,
                procedure_code=procedure.code,
                tech_id=_text(data, "MaDoiTuong", 100),
                remote_addr=remote_addr or None,
                payload_sha256=hashlib.sha256(raw).hexdigest(),
            )
    except IntegrityError:
        # The same MaHoSo arrived twice at once: the other request created it.
        delete_files(stored)
        existing = _inbound_for(portal_code)
        if existing is None:
            raise
        return _duplicate(existing)
    except ValidationError as error:
        delete_files(stored)
        return InboundResult(
            "-1", _("Dữ liệu không hợp lệ: %(errors)s") % {"errors": "; ".join(error.messages)}
        )
    except BaseException:
        delete_files(stored)
        raise
    finally:
        _collector.reset(token)
    return InboundResult(
        "0", _("Tiếp nhận hồ sơ %(code)s thành công") % {"code": portal_code}, dossier=dossier, created=True
    )


# The files stored by the inbound call running in this thread (filled as soon as the components are saved).
_collector: ContextVar[list | None] = ContextVar("national_portal_inbound_files", default=None)


def note_stored_files(dossier) -> None:
    """Called when a dossier's components are saved (`components_received`): during an inbound call, remember
    its files, so that an error raised later inside the same transaction still removes them."""
    collected = _collector.get()
    if collected is not None:
        collected[:] = stored_files(dossier)


def stored_files(dossier) -> list[tuple]:
    """(storage, name) of every file stored for the dossier: its components and the documents made of them."""
    from motcua.documents.models import Document

    found = []
    for model in (DossierDocument, Document):
        storage = model._meta.get_field("file").storage
        names = model.objects.filter(dossier=dossier).exclude(file="").values_list("file", flat=True)
        found += [(storage, name) for name in names]
    return list(dict.fromkeys(found))


def delete_files(stored) -> None:
    """Remove files whose rows were rolled back (nothing else refers to them: they were stored just now)."""
    for storage, name in stored:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("national portal inbound: could not delete the orphan file %s", name)


def _duplicate(existing: InboundDossier) -> InboundResult:
    return InboundResult(
        "1",
        _("Hồ sơ %(code)s đã được gửi trước đó (trùng MaHoSo); không tạo thêm hồ sơ.")
        % {"code": existing.portal_code},
        dossier=existing.dossier,
    )
