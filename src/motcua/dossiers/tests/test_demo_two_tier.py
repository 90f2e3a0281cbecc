"""The demo continues after 2022: the 5 new communes of former Gia Bình implement birth registration, receive
and resolve it under their own codes and the 2025 regime, and the district's open dossiers moved to them."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command

from motcua.catalog import demo as catalog_demo
from motcua.catalog.models import Procedure
from motcua.dossiers import demo as dossiers_demo
from motcua.dossiers import demo_two_tier, services
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
        dossiers_demo.load()
        open_at_district = set(Dossier.objects.open().values_list("code", flat=True))
        call_command("load_demo_two_tier")
        yield open_at_district


def test_birth_registration_is_implemented_by_the_5_new_communes(client, demo_2026):
    data = client.get("/api/v1/procedures/1.001193").json()
    listed = {a["code"] for a in data["agencies"] if a["level"] == "commune"}
    assert set(NEW_CODES) <= listed
    before = client.get("/api/v1/procedures/1.001193", {"on": "2025-06-30"}).json()
    assert not set(NEW_CODES) & {a["code"] for a in before["agencies"]}


def test_two_communes_receive_and_resolve_under_their_own_codes_and_the_2025_regime(demo_2026):
    for _slug, code in (("nhanthang", "000.71.99.H06"), ("dongcuu", "000.74.99.H06")):
        dossier = Dossier.objects.filter(resolving_agency__identity_code=code).get()
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
    assert demo_2026  # the demo had open dossiers at the district center
    for code in demo_2026:
        dossier = Dossier.objects.get(code=code)
        assert dossier.code.startswith("000.20.99.H06-")  # the district center's code stays
        assert dossier.resolving_agency == seat
        assert dossier.events.filter(action="reorganise", note__contains="1658/NQ-UBTVQH15").exists()
    center = Agency.objects.get(short_name="TTHCC")
    assert center.valid_to == datetime.date(2025, 6, 30) and center.successor == seat


def test_loading_it_again_changes_nothing(demo_2026):
    count = Dossier.objects.count()
    call_command("load_demo_two_tier")
    assert Dossier.objects.count() == count
