"""Standard process templates: the normal six-step process and the compressed "5 tại chỗ" variant."""

from decimal import Decimal

from django.core.exceptions import ValidationError
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


def _steps(template: ProcessTemplate, variant: str, center_agency: Agency | None) -> list[ProcessStep]:
    steps = ON_THE_SPOT_STEPS if variant == ProcessTemplate.Variant.ON_THE_SPOT else NORMAL_STEPS
    return [
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
    ]


def _template_name(variant: str) -> str:
    if variant == ProcessTemplate.Variant.ON_THE_SPOT:
        return _("Quy trình “5 tại chỗ” tại Trung tâm")
    return _("Quy trình giải quyết thông thường")


@transaction.atomic
def set_standard_process(
    procedure: Procedure, variant: str = ProcessTemplate.Variant.NORMAL, center_agency: Agency | None = None
) -> ProcessTemplate:
    """Create or replace the generic template of `variant` for `procedure` with the standard steps.

    Steps done at the center are assigned to `center_agency` (the center's own agency) when given; the others
    to the procedure's resolving agency (left empty).
    """
    template, _created = ProcessTemplate.objects.update_or_create(
        procedure=procedure,
        variant=variant,
        agency=None,
        defaults={"name": _template_name(variant), "is_active": True},
    )
    template.full_clean()
    template.steps.all().delete()
    ProcessStep.objects.bulk_create(_steps(template, variant, center_agency))
    return template


@transaction.atomic
def set_agency_process(
    procedure: Procedure, agency: Agency, variant: str = ProcessTemplate.Variant.NORMAL
) -> ProcessTemplate:
    """Create or replace `agency`'s own template of `variant` for `procedure` with the standard steps, every
    step done by that agency (a commune service point receives and resolves at the same place)."""
    template, _created = ProcessTemplate.objects.update_or_create(
        procedure=procedure,
        variant=variant,
        agency=agency,
        defaults={"name": f"{_template_name(variant)} – {agency.name}", "is_active": True},
    )
    template.steps.all().delete()
    ProcessStep.objects.bulk_create(_steps(template, variant, None))
    return template


@transaction.atomic
def add_standard_processes(wanted: list[tuple[Procedure, str]], center_agency: Agency | None = None) -> int:
    """Bulk-create the standard generic template of each (procedure, variant) that has none; return how many.

    For loading many procedures at once (demo, import); existing templates are left untouched.
    """
    existing = set(
        ProcessTemplate.objects.filter(
            procedure__in=[p for p, _v in wanted], agency__isnull=True
        ).values_list("procedure_id", "variant")
    )
    templates = [
        ProcessTemplate(procedure=p, variant=v, agency=None, name=_template_name(v), is_active=True)
        for p, v in wanted
        if (p.pk, v) not in existing
    ]
    for template in templates:
        if template.variant == ProcessTemplate.Variant.ON_THE_SPOT and not template.procedure.on_the_spot:
            raise ValidationError(
                _("Thủ tục %(code)s chưa được đánh dấu “5 tại chỗ”.") % {"code": template.procedure.code}
            )
    ProcessTemplate.objects.bulk_create(templates)
    ProcessStep.objects.bulk_create(
        [step for t in templates for step in _steps(t, t.variant, center_agency)], batch_size=500
    )
    return len(templates)


for _shares in (NORMAL_STEPS, ON_THE_SPOT_STEPS):
    validate_step_shares(share for *_rest, share in _shares)
