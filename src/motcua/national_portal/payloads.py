"""The dossier (`HoSo`) and history entry (tiến trình) as the portal takes them (NATIONAL-PORTAL.md §2).

Rules kept here, because the portal scores provinces on these fields (Decision 766):
- every value is a string (codes included), empty optional values are "";
- dates are ``yyyyMMddHHmmss`` in Vietnam time;
- the status is the dossier's true portal code: 5, 6 and 8 are never rewritten to 9;
- identity numbers are sent only when the applicant really has one (no ``000000001`` placeholder), and flags
  such as "digitised", "reused" or "VNeID-verified" are "1" only when true;
- ``NgayHenTra`` is the legal due date (an apology letter moves only the appointment with the citizen);
- file links are absolute URLs the portal can download (signed, see `files`).
"""

import datetime
from zoneinfo import ZoneInfo

from django.apps import apps
from django.db.models import Exists, OuterRef, Q

from motcua.dossiers.models import Applicant, Dossier, DossierDocument, DossierEvent
from motcua.dossiers.states import Channel, ReturnMethod
from motcua.prepared import PreparedValues

from . import files

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
DATE_FORMAT = "%Y%m%d%H%M%S"

CHANNEL_CODES = {Channel.COUNTER: "1", Channel.ONLINE: "2", Channel.POSTAL: "3"}
SUMMARY_LIMIT = 1000
ACTOR_LIMIT = 50


def portal_date(moment) -> str:
    """``yyyyMMddHHmmss`` in Vietnam time; "" for no date."""
    if moment is None:
        return ""
    return moment.astimezone(VIETNAM).strftime(DATE_FORMAT)


def _s(value) -> str:
    return "" if value is None else str(value)


def identity_documents(applicant: Applicant) -> list[dict]:
    """DinhDanhCHS: 1 = 12-digit personal identity number, 2 = 9-digit old ID card. Nothing else is sent."""
    number = (applicant.id_number or "").strip()
    if applicant.applicant_type != Applicant.Type.CITIZEN or not number.isdigit():
        return []
    if applicant.id_type == Applicant.IdType.CCCD and len(number) == 12:
        return [{"LoaiDinhDanh": "1", "SoDinhDanh": number}]
    if applicant.id_type == Applicant.IdType.CMND and len(number) == 9:
        return [{"LoaiDinhDanh": "2", "SoDinhDanh": number}]
    if applicant.id_type == Applicant.IdType.CMND and len(number) == 12:
        return [{"LoaiDinhDanh": "1", "SoDinhDanh": number}]
    return []


def _submitted_files(dossier: Dossier, has: dict) -> list[dict]:
    rows = []
    for doc in dossier.documents.all() if has.get("scans", True) else ():
        if not doc.file:
            continue
        rows.append(
            {
                "TepDinhKemId": f"D{doc.pk}",
                "TenTepDinhKem": doc.name[:4000],
                "IsDeleted": "False",
                "MaThanhPhanHoSo": "",
                "DuongDanTaiTepTin": files.download_url("document", doc.pk),
                "DuocSoHoa": "1",
                "DuocTaiSuDung": "0",
                "DuocLayTuKhoDMQG": "0",
                "MaKetQuaThayThe": "",
            }
        )
    if apps.is_installed("motcua.citizens") and has.get("uploads", True):
        from motcua.citizens.models import SubmissionFile

        for upload in SubmissionFile.objects.filter(submission__dossier=dossier).order_by("id"):
            rows.append(
                {
                    "TepDinhKemId": f"S{upload.pk}",
                    "TenTepDinhKem": upload.title[:4000],
                    "IsDeleted": "False",
                    "MaThanhPhanHoSo": "",
                    "DuongDanTaiTepTin": files.download_url("submission", upload.pk),
                    # An upload by the applicant is an electronic original, not a scan made by the agency.
                    "DuocSoHoa": "0",
                    "DuocTaiSuDung": "0",
                    "DuocLayTuKhoDMQG": "0",
                    "MaKetQuaThayThe": "",
                }
            )
    return rows


