"""Guidance at the counter without receiving (Mẫu 02) and its counts."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure
from motcua.org.models import Agency

from ..models import Applicant, CounterGuidance
from ..states import Channel, ReturnMethod
from .reception import _check_intake, _receiving_agency
from .transition import actor_name


def _item_list(items) -> list[str]:
    if isinstance(items, str):
        items = items.splitlines()
    return [str(i).strip() for i in (items or []) if str(i).strip()]


def guide_at_counter(
    *,
    procedure: Procedure,
    applicant: Applicant,
    actor,
    items,
    note: str = "",
    agency: Agency | None = None,
) -> CounterGuidance:
    """Guide an incomplete dossier at the counter without receiving it (Mẫu 02): list, once and fully, what is
    missing. No dossier, no code, no clock; the guidance is recorded (who, when, procedure, applicant, items)
    for the slip and the counter's statistics."""
    items = _item_list(items)
    if not items:
        raise ValidationError({"items": _("Phải liệt kê đầy đủ các giấy tờ cần bổ sung, hoàn thiện.")})
    agency = _receiving_agency(actor, procedure, agency)
    _check_intake(actor, procedure, agency, Channel.COUNTER, ReturnMethod.COUNTER, None)
    return CounterGuidance.objects.create(
        procedure=procedure,
        agency=agency,
        applicant=applicant,
        officer=actor if getattr(actor, "pk", None) else None,
        officer_name=actor_name(actor),
        at=timezone.now(),
        items=items,
        note=(note or "").strip(),
    )


def counter_guidance_counts(agency_ids, day_from: datetime.date, day_to: datetime.date) -> dict:
    """How many guidance slips (Mẫu 02 without receiving) each officer gave at these agencies, days included:
    {officer name: count}, and the total under ""."""
    start = timezone.make_aware(datetime.datetime.combine(day_from, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(day_to + datetime.timedelta(days=1), datetime.time.min)
    )
    rows = CounterGuidance.objects.filter(agency_id__in=list(agency_ids), at__gte=start, at__lt=end)
    counts: dict = {}
    for name in rows.values_list("officer_name", flat=True):
        counts[name] = counts.get(name, 0) + 1
    counts[""] = sum(counts.values())
    return counts
