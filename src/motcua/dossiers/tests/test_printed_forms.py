"""Each printed form reads back with the dossier code, the applicant's name with diacritics and the due date."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pypdf import PdfReader

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, RegimePeriod
from motcua.dossiers.pdf_forms import FormNotApplicable, render_form

from .factories import ApplicantFactory

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NAME = "Trần Thị Ngọc Ánh Dương Ưng Hoàng Quý"


def text_of(pdf: bytes) -> str:
    """The text of every page, with line breaks and runs of spaces made single spaces."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.fixture
def full_history(procedure, staff):
    """A dossier received Monday 07/11/2022 09:00 (due Thursday 10/11/2022), apologised for, refused at the end;
    a second one with a supplement request."""
    with time_machine.travel(datetime.datetime(2022, 11, 7, 9, 0, tzinfo=HCM), tick=False) as clock:
        applicant = ApplicantFactory(name=NAME)
        dossier = services.intake(
            procedure=procedure,
            applicant=applicant,
            actor=staff.officer,
            documents=[{"name": "Tờ khai đăng ký khai sinh", "original_count": 1}],
        )
        dossier = services.advance(dossier, staff.officer, note="Chuyển Phòng Tư pháp")
        clock.shift(60 * 60 * 24)  # Tuesday: the letter is for a dossier that will be late (2 days before)
        dossier = services.apologize(
            dossier,
            staff.leader,
            datetime.datetime(2022, 11, 15, 16, 0, tzinfo=HCM),
            "Chờ xác minh nơi cư trú",
        )
        clock.shift(60)
        dossier = services.refuse(dossier, staff.specialist, "Người yêu cầu không đủ điều kiện theo quy định")
        clock.move_to(datetime.datetime(2022, 11, 7, 9, 5, tzinfo=HCM))
        second = services.intake(procedure=procedure, applicant=applicant, actor=staff.officer)
        second = services.request_supplement(
            second, staff.officer, ["Bản sao Giấy chứng nhận kết hôn"], "Thiếu"
        )
    return dossier, second


@pytest.mark.parametrize("form", ["01", "03", "04", "05", "06"])
def test_form_reads_back_with_code_name_and_due_date(full_history, form):
    dossier, _second = full_history
    text = text_of(render_form(dossier, form))
    assert dossier.code in text
    assert NAME in text
    assert "10/11/2022" in text


def test_form_02_lists_every_item_to_supplement(full_history):
    _dossier, second = full_history
    text = text_of(render_form(second, "02"))
    assert second.code in text
    assert NAME in text
    assert "10/11/2022" in text
    assert "Bản sao Giấy chứng nhận kết hôn" in text


def test_form_01_has_the_motto_the_title_and_the_return_method(full_history):
    dossier, _ = full_history
    text = text_of(render_form(dossier, "01"))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "09 giờ 00 phút, ngày 07/11/2022" in text
    assert "Tờ khai đăng ký khai sinh" in text
    assert "Mẫu số 01" in text


def test_form_04_gives_the_new_appointment_and_the_reason(full_history):
    dossier, _ = full_history
    text = text_of(render_form(dossier, "04"))
    assert "16 giờ 00 phút, ngày 15/11/2022" in text
    assert "Chờ xác minh nơi cư trú" in text


def test_form_05_has_one_row_per_hand_over_with_its_outcome(full_history):
    dossier, _ = full_history
    text = text_of(render_form(dossier, "05"))
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert "Chuyển hồ sơ" in text
    assert "Trước hạn" in text


def test_forms_that_do_not_apply_are_refused(full_history):
    _dossier, second = full_history
    with pytest.raises(FormNotApplicable):
        render_form(second, "03")
    with pytest.raises(FormNotApplicable):
        render_form(second, "04")


def test_the_2025_regime_prints_circular_03_2025_numbers_and_titles(procedure, staff, rules_2025_since_2022):
    dossier = services.intake(procedure=procedure, applicant=ApplicantFactory(name=NAME), actor=staff.officer)
    assert dossier.regime == "2025"
    text = text_of(render_form(dossier, "05"))
    assert "Mẫu số 06" in text
    assert "03/2025/TT-VPCP" in text