def _results(dossier: Dossier, has: dict) -> list[dict]:
    if not apps.is_installed("motcua.citizens") or not has.get("result", True):
        return []
    from motcua.citizens.models import OnlineResult

    result = OnlineResult.objects.filter(dossier=dossier).first()
    if result is None:
        return []
    return [
        {
            "TenGiayTo": result.original_name[:2000],
            "MaThanhPhanHoSo": "",
            "GiayToId": f"R{result.pk}",
            "DuongDanTepTinKetQua": files.download_url("result", result.pk),
            # The catalog holds no national result codes yet: sent empty rather than guessed.
            "MaGiayToKetQua": "",
        }
    ]


def _fees(dossier: Dossier, has: dict) -> tuple[list[dict], str]:
    """DanhSachLePhi (paid or exempt lines, with their amounts) and DuocThanhToanTrucTuyen."""
    if not apps.is_installed("motcua.payments"):
        return [], "0"
    from motcua.payments.models import Payment

    if "fees" in has:
        return _fee_rows(dossier) if has["fees"] else [], "1" if has["paid_online"] else "0"
    paid_online = Payment.objects.filter(dossier=dossier, status=Payment.Status.SUCCEEDED).exists()
    return _fee_rows(dossier), "1" if paid_online else "0"


def _fee_rows(dossier: Dossier) -> list[dict]:
    from motcua.payments.models import FeeLine

    return [
        {
            "TenPhiLePhi": line.description[:500],
            "MaPhiLePhi": "",
            "HinhThucThu": "",
            "Gia": str(line.amount),
            "LoaiPhiLePhi": "1" if line.kind == "service_fee" else "2",
        }
        for line in FeeLine.objects.filter(dossier=dossier).exclude(status=FeeLine.Status.DUE).order_by("id")
    ]


def _supplement_rounds(dossier: Dossier, has: dict) -> list[dict]:
    """DanhSachHoSoBoSung: one entry per supplement request made after reception, with its answer when the
    applicant has supplemented (NATIONAL-PORTAL.md §2.3; guidance given before reception is not a round).

    `NgayHenTraTruoc`/`NgayHenTraMoi` are the legal due date before and after the pause moved it. The documents
    added with a supplement are not told apart from the others yet: `DanhSachGiayToBoSung` stays empty."""
    if not has.get("supplements", True):
        return []
    events = list(dossier.events.filter(action__in=SUPPLEMENT_ACTIONS).order_by("at", "id"))
    rounds, open_round = [], None
    for event in events:
        data = event.data or {}
        if data.get("at_reception"):
            continue
        if event.action == "request_supplement":
            items = [str(i) for i in data.get("items", [])]
            content = "; ".join(items)
            if event.note:
                content = f"{content}. {event.note}" if content else event.note
            open_round = {
                "HoSoBoSungId": str(event.pk),
                "NguoiYeuCauBoSung": (event.actor_name or "")[:ACTOR_LIMIT],
                "NoiDungBoSung": content[:2000],
                "NgayBoSung": portal_date(event.at),
                "NguoiTiepNhanBoSung": "",
                "ThongTinTiepNhan": "",
                "NgayTiepNhanBoSung": "",
                "TrangThaiBoSung": "0",
                "DanhSachGiayToBoSung": [],
                "DanhSachLePhiBoSung": [],
                "NgayHenTraTruoc": "",
                "NgayHenTraMoi": "",
            }
            rounds.append(open_round)
        elif open_round is not None:
            due_before, due_after = data.get("due_before"), data.get("due_after")
            open_round.update(
                NguoiTiepNhanBoSung=(event.actor_name or "")[:ACTOR_LIMIT],
                ThongTinTiepNhan=(event.note or "")[:2000],
                NgayTiepNhanBoSung=portal_date(event.at),
                TrangThaiBoSung="1",
                NgayHenTraTruoc=portal_date(datetime.datetime.fromisoformat(due_before))
                if due_before
                else "",
                NgayHenTraMoi=portal_date(datetime.datetime.fromisoformat(due_after)) if due_after else "",
            )
            open_round = None
    return rounds


