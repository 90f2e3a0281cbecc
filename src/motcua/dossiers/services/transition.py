"""The shape every transition shares: lock, check, change, one event row, the signal after commit."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import workflow
from ..exceptions import ActionForbidden, TransitionNotAllowed, UnknownAction
from ..models import Dossier, DossierEvent
from ..signals import dossier_changed
from ..states import STATUS_OF_STATE, State
from .access import _guard_message, _role_ok, can_see


def actor_name(user) -> str:
    """The name an event records for the person who acted (kept when the account is later removed)."""
    if user is None:
        return ""
    return user.get_full_name() if hasattr(user, "get_full_name") else str(user)


def _lock(dossier_or_pk) -> Dossier:
    pk = dossier_or_pk.pk if isinstance(dossier_or_pk, Dossier) else dossier_or_pk
    return (
        Dossier.objects.select_for_update(of=("self",))
        .select_related(
            "procedure", "agency", "resolving_agency", "current_agency", "current_step", "process"
        )
        .get(pk=pk)
    )


def _append_event(dossier: Dossier, *, action, actor, at, from_state, from_status, **fields) -> DossierEvent:
    event = DossierEvent.objects.create(
        dossier=dossier,
        at=at,
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=actor_name(actor),
        from_state=from_state or "",
        from_status=from_status,
        to_state=dossier.state,
        to_status=dossier.status,
        **fields,
    )
    transaction.on_commit(lambda: dossier_changed.send(sender=Dossier, dossier=dossier, event=event))
    return event


def _transition(dossier, action: str, actor, apply, *, expected_step_id=None, as_applicant=False) -> Dossier:
    """Run `apply(dossier, now) -> dict of event fields` as the transition `action`, with the common checks.

    `as_applicant`: the actor is the applicant acting online on their own dossier (the caller has checked that
    the dossier is theirs); only `workflow.APPLICANT_ACTIONS` may be taken that way.
    """
    if action not in workflow.TRANSITIONS:
        raise UnknownAction(action)
    transition = workflow.TRANSITIONS[action]
    if as_applicant and action not in workflow.APPLICANT_ACTIONS:
        raise ActionForbidden(_("Công dân không tự thực hiện được thao tác này."))
    with transaction.atomic():
        dossier = _lock(dossier)
        if not as_applicant and not can_see(actor, dossier):
            raise ActionForbidden(_("Bạn không có quyền với hồ sơ này."))
        if dossier.state not in transition.sources:
            raise TransitionNotAllowed(
                _("Hồ sơ đang ở trạng thái “%(state)s”, không thể thực hiện “%(action)s”.")
                % {"state": State(dossier.state).label, "action": transition.label}
            )
        if expected_step_id is not None and dossier.current_step_id != expected_step_id:
            raise TransitionNotAllowed(
                _("Hồ sơ đã được người khác chuyển sang bước khác; vui lòng tải lại trang."), code="stale"
            )
        if not as_applicant and not _role_ok(actor, dossier, transition):
            raise ActionForbidden(
                _("Bạn không có quyền “%(action)s” đối với hồ sơ này.") % {"action": transition.label}
            )
        message = _guard_message(dossier, action)
        if message:
            raise TransitionNotAllowed(message)
        from_state, from_status = dossier.state, dossier.status
        now = timezone.now()
        event_fields = apply(dossier, now)
        dossier.status = STATUS_OF_STATE[dossier.state]
        dossier.save()
        _append_event(
            dossier,
            action=action,
            actor=actor,
            at=now,
            from_state=from_state,
            from_status=from_status,
            **event_fields,
        )
    return dossier
