"""The public status lookup: code + phone or ID number, no enumeration, throttled per address."""

import pytest
from django.urls import reverse

from motcua.citizens import services
from motcua.dossiers import services as dossier_services
from motcua.dossiers.tests.factories import ApplicantFactory, StaffSet

from .factories import online_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(monday_morning):
    procedure = online_procedure("partial")
    staff = StaffSet(procedure)
    applicant = ApplicantFactory(phone="0912345678")
    d = dossier_services.intake(procedure=procedure, applicant=applicant, actor=staff.officer)
    d = dossier_services.advance(d, staff.for_role(d.current_step.role))  # transfer
    return dossier_services.advance(d, staff.for_role(d.current_step.role))  # appraisal done


def lookup(client, **data):
    return client.post(reverse("citizens:lookup"), data)


def body_without_token(response) -> str:
    import re

    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_the_right_pair_shows_the_public_status(client, dossier):
    response = lookup(client, code=dossier.code, phone="0912 345 678")
    page = response.content.decode()
    assert response.status_code == 200
    assert dossier.code in page and "Đang xử lý" in page
    assert "Ngày hẹn trả" in page and "Còn " in page
    assert dossier.resolving_agency.name in page  # who it is waiting for
    # no staff names in the public timeline
    for person in ("Lê Thị Tiếp Nhận", "Phạm Văn Chuyên Viên"):
        assert person not in page


def test_the_id_number_works_instead_of_the_phone(client, dossier):
    response = lookup(client, code=dossier.code, id_number=dossier.applicant.id_number)
    page = response.content.decode()
    assert response.status_code == 200 and dossier.code in page
    assert "Tiến trình xử lý" in page and "Đang xử lý" in page
    # the form's single box takes either
    response = lookup(client, code=dossier.code, contact=dossier.applicant.id_number)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tiến trình xử lý" in page and "Đang xử lý" in page and "Không tìm thấy" not in page


def test_a_phone_number_in_the_url_is_never_read(client, dossier):
    response = client.get(reverse("citizens:lookup"), {"code": dossier.code, "contact": "0912345678"})
    page = response.content.decode()
    assert response.status_code == 200 and f'value="{dossier.code}"' in page
    assert "Tiến trình xử lý" not in page and 'value="0912345678"' not in page


def test_a_code_alone_only_fills_the_form_in(client, dossier):
    response = client.get(reverse("citizens:lookup"), {"code": dossier.code})
    page = response.content.decode()
    assert response.status_code == 200 and f'value="{dossier.code}"' in page
    assert "Tiến trình xử lý" not in page and "Không tìm thấy" not in page


def test_a_wrong_phone_answers_exactly_like_an_unknown_code(client, dossier):
    wrong_pair = lookup(client, code=dossier.code, phone="0987654321")
    unknown = lookup(client, code="000.00.00.X99-221107-9999", phone="0987654321")
    assert wrong_pair.status_code == unknown.status_code == 404
    assert body_without_token(wrong_pair).replace(dossier.code, "") == body_without_token(unknown).replace(
        "000.00.00.X99-221107-9999", ""
    )
    assert "Không tìm thấy hồ sơ" in wrong_pair.content.decode()


def test_thirty_wrong_tries_in_a_minute_are_throttled(client, dossier):
    for _attempt in range(30):
        assert lookup(client, code="KHONG-CO", phone="0912345678").status_code == 404
    throttled = lookup(client, code=dossier.code, phone="0912345678")
    assert throttled.status_code == 429
    assert "quá nhiều lần" in throttled.content.decode()
    # another address is not affected
    other = client.post(
        reverse("citizens:lookup"), {"code": dossier.code, "phone": "0912345678"}, REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 200


def test_the_throttle_lifts_after_the_lock_time(client, dossier, monday_morning, settings):
    import datetime

    settings.LOOKUP_LOCK_SECONDS = 300
    for _attempt in range(30):
        lookup(client, code="KHONG-CO", phone="1")

    def refused_without_the_status(response):
        page = response.content.decode()
        return response.status_code == 429 and "quá nhiều lần" in page and "Tiến trình xử lý" not in page

    assert refused_without_the_status(lookup(client, code=dossier.code, phone="0912345678"))
    monday_morning.shift(datetime.timedelta(seconds=61))  # a new minute does not lift the lock
    assert refused_without_the_status(lookup(client, code=dossier.code, phone="0912345678"))
    monday_morning.shift(datetime.timedelta(seconds=240))
    lifted = lookup(client, code=dossier.code, phone="0912345678")
    assert lifted.status_code == 200
    assert "Tiến trình xử lý" in lifted.content.decode() and "quá nhiều lần" not in lifted.content.decode()


def test_the_api_lookup_is_throttled_the_same_way(client, dossier):
    url = "/api/v1/lookup"
    for _attempt in range(30):
        assert client.get(url, {"code": "KHONG-CO", "phone": "0912345678"}).status_code == 404
    response = client.get(url, {"code": dossier.code, "phone": "0912345678"})
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"


def test_an_online_submission_not_yet_received_cannot_be_looked_up(client):
    from .factories import CitizenProfileFactory, pdf_upload

    citizen = CitizenProfileFactory()
    submission = services.start_submission(citizen.user, online_procedure("full"))
    services.save_draft(
        submission,
        citizen.user,
        summary="",
        return_method="online",
        uploads={d.pk: pdf_upload() for d in services.required_documents(submission)},
    )
    dossier = services.submit(submission, citizen.user, consent=True)
    response = lookup(client, code=dossier.code, phone=citizen.applicant.phone)
    page = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy hồ sơ" in page
    assert "Tiến trình xử lý" not in page and citizen.applicant.name not in page


def test_overdue_dossiers_say_by_how_much(client, dossier, monday_morning):
    import datetime

    monday_morning.shift(datetime.timedelta(days=14))
    page = lookup(client, code=dossier.code, phone="0912345678").content.decode()
    assert "Quá hạn" in page


def test_the_lookup_page_speaks_english_on_request(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(reverse("citizens:lookup")).content.decode()
    assert "DOSSIER PROGRESS LOOKUP" in page and "Phone number or" in page


def test_the_lookup_page_reads_a_fixed_number_of_queries_however_long_the_history(
    client, dossier, django_assert_max_num_queries
):
    """Throttle counter, dossier, its agencies and step (one query), calendar check, documents to bring, events."""
    assert dossier.events.count() >= 3
    with django_assert_max_num_queries(6):
        response = lookup(client, code=dossier.code, phone="0912345678")
    page = response.content.decode()
    assert response.status_code == 200 and dossier.resolving_agency.name in page
    assert page.count("<tr><td>") == dossier.events.count()  # every event of the timeline is shown


def test_the_lookup_page_shows_the_appointment_of_the_deadline_function(client, dossier):
    from motcua.dossiers.deadlines import deadlines
    from motcua.dossiers.models import Dossier

    Dossier.objects.filter(pk=dossier.pk).update(appointment_at=None)  # none written on the row
    dossier.refresh_from_db()
    appointment = deadlines(dossier).appointment.at
    assert appointment == dossier.due_at
    page = lookup(client, code=dossier.code, phone="0912345678").content.decode()
    from django.utils import timezone

    assert "Ngày hẹn trả" in page and timezone.localtime(appointment).strftime("%d/%m/%Y %H:%M") in page
