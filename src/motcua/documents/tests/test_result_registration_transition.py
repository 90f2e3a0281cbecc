"""Registering a result is a transition of the dossier's table: it writes an event, only the resolving agency's
clerk, leader or specialist may take it, and the slow work (signing) is done before the dossier's row is locked."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import DossierEvent
from motcua.dossiers.services import transition as dossier_transition
from motcua.dossiers.states import State
from motcua.dossiers.tests.factories import make_dossier

from .. import services, signing
from ..models import Document
from .factories import pdf_bytes

pytestmark = pytest.mark.django_db


def test_registering_a_result_writes_an_event_and_leaves_the_state(staff, procedure):
    dossier = make_dossier(procedure, actor=staff.officer)
    state, status = dossier.state, dossier.status
    result = services.register_result(
        dossier=dossier, actor=staff.leader, content=pdf_bytes(), signer_name="Hoàng Văn Lãnh Đạo"
    )
    event = DossierEvent.objects.filter(dossier=dossier).order_by("-at", "-id").first()
    assert event.action == "register_result" and event.actor == staff.leader
    assert (event.from_state, event.to_state, event.to_status) == (state, state, status)
    assert result.number in event.note
    assert event.action_label == "Số hóa kết quả giải quyết"


def test_an_officer_without_a_role_at_the_resolving_agency_is_refused(staff, procedure):
    dossier = make_dossier(procedure, actor=staff.officer)
    events = dossier.events.count()
    with pytest.raises(PermissionDenied):
        services.register_result(dossier=dossier, actor=staff.officer, content=pdf_bytes(), signer_name="A")
    assert not Document.objects.filter(kind=Document.Kind.RESULT).exists()
    assert dossier.events.count() == events


def test_a_dossier_never_received_gets_no_result(staff, procedure):
    dossier = make_dossier(procedure, actor=staff.officer)
    dossier_services.withdraw(dossier, staff.officer, reason="Công dân rút hồ sơ")
    with pytest.raises(ValidationError, match="không thể thực hiện"):
        services.register_result(dossier=dossier, actor=staff.clerk, content=pdf_bytes(), signer_name="A")
    assert not Document.objects.filter(kind=Document.Kind.RESULT).exists()


def test_the_result_is_signed_before_the_dossier_row_is_locked(staff, procedure, demo_ca, monkeypatch):
    calls = []
    sign_pdf, lock = signing.sign_pdf, dossier_transition._lock

    def recording_sign(*args, **kwargs):
        calls.append("sign")
        return sign_pdf(*args, **kwargs)

    def recording_lock(*args, **kwargs):
        calls.append("lock")
        return lock(*args, **kwargs)

    monkeypatch.setattr(signing, "sign_pdf", recording_sign)
    monkeypatch.setattr(dossier_transition, "_lock", recording_lock)
    result = services.register_result(
        dossier=make_dossier(procedure, actor=staff.officer),
        actor=staff.clerk,
        content=pdf_bytes(),
        signer_name="A",
        sign=True,
    )
    assert calls == ["sign", "lock"]
    assert result.signed and signing.verify_pdf(services.read_content(result)).ok


def test_the_result_form_is_offered_to_the_roles_of_the_table(staff, procedure):
    dossier = make_dossier(procedure, actor=staff.officer)
    assert dossier.state == State.RECEIVED
    for user in (staff.clerk, staff.leader, staff.specialist):
        assert dossier_services.holds_role_for(user, dossier, "register_result")
    assert not dossier_services.holds_role_for(staff.officer, dossier, "register_result")
    assert "register_result" not in dossier_services.allowed_actions(dossier, staff.clerk)
