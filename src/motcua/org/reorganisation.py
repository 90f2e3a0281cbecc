"""Reorganisation as one audited operation: merge agencies (and their administrative units) into a successor.

The plan (API.md "Reorganisation (command line)"):

    {"effective": "YYYY-MM-DD", "basis": "Nghị quyết 1658/NQ-UBTVQH15",
     "merges": [{"into": "<agency identity code>", "name": "<only for a new agency>", "level": "commune",
                 "kind": "<Agency.Kind, optional>", "unit": "<admin unit code of a new agency, optional>",
                 "from": ["<agency identity code>", ...]}],
     "units": [{"into": "<admin unit code>", "name": "<only for a new unit>", "kind": "commune",
                "parent": "<admin unit code of a new unit's parent, optional>", "from": ["<admin unit code>", ...]}]}

`units` (optional) merges administrative units with `merge_units` first (a new unit takes the level of the first
unit merged into it, and its parent unless `parent` is given), so a new agency can name its new unit. On the effective date (today or
earlier: at once) each `from` agency ends the day before and records its successor; every dossier of it that
is not closed moves to the successor with an event naming the basis (its code does not change); its current
staff assignments, reception counters and center, procedure implementations (and default agency, process
templates and steps, co-operation), and open receipt books go to the successor; closed dossiers and the history
stay where they happened. New intake at a merged agency after the date is refused (it no longer exists that
day). Calendar overrides belong to provinces: when a province is merged through `units`, its overrides go to
the successor province.

`splits` (one agency into several successors, `motcua.org.splits`) and the admin's preview are described with
the full plan format in docs/REORGANISATION.md.

Everything runs in one transaction: a failure changes nothing, and a dry run rolls back after counting.
"""

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.context import audit_context

from .models import (
    IDENTITY_CODE_RE,
    AdminLevel,
    AdminUnit,
    Agency,
    Center,
    Counter,
    Reorganisation,
    StaffAssignment,
)
from .services import merge_units

AGENCY_KINDS = {kind.value for kind in Agency.Kind}
LEVEL_KINDS = {"commune": Agency.Kind.PEOPLES_COMMITTEE, "province": Agency.Kind.PROVINCIAL_DEPARTMENT}


@dataclass
class MergeOutcome:
    into: str
    into_name: str
    created: bool
    sources: list[str]
    dossiers: list[str] = field(default_factory=list)
    assignments: int = 0
    counters: int = 0
    centers: int = 0
    implementations: int = 0
    default_procedures: int = 0
    process_templates: int = 0
    receipt_books: int = 0


@dataclass
class ReorganisationReport:
    effective: datetime.date
    basis: str
    dry_run: bool
    merges: list[MergeOutcome] = field(default_factory=list)
    units: list[tuple[str, list[str]]] = field(default_factory=list)
    calendar_overrides: int = 0
    splits: list = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)  # what a split could not place (a dry run lists them)
    record: object = None  # the Reorganisation row of an applied plan

    def lines(self) -> list[str]:
        head = _("THỬ (không thay đổi dữ liệu)") if self.dry_run else _("ĐÃ THỰC HIỆN")
        out = [
            _("Sắp xếp tổ chức từ ngày %(day)s theo %(basis)s — %(head)s")
            % {"day": self.effective.strftime("%d/%m/%Y"), "basis": self.basis, "head": head}
        ]
        for unit, sources in self.units:
            out.append(
                _("Đơn vị hành chính %(into)s ← %(from)s") % {"into": unit, "from": ", ".join(sources)}
            )
        for m in self.merges:
            out.append(
                _("%(name)s (%(code)s%(new)s) ← %(from)s")
                % {
                    "name": m.into_name,
                    "code": m.into,
                    "new": _(", tạo mới") if m.created else "",
                    "from": ", ".join(m.sources),
                }
            )
            out.append(
                _(
                    "  hồ sơ đang giải quyết: %(d)d; phân công cán bộ: %(a)d; quầy: %(c)d; trung tâm: %(t)d; "
                    "thủ tục thực hiện: %(i)d (cơ quan mặc định: %(p)d; quy trình: %(q)d); quyển biên lai: %(r)d"
                )
                % {
                    "d": len(m.dossiers),
                    "a": m.assignments,
                    "c": m.counters,
                    "t": m.centers,
                    "i": m.implementations,
                    "p": m.default_procedures,
                    "q": m.process_templates,
                    "r": m.receipt_books,
                }
            )
            if m.dossiers:
                out.append("  " + ", ".join(m.dossiers))
        for split in self.splits:
            out.extend(split.lines())
        if self.calendar_overrides:
            out.append(
                _("Ngày nghỉ, ngày làm bù của tỉnh chuyển sang: %(n)d") % {"n": self.calendar_overrides}
            )
        if self.refusals:
            out.append(
                _("Kế hoạch sẽ bị từ chối: %(n)d đối tượng không xếp được vào cơ quan kế thừa nào.")
                % {"n": len(self.refusals)}
            )
        return out


