"""Files a citizen uploads with an online submission become documents of the dossier (origin: uploaded)."""

import pytest

from motcua.citizens import services as citizen_services
from motcua.citizens.tests.factories import CitizenProfileFactory, online_procedure

from ..models import Document
from .factories import pdf_bytes, uploaded

pytestmark = pytest.mark.django_db


def test_online_uploads_are_recorded_as_documents_of_the_applicant():
    citizen = CitizenProfileFactory()
    procedure = online_procedure("full")
    submission = citizen_services.start_submission(citizen.user, procedure)
    uploads = {
        d.pk: uploaded(f"{d.pk}.pdf", pdf_bytes(d.name, pages=2))
        for d in citizen_services.required_documents(submission)
    }
    citizen_services.save_draft(submission, citizen.user, summary="", return_method="online", uploads=uploads)
    dossier = citizen_services.submit(submission, citizen.user, consent=True)
    documents = Document.objects.filter(dossier=dossier)
    assert documents.count() == len(uploads)
    assert {d.origin for d in documents} == {Document.Origin.UPLOADED}
    assert all(d.page_count == 2 and d.applicant == citizen.applicant for d in documents)
    assert dossier.digitisation.components_digitised == len(uploads)
