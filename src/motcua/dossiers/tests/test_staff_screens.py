"""Staff screens: counter intake, inbox per role (most urgent first), dossier page with only allowed actions,
search, printing, batch hand-over, and the public lookup page."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from motcua.catalog.tests.factories import RequiredDocumentFactory
from motcua.dossiers import services
from motcua.dossiers.models import Dossier

from .factories import ApplicantFactory

pytestmark = pytest.mark.django_db


def intake_post(procedure, **extra):
    data = {
        "procedure": procedure.code,
        "channel": "counter",
        "applicant_type": "citizen",
        "id_type": "cccd",
        "id_number": "027190000777",
        "name": "Vũ Thị Thu Hương",
        "phone": "0987 654 321",
        "address": "Thôn Ngăm Lương, xã Lãng Ngâm",
        "submitter_is_applicant": "on",
        "set_count": "1",
        "return_method": "counter",
        "receive": "1",
    }
    data.update(extra)
    return data


def one_page_pdf() -> bytes:
    from reportlab.platypus import Paragraph

    from motcua.printing.document import render_pdf, styles

    return render_pdf([Paragraph("Tờ khai", styles()["body"])], title="Tờ khai")


def test_reception_officer_receives_at_the_counter_with_checklist_and_scan(
    client, staff, procedure, monday_morning
):
    doc = RequiredDocumentFactory(procedure=procedure, name="Tờ khai theo mẫu", original_count=1)
    client.force_login(staff.officer)
    page = client.get("/ho-so/tiep-nhan/", {"procedure": procedure.code})
    assert "Tờ khai theo mẫu" in page.content.decode()
    scan = SimpleUploadedFile("to-khai.pdf", one_page_pdf(), content_type="application/pdf")
    data = intake_post(
        procedure,
        **{f"doc_{doc.pk}_received": "on", f"doc_{doc.pk}_originals": "1", f"doc_{doc.pk}_scan": scan},
    )
    response = client.post("/ho-so/tiep-nhan/", data)
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/ho-so/{dossier.code}/"
    assert dossier.applicant.name == "Vũ Thị Thu Hương"
    assert dossier.applicant.phone == "0987654321"
    assert dossier.documents.get().file.name.endswith(".pdf")
    assert dossier.received_by == staff.officer


def test_bad_intake_input_shows_vietnamese_errors_and_creates_nothing(client, staff, procedure):
    doc = RequiredDocumentFactory(procedure=procedure)
    client.force_login(staff.officer)
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    data = intake_post(
        procedure, id_number="123", **{f"doc_{doc.pk}_received": "on", f"doc_{doc.pk}_scan": fake}
    )
    response = client.post("/ho-so/tiep-nhan/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "không phải PDF, JPG hoặc PNG" in body
    assert Dossier.objects.count() == 0
    response = client.post("/ho-so/tiep-nhan/", intake_post(procedure, id_number="12345"))
    assert "CCCD" in response.content.decode()
    assert Dossier.objects.count() == 0


def test_refusal_at_the_counter_needs_a_reason(client, staff, procedure):
    client.force_login(staff.officer)
    data = intake_post(procedure, refuse="1")
    data.pop("receive")
    response = client.post("/ho-so/tiep-nhan/", data)
    assert "lý do" in response.content.decode().lower()
    assert Dossier.objects.count() == 0
    data["refusal_reason"] = "Không thuộc thẩm quyền giải quyết"
    client.post("/ho-so/tiep-nhan/", data)
    assert Dossier.objects.get().status == 3


def test_inbox_shows_the_roles_work_most_urgent_first(client, staff, procedure, monday_morning):
    first = services.intake(
        procedure=procedure, applicant=ApplicantFactory(name="Người Thứ Nhất"), actor=staff.officer
    )
    monday_morning.shift(datetime.timedelta(hours=1))
    second = services.intake(
        procedure=procedure, applicant=ApplicantFactory(name="Người Thứ Hai"), actor=staff.officer
    )
    services.advance(second, staff.officer)
    monday_morning.shift(datetime.timedelta(hours=1))
    services.advance(first, staff.officer)
    client.force_login(staff.specialist)
    body = client.get("/ho-so/").content.decode()
    # The first one was received earlier, but the second reached appraisal earlier: its step is due first.
    assert body.index(second.code) < body.index(first.code)
    client.force_login(staff.leader)
    assert first.code not in client.get("/ho-so/").content.decode()


def test_dossier_page_shows_the_timeline_and_only_the_allowed_actions(client, staff, procedure):
    dossier = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=staff.officer)
    client.force_login(staff.specialist)
    body = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert "Quá trình xử lý" in body
    assert 'data-action="advance"' not in body
    client.force_login(staff.officer)
    body = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert 'data-action="advance"' in body
    assert 'data-action="return_result"' not in body


def test_actions_from_the_page_and_errors_in_vietnamese(client, staff, procedure):
    dossier = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=staff.officer)
    client.force_login(staff.specialist)
    response = client.post(f"/ho-so/{dossier.code}/thao-tac/", {"action": "advance"}, follow=True)
    assert "không có quyền" in response.content.decode()
    client.force_login(staff.officer)
    step = dossier.current_step_id
    client.post(
        f"/ho-so/{dossier.code}/thao-tac/", {"action": "advance", "expected_step": step, "note": "Chuyển"}
    )
    dossier.refresh_from_db()
    assert dossier.status == 4
    response = client.post(
        f"/ho-so/{dossier.code}/thao-tac/", {"action": "advance", "expected_step": step}, follow=True
    )
    assert "tải lại trang" in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value"),
    [("code", "-0001"), ("name", "hoàng minh"), ("id_number", "027190000888"), ("phone", "0911 222 333")],
)
def test_search_by_code_name_id_or_phone(client, staff, procedure, field, value):
    applicant = ApplicantFactory(name="Hoàng Minh Tuấn", id_number="027190000888", phone="0911222333")
    wanted = services.intake(procedure=procedure, applicant=applicant, actor=staff.officer)
    other = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=staff.officer)
    client.force_login(staff.officer)
    body = client.get("/ho-so/", {"box": "all", "field": field, "q": value}).content.decode()
    assert wanted.code in body
    assert other.code not in body


def test_batch_hand_over_moves_each_selected_dossier(client, staff, procedure):
    dossiers = [
        services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=staff.officer)
        for _ in range(3)
    ]
    client.force_login(staff.officer)
    response = client.post(
        "/ho-so/chuyen-nhieu/", {"codes": [d.code for d in dossiers[:2]], "note": "Chuyển"}, follow=True
    )
    assert "Đã chuyển bước 2 hồ sơ" in response.content.decode()
    assert [Dossier.objects.get(pk=d.pk).status for d in dossiers] == [4, 4, 2]


def test_print_form_01_from_the_page(client, staff, procedure):
    dossier = services.intake(
        procedure=procedure, applicant=ApplicantFactory(name="Đặng Thị Hoà"), actor=staff.officer
    )
    client.force_login(staff.officer)
    response = client.get(f"/ho-so/{dossier.code}/in/01/")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    assert dossier.code in text and "Đặng Thị Hoà" in text


def test_strangers_get_404_for_a_dossier_page(client, staff, procedure):
    from motcua.accounts.tests.factories import UserFactory
    from motcua.org.tests.factories import AgencyFactory

    from .factories import grant

    applicant = ApplicantFactory(name="Trần Thị Người Khác")
    dossier = services.intake(procedure=procedure, applicant=applicant, actor=staff.officer)
    stranger = UserFactory()
    grant(stranger, "specialist", AgencyFactory())
    client.force_login(stranger)
    response = client.get(f"/ho-so/{dossier.code}/")
    assert response.status_code == 404
    assert dossier.applicant.name not in response.content.decode()  # nothing of the dossier is shown


def test_public_lookup_page_needs_code_and_phone(client, staff, procedure):
    dossier = services.intake(
        procedure=procedure, applicant=ApplicantFactory(phone="0977000111"), actor=staff.officer
    )
    body = client.post("/tra-cuu-ho-so/", {"code": dossier.code, "contact": "0977000111"}).content.decode()
    assert "Được tiếp nhận" in body
    assert "Lê Thị Tiếp Nhận" not in body
    body = client.post("/tra-cuu-ho-so/", {"code": dossier.code, "contact": "0977000999"}).content.decode()
    assert "Không tìm thấy hồ sơ" in body


def test_a_stopped_2025_dossier_page_offers_the_stop_notice(
    client, staff, procedure, rules_2025_since_2022, monday_morning
):
    dossier = services.intake(
        procedure=procedure, applicant=ApplicantFactory(name="Đặng Thị Hoà"), actor=staff.officer
    )
    dossier = services.advance(dossier, staff.officer)
    client.force_login(staff.officer)
    page = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert f"/ho-so/{dossier.code}/in/stop_notice/" not in page
    services.refuse(dossier, staff.specialist, "Không đủ điều kiện")
    page = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert f"/ho-so/{dossier.code}/in/stop_notice/" in page
    response = client.get(f"/ho-so/{dossier.code}/in/stop_notice/")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    assert dossier.code in text and "Đặng Thị Hoà" in text and "Không đủ điều kiện" in text


def test_print_buttons_speak_the_language_the_reader_chose(client, staff, procedure):
    from .factories import make_dossier

    dossier = make_dossier(procedure, actor=staff.officer)
    client.force_login(staff.officer)
    assert "In phiếu tiếp nhận" in client.get(f"/ho-so/{dossier.code}/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert "Print the receipt" in page and "In phiếu tiếp nhận" not in page
