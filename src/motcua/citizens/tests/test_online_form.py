"""The online submission shows the procedure's form as the catalog defines it, checks every value with a clear
Vietnamese message (nothing is saved on bad input), keeps the values on the dossier and shows them to staff."""

import re

import pytest
from django.urls import reverse

from motcua.catalog.tests.factories import ProcedureFormFieldFactory
from motcua.citizens import online_form, services
from motcua.citizens.models import Submission, SubmissionFile
from motcua.dossiers.tests.factories import StaffSet

from .factories import CitizenProfileFactory, online_procedure, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure():
    procedure = online_procedure("full", documents=("Bản sao CCCD",))
    fields = [
        ("ten_ho_kinh_doanh", "Tên hộ kinh doanh", "text", True, ""),
        ("ngay_bat_dau", "Ngày bắt đầu kinh doanh", "date", True, ""),
        ("von_kinh_doanh", "Vốn kinh doanh (đồng)", "number", True, ""),
        ("chu_the", "Chủ thể thành lập", "choice", True, "Cá nhân\nCác thành viên hộ gia đình"),
        ("so_lao_dong", "Số lượng lao động", "number", False, ""),
        ("cam_ket", "Tôi cam kết nội dung kê khai là trung thực", "checkbox", True, ""),
    ]
    for position, (key, label, kind, required, choices) in enumerate(fields, 1):
        ProcedureFormFieldFactory(
            procedure=procedure,
            position=position,
            key=key,
            label=label,
            kind=kind,
            is_required=required,
            choices=choices,
            help_text="Ví dụ: 100.000.000" if key == "von_kinh_doanh" else "",
        )
    return procedure


@pytest.fixture
def citizen():
    return CitizenProfileFactory()


@pytest.fixture
def draft(procedure, citizen, client):
    client.force_login(citizen.user)
    return services.start_submission(citizen.user, procedure)


GOOD = {
    "f_ten_ho_kinh_doanh": "Hộ kinh doanh Gốm Hoa Mai",
    "f_ngay_bat_dau": "05/01/2026",
    "f_von_kinh_doanh": "150.000.000",
    "f_chu_the": "Cá nhân",
    "f_so_lao_dong": "3",
    "f_cam_ket": "on",
}


def post(client, submission, data, action="save", **files):
    return client.post(
        reverse("citizens:draft", args=[submission.pk]),
        {"summary": "", "return_method": "online", action: "1", "consent": "1", **data, **files},
    )


def test_the_draft_shows_the_catalog_fields_with_labels_help_and_required_marks(draft, client):
    page = client.get(reverse("citizens:draft", args=[draft.pk])).content.decode()
    assert "Tờ khai" in page
    assert 'name="f_ten_ho_kinh_doanh"' in page and "Tên hộ kinh doanh" in page
    assert 'placeholder="dd/mm/yyyy"' in page and "Ví dụ: 100.000.000" in page
    assert '<option value="Cá nhân">Cá nhân</option>' in page and 'type="checkbox" name="f_cam_ket"' in page
    assert page.count('aria-required="true"') == 5  # every required field but not "Số lượng lao động"


def test_values_are_saved_typed_the_vietnamese_way_and_shown_again_when_resumed(draft, client):
    response = post(client, draft, GOOD)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.form_data == {
        "ten_ho_kinh_doanh": "Hộ kinh doanh Gốm Hoa Mai",
        "ngay_bat_dau": "2026-01-05",
        "von_kinh_doanh": "150000000",
        "chu_the": "Cá nhân",
        "so_lao_dong": "3",
        "cam_ket": True,
    }
    page = client.get(reverse("citizens:draft", args=[draft.pk])).content.decode()
    assert 'value="05/01/2026"' in page and 'value="150.000.000"' in page
    assert '<option value="Cá nhân" selected>' in page
    assert re.search(r'<input type="checkbox" name="f_cam_ket"[^>]* checked>', page)


