"""Supplements: the officer scans or uploads each component the applicant supplied (pages into one PDF, images
converted), each becomes a document marked "Bổ sung" with who and when, shown on the dossier's documents and in
its timeline; the citizen's online supplement goes through the same code. Bad files change nothing."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from pypdf import PdfReader

from motcua.catalog.tests.factories import RequiredDocumentFactory
from motcua.citizens import services as citizen_services
from motcua.citizens.models import SubmissionFile
from motcua.citizens.tests.factories import CitizenProfileFactory, online_procedure
from motcua.dossiers import services as dossier_services
from motcua.dossiers.states import State
from motcua.dossiers.tests.factories import StaffSet, make_dossier

from .. import services
from ..models import Document
from .factories import checked, image_bytes, pdf_bytes, uploaded

pytestmark = pytest.mark.django_db

ITEMS = ["Bản sao CCCD của chủ hộ", "Hợp đồng thuê địa điểm kinh doanh"]


def stored_files(root) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()]


@pytest.fixture
def waiting(procedure, staff, monday_morning):
    """A dossier received at the counter, then asked for two documents (clock stopped)."""
    dossier = make_dossier(procedure, actor=staff.officer)
    return dossier_services.request_supplement(dossier, staff.officer, ITEMS, "Thiếu giấy tờ")


def test_officer_scans_each_supplied_component_into_one_pdf_and_the_dossier_resumes(
    client, staff, procedure, waiting
):
    RequiredDocumentFactory(procedure=procedure, name="Bản sao CCCD của chủ hộ")
    due_before = waiting.due_at
    client.force_login(staff.officer)
    url = reverse("documents:supplement", args=[waiting.code])
    page = client.get(url)
    assert page.status_code == 200 and ITEMS[1] in page.content.decode()
    response = client.post(
        url,
        {
            "item_0": [
                uploaded("cccd-mat-truoc.jpg", image_bytes("JPEG")),
                uploaded("mat-sau.png", image_bytes("PNG")),
            ],
            "item_1": [uploaded("hop-dong.pdf", pdf_bytes("Hợp đồng", pages=3))],
            "note": "Công dân mang đến quầy",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("dossiers:detail", args=[waiting.code])
    waiting.refresh_from_db()
    assert waiting.state != State.PAUSED_SUPPLEMENT and waiting.paused_at is None
    assert waiting.due_at >= due_before
    documents = list(Document.objects.filter(dossier=waiting).order_by("id"))
    assert [d.title for d in documents] == ITEMS
    assert all(d.kind == Document.Kind.SUPPLEMENT and d.origin == Document.Origin.SCANNED for d in documents)
    assert all(d.digitised_by == staff.officer and d.digitised_at is not None for d in documents)
    assert [d.page_count for d in documents] == [2, 3]
    first = documents[0].file.read()
    assert len(PdfReader(io.BytesIO(first)).pages) == 2 and documents[0].content_type == "application/pdf"
    # matched to the procedure's required component of the same name (so the store can offer it later)
    assert documents[0].required_document.name == ITEMS[0] and documents[1].required_document is None
    event = waiting.events.get(action="supplement")
    assert event.actor == staff.officer
    assert "Công dân mang đến quầy" in event.note and "Bản sao CCCD của chủ hộ (2 trang)" in event.note
    # the dossier's page shows the supplement in its timeline; the documents page lists both documents
    detail = client.get(reverse("dossiers:detail", args=[waiting.code])).content.decode()
    assert "Hợp đồng thuê địa điểm kinh doanh (3 trang)" in detail
    listing = client.get(reverse("documents:dossier", args=[waiting.code])).content.decode()
    assert listing.count(">Bổ sung<") == 2 and "Lê Thị Tiếp Nhận" in listing


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("giay-to.exe", b"MZ\x90\x00", "phần mở rộng nguy hiểm"),
        ("trang.pdf", b"<html><script>alert(1)</script></html>", "không phải PDF, JPG hoặc PNG"),
        ("trang.pdf", b"", "rỗng"),
        ("trang.pdf", b"%PDF-1.4 not really a pdf", "Không đọc được tệp PDF"),
        ("lon.jpg", b"\xff\xd8\xff" + b"\x00" * 50_000, "vượt quá giới hạn"),
    ],
    ids=["wrong-extension", "wrong-content", "empty", "unreadable-pdf", "too-big"],
)
def test_a_bad_supplement_file_is_refused_in_vietnamese_and_nothing_is_saved(
    client, settings, staff, waiting, media_root, name, content, message
):
    settings.MOTCUA_UPLOAD_MAX_BYTES = 40_000
    files_before = stored_files(media_root)
    client.force_login(staff.officer)
    response = client.post(
        reverse("documents:supplement", args=[waiting.code]),
        {"item_0": [uploaded("tot.pdf", pdf_bytes("Tốt"))], "item_1": [uploaded(name, content)]},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.state == State.PAUSED_SUPPLEMENT
    assert not Document.objects.filter(kind=Document.Kind.SUPPLEMENT).exists()
    assert not waiting.events.filter(action="supplement").exists()
    assert stored_files(media_root) == files_before


def test_nothing_chosen_is_refused(client, staff, waiting):
    client.force_login(staff.officer)
    response = client.post(reverse("documents:supplement", args=[waiting.code]), {"note": "x"})
    assert "Chưa chọn tệp giấy tờ bổ sung nào." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.state == State.PAUSED_SUPPLEMENT


def test_another_document_needs_its_name(client, staff, waiting):
    client.force_login(staff.officer)
    response = client.post(
        reverse("documents:supplement", args=[waiting.code]), {"other": [uploaded("a.pdf", pdf_bytes())]}
    )
    assert "Chưa ghi tên giấy tờ bổ sung." in response.content.decode()
    response = client.post(
        reverse("documents:supplement", args=[waiting.code]),
        {"other": [uploaded("a.pdf", pdf_bytes())], "other_title": "Giấy xác nhận tình trạng hôn nhân"},
    )
    assert response.status_code == 302
    assert Document.objects.get(kind=Document.Kind.SUPPLEMENT).title == "Giấy xác nhận tình trạng hôn nhân"


def test_only_staff_who_may_take_the_supplement_see_the_screen(client, staff, waiting):
    client.force_login(staff.clerk)  # sees the dossier, but a clerk does not receive supplements
    assert client.get(reverse("documents:supplement", args=[waiting.code])).status_code == 403
    client.force_login(staff.officer)
    dossier_services.supplement(waiting, staff.officer)
    response = client.get(reverse("documents:supplement", args=[waiting.code]), follow=True)
    assert "Hồ sơ không ở trạng thái chờ bổ sung." in response.content.decode()


def test_a_supplement_refused_after_its_files_were_written_leaves_no_file(staff, waiting, media_root):
    files_before = stored_files(media_root)
    with pytest.raises(PermissionDenied):
        services.receive_supplement(waiting, staff.clerk, [(ITEMS[0], [checked("a.pdf", pdf_bytes())])])
    assert stored_files(media_root) == files_before
    assert not Document.objects.filter(kind=Document.Kind.SUPPLEMENT).exists()


def test_the_citizens_online_supplement_becomes_the_same_kind_of_document(client, media_root, monday_morning):
    citizen = CitizenProfileFactory()
    procedure = online_procedure("full")
    staff = StaffSet(procedure)
    submission = citizen_services.start_submission(citizen.user, procedure)
    citizen_services.save_draft(
        submission,
        citizen.user,
        summary="",
        return_method="online",
        uploads={
            d.pk: uploaded(f"{d.pk}.pdf", pdf_bytes(d.name))
            for d in citizen_services.required_documents(submission)
        },
    )
    dossier = dossier_services.receive(
        citizen_services.submit(submission, citizen.user, consent=True), staff.officer
    )
    dossier = dossier_services.request_supplement(
        dossier, staff.officer, ["Giấy phép kinh doanh có điều kiện"]
    )
    client.force_login(citizen.user)
    response = client.post(
        reverse("citizens:supplement", args=[submission.pk]),
        {"item_0": uploaded("giay-phep.jpg", image_bytes())},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state != State.PAUSED_SUPPLEMENT
    document = Document.objects.get(dossier=dossier, kind=Document.Kind.SUPPLEMENT)
    assert document.origin == Document.Origin.UPLOADED and document.digitised_by == citizen.user
    assert document.content_type == "application/pdf" and document.page_count == 1  # the photo became a PDF
    assert document.title == "Giấy phép kinh doanh có điều kiện"
    # the citizen's own list of files shows the same stored file (no second copy)
    own = SubmissionFile.objects.get(submission=submission, purpose="supplement")
    assert own.file.name == document.file.name and own.sha256 == document.sha256
    assert "Giấy phép kinh doanh có điều kiện (1 trang)" in dossier.events.get(action="supplement").note


def test_the_dossier_page_leads_the_officer_to_the_supplement_scanning_screen(client, staff, waiting):
    client.force_login(staff.officer)
    page = client.get(reverse("dossiers:detail", args=[waiting.code])).content.decode()
    assert f'href="{reverse("documents:supplement", args=[waiting.code])}"' in page
    assert "Quét, tải lên giấy tờ bổ sung" in page

    client.force_login(staff.clerk)  # the clerk may not take the supplement: no link
    page = client.get(reverse("dossiers:detail", args=[waiting.code])).content.decode()
    assert reverse("documents:supplement", args=[waiting.code]) not in page
