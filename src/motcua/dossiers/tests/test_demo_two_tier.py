"""The demo continues after 2022: the 5 new communes of former Gia Bình implement birth registration, receive
and resolve it under their own codes and the 2025 regime, and the district's open dossiers moved to them."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command

from motcua.backoffice import demo_two_tier
from motcua.catalog import demo as catalog_demo
from motcua.catalog.models import Procedure
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import ApplicantFactory
from motcua.org import demo as org_demo
from motcua.org.models import Agency

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NEW_CODES = [row[2] for row in demo_two_tier.NEW_COMMUNES]


@pytest.fixture
def demo_2026():
    with time_machine.travel(datetime.datetime(2026, 2, 10, 9, 30, tzinfo=HCM), tick=False):
        org_demo.load()
        catalog_demo.load()
        call_command("load_demo_two_tier")
        yield


def test_birth_registration_is_implemented_by_the_5_new_communes(client, demo_2026):
    data = client.get("/api/v1/procedures/1.001193").json()
    listed = {a["code"] for a in data["agencies"] if a["level"] == "commune"}
    assert set(NEW_CODES) <= listed
    before = client.get("/api/v1/procedures/1.001193", {"on": "2025-06-30"}).json()
    assert not set(NEW_CODES) & {a["code"] for a in before["agencies"]}


def test_two_communes_receive_and_resolve_under_their_own_codes_and_the_2025_regime(demo_2026):
    for _slug, code in (("nhanthang", "000.71.99.H06"), ("dongcuu", "000.74.99.H06")):
        dossier = Dossier.objects.filter(
            resolving_agency__identity_code=code, code__contains="-260210-"
        ).get()
        assert dossier.code.startswith(f"{code}-260210-")
        assert dossier.agency == dossier.resolving_agency and dossier.regime == "2025"
    officer = get_user_model().objects.get(username="tiepnhan.caoduc")
    birth = Procedure.objects.get(code="1.001193")
    with time_machine.travel(datetime.datetime(2026, 2, 10, 10, 0, tzinfo=HCM), tick=False):
        dossier = services.intake(procedure=birth, applicant=ApplicantFactory(), actor=officer)
        dossier = services.advance(dossier, officer)
        specialist = get_user_model().objects.get(username="chuyenvien.caoduc")
        dossier = services.advance(dossier, specialist)
    assert dossier.resolving_agency.identity_code == "000.73.99.H06"


def test_the_districts_open_dossiers_moved_to_the_commune_of_the_former_seat(demo_2026):
    seat = Agency.objects.get(identity_code="000.70.99.H06")
    moved = Dossier.objects.filter(events__action="reorganise").distinct()
    assert moved.exists()  # the history left dossiers open at the district center on 30/06/2025
    for dossier in moved:
        assert dossier.code.startswith("000.20.99.H06-25")  # the district center's code stays
        assert dossier.received_at < datetime.datetime(2025, 7, 1, tzinfo=HCM)
        assert dossier.resolving_agency == seat
        assert dossier.events.filter(action="reorganise", note__contains="1658/NQ-UBTVQH15").exists()
    center = Agency.objects.get(short_name="TTHCC")
    assert center.valid_to == datetime.date(2025, 6, 30) and center.successor == seat


def test_todays_dossiers_in_every_state_are_at_the_commune_of_the_former_seat(demo_2026):
    seat = Agency.objects.get(identity_code="000.70.99.H06")
    today = Dossier.objects.filter(received_at__date=datetime.date(2026, 2, 10))
    assert today.filter(agency=seat, resolving_agency=seat).count() >= 8
    assert not today.filter(agency__short_name="TTHCC").exists()
    states = set(today.filter(agency=seat).values_list("state", flat=True))
    assert {"received", "in_step", "result_ready", "returned", "paused_supplement", "withdrawn"} <= states


def test_loading_it_again_changes_nothing(demo_2026):
    count = Dossier.objects.count()
    call_command("load_demo_two_tier")
    assert Dossier.objects.count() == count


def test_the_history_runs_at_the_district_until_june_2025_then_at_the_5_communes_under_the_2025_regime(
    demo_2026,
):
    from motcua.reports.resolution import resolution_report

    district = Dossier.objects.filter(
        agency__short_name="TTHCC", received_at__gte=datetime.datetime(2025, 1, 1, tzinfo=HCM)
    )
    assert district.exists()
    assert not district.filter(received_at__gte=datetime.datetime(2025, 7, 1, tzinfo=HCM)).exists()
    assert set(district.values_list("regime", flat=True)) == {"2018"}
    communes = Dossier.objects.filter(
        resolving_agency__identity_code__in=NEW_CODES, procedure_code="1.001193"
    )
    assert set(communes.values_list("regime", flat=True)) == {"2025"}
    assert not communes.filter(received_at__lt=datetime.datetime(2025, 7, 1, tzinfo=HCM)).exists()
    # Today's open, near-due (received today, due today) and overdue (from an earlier day) dossiers.
    today = communes.filter(code__contains="-260210-")
    assert today.count() == 2 and all(d.due_at.date() == datetime.date(2026, 2, 10) for d in today)
    assert communes.open().filter(due_at__lt=datetime.datetime(2026, 2, 10, tzinfo=HCM)).exists()

    report = resolution_report("2026-01-01", "2026-02-10", group_by="agency")
    assert {row.label for row in report.rows} >= {
        "Ủy ban nhân dân xã Gia Bình",
        "Ủy ban nhân dân xã Nhân Thắng",
        "Ủy ban nhân dân xã Đại Lai",
        "Ủy ban nhân dân xã Cao Đức",
        "Ủy ban nhân dân xã Đông Cứu",
    }
    assert all(row.counts.received > 0 for row in report.rows if row.label.startswith("Ủy ban nhân dân xã"))


def test_a_commune_officer_finds_the_procedures_their_commune_implements_at_the_counter(client, demo_2026):
    client.force_login(get_user_model().objects.get(username="tiepnhan.nhanthang"))
    page = client.get("/ho-so/tiep-nhan/", {"q": "1.001193"}).content.decode()
    assert "1.001193" in page
    # The Justice procedures that went to xã Gia Bình are not Nhân Thắng's.
    other = Procedure.objects.filter(resolving_agency__identity_code="000.70.99.H06").exclude(code="1.001193")
    assert other.exists() and other.first().code not in client.get("/ho-so/tiep-nhan/").content.decode()
