"""What the catalog moves when a reorganisation merges an agency into another: its current procedure
implementations (a new one at the successor), its default procedures, co-operation, process templates and steps
(registered with `motcua.org.reorganisation` at `CatalogConfig.ready()`)."""

import datetime

from django.db.models import Q

from .models import Procedure, ProcedureImplementation, ProcessStep, ProcessTemplate, implementation_level_of


def _current_implementations(old, effective):
    """The implementations by `old` still in force on or after `effective`."""
    return ProcedureImplementation.objects.filter(agency=old).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=effective)
    )


def _continue_at(
    row: ProcedureImplementation, into, effective: datetime.date, level: str | None = None
) -> None:
    """`row`'s procedure implemented by `into` from `effective` on the same terms (time limit, online level,
    fee, decision), unless `into` already implements it that day. `level`: `into`'s implementation level
    (looked up when not given)."""
    if (
        ProcedureImplementation.objects.valid_on(effective)
        .filter(procedure_id=row.procedure_id, agency=into)
        .exists()
    ):
        return
    ProcedureImplementation.objects.create(
        procedure_id=row.procedure_id,
        agency=into,
        level=level if level is not None else implementation_level_of(into),
        valid_from=effective,
        time_limit_value=row.time_limit_value,
        time_limit_unit=row.time_limit_unit,
        online_level=row.online_level,
        fee_text=row.fee_text,
        decision=row.decision,
    )


def _end_before(row: ProcedureImplementation, effective: datetime.date) -> None:
    """`row` ends the day before `effective` (and starts no later than that day)."""
    last_day = effective - datetime.timedelta(days=1)
    row.valid_to = last_day
    if row.valid_from and row.valid_from > last_day:
        row.valid_from = last_day
    row.save(update_fields=["valid_to", "valid_from"])


def move_catalog(merge) -> None:
    old, into, effective, outcome = merge.old, merge.into, merge.effective, merge.outcome
    level = implementation_level_of(into)
    for row in _current_implementations(old, effective):
        _continue_at(row, into, effective, level)
        _end_before(row, effective)
        outcome.implementations += 1
    for procedure in Procedure.objects.filter(resolving_agency=old).select_related("field"):
        procedure.resolving_agency = into
        procedure.save()  # refreshes the search text (agency name) and keeps an implementation by `into`
        outcome.default_procedures += 1
    for procedure in Procedure.objects.filter(cooperating_agencies=old):
        procedure.cooperating_agencies.remove(old)
        procedure.cooperating_agencies.add(into)
    for template in ProcessTemplate.objects.filter(agency=old):
        if not ProcessTemplate.objects.filter(
            procedure_id=template.procedure_id, variant=template.variant, agency=into
        ).exists():
            template.agency = into
            template.save(update_fields=["agency"])
            outcome.process_templates += 1
    ProcessStep.objects.filter(agency=old).update(agency=into)


def split_catalog(split) -> None:
    """Each current implementation of the split agency continues at the successors the plan names for its
    procedure (every successor when it names none); a procedure whose default agency it was, its co-operation,
    process templates and steps go to the first successor named for the procedure, else the default successor."""
    from django.utils.translation import gettext as _

    old, effective, outcome = split.old, split.effective, split.outcome
    for row in _current_implementations(old, effective).select_related("procedure"):
        for into in split.procedure_successors(row.procedure.code):
            _continue_at(row, into, effective)
            outcome.add("implementations", into)
        _end_before(row, effective)

    def successor_for(procedure, what):
        return split.place("procedures", procedure.code, what)

    for procedure in Procedure.objects.filter(resolving_agency=old).select_related("field"):
        into = successor_for(procedure, _("cơ quan mặc định của thủ tục %(code)s") % {"code": procedure.code})
        if into is not None:
            procedure.resolving_agency = into
            procedure.save()
            outcome.add("default_procedures", into)
    for procedure in Procedure.objects.filter(cooperating_agencies=old):
        into = successor_for(procedure, _("phối hợp của thủ tục %(code)s") % {"code": procedure.code})
        if into is not None:
            procedure.cooperating_agencies.remove(old)
            procedure.cooperating_agencies.add(into)
    for template in ProcessTemplate.objects.filter(agency=old).select_related("procedure"):
        into = successor_for(
            template.procedure, _("quy trình của thủ tục %(code)s") % {"code": template.procedure.code}
        )
        if (
            into is not None
            and not ProcessTemplate.objects.filter(
                procedure_id=template.procedure_id, variant=template.variant, agency=into
            ).exists()
        ):
            template.agency = into
            template.save(update_fields=["agency"])
            outcome.add("process_templates", into)
    for step in ProcessStep.objects.filter(agency=old).select_related("template__procedure"):
        procedure = step.template.procedure
        into = successor_for(procedure, _("bước quy trình của thủ tục %(code)s") % {"code": procedure.code})
        if into is not None:
            step.agency = into
            step.save(update_fields=["agency"])
