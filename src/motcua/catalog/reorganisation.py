"""What the catalog moves when a reorganisation merges an agency into another: its current procedure
implementations (a new one at the successor), its default procedures, co-operation, process templates and steps
(registered with `motcua.org.reorganisation` at `CatalogConfig.ready()`)."""

import datetime

from django.db.models import Q

from .models import Procedure, ProcedureImplementation, ProcessStep, ProcessTemplate, implementation_level_of


def move_catalog(merge) -> None:
    old, into, effective, outcome = merge.old, merge.into, merge.effective, merge.outcome
    last_day = effective - datetime.timedelta(days=1)
    current = ProcedureImplementation.objects.filter(agency=old).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=effective)
    )
    level = implementation_level_of(into)
    for row in current:
        if (
            not ProcedureImplementation.objects.valid_on(effective)
            .filter(procedure_id=row.procedure_id, agency=into)
            .exists()
        ):
            ProcedureImplementation.objects.create(
                procedure_id=row.procedure_id,
                agency=into,
                level=level,
                valid_from=effective,
                time_limit_value=row.time_limit_value,
                time_limit_unit=row.time_limit_unit,
                online_level=row.online_level,
                fee_text=row.fee_text,
                decision=row.decision,
            )
        row.valid_to = last_day
        if row.valid_from and row.valid_from > last_day:
            row.valid_from = last_day
        row.save(update_fields=["valid_to", "valid_from"])
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