def _verified_accounts(applicant_id, dossier):
    """The citizen accounts behind a dossier (its applicant's, and the one it was submitted through) whose last
    login vouched for a level-2 electronic identity; `applicant_id` and `dossier` may be `OuterRef`s."""
    from motcua.citizens.models import CitizenProfile

    return CitizenProfile.objects.filter(
        Q(applicant_id=applicant_id) | Q(user__submissions__dossier=dossier),
        identity_level__gte=CitizenProfile.IdentityLevel.LEVEL_2,
    )


def vneid_verified(dossier: Dossier) -> bool:
    """TaiKhoanDuocXacThucVoiVNeID: the dossier was submitted through, or its applicant holds, a citizen account
    whose last login through an identity provider vouched for a level-2 electronic identity (§8; which levels the
    portal expects is an open question: level 2 is the level Decree 69/2024 requires for most online services)."""
    return _verified_accounts(dossier.applicant_id, dossier).exists()


def _inbound(dossier: Dossier):
    from .models import InboundDossier

    return InboundDossier.objects.filter(dossier=dossier).first()


SUPPLEMENT_ACTIONS = ("request_supplement", "supplement")


def _presence_names() -> list[str]:
    """The flags of `_presence_query`, in its order."""
    names = ["scans", "inbound", "supplements"]
    if apps.is_installed("motcua.citizens"):
        names += ["uploads", "result", "vneid"]
    if apps.is_installed("motcua.payments"):
        names += ["fees", "paid_online"]
    return names


def _presence_query(dossier_id: int):
    """One row of flags (`_presence_names`): which of the parts of the payload kept in other tables this dossier
    has. Most dossiers have few of them: one received at the counter has no upload, payment, supplement or
    result yet."""
    from .models import InboundDossier

    dossier = OuterRef("pk")
    checks = {
        "scans": DossierDocument.objects.filter(dossier=dossier).exclude(file=""),
        "inbound": InboundDossier.objects.filter(dossier=dossier),
        "supplements": DossierEvent.objects.filter(dossier=dossier, action__in=SUPPLEMENT_ACTIONS),
    }
    if apps.is_installed("motcua.citizens"):
        from motcua.citizens.models import OnlineResult, SubmissionFile

        checks["uploads"] = SubmissionFile.objects.filter(submission__dossier=dossier)
        checks["result"] = OnlineResult.objects.filter(dossier=dossier)
        checks["vneid"] = _verified_accounts(OuterRef("applicant_id"), dossier)
    if apps.is_installed("motcua.payments"):
        from motcua.payments.models import FeeLine, Payment

        checks["fees"] = FeeLine.objects.filter(dossier=dossier).exclude(status=FeeLine.Status.DUE)
        checks["paid_online"] = Payment.objects.filter(dossier=dossier, status=Payment.Status.SUCCEEDED)
    return Dossier._base_manager.filter(pk=dossier_id).values_list(
        *[Exists(checks[name]) for name in _presence_names()]
    )


_presence = PreparedValues(_presence_query, (int,))


def what_it_has(dossier: Dossier) -> dict[str, bool]:
    """Which of the payload's parts kept in other tables the dossier has, read in one statement (compiled once
    per thread): the payload reads only those. Empty (every part read) when the dossier cannot be found."""
    rows = _presence(dossier.pk)
    if not rows:
        return {}
    return dict(zip(_presence_names(), rows[0], strict=True))


