"""A failure half-way through a transition or an intake changes nothing, and gives no code away."""

import pytest

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierCodeCounter, DossierEvent
from motcua.dossiers.services import reception, transition

from .factories import ApplicantFactory

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def test_a_transition_that_fails_after_saving_the_dossier_is_rolled_back(staff, procedure, monkeypatch):
    dossier = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=staff.officer)
    before = Dossier.objects.values().get(pk=dossier.pk)

    def fail(*args, **kwargs):
        raise Boom

    monkeypatch.setattr(transition, "_append_event", fail)
    with pytest.raises(Boom):
        services.advance(dossier, staff.officer)
    assert Dossier.objects.values().get(pk=dossier.pk) == before
    assert DossierEvent.objects.filter(dossier=dossier).count() == 1


def test_an_intake_that_fails_at_the_end_gives_its_number_back(staff, procedure, monkeypatch):
    first = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=staff.officer)

    def fail_after_the_number_was_taken(dossier, **kwargs):
        assert dossier.pk is not None and dossier.code  # saved, with the next number
        raise Boom

    monkeypatch.setattr(reception, "_append_event", fail_after_the_number_was_taken)
    with pytest.raises(Boom):
        services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=staff.officer)
    monkeypatch.undo()
    assert Dossier.objects.count() == 1
    assert DossierCodeCounter.objects.get().last_number == 1
    second = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=staff.officer)
    assert int(second.code[-4:]) == int(first.code[-4:]) + 1
