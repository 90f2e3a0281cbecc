"""Payloads follow NATIONAL-PORTAL.md §2: strings, Vietnam-time dates, true statuses, no placeholders."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile

from motcua.dossiers import services
from motcua.dossiers.models import Applicant
from motcua.national_portal import files
from motcua.national_portal.payloads import dossier_payload, portal_date, progress_payload
from motcua.national_portal.simulator import validate_dossier, validate_progress

from .factories import ApplicantFactory, OrganisationApplicantFactory, received

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def scalars(payload: dict):
    return [(k, v) for k, v in payload.items() if not isinstance(v, list)]


def test_dates_are_yyyymmddhhmmss_in_vietnam_time():
    assert portal_date(datetime.datetime(2026, 1, 1, 1, 30, 5, tzinfo=datetime.UTC)) == "20260101083005"
    assert portal_date(None) == ""


def test_every_value_is_a_string_and_the_payload_passes_validation(portal_on, procedure, superuser):
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, 0, tzinfo=HCM), tick=False):
        dossier = received(procedure, superuser)
    payload = dossier_payload(dossier)
    assert all(isinstance(v, str) for _k, v in scalars(payload))
    assert payload["NgayTiepNhan"] == "20261123090000"
    assert re.fullmatch(r"\d{14}", payload["NgayHenTra"])
    assert payload["MaHoSo"].startswith(dossier.agency.identity_code + "-")
    assert payload["TrangThaiHoSo"] == "2" and payload["KenhThucHien"] == "1"
    assert payload["DinhDanhCHS"] == [{"LoaiDinhDanh": "1", "SoDinhDanh": dossier.applicant.id_number}]
    assert validate_dossier(payload, agency_codes={dossier.agency.identity_code}) == []


@pytest.mark.parametrize(
    ("action", "status"),
    [("request_supplement", "5"), ("request_financial_obligation", "6"), ("refuse", "8")],
)
def test_paused_and_stopped_dossiers_keep_their_true_status(portal_on, procedure, superuser, action, status):
    dossier = received(procedure, superuser)
    dossier = services.advance(dossier, superuser)
    dossier = services.advance(dossier, superuser)
    params = {
        "request_supplement": {"items": ["Bản sao CCCD"]},
        "request_financial_obligation": {},
        "refuse": {"reason": "Không đủ điều kiện"},
    }[action]
    dossier = services.perform(dossier, superuser, action, **params)
    payload = dossier_payload(dossier)
    assert payload["TrangThaiHoSo"] == status
    last = dossier.events.order_by("-id").first()
    assert progress_payload(last, dossier.code)["TrangThai"] == status


def test_no_placeholder_identity_number_is_ever_sent(portal_on, procedure, superuser):
    passport = received(
        procedure, superuser, id_type=Applicant.IdType.PASSPORT, id_number="C1234567", phone="0912345678"
    )
    assert dossier_payload(passport)["DinhDanhCHS"] == []
    company = services.intake(procedure=procedure, applicant=OrganisationApplicantFactory(), actor=superuser)
    payload = dossier_payload(company)
    assert payload["DinhDanhCHS"] == [] and payload["LoaiDoiTuong"] == "2"
    assert "000000001" not in str(payload)


def test_files_are_absolute_signed_links_the_portal_can_download(portal_on, procedure, superuser, client):
    dossier = services.intake(
        procedure=procedure,
        applicant=ApplicantFactory(),
        actor=superuser,
        documents=[
            {"name": "Tờ khai", "original_count": 1, "file": ContentFile(b"%PDF-1.4 scan", name="tk.pdf")}
        ],
    )
    payload = dossier_payload(dossier)
    (attachment,) = payload["TaiLieuNop"]
    url = attachment["DuongDanTaiTepTin"]
    assert url.startswith("https://motcua.example.vn/cong-dvcqg/tep/")
    assert attachment["DuocSoHoa"] == "1" and payload["HoSoCoThanhPhanSoHoa"] == "1"
    response = client.get(url.removeprefix("https://motcua.example.vn"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 scan"
    assert response["Content-Disposition"].startswith("attachment")
    token = url.rstrip("/").rsplit("/", 1)[-1]
    assert client.get(f"/cong-dvcqg/tep/{token[:-2]}xx/").status_code == 404
    assert files.resolve("not-a-token") is None


def test_progress_entries_carry_the_step_and_its_deadline(portal_on, procedure, superuser):
    dossier = received(procedure, superuser)
    dossier = services.advance(dossier, superuser, note="Chuyển thẩm định")
    event = dossier.events.order_by("-id").first()
    entry = progress_payload(event, dossier.code)
    assert entry["MaHoSo"] == dossier.code
    assert entry["NguoiXuLy"] == "Quản trị hệ thống"
    assert "Chuyển thẩm định" in entry["NoiDungXuLy"]
    assert entry["TrangThai"] == "4"
    assert validate_progress(entry) == []


def test_an_apology_does_not_move_the_due_date_the_portal_sees(portal_on, procedure, superuser):
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, 0, tzinfo=HCM), tick=False) as clock:
        dossier = received(procedure, superuser)
        legal = portal_date(dossier.due_at)
        clock.shift(
            2 * 60 * 60 * 24
        )  # the letter is for a dossier that will be late: two working days before
        dossier = services.apologize(
            dossier, superuser, dossier.due_at + datetime.timedelta(days=7), "Cần xác minh thêm"
        )
    assert dossier.appointment_at > dossier.due_at
    assert dossier_payload(dossier)["NgayHenTra"] == legal


def test_the_receipt_number_and_the_supplement_rounds_are_sent_truthfully(portal_on, procedure, superuser):
    """Issue 20, finding 8: SoBienNhan is the number on the receipt slip (Mẫu 01: the dossier code), and
    DanhSachHoSoBoSung lists each supplement round with its request, answer and the due date it moved."""
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, 0, tzinfo=HCM), tick=False) as clock:
        dossier = received(procedure, superuser)
        dossier = services.advance(dossier, superuser)
        clock.shift(60 * 60)  # 10:00
        dossier = services.request_supplement(
            dossier, superuser, ["Bản sao giấy chứng nhận kết hôn", "Tờ khai có chữ ký"], note="Thiếu giấy tờ"
        )
        open_round = dossier_payload(dossier)["DanhSachHoSoBoSung"]
        due_before = dossier.due_at
        clock.shift(24 * 60 * 60)  # Tuesday 10:00: 8 working hours later
        dossier = services.supplement(dossier, superuser, note="Đã nộp đủ")
    payload = dossier_payload(dossier)
    assert payload["SoBienNhan"] == dossier.code
    assert len(open_round) == 1 and open_round[0]["TrangThaiBoSung"] == "0"
    assert open_round[0]["NgayTiepNhanBoSung"] == ""
    (supplement,) = payload["DanhSachHoSoBoSung"]
    assert supplement["NoiDungBoSung"] == "Bản sao giấy chứng nhận kết hôn; Tờ khai có chữ ký. Thiếu giấy tờ"
    assert supplement["NgayBoSung"] == "20261123100000"
    assert supplement["NgayTiepNhanBoSung"] == "20261124100000"
    assert supplement["TrangThaiBoSung"] == "1"
    assert supplement["ThongTinTiepNhan"] == "Đã nộp đủ"
    assert supplement["NgayHenTraTruoc"] == portal_date(due_before)
    assert supplement["NgayHenTraMoi"] == portal_date(dossier.due_at) != supplement["NgayHenTraTruoc"]
    assert all(isinstance(v, str) for k, v in supplement.items() if not k.startswith("DanhSach"))
    assert validate_dossier(payload, agency_codes={dossier.agency.identity_code}) == []


def test_no_receipt_number_before_reception(portal_on, procedure):
    from motcua.national_portal.tests.factories import ApplicantFactory as Applicants

    pending = services.submit_online(procedure=procedure, applicant=Applicants())
    assert dossier_payload(pending)["SoBienNhan"] == ""
