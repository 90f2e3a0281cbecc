"""An implementing agency's own fee schedule (where the province set one) is what its dossiers pay; an agency
without one pays the procedure's schedule; the fee counter offers the rules of the dossier's schedule."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from motcua.catalog.models import Fee, ProcedureImplementation
from motcua.catalog.tests.factories import FeeFactory
from motcua.dossiers import services
from motcua.dossiers.tests.factories import ApplicantFactory
from motcua.dossiers.tests.two_tier import TwoTierProvince
from motcua.payments.fees import compute_fee_lines, fee_rules, outstanding

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def in_2026():
    with time_machine.travel(datetime.datetime(2026, 2, 10, 9, 30, tzinfo=HCM), tick=False) as traveller:
        yield traveller


@pytest.fixture
def land(in_2026):
    land = TwoTierProvince()
    FeeFactory(procedure=land.procedure, position=1, description="Lệ phí chung", amount=8_000)
    FeeFactory(
        procedure=land.procedure,
        position=2,
        kind=Fee.Kind.SERVICE_FEE,
        description="Phí sao chung",
        amount=3_000,
        basis=Fee.Basis.PER_COPY,
    )
    own = ProcedureImplementation.objects.get(procedure=land.procedure, agency=land.a)
    FeeFactory(
        procedure=land.procedure,
        implementation=own,
        position=1,
        description="Lệ phí riêng của xã An",
        amount=5_000,
        online_amount=2_000,
    )
    return land


def received_at(land, staff):
    return services.intake(procedure=land.procedure, applicant=ApplicantFactory(), actor=staff.officer)


def described(lines):
    return [(line.description, line.quantity, line.amount) for line in lines]


def test_a_dossier_resolved_by_an_agency_with_its_own_schedule_pays_that_schedule(land):
    dossier = received_at(land, land.staff_a)
    assert dossier.resolving_agency == land.a
    lines = compute_fee_lines(dossier, by=land.staff_a.officer)
    assert described(lines) == [("Lệ phí riêng của xã An", 1, 5_000)]
    assert lines[0].fee.implementation.agency == land.a
    assert outstanding(dossier) == 5_000


def test_a_dossier_resolved_by_an_agency_without_one_pays_the_procedures_schedule(land):
    dossier = received_at(land, land.staff_b)
    assert dossier.resolving_agency == land.b
    copies = next(f for f in fee_rules(dossier) if f.basis == Fee.Basis.PER_COPY)
    lines = compute_fee_lines(dossier, by=land.staff_b.officer, quantities={copies.pk: 2})
    assert described(lines) == [("Lệ phí chung", 1, 8_000), ("Phí sao chung", 2, 6_000)]
    assert outstanding(dossier) == 14_000


def test_an_exemption_for_a_rule_of_another_schedule_is_refused_and_nothing_is_computed(land):
    dossier = received_at(land, land.staff_a)
    procedures_rule = land.procedure.fees.of_procedure().first()
    with pytest.raises(ValidationError, match="không thuộc thủ tục"):
        compute_fee_lines(dossier, by=land.staff_a.officer, exempt={procedures_rule.pk: "Hộ nghèo"})
    assert not dossier.fee_lines.exists()


def test_the_fee_counter_shows_the_rules_of_the_resolving_agencys_schedule(client, land):
    at_a, at_b = received_at(land, land.staff_a), received_at(land, land.staff_b)
    client.force_login(land.staff_a.officer)
    page_a = client.get(f"/thu-phi/ho-so/{at_a.code}/").content.decode()
    assert "Lệ phí riêng của xã An" in page_a and "Lệ phí chung" not in page_a
    client.force_login(land.staff_b.officer)
    page_b = client.get(f"/thu-phi/ho-so/{at_b.code}/").content.decode()
    assert "Lệ phí chung" in page_b and "Lệ phí riêng của xã An" not in page_b
    response = client.post(f"/thu-phi/ho-so/{at_b.code}/", {"action": "compute"})
    assert response.status_code == 302
    assert described(at_b.fee_lines.order_by("position")) == [
        ("Lệ phí chung", 1, 8_000),
        ("Phí sao chung", 1, 3_000),
    ]


def test_an_own_schedule_that_ended_gives_way_to_the_procedures(land):
    ProcedureImplementation.objects.filter(agency=land.a).update(valid_to=datetime.date(2026, 1, 31))
    # A no longer implements the procedure on the day (and has no later implementation): the procedure's rules.
    from motcua.catalog.implementations import fee_schedule

    rules = fee_schedule(land.procedure, land.a, datetime.date(2026, 2, 10))
    assert [f.description for f in rules] == ["Lệ phí chung", "Phí sao chung"]
    assert [f.description for f in fee_schedule(land.procedure, land.a, datetime.date(2026, 1, 5))] == [
        "Lệ phí riêng của xã An"
    ]