@pytest.mark.parametrize(
    "name,value,message",
    [
        (
            "f_ngay_bat_dau",
            "31/02/2026",
            "“Ngày bắt đầu kinh doanh”: ngày không hợp lệ; nhập theo dạng dd/mm/yyyy",
        ),
        (
            "f_ngay_bat_dau",
            "2026-01-05",
            "“Ngày bắt đầu kinh doanh”: ngày không hợp lệ; nhập theo dạng dd/mm/yyyy",
        ),
        (
            "f_von_kinh_doanh",
            "một trăm triệu",
            "“Vốn kinh doanh (đồng)”: nhập một số, ví dụ 1.500.000 hoặc 12,5.",
        ),
        (
            "f_von_kinh_doanh",
            "150.00.000",
            "“Vốn kinh doanh (đồng)”: nhập một số, ví dụ 1.500.000 hoặc 12,5.",
        ),
        ("f_chu_the", "Doanh nghiệp", "“Chủ thể thành lập”: lựa chọn không có trong danh sách."),
        ("f_ten_ho_kinh_doanh", "x" * 1001, "“Tên hộ kinh doanh”: dài quá 1000 ký tự."),
    ],
)
def test_a_value_in_the_wrong_format_is_refused_with_a_clear_message_and_nothing_is_saved(
    draft, client, name, value, message
):
    document = services.required_documents(draft)[0]
    response = post(client, draft, {**GOOD, name: value}, **{f"doc_{document.pk}": pdf_upload()})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Hồ sơ chưa được lưu" in page
    draft.refresh_from_db()
    assert draft.form_data == {} and not SubmissionFile.objects.exists()  # neither the values nor the file


def test_submitting_without_the_required_values_names_each_one_and_submits_nothing(draft, client):
    document = services.required_documents(draft)[0]
    partial = {"f_ten_ho_kinh_doanh": "Hộ kinh doanh Gốm Hoa Mai", "f_so_lao_dong": "2"}
    response = post(client, draft, partial, action="submit", **{f"doc_{document.pk}": pdf_upload()})
    page = response.content.decode()
    for text in [
        "Vui lòng nhập “Ngày bắt đầu kinh doanh”.",
        "Vui lòng nhập “Vốn kinh doanh (đồng)”.",
        "Vui lòng chọn “Chủ thể thành lập”.",
        "Vui lòng đánh dấu “Tôi cam kết nội dung kê khai là trung thực”.",
    ]:
        assert text in page
    assert "Vui lòng nhập “Số lượng lao động”" not in page
    draft.refresh_from_db()
    assert draft.state == Submission.State.DRAFT and draft.dossier is None
    assert (
        draft.form_data["ten_ho_kinh_doanh"] == "Hộ kinh doanh Gốm Hoa Mai"
    )  # the draft keeps what was valid


def test_submitted_values_stay_with_the_dossier_and_staff_read_them(draft, client, procedure):
    document = services.required_documents(draft)[0]
    response = post(client, draft, GOOD, action="submit", **{f"doc_{document.pk}": pdf_upload()})
    assert response.status_code == 302
    draft.refresh_from_db()
    dossier = draft.dossier
    assert dossier is not None and dossier.status == 1
    assert draft.form_answers[2] == {
        "key": "von_kinh_doanh",
        "label": "Vốn kinh doanh (đồng)",
        "value": "150.000.000",
    }
    page = client.get(reverse("citizens:dossier", args=[draft.pk])).content.decode()
    assert "<dt>Vốn kinh doanh (đồng)</dt><dd>150.000.000</dd>" in page  # the citizen reads it back too
    # the catalog's wording changes later: the dossier keeps what the applicant declared under the old label
    procedure.form_fields.filter(key="von_kinh_doanh").update(label="Tổng vốn")
    staff = StaffSet(procedure)
    client.force_login(staff.officer)
    for url in (reverse("citizens:reception_detail", args=[dossier.pk]),):
        page = client.get(url).content.decode()
        assert "Tờ khai trực tuyến" in page
        assert "<dt>Vốn kinh doanh (đồng)</dt><dd>150.000.000</dd>" in page
        assert "<dt>Ngày bắt đầu kinh doanh</dt><dd>05/01/2026</dd>" in page
        assert "<dt>Tôi cam kết nội dung kê khai là trung thực</dt><dd>Có</dd>" in page
    from motcua.dossiers import services as dossier_services

    dossier = dossier_services.receive(dossier, staff.officer)
    page = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert "<dt>Chủ thể thành lập</dt><dd>Cá nhân</dd>" in page


def test_a_counter_dossier_has_no_online_form_section(client, procedure):
    from motcua.dossiers import services as dossier_services
    from motcua.dossiers.tests.factories import ApplicantFactory

    staff = StaffSet(procedure)
    dossier = dossier_services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=staff.officer)
    client.force_login(staff.officer)
    assert "Tờ khai trực tuyến" not in client.get(f"/ho-so/{dossier.code}/").content.decode()


@pytest.mark.parametrize(
    "typed,stored,shown",
    [
        ("1.500.000", "1500000", "1.500.000"),
        ("12,5", "12.5", "12,5"),
        ("-3", "-3", "-3"),
        ("0,50", "0.5", "0,5"),
    ],
)
def test_numbers_are_read_and_written_the_vietnamese_way(typed, stored, shown):
    assert format(online_form.parse_number(typed).normalize(), "f") == stored
    assert online_form.format_number(stored) == shown
