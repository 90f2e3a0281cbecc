"""A citizen submits online, the reception officer asks for a supplement, the citizen supplements, the dossier is
received, resolved and its result delivered online."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from motcua.citizens import services
from motcua.citizens.models import OnlineResult, Submission, SubmissionFile
from motcua.dossiers import services as dossier_services
from motcua.dossiers.states import State
from motcua.dossiers.tests.factories import StaffSet

from .factories import PNG, CitizenProfileFactory, online_procedure, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure():
    return online_procedure("full")


@pytest.fixture
def citizen():
    return CitizenProfileFactory()


@pytest.fixture
def staff(procedure):
    return StaffSet(procedure)


def fill_draft(submission, user):
    uploads = {d.pk: pdf_upload(f"giay-{d.pk}.pdf") for d in services.required_documents(submission)}
    return services.save_draft(
        submission, user, summary="Mở cửa hàng tạp hóa", return_method="online", uploads=uploads
    )


def test_a_draft_is_saved_and_resumed_then_submitted_as_newly_registered(procedure, citizen, client):
    client.force_login(citizen.user)
    response = client.post(reverse("citizens:start", args=[procedure.code]))
    submission = Submission.objects.get(user=citizen.user)
    assert response.url == reverse("citizens:draft", args=[submission.pk])
    first = services.required_documents(submission)[0]
    response = client.post(
        reverse("citizens:draft", args=[submission.pk]),
        {"summary": "Mở cửa hàng", "return_method": "online", f"doc_{first.pk}": pdf_upload(), "save": "1"},
    )
    assert response.status_code == 302
    # resumed later: the saved file and text are there
    page = client.get(reverse("citizens:draft", args=[submission.pk])).content.decode()
    assert "to-khai.pdf" in page and "Mở cửa hàng" in page
    # submitting with a required document missing is refused and changes nothing
    response = client.post(
        reverse("citizens:draft", args=[submission.pk]),
        {"summary": "Mở cửa hàng", "return_method": "online", "submit": "1", "consent": "1"},
    )
    assert "Còn thiếu tệp" in response.content.decode()
    submission.refresh_from_db()
    assert submission.state == Submission.State.DRAFT and submission.dossier is None
    second = services.required_documents(submission)[1]
    response = client.post(
        reverse("citizens:draft", args=[submission.pk]),
        {
            "summary": "Mở cửa hàng",
            "return_method": "online",
            f"doc_{second.pk}": pdf_upload("cccd.pdf"),
            "submit": "1",
            "consent": "1",
        },
    )
    assert response.url == reverse("citizens:submitted", args=[submission.pk])
    submission.refresh_from_db()
    dossier = submission.dossier
    assert dossier.status == 1 and dossier.state == State.ONLINE_PENDING
    assert (
        dossier.code and dossier.due_at is None
    )  # a code at once, as the national portal gives; no clock yet
    assert dossier.channel == "online" and dossier.applicant == citizen.applicant
    assert dossier.documents.count() == 2


def test_procedures_without_online_service_cannot_be_started(citizen):
    procedure = online_procedure("none")
    with pytest.raises(ValidationError):
        services.start_submission(citizen.user, procedure)
    assert not Submission.objects.exists()


def test_return_method_must_fit_the_online_level(citizen):
    procedure = online_procedure("partial")
    submission = services.start_submission(citizen.user, procedure)
    assert submission.return_method == "counter"
    with pytest.raises(ValidationError) as excinfo:
        services.save_draft(submission, citizen.user, summary="", return_method="online", uploads={})
    assert "return_method" in excinfo.value.message_dict


def test_supplement_at_reception_then_received_resolved_and_result_delivered(
    procedure, citizen, staff, client, monday_morning, django_capture_on_commit_callbacks
):
    submission = services.start_submission(citizen.user, procedure)
    fill_draft(submission, citizen.user)
    dossier = services.submit(submission, citizen.user, consent=True)

    # the reception officer asks for a supplement before receiving: no clock yet, the code stays
    code = dossier.code
    dossier = dossier_services.request_supplement(dossier, staff.officer, ["Bản sao CCCD có chứng thực"])
    assert dossier.status == 5 and dossier.code == code and dossier.due_at is None

    # the citizen supplements online: back to "Mới đăng ký"
    client.force_login(citizen.user)
    response = client.post(
        reverse("citizens:supplement", args=[submission.pk]),
        {"item_0": pdf_upload("cccd-chung-thuc.pdf"), "note": "Đã bổ sung"},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == State.ONLINE_PENDING and dossier.status == 1
    assert SubmissionFile.objects.filter(submission=submission, purpose="supplement").count() == 1
    event = dossier.events.get(action="supplement")
    assert event.actor == citizen.user and event.data["by_applicant"] is True

    # received: the code stays, the clock starts
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_services.receive(dossier, staff.officer)
    assert dossier.code == code and dossier.status == 2 and dossier.due_at is not None

    # resolved through the process, then the result is delivered online
    for actor in (staff.officer, staff.specialist, staff.leader, staff.clerk):
        if dossier.state != State.RESULT_READY:
            step_role = dossier.current_step.role
            dossier = dossier_services.advance(
                dossier, staff.for_role(step_role) if step_role != "reception_officer" else actor
            )
    assert dossier.state == State.RESULT_READY
    services.deliver_result_online(dossier, staff.officer, pdf_upload("ket-qua.pdf"))
    dossier.refresh_from_db()
    assert dossier.status == 10

    response = client.get(reverse("citizens:result", args=[submission.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert OnlineResult.objects.get(dossier=dossier).downloaded_at is not None


def test_a_result_that_is_not_a_pdf_is_refused(procedure, citizen, staff, monday_morning):
    from django.core.files.uploadedfile import SimpleUploadedFile

    submission = services.start_submission(citizen.user, procedure)
    fill_draft(submission, citizen.user)
    dossier = dossier_services.receive(services.submit(submission, citizen.user, consent=True), staff.officer)
    while dossier.state != State.RESULT_READY:
        dossier = dossier_services.advance(dossier, staff.for_role(dossier.current_step.role))
    with pytest.raises(ValidationError):
        services.deliver_result_online(dossier, staff.officer, SimpleUploadedFile("ket-qua.png", PNG))
    dossier.refresh_from_db()
    assert dossier.status == 9 and not OnlineResult.objects.exists()


def test_another_citizen_sees_nothing_of_a_dossier(procedure, citizen, client):
    submission = services.start_submission(citizen.user, procedure)
    fill_draft(submission, citizen.user)
    services.submit(submission, citizen.user, consent=True)
    stranger = CitizenProfileFactory()
    client.force_login(stranger.user)
    file = submission.files.first()
    for url in (
        reverse("citizens:dossier", args=[submission.pk]),
        reverse("citizens:draft", args=[submission.pk]),
        reverse("citizens:own_file", args=[submission.pk, file.pk]),
        reverse("citizens:result", args=[submission.pk]),
    ):
        assert client.get(url).status_code == 404
    with pytest.raises(PermissionDenied):
        services.supplement_online(submission, stranger.user, uploads={"0": pdf_upload()})


def test_the_applicant_cannot_supplement_unless_asked(procedure, citizen):
    submission = services.start_submission(citizen.user, procedure)
    fill_draft(submission, citizen.user)
    services.submit(submission, citizen.user, consent=True)
    with pytest.raises(ValidationError):
        services.supplement_online(submission, citizen.user, uploads={"0": pdf_upload()})


def test_uploaded_files_are_served_as_attachments_never_inline(procedure, citizen, client):
    submission = services.start_submission(citizen.user, procedure)
    fill_draft(submission, citizen.user)
    client.force_login(citizen.user)
    file = submission.files.first()
    response = client.get(reverse("citizens:own_file", args=[submission.pk, file.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert file.file.name.endswith(".pdf") and "giay" not in file.file.name


def test_reception_screens_receive_and_refuse(procedure, citizen, staff, client, monday_morning):
    submission = services.start_submission(citizen.user, procedure)
    fill_draft(submission, citizen.user)
    dossier = services.submit(submission, citizen.user, consent=True)
    client.force_login(staff.officer)
    inbox = client.get(reverse("citizens:reception_inbox")).content.decode()
    assert procedure.name in inbox
    # refusing needs a reason: nothing changes without one
    client.post(reverse("citizens:reception_action", args=[dossier.pk, "refuse_intake"]), {"reason": ""})
    dossier.refresh_from_db()
    assert dossier.status == 1
    client.post(reverse("citizens:reception_action", args=[dossier.pk, "receive"]))
    dossier.refresh_from_db()
    assert dossier.status == 2 and dossier.code
    # a citizen may not use the staff screens
    client.force_login(citizen.user)
    assert client.get(reverse("citizens:reception_inbox")).status_code == 403
