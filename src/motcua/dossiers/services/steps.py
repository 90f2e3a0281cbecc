"""The process steps of a dossier: which comes next, who works on it, what its event records."""

import datetime

from motcua.catalog.models import ProcessStep
from motcua.org.models import Agency

from .. import deadlines
from ..models import Dossier
from .clock import calendar, step_due

RESOLVING_KINDS = (ProcessStep.Kind.APPRAISAL, ProcessStep.Kind.APPROVAL, ProcessStep.Kind.ISSUE)


def _steps(dossier: Dossier) -> list[ProcessStep]:
    if dossier.process_id is None:
        return []
    cache = getattr(dossier, "_steps_cache", None)
    if cache is None:
        process = dossier.process
        if process.procedure_id == dossier.procedure_id:
            process.procedure = dossier.procedure  # the steps' time budgets read it: no second fetch
        # Through the template's own manager every step gets this template object (and its procedure).
        cache = list(process.steps.select_related("agency").order_by("position", "id"))
        dossier._steps_cache = cache
    return cache


def next_step(dossier: Dossier, step: ProcessStep | None) -> ProcessStep | None:
    """The step of the dossier's process after `step` (the first step when `step` is None), or None."""
    steps = _steps(dossier)
    if step is None:
        return steps[0] if steps else None
    later = [s for s in steps if (s.position, s.id) > (step.position, step.id)]
    return later[0] if later else None


def _previous_resolving_step(dossier: Dossier, step: ProcessStep | None) -> ProcessStep | None:
    if step is None:
        return None
    earlier = [
        s
        for s in _steps(dossier)
        if (s.position, s.id) < (step.position, step.id) and s.kind in RESOLVING_KINDS
    ]
    return earlier[-1] if earlier else None


def step_agency(dossier: Dossier, step: ProcessStep | None) -> Agency:
    """The agency that works on `step`: the step's own, else the resolving agency (with no step: where the
    dossier is now)."""
    if step is None:
        return dossier.current_agency or dossier.resolving_agency
    return step.agency or dossier.resolving_agency


def enter_step(
    dossier: Dossier, step: ProcessStep | None, at: datetime.datetime, holder=None, cal=None
) -> None:
    """Put the dossier (unsaved) into `step` from `at`: where it is, with the step's due instant and its holder."""
    dossier.current_step = step
    dossier.current_agency = step_agency(dossier, step) if step else dossier.agency
    dossier.current_step_started_at = at
    dossier.current_step_due_at = step_due(step, dossier.channel, at, cal or calendar(dossier.agency))
    dossier.holder = holder


def step_event_fields(dossier: Dossier, now: datetime.datetime, rate=deadlines.event_outcome) -> dict:
    """What the event records about the step being completed now (Mẫu 05). `rate(done_at, step_due_at,
    legal_due_at)` rates the step (`deadlines.event_outcome`; a bulk replay passes its own with the time zone
    looked up once)."""
    step = dossier.current_step
    if step is None:
        return {"agency": dossier.current_agency or dossier.agency}
    return {
        "agency": dossier.current_agency or step_agency(dossier, step),
        "step": step,
        "step_name": step.name,
        "step_due_at": dossier.current_step_due_at,
        "step_outcome": rate(now, dossier.current_step_due_at, dossier.due_at),
    }
