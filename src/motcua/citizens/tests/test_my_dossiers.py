"""The citizen's page lists every dossier of theirs, whatever the channel: those submitted through the account,
and, once the account's identity number is checked, those received at the counter where they are the applicant
or the submitter. An online submission has its code at once; every citizen link opens directly."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from motcua.citizens import services
from motcua.citizens.models import CitizenProfile, Submission
from motcua.documents.services import store_of
from motcua.dossiers.tests.factories import ApplicantFactory, StaffSet, make_dossier

from .factories import CitizenProfileFactory, online_procedure, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure():
    return online_procedure("full")


@pytest.fixture
def staff(procedure):
    return StaffSet(procedure)


def checked_citizen():
    return CitizenProfileFactory(identity_checked_by=CitizenProfile.IdentityCheck.COUNTER)


def counter_dossier(procedure, staff, applicant, submitter=None):
    return make_dossier(procedure, actor=staff.officer, applicant=applicant, submitter=submitter)


def test_a_checked_citizen_sees_the_counter_dossiers_they_own_or_submitted(client, procedure, staff):
    citizen = checked_citizen()
    own = counter_dossier(procedure, staff, citizen.applicant)
    for_a_parent = counter_dossier(procedure, staff, ApplicantFactory(), submitter=citizen.applicant)
    someone_elses = counter_dossier(procedure, staff, ApplicantFactory())
    client.force_login(citizen.user)

    page = client.get(reverse("citizens:home")).content.decode()

    assert own.code in page and for_a_parent.code in page
    assert someone_elses.code not in page
    assert "Chưa nộp hồ sơ nào" not in page
    detail = client.get(reverse("citizens:own_dossier", args=[own.code]))
    assert detail.status_code == 200
    assert own.code in detail.content.decode() and "Trực tiếp" in detail.content.decode()


def test_the_receipt_of_a_counter_dossier_downloads_from_the_citizens_page(client, procedure, staff):
    citizen = checked_citizen()
    dossier = counter_dossier(procedure, staff, citizen.applicant)
    client.force_login(citizen.user)

    response = client.get(reverse("citizens:own_receipt", args=[dossier.code]))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert dossier.code in text


def test_another_persons_dossier_is_not_found_by_its_code(client, procedure, staff):
    citizen = checked_citizen()
    other = counter_dossier(procedure, staff, ApplicantFactory(name="Trần Thị Người Khác"))
    client.force_login(citizen.user)

    page = client.get(reverse("citizens:own_dossier", args=[other.code]))
    receipt = client.get(reverse("citizens:own_receipt", args=[other.code]))

    assert page.status_code == 404 and receipt.status_code == 404
    for response in (page, receipt):  # nothing of the other person's dossier is shown
        assert other.applicant.name not in response.content.decode(errors="replace")
        assert response.get("Content-Type", "") != "application/pdf"


def test_a_typed_unchecked_identity_number_does_not_open_counter_dossiers(client, procedure, staff):
    citizen = CitizenProfileFactory()  # self-registered: the number was typed, never checked
    counter = counter_dossier(procedure, staff, citizen.applicant)
    client.force_login(citizen.user)

    page = client.get(reverse("citizens:home")).content.decode()

    assert counter.code not in page
    assert "đề nghị cán bộ tiếp nhận xác thực số giấy tờ" in page
    assert client.get(reverse("citizens:own_dossier", args=[counter.code])).status_code == 404


def test_accounts_opened_at_the_counter_or_by_an_identity_provider_have_a_checked_number(staff):
    profile, _password = services.create_account_for_walk_in(
        staff.officer,
        {"full_name": "Nguyễn Thị Quầy", "id_number": "027190000555", "phone": "0912000555"},
    )
    assert profile.identity_checked_by == CitizenProfile.IdentityCheck.COUNTER
    self_registered = services.register_citizen(
        {"full_name": "Trần Văn Tự", "id_number": "027090000556", "phone": "0912000556", "consent": True},
        "mat-khau-du-dai-1",
    )
    assert not self_registered.identity_checked
    # A level-1 electronic identity does not check the number; a level-2 one does.
    user = services.login_with_identity(
        {"id_number": "027090000556", "name": "Trần Văn Tự", "identity_level": 1}
    )
    assert user.citizen_profile.identity_checked_by == ""
    assert not user.citizen_profile.identity_verified
    user = services.login_with_identity(
        {"id_number": "027090000556", "name": "Trần Văn Tự", "identity_level": 2}
    )
    assert user.citizen_profile.identity_checked_by == CitizenProfile.IdentityCheck.PROVIDER
    assert user.citizen_profile.identity_verified


def test_an_online_submission_has_its_code_on_the_success_page_and_in_the_list(client, procedure):
    citizen = CitizenProfileFactory()
    client.force_login(citizen.user)
    submission = services.start_submission(citizen.user, procedure)
    uploads = {d.pk: pdf_upload(f"giay-{d.pk}.pdf") for d in services.required_documents(submission)}
    services.save_draft(submission, citizen.user, summary="", return_method="online", uploads=uploads)
    response = client.post(
        reverse("citizens:draft", args=[submission.pk]),
        {"return_method": "online", "submit": "1", "consent": "1"},
    )
    submission.refresh_from_db()
    code = submission.dossier.code

    assert code and response.url == reverse("citizens:submitted", args=[submission.pk])
    assert code in client.get(response.url).content.decode()
    home = client.get(reverse("citizens:home")).content.decode()
    assert code in home and reverse("citizens:dossier", args=[submission.pk]) in home


def test_the_online_submission_link_opens_directly_and_starts_only_on_confirmation(client, procedure):
    citizen = CitizenProfileFactory()
    url = reverse("citizens:start", args=[procedure.code])

    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("citizens:login"))

    client.force_login(citizen.user)
    page = client.get(url)
    assert page.status_code == 200
    assert procedure.name in page.content.decode() and "Bắt đầu nộp hồ sơ" in page.content.decode()
    assert not Submission.objects.exists()  # opening the link starts nothing

    started = client.post(url)
    submission = Submission.objects.get(user=citizen.user)
    assert started.url == reverse("citizens:draft", args=[submission.pk])
    assert "Hồ sơ nháp lưu lúc" in client.get(url).content.decode()  # the draft is offered next time


def test_the_link_of_a_procedure_without_online_service_says_so(client):
    procedure = online_procedure("none")
    client.force_login(CitizenProfileFactory().user)
    page = client.get(reverse("citizens:start", args=[procedure.code])).content.decode()
    assert "chưa cung cấp dịch vụ công trực tuyến" in page and "Bắt đầu nộp hồ sơ" not in page


def test_the_citizens_store_keeps_every_file_uploaded_online_even_with_the_same_content(procedure, staff):
    citizen = CitizenProfileFactory()
    submission = services.start_submission(citizen.user, procedure)
    documents = services.required_documents(submission)
    same = pdf_upload("giay.pdf").read()
    uploads = {d.pk: pdf_upload(f"giay-{d.pk}.pdf", same) for d in documents}
    services.save_draft(submission, citizen.user, summary="", return_method="online", uploads=uploads)
    dossier = services.submit(submission, citizen.user, consent=True)

    stored = store_of(citizen.applicant).filter(dossier=dossier)
    assert sorted(d.title for d in stored) == sorted(d.name for d in documents)
