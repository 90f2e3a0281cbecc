"""Organisation services: mergers of administrative units."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import AdminUnit


@transaction.atomic
def merge_units(units: list[AdminUnit], into: AdminUnit, effective_date: datetime.date) -> list[AdminUnit]:
    """Merge `units` into `into` from `effective_date` (the first day the successor is responsible).

    Each merged unit stops being valid the day before and records its successor. The successor, if it has no
    start date yet, starts on `effective_date`. Agencies stay attached to their old unit: their history is
    kept and `AdminUnit.successor_on(day)` tells who is responsible afterwards.
    """
    if not units:
        raise ValidationError(_("Chưa chọn đơn vị cần sáp nhập."))
    last_day = effective_date - datetime.timedelta(days=1)
    locked = list(AdminUnit.objects.select_for_update().filter(pk__in=[u.pk for u in units]))
    into = AdminUnit.objects.select_for_update().get(pk=into.pk)
    if into.valid_to and into.valid_to < effective_date:
        raise ValidationError(
            _("Đơn vị kế thừa %(name)s đã hết hiệu lực trước ngày sáp nhập.") % {"name": into.name}
        )
    for unit in locked:
        if unit.pk == into.pk:
            raise ValidationError(_("Không thể sáp nhập một đơn vị vào chính nó."))
        if unit.successor_id and unit.successor_id != into.pk:
            raise ValidationError(
                _("Đơn vị %(name)s đã được sáp nhập vào đơn vị khác.") % {"name": unit.name}
            )
        if unit.valid_from and unit.valid_from > last_day:
            raise ValidationError(
                _("Đơn vị %(name)s bắt đầu hiệu lực sau ngày sáp nhập.") % {"name": unit.name}
            )
        if unit.level.rank != into.level.rank:
            raise ValidationError(
                _("Đơn vị %(name)s không cùng cấp với đơn vị kế thừa.") % {"name": unit.name}
            )
    for unit in locked:
        unit.successor = into
        unit.valid_to = last_day
        unit.save()
    if into.valid_from is None:
        into.valid_from = effective_date
        into.save()
    return locked


def update_agency_contacts(agency, *, actor, reason: str, address: str, phone: str, email: str):
    """Update an agency's contact details (shown on receipts and the portal). Leaders and administrators of
    the agency only; the change is audited with its reason."""
    from django.core.exceptions import PermissionDenied
    from django.core.validators import validate_email

    from motcua.audit.context import audit_context

    from .models import Agency, Role
    from .permissions import has_role
    from .validators import normalize_phone, validate_phone

    if not (
        has_role(actor, Role.LEADER, agency=agency) or has_role(actor, Role.ADMINISTRATOR, agency=agency)
    ):
        raise PermissionDenied(_("Chỉ lãnh đạo hoặc quản trị của cơ quan được sửa thông tin liên hệ."))
    errors = {}
    reason = " ".join((reason or "").split())
    if not reason:
        errors["reason"] = _("Cần ghi lý do thay đổi.")
    phone = normalize_phone(phone) if phone and phone.strip() else ""
    if phone:
        try:
            validate_phone(phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages[0]
    email = (email or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Địa chỉ thư điện tử không hợp lệ.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), audit_context(actor=actor, reason=reason):
        locked = Agency.objects.select_for_update().get(pk=agency.pk)
        locked.address = " ".join((address or "").split())
        locked.phone = phone
        locked.email = email
        locked.save(update_fields=["address", "phone", "email"])
    return locked
