"""Bad uploads are refused with a clear message and store nothing: too big, wrong content, dangerous names."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.citizens import services
from motcua.citizens.models import SubmissionFile
from motcua.citizens.uploads import check_name, check_upload

from .factories import HTML, JPEG, PDF, PNG, CitizenProfileFactory, online_procedure

pytestmark = pytest.mark.django_db


def stored_files(media_root) -> list[Path]:
    return [p for p in Path(media_root).rglob("*") if p.is_file()]


@pytest.fixture
def draft(client):
    citizen = CitizenProfileFactory()
    submission = services.start_submission(citizen.user, online_procedure("full"))
    client.force_login(citizen.user)
    document = services.required_documents(submission)[0]
    return submission, document


def post(client, submission, document, upload):
    return client.post(
        reverse("citizens:draft", args=[submission.pk]),
        {"summary": "x", "return_method": "online", f"doc_{document.pk}": upload, "save": "1"},
    )


@pytest.mark.parametrize(
    "content,content_type",
    [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg")],
)
def test_allowed_types_are_recognised_by_content(content, content_type):
    checked = check_upload(SimpleUploadedFile("giay-to.pdf" if content == PDF else "anh.png", content))
    assert checked.content_type == content_type


def test_an_oversized_upload_is_refused_and_nothing_is_stored(draft, client, settings, media_root):
    settings.MOTCUA_UPLOAD_MAX_BYTES = 1024
    submission, document = draft
    response = post(client, submission, document, SimpleUploadedFile("to-khai.pdf", PDF + b"0" * 2048))
    page = response.content.decode()
    assert response.status_code == 200
    assert "vượt quá giới hạn" in page and "to-khai.pdf" in page
    assert not SubmissionFile.objects.exists()
    assert stored_files(media_root) == []


def test_a_file_whose_content_is_not_allowed_is_refused_whatever_its_name(draft, client, media_root):
    submission, document = draft
    response = post(client, submission, document, SimpleUploadedFile("to-khai.pdf", HTML, "application/pdf"))
    assert "không phải PDF, JPG hoặc PNG" in response.content.decode()
    assert not SubmissionFile.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    "name",
    ["to-khai.pdf.exe", "anh.php.jpg", ".htaccess.pdf", "giay\x00to.pdf", "bao-cao.html", "ve.svg", "a..pdf"],
)
def test_dangerous_file_names_are_refused(name):
    with pytest.raises(ValidationError) as excinfo:
        check_name(name)
    message = excinfo.value.messages[0]
    assert "Tên tệp" in message or "không đúng định dạng" in message


def test_a_dangerous_name_through_the_form_stores_nothing_and_says_why(draft, client, media_root):
    submission, document = draft
    response = post(client, submission, document, SimpleUploadedFile("to-khai.php.pdf", PDF))
    assert "phần mở rộng nguy hiểm" in response.content.decode()
    assert not SubmissionFile.objects.exists()
    assert stored_files(media_root) == []


def test_one_bad_file_among_good_ones_stores_none_of_them(draft, client, media_root):
    submission, document = draft
    other = services.required_documents(submission)[1]
    response = client.post(
        reverse("citizens:draft", args=[submission.pk]),
        {
            "summary": "x",
            "return_method": "online",
            f"doc_{document.pk}": SimpleUploadedFile("to-khai.pdf", PDF),
            f"doc_{other.pk}": SimpleUploadedFile("cccd.pdf", HTML),
        },
    )
    assert response.status_code == 200
    assert not SubmissionFile.objects.exists()
    assert stored_files(media_root) == []
    submission.refresh_from_db()
    assert submission.summary == ""


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        check_upload(SimpleUploadedFile("rong.pdf", b""))
    assert "rỗng" in excinfo.value.messages[0]


def test_a_bad_supplement_file_leaves_the_dossier_waiting(client, media_root):
    from motcua.dossiers import services as dossier_services
    from motcua.dossiers.tests.factories import StaffSet

    citizen = CitizenProfileFactory()
    procedure = online_procedure("full")
    staff = StaffSet(procedure)
    submission = services.start_submission(citizen.user, procedure)
    services.save_draft(
        submission,
        citizen.user,
        summary="",
        return_method="online",
        uploads={d.pk: SimpleUploadedFile("a.pdf", PDF) for d in services.required_documents(submission)},
    )
    dossier = dossier_services.request_supplement(
        services.submit(submission, citizen.user, consent=True), staff.officer, ["Giấy phép"]
    )
    before = len(stored_files(media_root))
    client.force_login(citizen.user)
    response = client.post(
        reverse("citizens:supplement", args=[submission.pk]),
        {"item_0": SimpleUploadedFile("x.pdf", HTML)},
        follow=True,
    )
    assert "không phải PDF, JPG hoặc PNG" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == 5
    assert len(stored_files(media_root)) == before
