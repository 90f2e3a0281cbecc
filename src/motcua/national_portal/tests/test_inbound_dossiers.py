"""Dossiers submitted on the portal and pushed here become local online submissions, once per portal code; only
signed calls are heard, and a bad payload is answered in the portal's shape and changes nothing."""

import base64
import json
import os
import time

import pytest

from motcua.documents.tests.factories import pdf_bytes
from motcua.dossiers.models import Applicant, Dossier, DossierDocument
from motcua.dossiers.states import Channel, State
from motcua.national_portal import inbound
from motcua.national_portal.models import InboundDossier
from motcua.national_portal.payloads import dossier_payload

from .conftest import simulator_post
from .factories import ProcedureWithProcessFactory

SECRET = "khoa-thu-nghiem-chi-dung-cho-kiem-thu"
URL = "/cong-dvcqg/nhan-ho-so/"
# A real one-page PDF: uploads are parsed, a PDF that does not open is refused.
PDF = pdf_bytes("Tờ khai")


def portal_dossier(**overrides) -> dict:
    return {
        "MaHoSo": "G22.99-261128-0001",
        "MaTTHC": "1.001193",
        "LoaiDoiTuong": "1",
        "ChuHoSo": "Nguyễn Văn Thử",
        "SoGiayToChuHoSo": "027090999901",
        "DienThoai": "0912 999 901",
        "Email": "nguyenvanthu@example.vn",
        "TrichYeuHoSo": "Đăng ký khai sinh cho con",
        "MaDoiTuong": "SIM-TECH-0001",
        "TaiLieuNop": [{"TenTepDinhKem": "To khai.pdf", "Base64": base64.b64encode(PDF).decode()}],
    } | overrides


@pytest.fixture
def inbound_on(settings):
    settings.NATIONAL_PORTAL = {"url": "", "inbound_secret": SECRET}
    return settings


@pytest.fixture
def online_procedure(db):
    return ProcedureWithProcessFactory(code="1.001193", name="Đăng ký khai sinh", online_level="full")


def signed_post(client, body, secret=SECRET, timestamp=None, **extra):
    raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    stamp = str(int(timestamp if timestamp is not None else time.time()))
    headers = {
        inbound.TIMESTAMP_HEADER: stamp,
        inbound.SIGNATURE_HEADER: inbound.signature(secret, stamp, raw),
    }
    return client.post(URL, data=raw, content_type="application/json", headers=headers, **extra)


def nothing_stored():
    return (Dossier.objects.count(), Applicant.objects.count(), InboundDossier.objects.count()) == (0, 0, 0)


@pytest.fixture
def simulator_to_motcua(live_server, inbound_on, simulator):
    simulator_post(simulator, "config", {"motcua_url": live_server.url, "inbound_secret": SECRET})
    return simulator


@pytest.mark.django_db(transaction=True)
def test_a_dossier_pushed_by_the_portal_over_http_becomes_one_online_submission(
    simulator_to_motcua, online_procedure
):
    answer = simulator_post(simulator_to_motcua, "push-dossier", {"dossier": portal_dossier()})
    assert answer["status"] == 200
    assert answer["reply"]["error_code"] == "0" and "thành công" in answer["reply"]["message"]
    dossier = Dossier.objects.get()
    assert dossier.channel == Channel.ONLINE and dossier.state == State.ONLINE_PENDING and dossier.status == 1
    assert dossier.code and dossier.due_at is None  # a code at once; the clock starts at reception
    assert dossier.procedure == online_procedure and dossier.agency == online_procedure.resolving_agency
    assert dossier.applicant.id_number == "027090999901" and dossier.applicant.phone == "0912999901"
    assert dossier.summary == "Đăng ký khai sinh cho con"
    (document,) = DossierDocument.objects.filter(dossier=dossier)
    assert document.name == "To khai.pdf"
    with document.file.open("rb") as handle:
        assert handle.read() == PDF
    assert dossier.events.get().action == "submit_online"
    link = InboundDossier.objects.get()
    assert (link.portal_code, link.tech_id, link.dossier) == ("G22.99-261128-0001", "SIM-TECH-0001", dossier)

    again = simulator_post(
        simulator_to_motcua, "push-dossier", {"dossier": portal_dossier(TrichYeuHoSo="Lần 2")}
    )
    assert again["status"] == 200 and again["reply"]["error_code"] == "1"
    assert "trùng MaHoSo" in again["reply"]["message"]
    assert Dossier.objects.count() == 1 and DossierDocument.objects.count() == 1
    assert Dossier.objects.get().summary == "Đăng ký khai sinh cho con"


