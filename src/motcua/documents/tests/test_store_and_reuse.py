"""The applicant's data store: a result issued for one dossier is offered at the same applicant's next dossier for
a procedure that requires that document, re-used (no new file), and counted in the rates."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from motcua.catalog.tests.factories import RequiredDocumentFactory
from motcua.dossiers.tests.factories import (
    ApplicantFactory,
    ProcedureWithProcessFactory,
    StaffSet,
    make_dossier,
)

from .. import services
from ..models import Document
from ..rates import digitisation_rates
from .factories import checked, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(staff, procedure):
    """A household-business certificate issued to an applicant."""
    applicant = ApplicantFactory()
    dossier = make_dossier(procedure, actor=staff.officer, applicant=applicant)
    result = services.register_result(
        dossier=dossier,
        actor=staff.clerk,
        content=pdf_bytes("Giấy chứng nhận đăng ký hộ kinh doanh"),
        title="Giấy chứng nhận đăng ký hộ kinh doanh",
        signer_name="Lãnh đạo",
        valid_until=timezone.localdate() + datetime.timedelta(days=365),
    )
    return applicant, result


@pytest.fixture
def next_procedure(db):
    later = ProcedureWithProcessFactory(name="Đăng ký thay đổi nội dung đăng ký hộ kinh doanh")
    RequiredDocumentFactory(procedure=later, name="Giấy đề nghị", reusable=False)
    wanted = RequiredDocumentFactory(
        procedure=later, name="Bản sao Giấy chứng nhận đăng ký hộ kinh doanh", reusable=True
    )
    return later, wanted


def test_a_result_is_offered_and_reused_at_the_next_dossier_and_counted(issued, next_procedure, media_root):
    applicant, result = issued
    later, wanted = next_procedure
    offers = services.offers_for(applicant, later)
    assert offers == {wanted.pk: [result]}
    assert services.offers_for(ApplicantFactory(), later) == {}
    staff = StaffSet(later)
    files_before = sorted(p for p in media_root.rglob("*") if p.is_file())
    dossier = make_dossier(
        later,
        actor=staff.officer,
        applicant=applicant,
        documents=[
            {"name": "Giấy đề nghị", "pages": [checked("don.pdf", pdf_bytes())]},
            {"name": wanted.name, "required_document": wanted.pk, "reuse": result.pk},
        ],
    )
    reused = Document.objects.get(dossier=dossier, origin=Document.Origin.REUSED)
    assert reused.reused_from == result and reused.file.name == result.file.name
    assert reused.required_document == wanted and not reused.in_store
    assert (
        len(sorted(p for p in media_root.rglob("*") if p.is_file())) == len(files_before) + 1
    )  # only the scan
    assert dossier.digitisation.components_reused == 1 and dossier.digitisation.components_digitised == 2
    now = timezone.now()
    rates = digitisation_rates(now - datetime.timedelta(days=1), now + datetime.timedelta(days=1))
    assert rates.components == 2 and rates.components_reused == 1 and rates.reuse_rate == 50.0
    assert rates.dossiers == 2 and rates.dossiers_with_digitised_components == 1
    by_agency = digitisation_rates(
        now - datetime.timedelta(days=1), now + datetime.timedelta(days=1), group_by="agency"
    )
    assert by_agency[later.resolving_agency_id].components_reused == 1
    # the store keeps one copy of each document (re-uses are not listed again)
    assert list(services.store_of(applicant)) == [
        Document.objects.get(dossier=dossier, origin="scanned"),
        result,
    ]


def test_an_expired_or_foreign_document_is_neither_offered_nor_reused(issued, next_procedure):
    applicant, result = issued
    later, wanted = next_procedure
    Document.objects.filter(pk=result.pk).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    result.refresh_from_db()
    assert services.offers_for(applicant, later) == {}
    staff = StaffSet(later)
    with pytest.raises(ValidationError, match="hết hạn"):
        make_dossier(
            later,
            actor=staff.officer,
            applicant=applicant,
            documents=[{"name": wanted.name, "required_document": wanted.pk, "reuse": result.pk}],
        )
    with pytest.raises(ValidationError, match="không thuộc"):
        make_dossier(
            later,
            actor=staff.officer,
            documents=[{"name": wanted.name, "required_document": wanted.pk, "reuse": result.pk}],
        )
    assert not Document.objects.filter(origin=Document.Origin.REUSED).exists()


def test_the_counter_offers_the_stored_document_and_records_the_reuse(client, issued, next_procedure):
    applicant, result = issued
    later, wanted = next_procedure
    staff = StaffSet(later)
    client.force_login(staff.officer)
    page = client.get(
        "/ho-so/tiep-nhan/", {"procedure": later.code, "id_type": "cccd", "id_number": applicant.id_number}
    ).content.decode()
    assert "Dùng lại giấy tờ trong kho" in page and result.number in page
    other = later.documents.get(reusable=False)
    response = client.post(
        "/ho-so/tiep-nhan/",
        {
            "procedure": later.code,
            "channel": "counter",
            "applicant_type": "citizen",
            "id_type": "cccd",
            "id_number": applicant.id_number,
            "name": applicant.name,
            "phone": applicant.phone,
            "submitter_is_applicant": "on",
            "set_count": "1",
            "return_method": "counter",
            f"doc_{other.pk}_received": "on",
            f"doc_{other.pk}_scan": [
                __import__("motcua.documents.tests.factories", fromlist=["x"]).uploaded("a.pdf", pdf_bytes())
            ],
            f"doc_{wanted.pk}_received": "on",
            f"doc_{wanted.pk}_reuse": str(result.pk),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Document.objects.get(origin=Document.Origin.REUSED).reused_from == result


def test_the_counter_intake_offers_the_stored_result_of_the_applicant_it_identifies(
    issued, next_procedure, client
):
    """The intake page asks the registered offer providers: typing the applicant's ID offers their stored result."""
    applicant, result = issued
    later, wanted = next_procedure
    client.force_login(StaffSet(later).officer)
    query = {"procedure": later.code, "id_type": applicant.id_type, "id_number": applicant.id_number}

    page = client.get(reverse("dossiers:intake"), query)
    stranger = client.get(reverse("dossiers:intake"), {**query, "id_number": "001099000001"})

    assert f"doc_{wanted.pk}_reuse" in page.content.decode()
    assert result.title in page.content.decode()
    assert f"doc_{wanted.pk}_reuse" not in stranger.content.decode()
