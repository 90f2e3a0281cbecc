"""Standard process templates: the normal six-step process and the compressed "5 tại chỗ" variant."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.org.models import Agency

from .models import Procedure, ProcessStep, ProcessTemplate, validate_step_shares

Kind = ProcessStep.Kind

# (kind, role, done at the center?, share of the legal time)
NORMAL_STEPS = [
    (Kind.RECEPTION, "reception_officer", True, Decimal("0.05")),
    (Kind.TRANSFER, "reception_officer", True, Decimal("0.05")),
    (Kind.APPRAISAL, "specialist", False, Decimal("0.60")),
    (Kind.APPROVAL, "leader", False, Decimal("0.15")),
    (Kind.ISSUE, "clerk", False, Decimal("0.10")),
    (Kind.RETURN, "reception_officer", True, Decimal("0.05")),
]
# Everything happens at the center: the agency's authorised specialist and leader sit there, and the result is
# stamped with the center's second seal; nothing is transferred.
ON_THE_SPOT_STEPS = [
    (Kind.RECEPTION, "reception_officer", True, Decimal("0.10")),
    (Kind.APPRAISAL, "specialist", False, Decimal("0.40")),
    (Kind.APPROVAL, "leader", False, Decimal("0.20")),
    (Kind.ISSUE, "clerk", True, Decimal("0.20")),
    (Kind.RETURN, "reception_officer", True, Decimal("0.10")),
]


@transaction.atomic
def set_standard_process(
    procedure: Procedure, variant: str = ProcessTemplate.Variant.NORMAL, center_agency: Agency | None = None
) -> ProcessTemplate:
    """Create or replace the generic template of `variant` for `procedure` with the standard steps.

    Steps done at the center are assigned to `center_agency` (the center's own agency) when given; the others
    to the procedure's resolving agency (left empty).
    """
    on_the_spot = variant == ProcessTemplate.Variant.ON_THE_SPOT
    steps = ON_THE_SPOT_STEPS if on_the_spot else NORMAL_STEPS
    validate_step_shares(share for *_, share in steps)
    name = _("Quy trình “5 tại chỗ” tại Trung tâm") if on_the_spot else _("Quy trình giải quyết thông thường")
    template, _created = ProcessTemplate.objects.update_or_create(
        procedure=procedure, variant=variant, agency=None, defaults={"name": name, "is_active": True}
    )
    template.full_clean()
    template.steps.all().delete()
    ProcessStep.objects.bulk_create(
        ProcessStep(
            template=template,
            position=position,
            kind=kind,
            name=str(Kind(kind).label),
            role=role,
            agency=center_agency if at_center else None,
            share=share,
        )
        for position, (kind, role, at_center, share) in enumerate(steps, start=1)
    )
    return template