@pytest.mark.django_db(transaction=True)
def test_a_push_signed_with_another_key_or_unsigned_is_refused_over_http(
    simulator_to_motcua, online_procedure
):
    wrong = simulator_post(
        simulator_to_motcua, "push-dossier", {"dossier": portal_dossier(), "secret": "sai"}
    )
    assert wrong["status"] == 401
    assert wrong["reply"] == {"error_code": "-1", "message": "Chữ ký của yêu cầu không đúng."}
    unsigned = simulator_post(
        simulator_to_motcua, "push-dossier", {"dossier": portal_dossier(), "unsigned": True}
    )
    assert unsigned["status"] == 401 and unsigned["reply"]["error_code"] == "-1"
    assert "Thiếu chữ ký" in unsigned["reply"]["message"]
    assert nothing_stored()


def test_an_old_timestamp_is_refused_even_with_the_right_key(client, inbound_on, online_procedure):
    response = signed_post(client, portal_dossier(), timestamp=time.time() - 3600)
    assert response.status_code == 401 and "quá hạn" in response.json()["message"]
    assert nothing_stored()


def test_a_signature_of_another_body_does_not_cover_a_changed_one(client, inbound_on, online_procedure):
    stamp = str(int(time.time()))
    signed = json.dumps(portal_dossier()).encode()
    tampered = json.dumps(portal_dossier(SoGiayToChuHoSo="027090999999")).encode()
    response = client.post(
        URL,
        data=tampered,
        content_type="application/json",
        headers={
            inbound.TIMESTAMP_HEADER: stamp,
            inbound.SIGNATURE_HEADER: inbound.signature(SECRET, stamp, signed),
        },
    )
    assert response.status_code == 401 and nothing_stored()


def test_nothing_is_heard_while_no_secret_is_configured(client, settings, online_procedure):
    settings.NATIONAL_PORTAL = {"url": ""}
    response = signed_post(client, portal_dossier())
    assert response.status_code == 403
    assert response.json() == {"error_code": "-1", "message": "Hệ thống chưa bật nhận hồ sơ từ Cổng DVCQG."}
    assert nothing_stored()


def test_callers_outside_the_allow_list_are_refused(client, inbound_on, online_procedure):
    inbound_on.NATIONAL_PORTAL = {"inbound_secret": SECRET, "inbound_allowed_ips": "10.8.0.0/16, 192.0.2.7"}
    outside = signed_post(client, portal_dossier(), REMOTE_ADDR="203.0.113.9")
    assert outside.status_code == 403 and "không được phép" in outside.json()["message"]
    assert nothing_stored()
    inside = signed_post(client, portal_dossier(), REMOTE_ADDR="10.8.3.4")
    assert inside.status_code == 200 and inside.json()["error_code"] == "0"
    assert InboundDossier.objects.get().remote_addr == "10.8.3.4"


