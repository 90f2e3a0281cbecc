"""One entry point for the API and the screens: the actions by name, their labels and parameters."""

from django.utils.translation import gettext_lazy

from .. import deadlines, workflow
from ..exceptions import UnknownAction
from ..models import Dossier
from ..states import State
from .access import _role_ok
from .clock import calendar
from .composite import close_overdue_supplement, resolve_on_the_spot
from .lifecycle import (
    advance,
    apologize,
    assign,
    fulfil_financial_obligation,
    receive,
    refuse,
    refuse_intake,
    request_financial_obligation,
    request_supplement,
    return_result,
    send_back,
    supplement,
    withdraw,
)

ACTIONS = {
    "receive": receive,
    "refuse_intake": refuse_intake,
    "advance": advance,
    "assign": assign,
    "send_back": send_back,
    "request_supplement": request_supplement,
    "supplement": supplement,
    "request_financial_obligation": request_financial_obligation,
    "fulfil_financial_obligation": fulfil_financial_obligation,
    "refuse": refuse,
    "withdraw": withdraw,
    "apologize": apologize,
    "return_result": return_result,
    # Services made of transitions of the table (each recorded as its own event), not transitions themselves.
    "resolve_on_the_spot": resolve_on_the_spot,
    "close_overdue_supplement": close_overdue_supplement,
}


COMPOSITE_LABELS = {
    "resolve_on_the_spot": gettext_lazy("Giải quyết và trả kết quả tại chỗ (“5 tại chỗ”)"),
    "close_overdue_supplement": gettext_lazy("Trả lại hồ sơ quá hạn bổ sung"),
}


def action_label(action: str) -> str:
    if action in COMPOSITE_LABELS:
        return str(COMPOSITE_LABELS[action])
    return str(workflow.TRANSITIONS[action].label)


def composite_actions(dossier: Dossier, user) -> list[str]:
    """The composite services this user is offered on this dossier now (their own checks run again when taken)."""
    offered = []
    if (
        dossier.on_the_spot
        and dossier.state in workflow.ACTIVE
        and getattr(user, "pk", None)
        and dossier.received_by_id == user.pk
    ):
        offered.append("resolve_on_the_spot")
    if dossier.state == State.PAUSED_SUPPLEMENT and _role_ok(user, dossier, workflow.TRANSITIONS["refuse"]):
        limit = deadlines.reception_limits(dossier, cal=calendar(dossier.agency))
        if limit is not None and limit.passed:
            offered.append("close_overdue_supplement")
    return offered


PARAMETERS = {
    "receive": ("note",),
    "refuse_intake": ("reason",),
    "advance": ("note", "to_user", "expected_step_id"),
    "assign": ("to_user", "note"),
    "send_back": ("note", "expected_step_id"),
    "request_supplement": ("items", "note"),
    "supplement": ("note",),
    "request_financial_obligation": ("note",),
    "fulfil_financial_obligation": ("note",),
    "refuse": ("reason",),
    "withdraw": ("reason",),
    "apologize": ("new_appointment_at", "reason"),
    "return_result": ("note",),
    "resolve_on_the_spot": ("note",),
    "close_overdue_supplement": ("reason",),
}


def perform(dossier, actor, action: str, **params) -> Dossier:
    """Take `action` (a name of the transition table) with its parameters; unknown parameters are ignored."""
    if action not in ACTIONS:
        raise UnknownAction(action)
    accepted = {k: v for k, v in params.items() if k in PARAMETERS[action] and v is not None}
    if action == "apologize":
        accepted.setdefault("new_appointment_at", None)
        accepted.setdefault("reason", "")
    if action in ("refuse", "withdraw", "refuse_intake"):
        accepted.setdefault("reason", "")
    if action == "request_supplement":
        accepted.setdefault("items", [])
    if action == "send_back":
        accepted.setdefault("note", "")
    if action == "assign":
        accepted.setdefault("to_user", None)
    return ACTIONS[action](dossier, actor, **accepted)
