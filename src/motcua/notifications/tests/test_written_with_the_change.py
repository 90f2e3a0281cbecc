"""The notification rows of a change are written by the change's own transaction (an outbox): they exist before
anything runs after the commit, so a process killed right after the commit cannot leave a committed change
without them; a change rolled back leaves none. (`benchmarks/notifications_survive_kill.py` kills a real server
during concurrent intakes on PostgreSQL and checks every committed dossier.)"""

import pytest
from django.db import transaction

from motcua.catalog.tests.factories import FeeFactory
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import ApplicantFactory, ProcedureWithProcessFactory, StaffSet
from motcua.notifications.models import Notification
from motcua.payments.fees import compute_fee_lines
from motcua.payments.tests.factories import ReceiptBookFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure():
    return ProcedureWithProcessFactory(name="Cấp bản sao trích lục hộ tịch")


@pytest.fixture
def staff(procedure):
    return StaffSet(procedure)


def applicant(n: int = 1):
    return ApplicantFactory(phone=f"09123456{n:02d}", email=f"dan{n}@example.vn", name="Vũ Thị Lan")


def test_an_intake_commits_with_its_notification_rows_before_any_after_commit_work(
    procedure, staff, monday_morning, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        dossier = dossier_services.intake(procedure=procedure, applicant=applicant(), actor=staff.officer)
    # nothing that runs after the commit has run (a process killed there): the rows are already written
    rows = Notification.objects.filter(dossier=dossier, event="received")
    assert sorted(rows.values_list("channel", flat=True)) == ["email", "sms", "zalo"]
    assert {row.status for row in rows} == {"pending"}
    assert dossier.code in rows.get(channel="sms").body
    assert after_commit  # the worker is only woken up after the commit


def test_a_transition_writes_its_notifications_in_its_own_transaction(
    procedure, staff, monday_morning, django_capture_on_commit_callbacks
):
    dossier = dossier_services.intake(procedure=procedure, applicant=applicant(), actor=staff.officer)
    with django_capture_on_commit_callbacks(execute=False):
        dossier_services.request_supplement(dossier, staff.officer, ["Bản sao sổ hộ khẩu"])
    [sms] = Notification.objects.filter(dossier=dossier, event="supplement_requested", channel="sms")
    assert "Bản sao sổ hộ khẩu" in sms.body and sms.status == "pending"


def test_fee_lines_that_become_due_commit_with_one_payment_request_for_their_total(
    procedure, staff, monday_morning, django_capture_on_commit_callbacks
):
    ReceiptBookFactory(agency=procedure.resolving_agency)
    FeeFactory(procedure=procedure, position=1, description="Lệ phí cấp bản sao", amount=8_000)
    FeeFactory(procedure=procedure, position=2, description="Phí sao y", amount=2_000)
    dossier = dossier_services.intake(procedure=procedure, applicant=applicant(), actor=staff.officer)
    with django_capture_on_commit_callbacks(execute=False):
        compute_fee_lines(dossier, by=staff.officer, quantities={})
    rows = Notification.objects.filter(dossier=dossier, event="payment_requested")
    # one row per channel for the two lines, with the total of both (not one request per line)
    assert sorted(rows.values_list("channel", flat=True)) == ["email", "sms", "zalo"]
    assert "10.000 đ" in rows.get(channel="email").body


def test_a_change_that_fails_half_way_leaves_neither_the_change_nor_its_notifications(
    procedure, staff, monday_morning
):
    person = applicant()
    with pytest.raises(RuntimeError), transaction.atomic():
        dossier_services.intake(procedure=procedure, applicant=person, actor=staff.officer)
        raise RuntimeError("the process failed before the commit")
    assert not Dossier.objects.filter(applicant=person).exists()
    assert not Notification.objects.exists()
