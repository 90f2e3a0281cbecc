"""Who resolves a procedure received at a given point on a given day (the two-tier rules from 01/07/2025).

A procedure is implemented by any number of agencies (`ProcedureImplementation`). At intake:
1. the applicant's choice (`chosen`), when given, must be an agency implementing it on that day;
2. otherwise the receiving agency itself when it implements the procedure (a commune service point receiving a
   commune procedure);
3. otherwise an implementing agency served at the receiving agency's center (the 2018 district center received
   for its specialised offices), the default resolving agency first;
4. otherwise the procedure's default resolving agency, when it implements the procedure that day.
A chosen agency that the receiving point does not serve is allowed only for a procedure received regardless of
administrative boundaries ("phi địa giới", `Procedure.receive_anywhere`), within one province; the dossier then
records a transfer from the receiving point to the resolving agency.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from motcua.org.models import Agency, scope_agency_ids

from .models import Procedure, ProcedureImplementation, implementations_by, implementations_of


@dataclass
class Resolution:
    agency: Agency
    implementation: ProcedureImplementation | None
    transferred: bool  # received at one point, resolved by an agency that point does not serve


def province_of(agency: Agency):
    """The top administrative unit of an agency (its province, or the agency's own unit at the top)."""
    unit = agency.unit
    chain = unit.ancestors()
    return chain[-1] if chain else unit


def agency_exists_on(agency: Agency, day: datetime.date) -> None:
    """Refuse an agency that does not exist on `day` (merged away, or not yet created)."""
    if not agency.is_valid_on(day):
        raise ValidationError(
            {
                "agency": _(
                    "Cơ quan %(name)s không tồn tại vào ngày %(day)s (đã sáp nhập hoặc chưa thành lập)."
                )
                % {"name": agency.name, "day": day.strftime("%d/%m/%Y")}
            }
        )


def _valid_row_of(procedure: Procedure, agency: Agency, day: datetime.date):
    """The agency's implementation of the procedure in force on `day`, or None."""
    return next((row for row in implementations_by(procedure, agency.pk) if row.is_valid_on(day)), None)


def _served_by(receiving: Agency):
    """A function answering the ids of the agencies the receiving point serves, looked up on first use only."""
    served = None

    def served_here() -> set[int]:
        nonlocal served
        if served is None:
            served = scope_agency_ids([(receiving.pk, None)])
        return served

    return served_here


def _chosen_resolution(
    procedure: Procedure, receiving: Agency, day: datetime.date, chosen: Agency, served_here
) -> Resolution:
    """Rule 1: the applicant's choice, checked; a transfer when the receiving point does not serve it."""
    row = _valid_row_of(procedure, chosen, day)
    if row is None:
        raise ValidationError(
            {
                "resolving_agency": _("Cơ quan %(name)s không thực hiện thủ tục %(code)s vào ngày %(day)s.")
                % {"name": chosen.name, "code": procedure.code, "day": day.strftime("%d/%m/%Y")}
            }
        )
    if chosen.pk in served_here():
        return Resolution(chosen, row, False)
    if not procedure.receive_anywhere:
        raise ValidationError(
            {
                "resolving_agency": _(
                    "Thủ tục %(code)s không được tiếp nhận không phụ thuộc địa giới hành chính: "
                    "hồ sơ phải nộp tại cơ quan giải quyết hoặc nơi tiếp nhận của cơ quan đó."
                )
                % {"code": procedure.code}
            }
        )
    if province_of(chosen).pk != province_of(receiving).pk:
        raise ValidationError(
            {
                "resolving_agency": _(
                    "Chỉ tiếp nhận không phụ thuộc địa giới hành chính cho cơ quan giải quyết trong cùng tỉnh."
                )
            }
        )
    return Resolution(chosen, row, True)


def _reachable_resolution(procedure: Procedure, reachable: list) -> Resolution:
    """Rule 3: the default resolving agency among those served at the receiving point, else the only one."""
    default = next((row for row in reachable if row.agency_id == procedure.resolving_agency_id), None)
    if default is None and len(reachable) > 1:
        raise ValidationError(
            {
                "resolving_agency": _(
                    "Nhiều cơ quan tại nơi tiếp nhận cùng thực hiện thủ tục %(code)s: hãy chọn cơ quan giải quyết."
                )
                % {"code": procedure.code}
            }
        )
    row = default or reachable[0]
    return Resolution(row.agency, row, False)


def _nobody_resolves(procedure: Procedure, day: datetime.date) -> ValidationError:
    """The refusal when no agency implements the procedure at the receiving point that day."""
    return ValidationError(
        {
            "resolving_agency": _(
                "Không có cơ quan nào thực hiện thủ tục %(code)s tại nơi tiếp nhận này vào ngày %(day)s; "
                "hãy chọn cơ quan giải quyết."
            )
            % {"code": procedure.code, "day": day.strftime("%d/%m/%Y")}
        }
    )


def resolve(
    procedure: Procedure, receiving: Agency, day: datetime.date, chosen: Agency | None = None
) -> Resolution:
    """The agency that resolves `procedure` received by `receiving` on `day` (see the module's rules).

    Raises ValidationError (Vietnamese, on `resolving_agency`) when no agency can resolve it there."""
    served_here = _served_by(receiving)
    if chosen is not None:
        return _chosen_resolution(procedure, receiving, day, chosen, served_here)
    own = _valid_row_of(procedure, receiving, day)
    if own is not None:  # the common case, read without copying the other agencies' rows
        return Resolution(receiving, own, False)
    current = [row for row in implementations_of(procedure) if row.is_valid_on(day)]
    by_agency = {row.agency_id: row for row in current}
    reachable = [row for row in current if row.agency_id in served_here()]
    if reachable:
        return _reachable_resolution(procedure, reachable)
    default = by_agency.get(procedure.resolving_agency_id)
    if default is not None:
        return Resolution(default.agency, default, False)
    if not current and not procedure.implementations.exists():
        # A catalog row never given an implementation (written without `save`): its default agency resolves.
        return Resolution(procedure.resolving_agency, None, False)
    raise _nobody_resolves(procedure, day)


def implementing_agencies(procedure: Procedure, day: datetime.date) -> list[ProcedureImplementation]:
    """The implementations of `procedure` in force on `day`, default agency first, then by level and name."""
    rows = [row for row in implementations_of(procedure) if row.is_valid_on(day)]
    return sorted(rows, key=lambda r: (r.agency_id != procedure.resolving_agency_id, r.level, r.agency.name))


def as_implemented_by(procedure: Procedure, agency: Agency, day: datetime.date) -> Procedure:
    """A copy of `procedure` with the own time limit and online level of `agency`'s implementation on `day`
    (the procedure's own values where it has none)."""
    from motcua.refcache import copied

    own = copied(procedure)
    for row in implementations_by(procedure, agency.pk):
        if row.is_valid_on(day):
            row.apply_to(own)
            break
    return own


def fee_schedule(procedure: Procedure, agency: Agency | None, day: datetime.date) -> list:
    """The fee rules (catalog `Fee`) a dossier of `procedure` resolved by `agency` pays: the agency's own schedule
    when its implementation in force on `day` (else, for an agency that took the work over later, the one in
    force today) has lines of its own, the procedure's schedule otherwise."""
    from django.utils import timezone

    if agency is not None:
        rows = implementations_by(procedure, agency.pk)
        for when in (day, timezone.localdate()):
            row = next((r for r in rows if r.is_valid_on(when)), None)
            if row is not None:
                own = list(row.fees.all())
                if own:
                    return own
                break
    return list(procedure.fees.of_procedure())


def attach_own_fees(rows: list[ProcedureImplementation]) -> list[ProcedureImplementation]:
    """Set `own_fees` (the implementation's own fee lines, [] when the procedure's apply) on each row, in one
    query."""
    from .models import Fee

    by_row: dict[int, list] = {}
    for fee in Fee.objects.filter(implementation__in=[row.pk for row in rows]).order_by("position", "id"):
        by_row.setdefault(fee.implementation_id, []).append(fee)
    for row in rows:
        row.own_fees = by_row.get(row.pk, [])
    return rows
