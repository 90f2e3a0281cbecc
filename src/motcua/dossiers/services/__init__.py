"""Intake and the lifecycle of a dossier: one function per transition of `workflow.TRANSITIONS`.

Every transition has the same shape (DESIGN.md): open a transaction, lock the dossier row, check the action
against the transition table, the user's role and the action's guard, change the dossier, append one event row,
and send `signals.dossier_changed` after commit. Any error raised before the end rolls everything back, so a
failure half-way leaves no half state.

Deadlines (REFERENCE §4): the legal due instant (`due_at`) comes from the procedure's time limit through the
working-time calendar, counted from the reception instant. Each process step gets its own due instant from its
share of the legal time, counted from the moment it starts. A supplement request or a financial obligation
pauses the clock; when it resumes, `due_at`, `appointment_at` and the step's due instant move by the working
time that elapsed while paused. An apology moves only `appointment_at` (the promise to the citizen); statistics
keep the legal `due_at`.

The package is split by concern: `clock` (due instants), `steps` (the process steps), `access` (who may see and
do what, and the guards), `transition` (the shape every transition shares), `reception` (intake and online
submission), `guidance` (guidance at the counter), `lifecycle` (the transitions after intake), `composite`
(services made of transitions), `actions` (one entry point by action name), `public_lookup` and
`reorganisation`. Every name is importable from `motcua.dossiers.services`; a test that replaces a function
patches it in the module that calls it.
"""

from .access import (
    _apology_refusal,
    _guard_message,
    _holds,
    _is_staff_user,
    _role_ok,
    allowed_actions,
    apology_window,
    can_see,
    holds_role_for,
)
from .actions import (
    ACTIONS,
    COMPOSITE_LABELS,
    PARAMETERS,
    action_label,
    composite_actions,
    perform,
)
from .clock import (
    HOURS_PER_WORKING_DAY,
    calendar,
    legal_due,
    outcome,
    step_due,
    transfer_due,
)
from .composite import (
    SUPPLEMENT_OVERDUE_REASON,
    close_overdue_supplement,
    resolve_on_the_spot,
)
from .guidance import (
    _item_list,
    counter_guidance_counts,
    guide_at_counter,
)
from .lifecycle import (
    _pause,
    _required,
    _resume,
    _user_for_step,
    advance,
    apologize,
    assign,
    fulfil_financial_obligation,
    receive,
    record_result,
    refuse,
    refuse_intake,
    request_financial_obligation,
    request_supplement,
    return_result,
    send_back,
    supplement,
    supplement_requested,
    supplemented,
    withdraw,
)
from .public_lookup import (
    _PUBLIC_STATUS_COLUMNS,
    _PUBLIC_STATUS_EVENT_COLUMNS,
    _pair_matches,
    _public_status_rows,
    lookup,
    public_status,
)
from .reception import (
    _check_intake,
    _new_dossier,
    _receive_into,
    _receiving_agency,
    _record_new,
    _record_transfer,
    _save_documents,
    _take_code,
    intake,
    received,
    refuse_at_intake,
    resolve_agencies,
    submit_online,
    unsaved_dossier,
)
from .reorganisation import (
    move_dossier,
    move_open_dossiers,
    open_dossiers_of,
)
from .steps import (
    RESOLVING_KINDS,
    _previous_resolving_step,
    _steps,
    enter_step,
    next_step,
    step_agency,
    step_event_fields,
)
from .transition import (
    _append_event,
    _lock,
    _transition,
    actor_name,
)

__all__ = [
    "HOURS_PER_WORKING_DAY",
    "calendar",
    "legal_due",
    "transfer_due",
    "step_due",
    "outcome",
    "RESOLVING_KINDS",
    "_steps",
    "next_step",
    "_previous_resolving_step",
    "step_agency",
    "enter_step",
    "step_event_fields",
    "_is_staff_user",
    "_holds",
    "_role_ok",
    "can_see",
    "holds_role_for",
    "allowed_actions",
    "_guard_message",
    "apology_window",
    "_apology_refusal",
    "actor_name",
    "_lock",
    "_append_event",
    "_transition",
    "_receiving_agency",
    "_check_intake",
    "resolve_agencies",
    "unsaved_dossier",
    "_new_dossier",
    "_record_transfer",
    "_record_new",
    "_save_documents",
    "intake",
    "_take_code",
    "_receive_into",
    "received",
    "refuse_at_intake",
    "submit_online",
    "_item_list",
    "guide_at_counter",
    "counter_guidance_counts",
    "_user_for_step",
    "receive",
    "refuse_intake",
    "advance",
    "assign",
    "send_back",
    "_pause",
    "_resume",
    "_required",
    "request_supplement",
    "supplement_requested",
    "supplement",
    "supplemented",
    "request_financial_obligation",
    "fulfil_financial_obligation",
    "refuse",
    "withdraw",
    "apologize",
    "return_result",
    "record_result",
    "SUPPLEMENT_OVERDUE_REASON",
    "close_overdue_supplement",
    "resolve_on_the_spot",
    "ACTIONS",
    "COMPOSITE_LABELS",
    "action_label",
    "composite_actions",
    "PARAMETERS",
    "perform",
    "_pair_matches",
    "lookup",
    "_PUBLIC_STATUS_COLUMNS",
    "_PUBLIC_STATUS_EVENT_COLUMNS",
    "_public_status_rows",
    "public_status",
    "move_open_dossiers",
    "move_dossier",
    "open_dossiers_of",
]
