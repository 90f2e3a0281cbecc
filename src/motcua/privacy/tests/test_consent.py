"""Citizens are told what is done with their data before they give it, and must agree (Decree 13/2023): on
registration and on online submission. Without the tick nothing is created; with it the consent is recorded with
the version of the notice."""

import pytest
from django.urls import reverse

from motcua.citizens import services
from motcua.citizens.models import CitizenProfile, Submission
from motcua.citizens.tests.factories import CitizenProfileFactory, online_procedure, pdf_upload
from motcua.dossiers.models import Dossier
from motcua.privacy.models import Consent
from motcua.privacy.notice import NOTICE_VERSION

pytestmark = pytest.mark.django_db

FORM = {
    "full_name": "Nguyễn Thị Hoa",
    "id_type": "cccd",
    "id_number": "027190000123",
    "phone": "0912 345 678",
    "password": "Hoa-mat-khau-2026",
    "password2": "Hoa-mat-khau-2026",
}
REFUSED = "Vui lòng đọc thông báo và đánh dấu đồng ý xử lý dữ liệu cá nhân."


def test_the_registration_page_shows_the_notice_before_any_data_is_given(client):
    page = client.get(reverse("citizens:register")).content.decode()
    assert "Thông báo xử lý dữ liệu cá nhân" in page and "Nghị định 13/2023/NĐ-CP" in page
    assert page.index("Thông báo xử lý dữ liệu cá nhân") < page.index('name="full_name"')


def test_registration_without_consent_creates_no_account(client):
    response = client.post(reverse("citizens:register"), FORM)
    assert response.status_code == 200 and REFUSED in response.content.decode()
    assert not CitizenProfile.objects.exists() and not Consent.objects.exists()
    assert "_auth_user_id" not in client.session


def test_registration_with_consent_records_it_with_the_notice_version(client):
    response = client.post(reverse("citizens:register"), {**FORM, "consent": "on"})
    assert response.url == reverse("citizens:home")
    profile = CitizenProfile.objects.get()
    consent = Consent.objects.get()
    assert consent.purpose == Consent.Purpose.REGISTRATION and consent.notice_version == NOTICE_VERSION
    assert consent.user == profile.user and consent.applicant == profile.applicant


def test_the_service_refuses_a_registration_without_consent():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.register_citizen({"full_name": "A", "id_number": "027190000999", "phone": "0912"}, "x")
    assert REFUSED in refused.value.messages


@pytest.fixture
def filled_draft(client):
    citizen = CitizenProfileFactory()
    submission = services.start_submission(citizen.user, online_procedure("full", documents=("Tờ khai",)))
    client.force_login(citizen.user)
    document = services.required_documents(submission)[0]
    client.post(
        reverse("citizens:draft", args=[submission.pk]),
        {
            "summary": "Mở cửa hàng",
            "return_method": "online",
            f"doc_{document.pk}": pdf_upload(),
            "save": "1",
        },
    )
    return citizen, submission


def test_online_submission_shows_the_notice_and_refuses_without_consent(client, filled_draft):
    _citizen, submission = filled_draft
    page = client.get(reverse("citizens:draft", args=[submission.pk])).content.decode()
    assert "Thông báo xử lý dữ liệu cá nhân" in page and 'name="consent"' in page
    response = client.post(
        reverse("citizens:draft", args=[submission.pk]),
        {"summary": "Mở cửa hàng", "return_method": "online", "submit": "1"},
    )
    assert REFUSED in response.content.decode()
    submission.refresh_from_db()
    assert submission.state == Submission.State.DRAFT and not Dossier.objects.exists()
    assert not Consent.objects.exists()


def test_online_submission_with_consent_records_it_against_the_dossier(client, filled_draft):
    citizen, submission = filled_draft
    response = client.post(
        reverse("citizens:draft", args=[submission.pk]),
        {"summary": "Mở cửa hàng", "return_method": "online", "submit": "1", "consent": "1"},
    )
    assert response.url == reverse("citizens:submitted", args=[submission.pk])
    assert Dossier.objects.count() == 1
    consent = Consent.objects.get()
    assert consent.purpose == Consent.Purpose.ONLINE_SUBMISSION
    assert consent.reference == f"submission:{submission.pk}"
    assert consent.user == citizen.user and consent.applicant == citizen.applicant