def _stopped(procedure, staff):
    """Received Monday 07/11/2022 09:00 (due Thursday 10/11/2022), transferred, then stopped on Tuesday."""
    with time_machine.travel(datetime.datetime(2022, 11, 7, 9, 0, tzinfo=HCM), tick=False) as clock:
        dossier = services.intake(
            procedure=procedure, applicant=ApplicantFactory(name=NAME), actor=staff.officer
        )
        dossier = services.advance(dossier, staff.officer, note="Chuyển Phòng Tư pháp")
        clock.move_to(datetime.datetime(2022, 11, 8, 10, 0, tzinfo=HCM))
        return services.refuse(dossier, staff.specialist, "Người yêu cầu không đủ điều kiện theo quy định")


def test_2025_stop_notice_reads_back_with_code_name_dates_and_reason(procedure, staff, rules_2025_since_2022):
    dossier = _stopped(procedure, staff)
    text = text_of(render_form(dossier, "stop_notice"))
    assert "Mẫu số 05" in text and "03/2025/TT-VPCP" in text
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text
    assert dossier.code in text
    assert NAME in text
    assert "07/11/2022" in text  # received
    assert "10/11/2022" in text  # legal due date
    assert "Ngày 08/11/2022" in text  # stopped
    assert "Người yêu cầu không đủ điều kiện theo quy định" in text


def test_stop_notice_is_only_in_the_2025_set_and_only_for_a_stopped_dossier(procedure, staff, monday_morning):
    stopped_2018 = _stopped(procedure, staff)
    with pytest.raises(FormNotApplicable, match="bộ mẫu năm 2025"):
        render_form(stopped_2018, "stop_notice")
    RegimePeriod.objects.create(regime="2025", valid_from=datetime.date(2022, 1, 1))
    running = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=staff.officer)
    assert running.regime == "2025"
    with pytest.raises(FormNotApplicable, match="không bị dừng"):
        render_form(running, "stop_notice")


def test_form_02_of_a_guidance_at_reception_gives_the_submission_date(procedure, staff):
    with time_machine.travel(datetime.datetime(2022, 11, 7, 8, 0, tzinfo=HCM), tick=False) as clock:
        dossier = services.submit_online(procedure=procedure, applicant=ApplicantFactory(name=NAME))
        clock.move_to(datetime.datetime(2022, 11, 7, 9, 0, tzinfo=HCM))
        dossier = services.request_supplement(dossier, staff.officer, ["Bản sao Giấy chứng nhận kết hôn"])
        clock.move_to(datetime.datetime(2022, 11, 9, 9, 0, tzinfo=HCM))
        dossier = services.supplement(dossier, staff.officer)
        clock.move_to(datetime.datetime(2022, 11, 10, 9, 0, tzinfo=HCM))
        dossier = services.receive(dossier, staff.officer)
    text = text_of(render_form(dossier, "02"))
    assert dossier.code in text and NAME in text
    assert "Ngày nộp hồ sơ: 07/11/2022" in text
    assert "Bản sao Giấy chứng nhận kết hôn" in text


def test_form_01_leaves_out_a_missing_email_and_reads_well_on_the_return_method(procedure, staff):
    with_email = ApplicantFactory(email="thu@example.vn")
    without = ApplicantFactory(email="")
    for applicant, expected in ((with_email, "Email: thu@example.vn"), (without, None)):
        dossier = services.intake(procedure=procedure, applicant=applicant, actor=staff.officer)
        text = text_of(render_form(Dossier.objects.get(pk=dossier.pk), "01"))
        if expected:
            assert expected in text
        else:
            assert "Email" not in text
        assert "Đăng ký nhận kết quả: Tại Bộ phận Tiếp nhận và Trả kết quả" in text
        assert "tại: Tại" not in text