def test_behind_a_reverse_proxy_the_allow_list_checks_the_caller_the_proxy_saw(
    client, inbound_on, online_procedure
):
    inbound_on.NATIONAL_PORTAL = {"inbound_secret": SECRET, "inbound_allowed_ips": "10.8.0.0/16"}
    inbound_on.LOOKUP_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    proxy = "127.0.0.1"
    # A first entry written by the caller itself is not believed: the proxy appended the address it saw.
    forged = signed_post(
        client, portal_dossier(), REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="10.8.3.4, 203.0.113.9"
    )
    assert forged.status_code == 403 and nothing_stored()
    inside = signed_post(client, portal_dossier(), REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="10.8.3.4")
    assert inside.status_code == 200 and inside.json()["error_code"] == "0"
    assert InboundDossier.objects.get().remote_addr == "10.8.3.4"


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"MaHoSo": ""}, "MaHoSo: bắt buộc"),
        ({"MaHoSo": "G22 99 có dấu cách"}, "MaHoSo: chỉ gồm"),
        ({"MaTTHC": "9.999999"}, "MaTTHC: thủ tục 9.999999 không có trong danh mục"),
        ({"SoGiayToChuHoSo": "000000001"}, "SoGiayToChuHoSo: phải là số định danh cá nhân 12 chữ số"),
        ({"ChuHoSo": ""}, "ChuHoSo: bắt buộc"),
        ({"Email": "khong-phai-thu"}, "Email: địa chỉ thư điện tử không hợp lệ"),
        ({"LoaiDoiTuong": "9"}, "LoaiDoiTuong: giá trị không hợp lệ"),
        ({"MaCoQuanThucHien": "000.77.77.H06"}, "MaCoQuanThucHien: không có cơ quan"),
        ({"TaiLieuNop": [{"TenTepDinhKem": "a.pdf", "Base64": "khong-phai-base64!"}]}, "Base64 hợp lệ"),
        (
            {"TaiLieuNop": [{"TenTepDinhKem": "a.pdf", "Base64": base64.b64encode(b"MZ\x90virus").decode()}]},
            "TaiLieuNop[1]: Nội dung tệp",
        ),
        ({"TaiLieuNop": [{"TenTepDinhKem": "", "Base64": "JVBERg=="}]}, "TaiLieuNop[1]: thiếu tên tệp"),
        ({"TaiLieuNop": "tệp"}, "TaiLieuNop: phải là danh sách"),
        ({"ChuHoSo": {"ten": "x"}}, "ChuHoSo: giá trị phải là chuỗi"),
    ],
)
def test_a_bad_payload_gets_the_reason_and_changes_nothing(
    client, inbound_on, online_procedure, overrides, reason
):
    response = signed_post(client, portal_dossier(**overrides))
    assert response.status_code == 400
    body = response.json()
    assert body["error_code"] == "-1" and reason in body["message"], body
    assert nothing_stored()


def test_a_body_that_is_not_json_or_not_one_dossier_is_refused(client, inbound_on, online_procedure):
    assert signed_post(client, b"{khong phai json").json()["error_code"] == "-1"
    listed = signed_post(client, [portal_dossier()])
    assert listed.status_code == 400 and "một đối tượng JSON" in listed.json()["message"]
    assert nothing_stored()


def test_a_procedure_not_offered_online_is_refused(client, inbound_on, db):
    ProcedureWithProcessFactory(code="1.001193", online_level="none")
    response = signed_post(client, portal_dossier())
    assert "chưa cung cấp dịch vụ công trực tuyến" in response.json()["message"] and nothing_stored()


def test_a_business_dossier_in_the_opencps_shape_is_accepted(client, inbound_on, online_procedure):
    response = signed_post(
        client,
        {
            "MaHoSo": "G22.99-261128-0002",
            "MaTTHC": "1.001193",
            "MaSoThue": "2300999901",
            "TenThuongNhan": "Công ty TNHH Thử Nghiệm",
            "NguoiLienHe": "Lê Văn Đại Diện",
            "DiaChiDoanhNghiep": {
                "MaTinh": "Bắc Ninh",
                "MaHuyen": "Gia Bình",
                "DiaChiChiTiet": "Số 1 phố Thử",
            },
            "TenTepDonDangKy": "Don dang ky.pdf",
            "TepDonDangKy": base64.b64encode(PDF).decode(),
            "HinhThuc": "1",
        },
    )
    assert response.json()["error_code"] == "0"
    dossier = Dossier.objects.get()
    owner = dossier.applicant
    assert owner.applicant_type == Applicant.Type.ORGANISATION and owner.tax_code == "2300999901"
    assert owner.address == "Số 1 phố Thử, Gia Bình, Bắc Ninh" and owner.representative == "Lê Văn Đại Diện"
    assert dossier.return_method == "post"
    assert [d.name for d in dossier.documents.all()] == ["Đơn đăng ký"]


def test_the_portal_sees_the_dossier_as_submitted_there_with_the_owners_account(
    client, inbound_on, online_procedure
):
    from motcua.accounts.tests.factories import UserFactory
    from motcua.dossiers import services

    signed_post(client, portal_dossier())
    officer = UserFactory(is_superuser=True, is_staff=True)
    dossier = services.receive(Dossier.objects.get(), officer)
    payload = dossier_payload(dossier)
    assert payload["NoiNopHoSo"] == "1" and payload["MaDoiTuong"] == "SIM-TECH-0001"
    assert payload["KenhThucHien"] == "2" and payload["MaHoSo"] == dossier.code


def test_a_body_over_the_size_limit_is_refused_in_the_portals_shape(client, inbound_on, online_procedure):
    inbound_on.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    big = base64.b64encode(PDF * 100).decode()
    response = signed_post(client, portal_dossier(TaiLieuNop=[{"TenTepDinhKem": "a.pdf", "Base64": big}]))
    assert response.status_code == 413
    assert response.json()["error_code"] == "-1" and "quá lớn" in response.json()["message"]
    assert nothing_stored()