@dataclass
class AgencyMerge:
    """One agency (`old`) merging into `into`: what each mover receives; movers add their counts to `outcome`."""

    old: Agency
    into: Agency
    effective: datetime.date
    basis: str
    at: datetime.datetime
    actor: object
    outcome: MergeOutcome


# What moves with a merge. The parts above org register their movers from their AppConfig.ready() (org imports
# none of them): dossiers its open dossiers (order 10), catalog its implementations, processes and steps (50),
# payments its open receipt books (60); org's own rows (assignments, counters, centers) move at 20. A unit mover
# (the calendar's overrides of a merged province) receives the merged units, the successor and the report.
_agency_movers: list[tuple[int, Callable[[AgencyMerge], None]]] = []
_unit_movers: list[Callable[[list[AdminUnit], AdminUnit, ReorganisationReport], None]] = []


def register_agency_mover(move: Callable[[AgencyMerge], None], *, order: int) -> None:
    """Run `move` for every agency merged by a reorganisation, inside its transaction, in `order`."""
    if (order, move) not in _agency_movers:  # once, however often ready() runs
        _agency_movers.append((order, move))


def register_unit_mover(move: Callable[[list[AdminUnit], AdminUnit, ReorganisationReport], None]) -> None:
    """Run `move(sources, into, report)` for every administrative unit merge of a reorganisation."""
    if move not in _unit_movers:
        _unit_movers.append(move)


def refusal_message(refusals: list[str]) -> str:
    """Why a plan fails when a split cannot place some objects (Vietnamese)."""
    return _("Kế hoạch không xếp được %(n)d đối tượng vào cơ quan kế thừa nào: %(what)s.") % {
        "n": len(refusals),
        "what": "; ".join(refusals),
    }


def load_plan(text: str) -> dict:
    """The plan as a dict; a Vietnamese ValidationError for text that is not a JSON object."""
    try:
        plan = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            _("Tệp kế hoạch không phải JSON hợp lệ (dòng %(line)d).") % {"line": exc.lineno}
        ) from exc
    if not isinstance(plan, dict):
        raise ValidationError(_("Kế hoạch phải là một đối tượng JSON."))
    return plan


def _codes(value, what: str) -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValidationError(_("“from” của %(what)s phải là danh sách mã không rỗng.") % {"what": what})
    codes = [v.strip() for v in value]
    if len(set(codes)) != len(codes):
        raise ValidationError(_("“from” của %(what)s có mã lặp lại.") % {"what": what})
    return codes


def _effective(plan: dict) -> datetime.date:
    raw = plan.get("effective")
    try:
        day = datetime.date.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        day = None
    if day is None:
        raise ValidationError(_("Ngày hiệu lực (“effective”) phải có dạng YYYY-MM-DD."))
    if day > timezone.localdate():
        raise ValidationError(
            _("Ngày hiệu lực %(day)s chưa đến: chạy lại kế hoạch vào ngày đó hoặc sau đó.")
            % {"day": day.strftime("%d/%m/%Y")}
        )
    return day


def reorganise(
    plan: dict, *, dry_run: bool = False, actor=None, record_source: str = "command"
) -> ReorganisationReport:
    """Apply (or, with `dry_run`, only count) a reorganisation plan; see the module's docstring. An applied plan
    is recorded (`Reorganisation`: who, when, basis, plan, report) from `record_source` ("command", "admin").

    Raises ValidationError with a Vietnamese message for a bad plan; nothing is changed then."""
    effective = _effective(plan)
    basis = " ".join(str(plan.get("basis") or "").split())
    if not basis:
        raise ValidationError(_("Chưa ghi căn cứ pháp lý (“basis”) của việc sắp xếp."))
    merges = plan.get("merges") or []
    units = plan.get("units") or []
    splits = plan.get("splits") or []
    if (
        not isinstance(merges, list)
        or not isinstance(units, list)
        or not isinstance(splits, list)
        or not (merges or units or splits)
    ):
        raise ValidationError(_("Kế hoạch không có gì để sắp xếp (“merges”, “splits” hoặc “units”)."))
    unknown = set(plan) - {"effective", "basis", "merges", "units", "splits"}
    if unknown:
        raise ValidationError(
            _("Khóa không được hỗ trợ trong kế hoạch: %(keys)s.") % {"keys": ", ".join(sorted(unknown))}
        )
    report = ReorganisationReport(effective=effective, basis=basis, dry_run=dry_run)
    with transaction.atomic(), audit_context(actor=actor, reason=basis):
        for entry in units:
            _merge_units(entry, effective, report)
        seen: set[str] = set()
        for entry in merges:
            report.merges.append(_merge_agencies(entry, effective, basis, actor, seen))
        for entry in splits:
            report.splits.append(split_agency(entry, effective, basis, actor, seen))
        report.refusals = [refusal for split in report.splits for refusal in split.refusals]
        if report.refusals and not dry_run:
            raise ValidationError(refusal_message(report.refusals))
        if dry_run:
            transaction.set_rollback(True)
        else:
            report.record = Reorganisation.objects.create(
                applied_by=actor if getattr(actor, "pk", None) else None,
                source=record_source,
                effective=effective,
                basis=basis[:500],
                plan=plan,
                report="\n".join(report.lines()),
            )
    return report


