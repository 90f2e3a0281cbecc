"""On the portal, the citizen picks a document of their data store for a component; the submitted dossier
records it as a re-use."""

import datetime

import pytest
from django.utils import timezone

from motcua.catalog.tests.factories import RequiredDocumentFactory
from motcua.citizens import services as citizen_services
from motcua.citizens.tests.factories import CitizenProfileFactory, online_procedure
from motcua.dossiers.tests.factories import make_dossier

from .. import services
from ..models import Document
from .factories import pdf_bytes

pytestmark = pytest.mark.django_db


def test_the_citizen_reuses_a_stored_result_in_an_online_submission(client, staff, procedure):
    citizen = CitizenProfileFactory()
    earlier = make_dossier(procedure, actor=staff.officer, applicant=citizen.applicant)
    result = services.register_result(
        dossier=earlier,
        actor=staff.clerk,
        content=pdf_bytes("Giấy chứng nhận đăng ký hộ kinh doanh"),
        title="Giấy chứng nhận đăng ký hộ kinh doanh",
        signer_name="Lãnh đạo",
        valid_until=timezone.localdate() + datetime.timedelta(days=30),
    )
    later = online_procedure("full", documents=())
    wanted = RequiredDocumentFactory(
        procedure=later, name="Giấy chứng nhận đăng ký hộ kinh doanh", reusable=True, is_required=True
    )
    client.force_login(citizen.user)
    submission = citizen_services.start_submission(citizen.user, later)
    page = client.get(f"/cong-dan/ho-so/{submission.pk}/nhap/").content.decode()
    assert "Hoặc chọn giấy tờ số hóa trong kho" in page and result.title in page
    response = client.post(
        f"/cong-dan/ho-so/{submission.pk}/nhap/",
        {
            "summary": "",
            "return_method": "online",
            f"reuse_{wanted.pk}": str(result.pk),
            "submit": "1",
            "consent": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    submission.refresh_from_db()
    reused = Document.objects.get(dossier=submission.dossier)
    assert reused.origin == Document.Origin.REUSED and reused.reused_from == result
    assert submission.dossier.digitisation.components_reused == 1


def test_a_tampered_choice_attaches_nothing(client):
    citizen = CitizenProfileFactory()
    other = CitizenProfileFactory()
    later = online_procedure("full", documents=())
    wanted = RequiredDocumentFactory(procedure=later, name="Giấy tờ", reusable=True)
    foreign = Document.objects.create(
        dossier=make_dossier(applicant=other.applicant),
        applicant=other.applicant,
        title="Giấy tờ",
        file="documents/aa/foreign.pdf",
        sha256="0" * 64,
        origin="scanned",
    )
    client.force_login(citizen.user)
    submission = citizen_services.start_submission(citizen.user, later)
    client.post(
        f"/cong-dan/ho-so/{submission.pk}/nhap/",
        {"summary": "", "return_method": "online", f"reuse_{wanted.pk}": str(foreign.pk), "save": "1"},
    )
    assert not submission.files.exists()
