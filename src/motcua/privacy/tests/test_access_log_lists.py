"""Lists that show applicants' names or phone numbers log one read per applicant shown; the recommendation page,
which shows its sender's contacts, logs its read; the monitoring lists show no personal data and log nothing."""

import pytest
from django.urls import reverse

from motcua.accounts.tests.factories import UserFactory
from motcua.catalog.tests.factories import FeeFactory
from motcua.dossiers.tests.factories import ApplicantFactory, grant, make_dossier
from motcua.org.models import Role
from motcua.privacy.models import PersonalDataAccess

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(procedure, staff):
    return make_dossier(
        procedure,
        actor=staff.officer,
        applicant=ApplicantFactory(name="Vũ Thị Thu Hương", phone="0912000111"),
    )


def test_the_dossier_list_logs_each_applicant_it_shows(client, staff, dossier):
    other = make_dossier(
        dossier.procedure, actor=staff.officer, applicant=ApplicantFactory(name="Lý Văn Bình")
    )
    client.force_login(staff.officer)
    page = client.get(reverse("dossiers:inbox"), {"field": "code", "q": dossier.code}).content.decode()
    assert "Vũ Thị Thu Hương" in page and "0912000111" in page and "Lý Văn Bình" not in page
    rows = list(PersonalDataAccess.objects.all())
    assert [(r.user, r.applicant_id, r.dossier_code, r.channel, r.what) for r in rows] == [
        (staff.officer, dossier.applicant_id, dossier.code, "page", "Danh sách hồ sơ")
    ]
    assert other.code not in {r.dossier_code for r in rows}


def test_the_fee_counter_list_and_the_fee_page_log_the_applicant(client, staff, dossier):
    FeeFactory(procedure=dossier.procedure, description="Lệ phí", amount=50_000)
    from motcua.payments.tests.factories import ReceiptBookFactory

    ReceiptBookFactory(agency=dossier.procedure.resolving_agency)
    client.force_login(staff.officer)
    fees_url = reverse("payments:dossier_fees", args=[dossier.code])
    client.post(fees_url, {"action": "compute"})
    assert not PersonalDataAccess.objects.exists()  # a change that redirects shows nothing
    assert "Vũ Thị Thu Hương" in client.get(reverse("payments:counter")).content.decode()
    assert "Vũ Thị Thu Hương" in client.get(fees_url).content.decode()
    assert [(r.dossier_code, r.what) for r in PersonalDataAccess.objects.order_by("id")] == [
        (dossier.code, "Danh sách hồ sơ chờ thu phí"),
        (dossier.code, "Phí, lệ phí của hồ sơ"),
    ]


def test_reading_a_recommendation_logs_its_sender_and_the_supervisor_sees_it(client):
    from motcua.feedback.tests.factories import RecommendationFactory
    from motcua.org.tests.factories import AgencyFactory

    rec = RecommendationFactory(sender_name="Trần Văn Nam", sender_phone="0912345678", dossier_code="X-1")
    supervisor = UserFactory()
    grant(supervisor, Role.SUPERVISOR, AgencyFactory())
    client.force_login(supervisor)
    page = client.get(reverse("feedback:recommendation_detail", args=[rec.pk])).content.decode()
    assert "0912345678" in page
    row = PersonalDataAccess.objects.get()
    assert (row.user, row.applicant_id, row.applicant_name, row.dossier_code) == (
        supervisor,
        None,
        "Trần Văn Nam",
        "X-1",
    )
    assert rec.reference in row.what
    assert "Trần Văn Nam" in client.get(reverse("privacy:access_list")).content.decode()


def test_the_monitoring_list_shows_no_personal_data_and_logs_nothing(client, dossier):
    supervisor = UserFactory()
    grant(supervisor, Role.SUPERVISOR, dossier.agency)
    client.force_login(supervisor)
    response = client.get(reverse("monitoring:list"))
    assert response.status_code == 200 and dossier.code in response.content.decode()
    assert "Vũ Thị Thu Hương" not in response.content.decode()
    assert "0912000111" not in response.content.decode()
    assert not PersonalDataAccess.objects.exists()
