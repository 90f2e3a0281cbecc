"""At the counter, the officer scans each component (several pages into one PDF); a procedure whose catalog
says a component must be digitised cannot be received until it is."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from motcua.catalog.tests.factories import RequiredDocumentFactory
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.tests.factories import ApplicantFactory, make_dossier

from ..models import DigitisationStatus, Document
from .factories import checked, image_bytes, pdf_bytes, uploaded

pytestmark = pytest.mark.django_db


def stored_files(root) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()]


def intake_post(procedure, **extra):
    data = {
        "procedure": procedure.code,
        "channel": "counter",
        "applicant_type": "citizen",
        "id_type": "cccd",
        "id_number": "027090001234",
        "name": "Vũ Thị Thu Hương",
        "phone": "0987654321",
        "submitter_is_applicant": "on",
        "set_count": "1",
        "return_method": "counter",
        "receive": "1",
    }
    data.update(extra)
    return data


def test_officer_scans_two_components_pages_become_one_pdf_each(client, staff, procedure, monday_morning):
    form = RequiredDocumentFactory(procedure=procedure, name="Giấy đề nghị đăng ký hộ kinh doanh")
    idcard = RequiredDocumentFactory(procedure=procedure, name="Bản sao CCCD của chủ hộ")
    client.force_login(staff.officer)
    data = intake_post(
        procedure,
        **{
            f"doc_{form.pk}_received": "on",
            f"doc_{form.pk}_scan": [
                uploaded("trang1.jpg", image_bytes("JPEG")),
                uploaded("trang2.png", image_bytes("PNG", mode="RGBA")),
            ],
            f"doc_{idcard.pk}_received": "on",
            f"doc_{idcard.pk}_scan": [uploaded("cccd.pdf", pdf_bytes("CCCD", pages=2))],
        },
    )
    response = client.post("/ho-so/tiep-nhan/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.get()
    documents = {d.required_document_id: d for d in Document.objects.filter(dossier=dossier)}
    assert set(documents) == {form.pk, idcard.pk}
    scanned = documents[form.pk]
    assert scanned.origin == Document.Origin.SCANNED
    assert scanned.page_count == 2
    assert scanned.digitised_by == staff.officer
    content = scanned.file.read()
    assert len(PdfReader(__import__("io").BytesIO(content)).pages) == 2
    assert scanned.sha256 == __import__("hashlib").sha256(content).hexdigest()
    assert documents[idcard.pk].page_count == 2
    # unguessable names: nothing of the uploaded name, a long random part
    assert "trang1" not in scanned.file.name and len(Path(scanned.file.name).stem) >= 30
    assert dossier.digitisation.digitisation_status == DigitisationStatus.COMPONENTS
    assert dossier.digitisation.components_digitised == 2
    assert all(row.file for row in dossier.documents.all())


def test_intake_is_blocked_until_a_mandatory_component_is_digitised(client, staff, procedure, media_root):
    must = RequiredDocumentFactory(procedure=procedure, name="Tờ khai", must_digitise=True)
    optional = RequiredDocumentFactory(procedure=procedure, name="Giấy tờ khác", must_digitise=False)
    client.force_login(staff.officer)
    data = intake_post(
        procedure,
        **{
            f"doc_{must.pk}_received": "on",
            f"doc_{optional.pk}_received": "on",
            f"doc_{optional.pk}_scan": [uploaded("khac.pdf", pdf_bytes())],
        },
    )
    response = client.post("/ho-so/tiep-nhan/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "yêu cầu số hóa" in body and "Tờ khai" in body
    assert Dossier.objects.count() == 0 and Document.objects.count() == 0
    assert DossierEvent.objects.count() == 0


@pytest.mark.real_clock  # the orphan's age comes from the file system's clock, the machine's
def test_service_intake_refuses_and_keeps_nothing_but_an_orphan_file(staff, procedure, media_root):
    scanned = RequiredDocumentFactory(procedure=procedure, name="Đơn", must_digitise=True)
    missing = RequiredDocumentFactory(procedure=procedure, name="Bản sao", must_digitise=True)
    with pytest.raises(ValidationError) as error:
        make_dossier(
            procedure,
            actor=staff.officer,
            documents=[
                {"name": "Đơn", "required_document": scanned.pk, "pages": [checked("don.pdf", pdf_bytes())]},
                {"name": "Bản sao", "required_document": missing.pk},
            ],
        )
    assert "Bản sao" in str(error.value)
    assert not Dossier.objects.exists() and not Document.objects.exists()
    # The scan written before the failure is an orphan: no row points to it, the cleanup command removes it.
    from ..orphans import cleanup

    assert len(stored_files(media_root)) == 1
    import datetime

    assert cleanup(datetime.timedelta(0)) and stored_files(media_root) == []


def test_components_not_marked_must_digitise_and_historical_imports_are_not_blocked(staff, procedure):
    free = RequiredDocumentFactory(procedure=procedure, name="Giấy tờ", must_digitise=False)
    dossier = make_dossier(
        procedure, actor=staff.officer, documents=[{"name": "Giấy tờ", "required_document": free.pk}]
    )
    assert dossier.digitisation.digitisation_status == DigitisationStatus.NONE


def test_a_fake_or_broken_page_is_refused_with_a_vietnamese_message(client, staff, procedure):
    doc = RequiredDocumentFactory(procedure=procedure)
    client.force_login(staff.officer)
    for name, content, message in [
        ("trang.pdf", b"%PDF-1.4 not really", "Không đọc được tệp PDF"),
        ("trang.html", b"<html><script>alert(1)</script>", "nguy hiểm"),
        ("trang.jpg", b"<html>", "không phải PDF, JPG hoặc PNG"),
    ]:
        data = intake_post(
            procedure, **{f"doc_{doc.pk}_received": "on", f"doc_{doc.pk}_scan": [uploaded(name, content)]}
        )
        body = client.post("/ho-so/tiep-nhan/", data).content.decode()
        assert message in body, name
    assert Dossier.objects.count() == 0 and Document.objects.count() == 0


def test_applicant_is_owner_of_digitised_components(staff, procedure):
    doc = RequiredDocumentFactory(procedure=procedure, name="Đơn")
    applicant = ApplicantFactory()
    dossier = make_dossier(
        procedure,
        actor=staff.officer,
        applicant=applicant,
        documents=[{"name": "Đơn", "required_document": doc.pk, "pages": [checked("a.jpg", image_bytes())]}],
    )
    document = Document.objects.get(dossier=dossier)
    assert document.applicant == applicant and document.in_store
