"""Every staff read of an applicant's personal data is logged — dossier page, printed form, API — and the
supervisor of the agency sees the log; nobody else does."""

import pytest
from django.urls import reverse

from motcua.accounts.tests.factories import UserFactory
from motcua.dossiers.tests.conftest import bearer
from motcua.dossiers.tests.factories import ApplicantFactory, grant, make_dossier
from motcua.org.models import Role
from motcua.org.tests.factories import AgencyFactory
from motcua.privacy.models import PersonalDataAccess

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(procedure, staff):
    return make_dossier(procedure, actor=staff.officer, applicant=ApplicantFactory(name="Vũ Thị Thu Hương"))


def test_a_staff_page_view_a_printed_form_and_an_api_read_are_each_logged(client, staff, dossier):
    client.force_login(staff.officer)
    assert client.get(reverse("dossiers:detail", args=[dossier.code])).status_code == 200
    assert client.get(reverse("dossiers:print", args=[dossier.code, "01"])).status_code == 200
    assert client.get(f"/api/v1/dossiers/{dossier.code}", **bearer(staff.specialist)).status_code == 200
    rows = list(PersonalDataAccess.objects.order_by("at", "id"))
    assert [(r.user, r.channel) for r in rows] == [
        (staff.officer, "page"),
        (staff.officer, "file"),
        (staff.specialist, "api"),
    ]
    assert {(r.applicant_id, r.dossier_code, r.agency_id) for r in rows} == {
        (dossier.applicant_id, dossier.code, dossier.agency_id)
    }
    assert rows[0].applicant_name == "Vũ Thị Thu Hương"


def test_the_digitised_documents_page_and_a_staff_download_are_logged_the_owners_own_are_not(
    client, staff, dossier
):
    from motcua.citizens.tests.factories import CitizenProfileFactory
    from motcua.documents.models import Document
    from motcua.documents.services import store_pdf
    from motcua.documents.tests.factories import pdf_bytes

    document = store_pdf(
        dossier=dossier,
        title="Tờ khai",
        content=pdf_bytes(),
        origin=Document.Origin.SCANNED,
        actor=staff.officer,
    )
    client.force_login(staff.officer)
    assert client.get(reverse("documents:dossier", args=[dossier.code])).status_code == 200
    assert client.get(reverse("documents:download", args=[document.pk])).status_code == 200
    assert [(r.channel, r.what) for r in PersonalDataAccess.objects.order_by("id")] == [
        ("page", "Giấy tờ số hóa của hồ sơ"),
        ("file", "Tờ khai"),
    ]
    owner = CitizenProfileFactory(applicant=dossier.applicant)
    client.force_login(owner.user)
    assert client.get(reverse("documents:download", args=[document.pk])).status_code == 200
    assert PersonalDataAccess.objects.count() == 2


def test_refused_and_public_reads_are_not_logged_as_reads(client, staff, dossier):
    outsider = UserFactory()
    assert client.get(f"/api/v1/dossiers/{dossier.code}", **bearer(outsider)).status_code == 404
    client.get("/api/v1/lookup", {"code": dossier.code, "phone": dossier.applicant.phone})
    assert not PersonalDataAccess.objects.exists()


def test_the_supervisor_of_the_agency_sees_the_log_others_do_not(client, staff, dossier):
    client.force_login(staff.officer)
    client.get(reverse("dossiers:detail", args=[dossier.code]))
    supervisor = UserFactory(full_name="Giám sát")
    grant(supervisor, Role.SUPERVISOR, dossier.agency)
    client.force_login(supervisor)
    page = client.get(reverse("privacy:access_list")).content.decode()
    assert "Nhật ký xem dữ liệu cá nhân" in page
    assert dossier.code in page and "Vũ Thị Thu Hương" in page and staff.officer.username in page
    assert dossier.code in client.get(reverse("privacy:access_list"), {"q": "Thu Hương"}).content.decode()
    assert dossier.code not in client.get(reverse("privacy:access_list"), {"q": "Không Ai"}).content.decode()

    elsewhere = UserFactory()
    grant(elsewhere, Role.SUPERVISOR, AgencyFactory())
    client.force_login(elsewhere)
    assert dossier.code not in client.get(reverse("privacy:access_list")).content.decode()

    client.force_login(staff.officer)  # a reception officer is not a supervisor
    assert client.get(reverse("privacy:access_list")).status_code == 403
