"""Every dossier change writes an outbox row in the same transaction as the change."""

import pytest
from django.db import transaction

from motcua.dossiers import services
from motcua.dossiers.models import DossierEvent
from motcua.national_portal.models import OutboxMessage

from .factories import ApplicantFactory, received

pytestmark = pytest.mark.django_db


def test_each_event_of_a_dossier_gets_one_pending_message(portal_on, procedure, superuser):
    dossier = received(procedure, superuser)
    services.advance(dossier, superuser)
    services.request_supplement(dossier, superuser, ["Bản sao CCCD"])
    events = list(DossierEvent.objects.filter(dossier=dossier).order_by("id").values_list("id", flat=True))
    messages = list(OutboxMessage.objects.filter(dossier=dossier).order_by("id"))
    assert [m.event_id for m in messages] == events
    assert {m.state for m in messages} == {OutboxMessage.State.PENDING}


def test_a_rolled_back_change_leaves_no_message(portal_on, procedure, superuser):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=superuser)
        assert OutboxMessage.objects.count() == 1  # written inside the transaction
        raise Boom
    assert OutboxMessage.objects.count() == 0
    assert DossierEvent.objects.count() == 0


def test_no_message_when_the_connector_is_off(settings, procedure, superuser):
    settings.NATIONAL_PORTAL = {"url": ""}
    received(procedure, superuser)
    assert DossierEvent.objects.count() == 1
    assert OutboxMessage.objects.count() == 0