def dossier_payload(dossier: Dossier) -> dict:
    """One `HoSo` of DongBoHoSoMC, from the dossier as it is now."""
    applicant = dossier.applicant
    procedure = dossier.procedure
    field = procedure.field
    summary = (dossier.summary or "").strip()
    if len(summary) > SUMMARY_LIMIT:
        summary = summary[: SUMMARY_LIMIT - 5] + "..."
    has = what_it_has(dossier)
    submitted = _submitted_files(dossier, has)
    fees, paid_online = _fees(dossier, has)
    rejected_at = ""
    if dossier.status == 3:
        last = dossier.events.filter(to_status=3).order_by("-at").first()
        rejected_at = portal_date(last.at if last else dossier.updated_at)
    inbound = _inbound(dossier) if has.get("inbound", True) else None
    verified = has["vneid"] if "vneid" in has else vneid_verified(dossier)
    ended_at = dossier.finished_at
    if ended_at is None and dossier.status in (3, 7, 8):
        last = dossier.events.filter(to_status=dossier.status).order_by("-at").first()
        ended_at = last.at if last else None
    return {
        "MaHoSo": dossier.code,
        "MaTTHC": dossier.procedure_code,
        "TenTTHC": procedure.name,
        "MaLinhVuc": _s(getattr(field, "code", "")),
        "TenLinhVuc": _s(getattr(field, "name", "")),
        "KenhThucHien": CHANNEL_CODES.get(dossier.channel, "1"),
        # The number on the receipt and appointment slip (Mẫu 01) is the dossier code; none before reception.
        "SoBienNhan": dossier.code if dossier.received_at and dossier.code else "",
        "SoGiayToChuHoSo": applicant.id_number or "",
        "ChuHoSo": applicant.name,
        "LoaiDoiTuong": "1" if applicant.applicant_type == Applicant.Type.CITIZEN else "2",
        # The owner's portal account (TechID), known only when the portal pushed the dossier with it.
        "MaDoiTuong": inbound.tech_id if inbound else "",
        "ThongTinKhac": "",
        "Fax": "",
        "Email": applicant.email or "",
        "SoDienThoai": applicant.phone or "",
        "TrichYeuHoSo": summary,
        "NgayNopHoSo": portal_date(dossier.submitted_at or dossier.received_at),
        "NgayTiepNhan": portal_date(dossier.received_at),
        # The legal due date: an apology letter moves the appointment, not the date the on-time rate uses.
        "NgayHenTra": portal_date(dossier.due_at),
        "TrangThaiHoSo": str(dossier.status),
        "NgayTra": portal_date(dossier.returned_at),
        "ThongTinTra": "",
        "HinhThuc": "1" if dossier.return_method == ReturnMethod.POST else "0",
        "NgayKetThucXuLy": portal_date(ended_at),
        "NgayTuChoi": rejected_at,
        "DonViXuLy": (dossier.current_agency or dossier.resolving_agency).name,
        "GhiChu": dossier.closing_reason or "",
        # "1": submitted on the portal (pushed here); "2": in the province's own system (meanings [unverified], §11).
        "NoiNopHoSo": "1" if inbound else "2",
        "HoSoCoThanhPhanSoHoa": "1" if any(r["DuocSoHoa"] == "1" for r in submitted) else "0",
        "TaiKhoanDuocXacThucVoiVNeID": "1" if verified else "0",
        "DuocThanhToanTrucTuyen": paid_online,
        "DinhDanhCHS": identity_documents(applicant),
        "DSKetNoiCSDL": [],
        "TaiLieuNop": submitted,
        "DanhSachLePhi": fees,
        "DanhSachTepDinhKemKhac": [],
        "DanhSachHoSoBoSung": _supplement_rounds(dossier, has),
        "DanhSachGiayToKetQua": _results(dossier, has),
    }


def progress_payload(event: DossierEvent, code: str) -> dict:
    """One history entry of CapNhatTienDoHoSoMC, for the event as it was recorded."""
    return {
        "MaHoSo": code,
        "NguoiXuLy": (event.actor_name or "Hệ thống")[:ACTOR_LIMIT],
        "ChucDanh": "",
        "ThoiDiemXuLy": portal_date(event.at),
        "PhongBanXuLy": event.agency.name if event.agency_id else "",
        "NoiDungXuLy": _progress_text(event),
        "TrangThai": str(event.to_status),
        "NgayBatDau": portal_date(event.at),
        "NgayKetThucTheoQuyDinh": portal_date(event.step_due_at),
    }


def _progress_text(event: DossierEvent) -> str:
    text = str(event.action_label)
    if event.step_name:
        text += f" – {event.step_name}"
    if event.note:
        text += f": {event.note}"
    return text[:2000]
