"""A dossier received at the counter is linked to the ticket its officer is serving."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from motcua.accounts.tests.factories import UserFactory
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import Channel
from motcua.dossiers.tests.factories import ProcedureWithProcessFactory, grant, make_dossier
from motcua.org.models import Role
from motcua.tickets import services


@pytest.fixture
def procedure(hall):
    procedure = ProcedureWithProcessFactory(resolving_agency=hall.center.agency)
    grant(hall.officer, Role.RECEPTION_OFFICER, procedure.resolving_agency)
    return procedure


def test_the_dossiers_received_from_a_called_ticket_are_recorded_on_it(hall, procedure, monday_morning):
    services.issue(hall.a)
    ticket = services.call_next(hall.counter(1), hall.officer)
    first = make_dossier(procedure, actor=hall.officer)
    second = make_dossier(procedure, actor=hall.officer)
    assert set(ticket.dossiers.all()) == {first, second}
    assert list(first.queue_tickets.all()) == [ticket]


def test_no_ticket_is_linked_when_the_officer_serves_none(hall, procedure, monday_morning):
    services.issue(hall.a)
    ticket = services.call_next(hall.counter(1), hall.officer)
    services.finish(hall.counter(1), hall.officer)
    dossier = make_dossier(procedure, actor=hall.officer)
    assert not ticket.dossiers.exists() and not dossier.queue_tickets.exists()


def test_a_postal_dossier_is_not_linked_to_the_ticket_being_served(hall, procedure, monday_morning):
    services.issue(hall.a)
    ticket = services.call_next(hall.counter(1), hall.officer)
    make_dossier(procedure, actor=hall.officer, channel=Channel.POSTAL)
    assert not ticket.dossiers.exists()


def test_a_failed_intake_leaves_no_link(hall, procedure, monday_morning):
    services.issue(hall.a)
    ticket = services.call_next(hall.counter(1), hall.officer)
    with pytest.raises(ValidationError):
        make_dossier(procedure, actor=hall.officer, documents=[{"name": ""}])
    assert not Dossier.objects.exists() and not ticket.dossiers.exists()


def test_the_ticket_found_is_the_one_the_orm_reads_with_its_values(hall, procedure, monday_morning):
    services.issue(hall.a)
    called = services.call_next(hall.counter(1), hall.officer)
    dossier = make_dossier(procedure, actor=hall.officer)
    dossier.queue_tickets.clear()
    ticket = services.link_received_dossier(dossier, hall.officer)
    assert ticket == called
    stored = type(called).objects.get(pk=called.pk)
    for field in type(called)._meta.concrete_fields:
        assert getattr(ticket, field.attname) == getattr(stored, field.attname), field.name
    assert list(dossier.queue_tickets.all()) == [called]


def test_another_day_or_another_officer_finds_no_ticket(hall, procedure, monday_morning):
    services.issue(hall.a)
    services.call_next(hall.counter(1), hall.officer)
    dossier = make_dossier(procedure, actor=hall.officer, channel=Channel.POSTAL)
    tomorrow = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
    assert services.link_received_dossier(dossier, hall.officer, now=tomorrow) is None
    assert services.link_received_dossier(dossier, UserFactory(username="khac")) is None
    assert not dossier.queue_tickets.exists()