def _merge_units(entry, effective: datetime.date, report: ReorganisationReport) -> None:
    if not isinstance(entry, dict) or not isinstance(entry.get("into"), str) or not entry["into"].strip():
        raise ValidationError(_("Mỗi mục “units” cần “into” là mã đơn vị hành chính."))
    code = entry["into"].strip()
    sources_codes = _codes(entry.get("from"), code)
    sources = list(AdminUnit.objects.filter(code__in=sources_codes))
    missing = set(sources_codes) - {u.code for u in sources}
    if missing:
        raise ValidationError(
            _("Không có đơn vị hành chính mã %(codes)s.") % {"codes": ", ".join(sorted(missing))}
        )
    into = AdminUnit.objects.filter(code=code).first()
    if into is None:
        name = " ".join(str(entry.get("name") or "").split())
        if not name:
            raise ValidationError(_("Đơn vị mới %(code)s cần có tên (“name”).") % {"code": code})
        first = sources[0]
        kind = entry.get("kind") or first.kind
        if kind not in AdminUnit.Kind.values:
            raise ValidationError(_("Loại đơn vị “%(kind)s” không hợp lệ.") % {"kind": kind})
        into = AdminUnit(
            code=code, name=name, kind=kind, level=first.level, parent=first.parent, valid_from=effective
        )
        into.full_clean()
        into.save()
    merge_units(sources, into, effective)
    report.units.append((code, sources_codes))
    for move in _unit_movers:
        move(sources, into, report)


def _successor_agency(entry: dict, effective: datetime.date, sources: list[Agency]) -> tuple[Agency, bool]:
    code = entry["into"].strip().upper()
    into = Agency.objects.select_for_update().filter(identity_code=code).first()
    if into is not None:
        if not into.is_valid_on(effective):
            raise ValidationError(
                _("Cơ quan kế thừa %(name)s không tồn tại vào ngày hiệu lực.") % {"name": into.name}
            )
        return into, False
    name = " ".join(str(entry.get("name") or "").split())
    if not name:
        raise ValidationError(_("Cơ quan mới %(code)s cần có tên (“name”).") % {"code": code})
    if not IDENTITY_CODE_RE.match(code):
        raise ValidationError(
            _("Mã định danh %(code)s phải có dạng 000.00.00.H06 (Thông tư 10/2016/TT-BTTTT).")
            % {"code": code}
        )
    unit = sources[0].unit
    if entry.get("unit"):
        unit = AdminUnit.objects.filter(code=str(entry["unit"]).strip()).first()
        if unit is None:
            raise ValidationError(_("Không có đơn vị hành chính mã %(code)s.") % {"code": entry["unit"]})
    level = entry.get("level")
    if level and not AdminLevel.objects.filter(code=level).exists():
        raise ValidationError(_("Cấp “%(level)s” không có trong danh mục cấp hành chính.") % {"level": level})
    kind = entry.get("kind") or LEVEL_KINDS.get(level) or sources[0].kind
    if kind not in AGENCY_KINDS:
        raise ValidationError(_("Loại cơ quan “%(kind)s” không hợp lệ.") % {"kind": kind})
    into = Agency(name=name, identity_code=code, kind=kind, unit=unit, valid_from=effective)
    into.full_clean()
    into.save()
    return into, True