def test_the_dossier_page_shows_the_portals_code(client, inbound_on, online_procedure):
    from django.template import Context, Template

    signed_post(client, portal_dossier())
    html = Template("{% load national_portal %}{% portal_sync_state dossier %}").render(
        Context({"dossier": Dossier.objects.get()})
    )
    assert "Nộp trên Cổng Dịch vụ công quốc gia, mã hồ sơ trên Cổng" in html and "G22.99-261128-0001" in html


def files_under(root) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="two writing transactions at once need a server database (the in-memory SQLite test database "
    "locks whole tables); the next test plays the same rollback in one thread",
)
@pytest.mark.django_db(transaction=True)
def test_two_identical_pushes_racing_leave_one_dossier_and_only_its_files(
    inbound_on, online_procedure, media_root
):
    """The second push passes the "already received?" check before the first commits, stores its files, then
    meets the unique MaHoSo: its rows roll back, and so do its files."""
    import threading

    from django.db import connection

    from motcua.dossiers.signals import components_received

    body = portal_dossier()
    raw = json.dumps(body).encode()
    second_checked = threading.Event()
    first_stored = threading.Event()
    results = {}

    def first_waits_for_the_second_check(sender, dossier, **kwargs):
        if threading.current_thread().name == "first":
            first_stored.set()
            second_checked.wait(10)

    def note_the_check(execute, sql, params, many, context):
        outcome = execute(sql, params, many, context)
        if "national_portal_inbounddossier" in sql and sql.lstrip().upper().startswith("SELECT"):
            second_checked.set()
        return outcome

    def push(name):
        try:
            if name == "second":
                first_stored.wait(10)
                with connection.execute_wrapper(note_the_check):
                    results[name] = inbound.receive(body, raw=raw)
            else:
                results[name] = inbound.receive(body, raw=raw)
        finally:
            connection.close()

    components_received.connect(first_waits_for_the_second_check, weak=False, dispatch_uid="race-test")
    try:
        threads = [threading.Thread(target=push, args=(name,), name=name) for name in ("first", "second")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        components_received.disconnect(dispatch_uid="race-test")
    assert second_checked.is_set()  # the second push really passed the check before the first committed
    assert (results["first"].error_code, results["second"].error_code) == ("0", "1")
    assert Dossier.objects.count() == 1 and InboundDossier.objects.count() == 1
    kept = {d.file.name for d in DossierDocument.objects.all()}
    assert len(kept) == 1
    assert files_under(media_root) == kept  # the losing push's copy of the file is gone


def test_files_stored_before_an_error_are_deleted_with_the_rolled_back_rows(
    inbound_on, online_procedure, media_root
):
    from motcua.dossiers.signals import components_received

    def fail_after_the_files_are_stored(sender, dossier, **kwargs):
        assert DossierDocument.objects.filter(dossier=dossier).exclude(file="").exists()
        raise RuntimeError("lỗi giữa chừng")

    components_received.connect(fail_after_the_files_are_stored, weak=False, dispatch_uid="fail-test")
    try:
        with pytest.raises(RuntimeError):
            inbound.receive(portal_dossier(), raw=b"{}")
    finally:
        components_received.disconnect(dispatch_uid="fail-test")
    assert nothing_stored()
    assert files_under(media_root) == set()


def test_a_push_meeting_the_same_code_at_commit_time_takes_its_files_with_it(
    inbound_on, online_procedure, media_root
):
    """The losing side of the race in one thread: the unique MaHoSo fires after the files were stored."""
    from django.db import IntegrityError

    from motcua.dossiers.signals import components_received

    def the_other_push_gets_there_first(sender, dossier, **kwargs):
        InboundDossier.objects.create(
            portal_code="G22.99-261128-0001", dossier=dossier, procedure_code="1.001193", payload_sha256="0"
        )

    components_received.connect(the_other_push_gets_there_first, weak=False, dispatch_uid="first-test")
    try:
        with pytest.raises(IntegrityError):  # here the "other" row rolled back too: nothing to answer with
            inbound.receive(portal_dossier(), raw=b"{}")
    finally:
        components_received.disconnect(dispatch_uid="first-test")
    assert nothing_stored()
    assert files_under(media_root) == set()
