"""A logged-in citizen downloads their personal data (JSON) and can withdraw consent and close the account
(ASVS V8.3.2; Decree 13/2023/NĐ-CP): drafts and the account go, what the law requires (submitted dossiers, the
consent record, the audit trail) stays and is explained."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.urls import reverse

from motcua.citizens import services
from motcua.citizens.models import CitizenProfile, Submission, SubmissionFile
from motcua.dossiers.models import Applicant, Dossier
from motcua.privacy import notice
from motcua.privacy.models import Consent

from .factories import CitizenProfileFactory, online_procedure, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure():
    return online_procedure("full")


@pytest.fixture
def citizen():
    profile = CitizenProfileFactory()
    notice.record(notice.Purpose.REGISTRATION, user=profile.user, applicant=profile.applicant)
    return profile


def draft_of(citizen, procedure) -> Submission:
    submission = services.start_submission(citizen.user, procedure)
    uploads = {d.pk: pdf_upload(f"giay-{d.pk}.pdf") for d in services.required_documents(submission)}
    return services.save_draft(
        submission, citizen.user, summary="Mở cửa hàng tạp hóa", return_method="online", uploads=uploads
    )


def submitted_by(citizen, procedure) -> Dossier:
    return services.submit(draft_of(citizen, procedure), citizen.user, consent=True)


def test_the_citizen_downloads_their_own_data_as_json(client, citizen, procedure):
    draft_of(citizen, procedure)
    someone_else = CitizenProfileFactory()
    client.force_login(citizen.user)
    assert "Tải về (JSON)" in client.get(reverse("citizens:my_data")).content.decode()
    response = client.get(reverse("citizens:my_data_download"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"] and "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["applicant"]["id_number"] == citizen.applicant.id_number
    assert data["account"]["username"] == citizen.user.username
    assert [c["purpose"] for c in data["consents"]] == ["registration"]
    assert data["online_submissions"][0]["summary"] == "Mở cửa hàng tạp hóa"
    assert data["online_submissions"][0]["files"]
    assert someone_else.applicant.id_number not in response.content.decode()


def test_only_a_logged_in_citizen_reaches_their_data(client, citizen):
    response = client.get(reverse("citizens:my_data_download"))
    assert response.status_code == 302 and reverse("citizens:login") in response.url
    assert "Content-Disposition" not in response
    assert citizen.applicant.id_number not in response.content.decode()


def test_closing_needs_the_confirmation_and_changes_nothing_without_it(client, citizen):
    client.force_login(citizen.user)
    response = client.post(reverse("citizens:close_account"), {})
    assert response.status_code == 400
    assert "Vui lòng đánh dấu xác nhận trước khi xóa tài khoản" in response.content.decode()
    assert CitizenProfile.objects.filter(pk=citizen.pk).exists()
    assert Consent.objects.get().withdrawn_at is None
    assert client.get(reverse("citizens:home")).status_code == 200


def test_closing_an_account_without_dossiers_deletes_it_and_its_drafts(
    client, citizen, procedure, django_capture_on_commit_callbacks
):
    draft = draft_of(citizen, procedure)
    stored = [f.file.name for f in draft.files.all()]
    assert stored and all(default_storage.exists(name) for name in stored)
    client.force_login(citizen.user)
    page = client.get(reverse("citizens:my_data")).content.decode()
    assert "Theo quy định, hệ thống vẫn phải giữ" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("citizens:close_account"), {"confirm": "on"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("citizens:login")
    assert "Đã rút lại sự đồng ý và xóa tài khoản" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not get_user_model().objects.filter(pk=citizen.user.pk).exists()
    assert not CitizenProfile.objects.exists() and not Submission.objects.exists()
    assert not SubmissionFile.objects.exists()
    assert not any(default_storage.exists(name) for name in stored)
    assert not Applicant.objects.filter(pk=citizen.applicant.pk).exists()
    # The record that consent was given and then withdrawn stays (proof under Decree 13).
    consent = Consent.objects.get()
    assert consent.withdrawn_at is not None


def test_closing_keeps_what_the_law_requires_and_frees_the_login(client, citizen, procedure):
    dossier = submitted_by(citizen, procedure)
    user_pk, id_number = citizen.user.pk, citizen.applicant.id_number
    client.force_login(citizen.user)
    assert "1 hồ sơ đã nộp sẽ được giữ lại" in client.get(reverse("citizens:my_data")).content.decode()

    client.post(reverse("citizens:close_account"), {"confirm": "on"})

    dossier.refresh_from_db()
    assert dossier.applicant.id_number == id_number  # the dossier and its applicant are archived
    assert Submission.objects.get().dossier == dossier
    user = get_user_model().objects.get(pk=user_pk)
    assert not user.is_active and not user.has_usable_password()
    assert user.username != id_number and not (user.full_name or user.phone or user.email)
    assert not CitizenProfile.objects.exists()
    assert all(c.withdrawn_at for c in Consent.objects.all()) and Consent.objects.count() == 2
    assert client.get(reverse("citizens:home")).status_code == 302
    # The identity number can open a new account later (e.g. a VNeID login, after a new consent).
    assert services.external_login_needs_consent({"id_number": id_number})


def test_a_withdrawn_consent_is_asked_again_before_the_account_is_used(citizen):
    notice.withdraw(citizen.user)
    assert services.external_login_needs_consent({"id_number": citizen.applicant.id_number})
    with pytest.raises(Exception, match="đồng ý xử lý dữ liệu cá nhân"):
        services.login_with_identity({"id_number": citizen.applicant.id_number, "identity_level": 2})