def _merge_agencies(entry, effective: datetime.date, basis: str, actor, seen: set[str]) -> MergeOutcome:
    if not isinstance(entry, dict) or not isinstance(entry.get("into"), str) or not entry["into"].strip():
        raise ValidationError(_("Mỗi mục “merges” cần “into” là mã định danh cơ quan."))
    codes = [c.upper() for c in _codes(entry.get("from"), entry["into"])]
    repeated = seen & set(codes)
    if repeated:
        raise ValidationError(
            _("Cơ quan %(codes)s có trong nhiều mục sáp nhập.") % {"codes": ", ".join(sorted(repeated))}
        )
    seen.update(codes)
    sources = list(Agency.objects.select_for_update().select_related("unit").filter(identity_code__in=codes))
    missing = set(codes) - {a.identity_code for a in sources}
    if missing:
        raise ValidationError(
            _("Không có cơ quan mã định danh %(codes)s.") % {"codes": ", ".join(sorted(missing))}
        )
    sources.sort(key=lambda a: codes.index(a.identity_code))
    last_day = effective - datetime.timedelta(days=1)
    for agency in sources:
        if agency.identity_code == entry["into"].strip().upper():
            raise ValidationError(
                _("Không thể sáp nhập cơ quan %(name)s vào chính nó.") % {"name": agency.name}
            )
        if agency.valid_to is not None and agency.valid_to < last_day:
            raise ValidationError(
                _("Cơ quan %(name)s đã hết hiệu lực trước ngày sáp nhập.") % {"name": agency.name}
            )
        if agency.valid_from is not None and agency.valid_from > last_day:
            raise ValidationError(
                _("Cơ quan %(name)s bắt đầu hiệu lực sau ngày sáp nhập.") % {"name": agency.name}
            )
    into, created = _successor_agency(entry, effective, sources)
    outcome = MergeOutcome(
        into=into.identity_code,
        into_name=into.name,
        created=created,
        sources=[a.identity_code for a in sources],
    )
    at = max(timezone.now(), timezone.make_aware(datetime.datetime.combine(effective, datetime.time())))
    for old in sources:
        old.valid_to = last_day
        old.successor = into
        old.save(update_fields=["valid_to", "successor"])
        merge = AgencyMerge(old, into, effective, basis, at, actor, outcome)
        for _order, move in sorted(_agency_movers, key=lambda pair: pair[0]):
            move(merge)
    return outcome


def _move_org_rows(merge: AgencyMerge) -> None:
    merge.outcome.assignments += _move_assignments(merge.old, merge.into, merge.effective)
    merge.outcome.counters += _move_counters(merge.old, merge.into)
    merge.outcome.centers += _move_centers(merge.old, merge.into)


def _move_assignments(old: Agency, into: Agency, effective: datetime.date) -> int:
    """Current assignments at `old` end the day before and continue at `into` (unless already held there)."""
    moved = 0
    current = StaffAssignment.objects.filter(agency=old).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=effective)
    )
    for assignment in current.select_related("user"):
        continue_assignment(assignment, into, effective)
        moved += 1
    return moved


def continue_assignment(assignment: StaffAssignment, into: Agency, effective: datetime.date) -> None:
    """`assignment` ends the day before `effective` and continues at `into` (unless already held there)."""
    last_day = effective - datetime.timedelta(days=1)
    held = StaffAssignment.objects.filter(user=assignment.user, role=assignment.role, agency=into).first()
    if held is None:
        StaffAssignment.objects.create(
            user=assignment.user,
            role=assignment.role,
            agency=into,
            unit=assignment.unit,
            valid_from=effective,
        )
    elif held.valid_to is not None and held.valid_to < effective:
        held.valid_to = None
        held.save(update_fields=["valid_to"])
    assignment.valid_to = last_day
    if assignment.valid_from and assignment.valid_from > last_day:
        assignment.valid_from = last_day
    assignment.save(update_fields=["valid_to", "valid_from"])


def _move_counters(old: Agency, into: Agency) -> int:
    counters = list(Counter.objects.filter(agencies=old))
    for counter in counters:
        counter.agencies.remove(old)
        counter.agencies.add(into)
    return len(counters)


def _move_centers(old: Agency, into: Agency) -> int:
    """Centers that received for `old` receive for `into`; `old`'s own center becomes `into`'s when it has none."""
    served = list(Center.objects.filter(agencies=old))
    for center in served:
        center.agencies.remove(old)
        center.agencies.add(into)
    own = Center.objects.filter(agency=old).first()
    if own is not None:
        existing = Center.objects.filter(agency=into).first()
        if existing is None:
            own.agency = into
            own.save(update_fields=["agency"])
        else:
            existing.agencies.add(*own.agencies.all())
        served.append(own)
    return len(served)


register_agency_mover(_move_org_rows, order=20)

from .splits import split_agency  # noqa: E402  (the splits reuse this module's helpers)
