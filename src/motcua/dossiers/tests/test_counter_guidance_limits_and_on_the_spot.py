"""Guidance at the counter without receiving (Mẫu 02), the time limits of reception and supplements, and
"5 tại chỗ" resolved and returned at the counter by the officer who received the dossier."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from motcua.catalog.processes import set_standard_process
from motcua.dossiers import deadlines, services
from motcua.dossiers.exceptions import ActionForbidden, TransitionNotAllowed
from motcua.dossiers.models import CounterGuidance, Dossier, DossierEvent
from motcua.dossiers.pdf_forms import render_guidance
from motcua.dossiers.states import State
from motcua.org.models import Role

from .factories import ApplicantFactory, ProcedureWithProcessFactory, grant

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NAME = "Nguyễn Thị Hướng Dẫn"


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


# --- 1. guidance at the counter without receiving ------------------------------------------------------------


def test_guidance_at_the_counter_issues_no_code_starts_no_clock_and_prints_mau_02(
    procedure, staff, monday_morning
):
    applicant = ApplicantFactory(name=NAME)
    dossiers_before = Dossier.objects.count()
    guidance = services.guide_at_counter(
        procedure=procedure,
        applicant=applicant,
        actor=staff.officer,
        items="Bản sao Giấy chứng nhận kết hôn\n\nTờ khai có chữ ký của người yêu cầu",
    )
    assert Dossier.objects.count() == dossiers_before  # no dossier, no code, no clock
    guidance.refresh_from_db()
    assert guidance.items == ["Bản sao Giấy chứng nhận kết hôn", "Tờ khai có chữ ký của người yêu cầu"]
    assert (guidance.officer, guidance.officer_name) == (staff.officer, "Lê Thị Tiếp Nhận")
    assert guidance.procedure == procedure and guidance.applicant == applicant
    assert guidance.agency == staff.receiving
    assert guidance.at == datetime.datetime(2022, 11, 7, 9, 0, tzinfo=HCM)
    text = text_of(render_guidance(guidance))
    assert "Mẫu số 02" in text
    assert "PHIẾU HƯỚNG DẪN HOÀN THIỆN HỒ SƠ" in text
    assert NAME in text and procedure.name in text
    assert "Bản sao Giấy chứng nhận kết hôn" in text and "Tờ khai có chữ ký của người yêu cầu" in text
    assert "Mã hồ sơ" not in text
    assert "09 giờ 00 phút, ngày 07/11/2022" in text
    assert "Lê Thị Tiếp Nhận" in text


def test_guidance_without_items_is_refused_in_vietnamese_and_records_nothing(
    procedure, staff, monday_morning
):
    with pytest.raises(ValidationError) as error:
        services.guide_at_counter(
            procedure=procedure, applicant=ApplicantFactory(), actor=staff.officer, items=" \n "
        )
    assert "Phải liệt kê đầy đủ" in str(error.value)
    assert CounterGuidance.objects.count() == 0


def test_guidance_is_for_reception_officers_only(procedure, staff, monday_morning):
    with pytest.raises(ActionForbidden):
        services.guide_at_counter(
            procedure=procedure,
            applicant=ApplicantFactory(),
            actor=staff.specialist,
            items=["Bản sao CCCD"],
            agency=staff.receiving,
        )
    assert CounterGuidance.objects.count() == 0


def test_guidance_is_counted_per_officer_for_the_period(procedure, staff, monday_morning):
    for items in (["Bản sao CCCD"], ["Tờ khai"]):
        services.guide_at_counter(
            procedure=procedure, applicant=ApplicantFactory(), actor=staff.officer, items=items
        )
    day = datetime.date(2022, 11, 7)
    counts = services.counter_guidance_counts([staff.receiving.pk], day, day)
    assert counts == {"Lê Thị Tiếp Nhận": 2, "": 2}
    assert services.counter_guidance_counts(
        [staff.receiving.pk], day + datetime.timedelta(1), day + datetime.timedelta(1)
    ) == {"": 0}


def test_the_counter_screen_guides_and_hands_out_the_pdf(client, procedure, staff, monday_morning):
    client.force_login(staff.officer)
    response = client.post(
        reverse("dossiers:intake") + f"?procedure={procedure.code}",
        {
            "procedure": procedure.code,
            "applicant_type": "citizen",
            "submitter_is_applicant": "on",
            "name": NAME,
            "id_type": "cccd",
            "id_number": "027090000123",
            "phone": "0912345678",
            "channel": "counter",
            "set_count": 1,
            "return_method": "counter",
            "guidance_items": "Bản sao Giấy chứng nhận kết hôn",
            "guide": "1",
        },
    )
    guidance = CounterGuidance.objects.get()
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("dossiers:guidance_print", kwargs={"pk": guidance.pk})
    assert Dossier.objects.count() == 0
    pdf = client.get(response["Location"])
    assert pdf["Content-Type"] == "application/pdf"
    assert "Bản sao Giấy chứng nhận kết hôn" in text_of(pdf.content)


# --- 2. time limits for checking online submissions and for supplements ------------------------------------


def test_an_online_submission_must_be_checked_within_one_working_day(procedure, staff):
    # Friday 11/11/2022 16:00: 8 working hours end on Monday 14/11 at 16:00 (the weekend does not count).
    with time_machine.travel(datetime.datetime(2022, 11, 11, 16, 0, tzinfo=HCM), tick=False) as clock:
        dossier = services.submit_online(procedure=procedure, applicant=ApplicantFactory())
        cal = services.calendar(dossier.agency)
        assert deadlines.online_check_due(dossier, cal) == datetime.datetime(2022, 11, 14, 16, 0, tzinfo=HCM)
        clock.move_to(datetime.datetime(2022, 11, 14, 15, 59, tzinfo=HCM))
        assert not deadlines.reception_limits(dossier, cal=cal).passed
        clock.move_to(datetime.datetime(2022, 11, 14, 16, 1, tzinfo=HCM))
        limit = deadlines.reception_limits(dossier, cal=cal)
        assert limit.passed and limit.label == "Hạn kiểm tra hồ sơ trực tuyến"
        received = services.receive(dossier, staff.officer)
        assert deadlines.reception_limits(received, cal=cal) is None  # checked: no more limit


def test_the_check_limit_is_a_setting(procedure, settings):
    settings.MOTCUA_ONLINE_CHECK_WORKING_HOURS = 4
    with time_machine.travel(datetime.datetime(2022, 11, 7, 8, 0, tzinfo=HCM), tick=False):
        dossier = services.submit_online(procedure=procedure, applicant=ApplicantFactory())
        due = deadlines.online_check_due(dossier, services.calendar(dossier.agency))
    # 07:00–11:30 and 13:30–17:00: four working hours from 08:00 end at 14:00.
    assert due == datetime.datetime(2022, 11, 7, 14, 0, tzinfo=HCM)


def test_a_supplement_overdue_can_be_closed_as_refused(procedure, staff, settings):
    settings.MOTCUA_SUPPLEMENT_LIMIT_WORKING_DAYS = 2
    with time_machine.travel(datetime.datetime(2022, 11, 7, 9, 0, tzinfo=HCM), tick=False) as clock:
        dossier = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=staff.officer)
        dossier = services.request_supplement(dossier, staff.officer, ["Bản sao CCCD"])
        cal = services.calendar(dossier.agency)
        assert deadlines.supplement_due(dossier, cal) == datetime.datetime(2022, 11, 9, 9, 0, tzinfo=HCM)
        # Before the limit: refused in Vietnamese, nothing changes.
        clock.move_to(datetime.datetime(2022, 11, 9, 8, 59, tzinfo=HCM))
        before = Dossier.objects.values().get(pk=dossier.pk)
        with pytest.raises(TransitionNotAllowed, match="chưa quá hạn bổ sung"):
            services.close_overdue_supplement(dossier, staff.officer)
        assert Dossier.objects.values().get(pk=dossier.pk) == before
        clock.move_to(datetime.datetime(2022, 11, 9, 9, 1, tzinfo=HCM))
        assert deadlines.reception_limits(dossier, cal=cal).passed
        closed = services.close_overdue_supplement(dossier, staff.officer)
    assert (closed.state, closed.status) == (State.STOPPED, 8)
    event = closed.events.order_by("-at", "-id").first()
    assert event.action == "refuse" and event.data["supplement_overdue"] is True
    assert "Quá thời hạn bổ sung" in event.note


def test_guidance_at_online_reception_overdue_closes_as_not_received(procedure, staff, settings):
    settings.MOTCUA_SUPPLEMENT_LIMIT_WORKING_DAYS = 1
    with time_machine.travel(datetime.datetime(2022, 11, 7, 9, 0, tzinfo=HCM), tick=False) as clock:
        dossier = services.submit_online(procedure=procedure, applicant=ApplicantFactory())
        dossier = services.request_supplement(dossier, staff.officer, ["Bản sao CCCD"])
        clock.move_to(datetime.datetime(2022, 11, 8, 10, 0, tzinfo=HCM))
        closed = services.close_overdue_supplement(dossier, staff.officer)
    assert (closed.state, closed.status, closed.due_at) == (State.REJECTED, 3, None)


# --- 3. "5 tại chỗ" ------------------------------------------------------------------------------------------


@pytest.fixture
def on_the_spot_procedure(db):
    procedure = ProcedureWithProcessFactory(name="Chứng thực bản sao từ bản chính", on_the_spot=True)
    set_standard_process(procedure, "on_the_spot")
    return procedure


def _delegated_officer(procedure, staff_roles=(Role.SPECIALIST, Role.LEADER, Role.CLERK)):
    from motcua.accounts.tests.factories import UserFactory

    officer = UserFactory(full_name="Vũ Văn Tại Chỗ")
    grant(officer, Role.RECEPTION_OFFICER, procedure.resolving_agency)
    for role in staff_roles:
        grant(officer, role, procedure.resolving_agency)
    return officer


def test_five_on_the_spot_is_resolved_and_returned_by_the_receiving_officer_in_one_call(
    on_the_spot_procedure, monday_morning
):
    officer = _delegated_officer(on_the_spot_procedure)
    dossier = services.intake(
        procedure=on_the_spot_procedure, applicant=ApplicantFactory(), actor=officer, on_the_spot=True
    )
    done = services.resolve_on_the_spot(dossier, officer)
    assert (done.state, done.status) == (State.RETURNED, 10)
    events = list(done.events.order_by("at", "id"))
    assert [e.action for e in events] == ["receive", "advance", "advance", "advance", "return_result"]
    assert {e.actor for e in events} == {officer}
    assert [e.step_name for e in events[1:]] == [
        "Thẩm định, xử lý hồ sơ",
        "Phê duyệt, ký kết quả",
        "Vào sổ, đóng dấu, phát hành",
        "Trả kết quả",
    ]
    assert all("5 tại chỗ" in e.note for e in events[1:])
    assert deadlines.deadlines(done).outcome == "early" or deadlines.deadlines(done).outcome == "on_time"


def test_five_on_the_spot_needs_the_officers_delegation_and_changes_nothing_without_it(
    on_the_spot_procedure, monday_morning
):
    officer = _delegated_officer(
        on_the_spot_procedure, staff_roles=(Role.SPECIALIST,)
    )  # no leader's delegation
    dossier = services.intake(
        procedure=on_the_spot_procedure, applicant=ApplicantFactory(), actor=officer, on_the_spot=True
    )
    before = Dossier.objects.values().get(pk=dossier.pk)
    events = DossierEvent.objects.filter(dossier=dossier).count()
    with pytest.raises(ActionForbidden):
        services.resolve_on_the_spot(dossier, officer)
    assert Dossier.objects.values().get(pk=dossier.pk) == before
    assert DossierEvent.objects.filter(dossier=dossier).count() == events


def test_five_on_the_spot_is_only_for_the_receiving_officer_and_flagged_dossiers(
    on_the_spot_procedure, procedure, staff, monday_morning
):
    officer = _delegated_officer(on_the_spot_procedure)
    other = _delegated_officer(on_the_spot_procedure)
    dossier = services.intake(
        procedure=on_the_spot_procedure, applicant=ApplicantFactory(), actor=officer, on_the_spot=True
    )
    with pytest.raises(ActionForbidden, match="cán bộ đã tiếp nhận"):
        services.resolve_on_the_spot(dossier, other)
    ordinary = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=staff.officer)
    with pytest.raises(TransitionNotAllowed, match="5 tại chỗ"):
        services.resolve_on_the_spot(ordinary, staff.officer)
    assert Dossier.objects.get(pk=dossier.pk).state == State.RECEIVED


# --- the screens ----------------------------------------------------------------------------------------------


def test_the_dossier_page_offers_five_on_the_spot_to_the_receiving_officer_and_takes_it(
    client, on_the_spot_procedure, monday_morning
):
    officer = _delegated_officer(on_the_spot_procedure)
    dossier = services.intake(
        procedure=on_the_spot_procedure, applicant=ApplicantFactory(), actor=officer, on_the_spot=True
    )
    client.force_login(officer)
    page = client.get(reverse("dossiers:detail", args=[dossier.code])).content.decode()
    assert 'data-action="resolve_on_the_spot"' in page
    response = client.post(
        reverse("dossiers:act", args=[dossier.code]),
        {"action": "resolve_on_the_spot", "note": ""},
        follow=True,
    )
    assert "Giải quyết và trả kết quả tại chỗ" in response.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).state == State.RETURNED


def test_the_dossier_page_shows_the_supplement_limit_and_offers_closing_only_once_passed(
    client, procedure, staff, settings
):
    settings.MOTCUA_SUPPLEMENT_LIMIT_WORKING_DAYS = 1
    with time_machine.travel(datetime.datetime(2022, 11, 7, 9, 0, tzinfo=HCM), tick=False) as clock:
        dossier = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=staff.officer)
        dossier = services.request_supplement(dossier, staff.officer, ["Bản sao CCCD"])
        client.force_login(staff.officer)
        page = client.get(reverse("dossiers:detail", args=[dossier.code])).content.decode()
        assert "Hạn bổ sung hồ sơ: 08/11/2022 09:00" in page
        assert 'data-action="close_overdue_supplement"' not in page
        clock.move_to(datetime.datetime(2022, 11, 8, 10, 0, tzinfo=HCM))
        page = client.get(reverse("dossiers:detail", args=[dossier.code])).content.decode()
        assert 'data-action="close_overdue_supplement"' in page
        client.post(reverse("dossiers:act", args=[dossier.code]), {"action": "close_overdue_supplement"})
    assert Dossier.objects.get(pk=dossier.pk).state == State.STOPPED


# --- 4. printed forms read the deadlines from deadlines() ----------------------------------------------------


def test_mau_02_prints_the_appointment_moved_by_an_apology_not_the_legal_due_date(procedure, staff):
    with time_machine.travel(datetime.datetime(2022, 11, 7, 9, 0, tzinfo=HCM), tick=False) as clock:
        dossier = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=staff.officer)
        dossier = services.advance(dossier, staff.officer)
        clock.shift(60 * 60 * 24)
        dossier = services.apologize(
            dossier, staff.leader, datetime.datetime(2022, 11, 15, 16, 0, tzinfo=HCM), "Chờ xác minh"
        )
        dossier = services.request_supplement(dossier, staff.specialist, ["Bản sao CCCD"])
    from motcua.dossiers.pdf_forms import render_form

    text = text_of(render_form(dossier, "02"))
    assert "ngày hẹn trả kết quả: 15/11/2022" in text


def _counter_post(procedure, **extra) -> dict:
    return {
        "procedure": procedure.code,
        "applicant_type": "citizen",
        "submitter_is_applicant": "on",
        "name": NAME,
        "id_type": "cccd",
        "id_number": "027090000123",
        "phone": "0912345678",
        "channel": "counter",
        "set_count": 1,
        "return_method": "counter",
        **extra,
    }


def test_the_counter_screen_receives_resolves_and_returns_five_on_the_spot_in_one_sitting(
    client, on_the_spot_procedure, monday_morning
):
    officer = _delegated_officer(on_the_spot_procedure)
    client.force_login(officer)
    url = reverse("dossiers:intake") + f"?procedure={on_the_spot_procedure.code}"
    response = client.post(url, _counter_post(on_the_spot_procedure, on_the_spot="on", resolve_now="1"))
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert (dossier.state, dossier.on_the_spot, dossier.received_by) == (State.RETURNED, True, officer)
    assert dossier.events.filter(action="advance").count() == 3


def test_without_the_delegation_the_counter_screen_receives_nothing(
    client, on_the_spot_procedure, monday_morning
):
    officer = _delegated_officer(on_the_spot_procedure, staff_roles=(Role.SPECIALIST, Role.CLERK))
    client.force_login(officer)
    url = reverse("dossiers:intake") + f"?procedure={on_the_spot_procedure.code}"
    response = client.post(url, _counter_post(on_the_spot_procedure, on_the_spot="on", resolve_now="1"))
    assert response.status_code == 200
    assert "Bạn không có quyền" in response.content.decode()
    assert Dossier.objects.count() == 0
