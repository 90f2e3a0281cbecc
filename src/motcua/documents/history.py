"""Digitisation records for dossiers written in bulk (the demo's 2022 history, `motcua.reports.demo`).

The bulk replay writes dossiers and their events without going through intake, so no `DossierDigitisation` row
exists for them and the digitisation rates over the history would be empty. `record_history_digitisation`
writes one row per dossier, in bulk, at rates shaped on the article (no figure is given there, only which
results are digitised):

- results of every civil-status procedure (field "Hộ tịch"), every household-business procedure (field
  "Thành lập và hoạt động của hộ kinh doanh") and every procedure of the Economy & Infrastructure office
  ("Kinh tế và Hạ tầng") are digitised when the dossier is resolved, and so are their components at reception;
- elsewhere digitisation "has started" in 2022: the share of dossiers whose components are digitised rises from
  `OTHER_COMPONENTS[0]` in January to `OTHER_COMPONENTS[1]` in December, and results follow at `OTHER_RESULTS`;
- a digitised dossier re-uses a stored document for a component with probability `REUSE`.

A dossier has as many components as its procedure lists (at least one: the application). Results are digitised
only for resolved dossiers (result ready or returned). The rows record that digitisation happened; the history
has no scanned files (no `Document` rows). Deterministic for a given seed and order of dossiers.
"""

import random

from django.db.models import Count
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.catalog.text import fold
from motcua.dossiers.states import State

from .models import DossierDigitisation
from .services import digitisation_status

RESULT_FIELDS = ("ho tich", "ho kinh doanh")  # civil status; household business (folded field names)
RESULT_AGENCIES = ("kinh te va ha tang",)  # Economy & Infrastructure office (folded agency names)
OTHER_COMPONENTS = (0.2, 0.6)  # share of other dossiers with digitised components, January → December
OTHER_RESULTS = 0.5  # share of those whose result is digitised too
REUSE = 0.08  # a digitised dossier re-uses one stored document
RESOLVED = (State.RESULT_READY, State.RETURNED)
SEED = 766


def results_digitised(procedure) -> bool:
    """Does the article say this procedure's results are digitised (civil status, household business, E&I)?"""
    field = fold(getattr(procedure.field, "name", "") if procedure.field_id else "")
    agency = fold(procedure.resolving_agency.name if procedure.resolving_agency_id else "")
    return any(words in field for words in RESULT_FIELDS) or any(words in agency for words in RESULT_AGENCIES)


def record_history_digitisation(dossiers, seed: int = SEED, batch_size: int = 2000) -> int:
    """Write the digitisation rows of `dossiers` (saved, with their procedure) that have none; returns how many."""
    dossiers = [d for d in dossiers if d.pk is not None and d.received_at is not None]
    if not dossiers:
        return 0
    ids = [d.pk for d in dossiers]
    existing = set(
        DossierDigitisation.objects.filter(dossier_id__gte=min(ids), dossier_id__lte=max(ids)).values_list(
            "dossier_id", flat=True
        )
    )
    procedure_ids = {d.procedure_id for d in dossiers}
    procedures = {
        p.pk: p
        for p in Procedure.objects.filter(pk__in=procedure_ids)
        .select_related("field", "resolving_agency")
        .annotate(components=Count("documents"))
    }
    always = {pk for pk, p in procedures.items() if results_digitised(p)}
    rng = random.Random(seed)
    rows = []
    for d in dossiers:
        if d.pk in existing:
            continue
        procedure = procedures[d.procedure_id]
        total = max(procedure.components, 1)
        month = timezone.localtime(d.received_at).month
        if d.procedure_id in always:
            components, result = total, d.state in RESOLVED
        else:
            share = OTHER_COMPONENTS[0] + (OTHER_COMPONENTS[1] - OTHER_COMPONENTS[0]) * (month - 1) / 11
            digitised = rng.random() < share
            components = total if digitised else 0
            result = digitised and d.state in RESOLVED and rng.random() < OTHER_RESULTS
        reused = 1 if components and rng.random() < REUSE else 0
        rows.append(
            DossierDigitisation(
                dossier_id=d.pk,
                components_total=total,
                components_digitised=components,
                components_reused=reused,
                result_digitised=result,
                digitisation_status=digitisation_status(components, total, result),
            )
        )
    DossierDigitisation.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)
