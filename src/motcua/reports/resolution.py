"""Biểu số 06/VPCP/KSTT: the resolution report for a period, by agency, field, procedure, unit or level.

Definitions (REFERENCE §9; dates compared as dates in Asia/Ho_Chi_Minh), for a period [from, to]:

- received: the dossiers handled in the period = carried over + new.
  - carried over: received before `from` and not yet ended at the start of `from` (still processing, in
    supplement, paused, or ended on/after `from`);
  - new: received on a date in [from, to]; of which online, and direct + postal.
- resolved in the period: result ready (status 9/10) on a date in [from, to]; early / on time / late compare
  that date with the legal due date (`due_at`, moved only by pauses, never by an apology): before, equal, after.
- in progress ("đang giải quyết") at the end of `to`: every dossier received and not ended, the paused ones
  included (Biểu 06 has no separate column for them). Being processed (status 2/4): within deadline when the
  due date is on or after `to` (or there is none), overdue when it is before `to`. Paused (status 5/6, waiting
  for a supplement or a financial obligation): the clock is stopped, so it is overdue only if its due date was
  already past on the day the pause began, within deadline otherwise. `paused` is an "of which" count.
- supplement requested: a supplement was requested on a date in [from, to] (an "of which" count of events: the
  dossier is also counted where it stands at the end of the period).
- refused / withdrawn: the dossier ended by refusal (status 8) / withdrawal (status 7) on a date in [from, to].
  These two outcomes are NOT inside `resolved` (which holds only dossiers with a result, status 9/10).

They balance: received.total = resolved.total + in_progress.total + refused + withdrawn.

Reorganised agencies and units (`reorganised`): over a period that spans a merger the report shows the old
agencies "as they were" (the default: one row per agency that had dossiers, the merged ones included) or "rolled
into their successors" (`successors`: the rows of an agency merged on or before the end of the period are added
to its successor's, following chains of mergers: A into B, then B into C, rolls A and B into C). Grouped by
administrative unit, units merged the same way roll into their successor unit. The totals are the same in both
views. An agency split into several has no single successor (`successor` empty) and keeps its own row in both
views: its closed history stays where it happened, and the open dossiers it handed over are counted by the
agencies that received them (their facts follow the dossier). The other groupings are unaffected.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.models import Field, Procedure
from motcua.org.models import AdminLevel, AdminUnit, Agency

from . import facts, rollup
from .models import DailyCount, DossierFact, DossierSpell, Ending, MonthlyCount, Outcome

GROUPS = {
    "agency": ("agency_id", gettext_lazy("Cơ quan giải quyết")),
    "field": ("field_id", gettext_lazy("Lĩnh vực")),
    "procedure": ("procedure_id", gettext_lazy("Thủ tục hành chính")),
    "unit": ("unit_id", gettext_lazy("Đơn vị hành chính")),
    "level": ("level_id", gettext_lazy("Cấp")),
}

# The rates with the formula each one shows next to it.
RATES = {
    "on_time_of_resolved": (
        gettext_lazy("Tỷ lệ giải quyết trước hạn và đúng hạn trên số đã giải quyết"),
        gettext_lazy("(Trước hạn + Đúng hạn) / Đã giải quyết × 100%"),
    ),
    "on_time_of_received": (
        gettext_lazy("Tỷ lệ giải quyết trước hạn và đúng hạn trên tổng số tiếp nhận"),
        gettext_lazy("(Trước hạn + Đúng hạn) / Tổng số tiếp nhận × 100%"),
    ),
    "supplement_of_received": (
        gettext_lazy("Tỷ lệ hồ sơ phải bổ sung"),
        gettext_lazy("Yêu cầu bổ sung / Tổng số tiếp nhận × 100%"),
    ),
    "returned_of_received": (
        gettext_lazy("Tỷ lệ hồ sơ trả lại, rút"),
        gettext_lazy("(Từ chối giải quyết + Rút hồ sơ) / Tổng số tiếp nhận × 100%"),
    ),
}

MAX_DAYS = 366 * 20

REORGANISED = {
    "as_they_were": gettext_lazy("Như trước khi sắp xếp (mỗi cơ quan, đơn vị một dòng)"),
    "successors": gettext_lazy("Cộng vào cơ quan, đơn vị kế thừa"),
}


def percent(numerator: int, denominator: int) -> Decimal | None:
    """numerator / denominator in percent, rounded half-up to one decimal (None when nothing to divide)."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Counts:
    carried_over: int = 0
    new: int = 0
    online: int = 0
    direct_postal: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    within_deadline: int = 0
    overdue: int = 0
    paused: int = 0
    supplement_requested: int = 0
    refused: int = 0
    withdrawn: int = 0

    def add(self, other: "Counts") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def received(self) -> int:
        return self.carried_over + self.new

    @property
    def resolved(self) -> int:
        return self.early + self.on_time + self.late

    @property
    def in_progress(self) -> int:
        return self.within_deadline + self.overdue

    def rates(self) -> dict[str, Decimal | None]:
        return {
            "on_time_of_resolved": percent(self.early + self.on_time, self.resolved),
            "on_time_of_received": percent(self.early + self.on_time, self.received),
            "supplement_of_received": percent(self.supplement_requested, self.received),
            "returned_of_received": percent(self.refused + self.withdrawn, self.received),
        }

    def as_dict(self) -> dict:
        """The counts in the API's shape (API.md "Reports"), plus the paused ones (of which, inside
        `in_progress`; also at the top level for earlier clients) and the rates."""
        return {
            "received": {
                "total": self.received,
                "carried_over": self.carried_over,
                "new": self.new,
                "online": self.online,
                "direct_postal": self.direct_postal,
            },
            "resolved": {
                "total": self.resolved,
                "early": self.early,
                "on_time": self.on_time,
                "late": self.late,
            },
            "in_progress": {
                "total": self.in_progress,
                "within_deadline": self.within_deadline,
                "overdue": self.overdue,
                "paused": self.paused,
            },
            "supplement_requested": self.supplement_requested,
            "refused": self.refused,
            "withdrawn": self.withdrawn,
            "paused": self.paused,
            "rates": {k: (float(v) if v is not None else None) for k, v in self.rates().items()},
        }


@dataclass
class Row:
    key: str
    label: str
    counts: Counts

    def as_dict(self) -> dict:
        return {"key": self.key, "label": self.label, **self.counts.as_dict()}


@dataclass
class ResolutionReport:
    date_from: datetime.date
    date_to: datetime.date
    group_by: str
    unit: AdminUnit | None
    rows: list[Row]
    total: Counts
    reorganised: str = "as_they_were"

    @property
    def group_label(self) -> str:
        return str(GROUPS[self.group_by][1])

    def as_dict(self) -> dict:
        return {
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "unit": self.unit.code if self.unit else None,
            "group_by": self.group_by,
            "reorganised": self.reorganised,
            "rows": [row.as_dict() for row in self.rows],
            "total": self.total.as_dict(),
        }


def parse_period(date_from, date_to) -> tuple[datetime.date, datetime.date]:
    """Check a period; raise ValidationError with a Vietnamese message when it is not usable."""
    errors = {}
    parsed = {}
    for name, value in (("from", date_from), ("to", date_to)):
        if isinstance(value, datetime.date):
            parsed[name] = value
            continue
        try:
            parsed[name] = datetime.date.fromisoformat(str(value or ""))
        except ValueError:
            errors[name] = _("Ngày không hợp lệ (định dạng YYYY-MM-DD).")
    if errors:
        raise ValidationError(errors)
    if parsed["from"] > parsed["to"]:
        raise ValidationError({"to": _("Ngày kết thúc kỳ báo cáo phải bằng hoặc sau ngày bắt đầu.")})
    if (parsed["to"] - parsed["from"]).days > MAX_DAYS:
        raise ValidationError({"from": _("Kỳ báo cáo dài quá 20 năm.")})
    return parsed["from"], parsed["to"]


def find_unit(code: str | None) -> AdminUnit | None:
    if not code:
        return None
    unit = AdminUnit.objects.filter(code=code).first()
    if unit is None:
        raise ValidationError({"unit": _("Không có đơn vị hành chính mã “%(code)s”.") % {"code": code}})
    return unit


def _scoped(qs, unit: AdminUnit | None, agency_ids):
    if unit is not None:
        qs = qs.filter(unit_id__in=unit.descendant_ids())
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=list(agency_ids))
    return qs


def counts_by(column: str, date_from, date_to, *, unit=None, agency_ids=None, extra_filter=None):
    """{group value: Counts} for the period, grouped by a fact column (None groups everything).

    The flows (received, resolved, refused, withdrawn, supplement requested, carried over) of the days already
    in the daily rollup come from it, those of later days (today) from the facts; the stocks at the end of the
    period (in progress, paused) come from the open spells. Without a rollup (or with `extra_filter`, which
    only the facts can answer) every flow is read from the facts.
    """
    through = None if extra_filter is not None else rollup.rolled_through()
    if through is None:
        rows = _live_flows(column, date_from, date_to, unit, agency_ids, extra_filter)
    else:
        rows = _rolled_up_flows(column, date_from, min(date_to, through), unit, agency_ids)
        if date_to > through:
            rows += _flows_after(column, through, date_from, date_to, unit, agency_ids)
    rows += _stocks(column, date_to, unit, agency_ids, extra_filter)
    result: dict = {}
    for row in rows:
        key = row.get(column) if column else None
        counts = result.setdefault(key, Counts())
        for name, value in row.items():
            if name != column and value:
                setattr(counts, name, getattr(counts, name) + value)
    return result


def _grouped(qs, column, annotations) -> list[dict]:
    if column:
        return list(qs.values(column).annotate(**annotations).order_by())
    return [qs.aggregate(**annotations)]


def _live_flows(column, date_from, date_to, unit, agency_ids, extra_filter) -> list[dict]:
    in_period = Q(received_on__lte=date_to) & (Q(ended_on__isnull=True) | Q(ended_on__gte=date_from))
    ended_in = Q(ended_on__lte=date_to)
    new = Q(received_on__gte=date_from)
    resolved = Q(ending=Ending.RESOLVED) & ended_in
    fact_qs = _scoped(DossierFact.objects.filter(in_period), unit, agency_ids)
    if extra_filter is not None:
        fact_qs = fact_qs.filter(extra_filter)
    return _grouped(
        fact_qs,
        column,
        dict(
            carried_over=Count("pk", filter=Q(received_on__lt=date_from)),
            new=Count("pk", filter=new),
            online=Count("pk", filter=new & Q(channel="online")),
            direct_postal=Count("pk", filter=new & ~Q(channel="online")),
            early=Count("pk", filter=resolved & Q(outcome=Outcome.EARLY)),
            on_time=Count("pk", filter=resolved & Q(outcome=Outcome.ON_TIME)),
            late=Count("pk", filter=resolved & Q(outcome=Outcome.LATE)),
            refused=Count("pk", filter=Q(ending=Ending.REFUSED) & ended_in),
            withdrawn=Count("pk", filter=Q(ending=Ending.WITHDRAWN) & ended_in),
            supplement_requested=Count(
                "pk", filter=Q(supplement_on__gte=date_from, supplement_on__lte=date_to)
            ),
        ),
    )


def _net_flows(grouped, column) -> list[dict]:
    """Flow rows from grouped sums (missing sums are 0): carried over = received − ended before the period;
    direct or postal = new − online."""
    rows = []
    for row in grouped:
        row = {k: (v or 0) if k != column else v for k, v in row.items()}
        row["carried_over"] = row.pop("received_before") - row.pop("ended_before")
        row["direct_postal"] = row["new"] - row["online"]
        rows.append(row)
    return rows


def _rolled_up_flows(column, date_from, last, unit, agency_ids) -> list[dict]:
    """The flows of the rolled-up days up to `last`: carried over = received − ended before `date_from`.

    Whole months come from the monthly summary, the days of the partial months from the daily rollup."""
    names = ("online", "early", "on_time", "late", "refused", "withdrawn", "supplement_requested")
    before_m, before_d = rollup.day_filter(None, min(last, date_from - datetime.timedelta(days=1)))
    inside_m, inside_d = rollup.day_filter(date_from, last)
    rows = []
    for model, before, inside in ((MonthlyCount, before_m, inside_m), (DailyCount, before_d, inside_d)):
        if before is None and inside is None:
            continue
        where = before if inside is None else inside if before is None else before | inside
        qs = _scoped(model.objects.filter(where), unit, agency_ids)
        annotations = {}
        if before is not None:
            annotations.update(
                received_before=Sum("received", filter=before), ended_before=Sum("ended", filter=before)
            )
        if inside is not None:
            annotations.update(
                new=Sum("received", filter=inside), **{name: Sum(name, filter=inside) for name in names}
            )
        grouped = [
            {"received_before": 0, "ended_before": 0, "new": 0, **dict.fromkeys(names, 0), **row}
            for row in _grouped(qs, column, annotations)
        ]
        rows += _net_flows(grouped, column)
    return rows


def _flows_after(column, through, date_from, date_to, unit, agency_ids) -> list[dict]:
    """The flows of the days after the rollup (`through` + 1 … `date_to`), read from the facts."""
    first = through + datetime.timedelta(days=1)
    start = max(first, date_from)
    qs = _scoped(
        DossierFact.objects.filter(received_on__lte=date_to).filter(
            Q(received_on__gte=first) | Q(ended_on__gte=first) | Q(supplement_on__gte=first)
        ),
        unit,
        agency_ids,
    )
    new = Q(received_on__gte=start, received_on__lte=date_to)
    ended = Q(ended_on__gte=start, ended_on__lte=date_to)
    resolved = ended & Q(ending=Ending.RESOLVED)
    annotations = dict(
        received_before=Count("pk", filter=Q(received_on__gte=first, received_on__lt=date_from)),
        ended_before=Count("pk", filter=Q(ended_on__gte=first, ended_on__lt=date_from)),
        new=Count("pk", filter=new),
        online=Count("pk", filter=new & Q(channel="online")),
        early=Count("pk", filter=resolved & Q(outcome=Outcome.EARLY)),
        on_time=Count("pk", filter=resolved & Q(outcome=Outcome.ON_TIME)),
        late=Count("pk", filter=resolved & Q(outcome=Outcome.LATE)),
        refused=Count("pk", filter=ended & Q(ending=Ending.REFUSED)),
        withdrawn=Count("pk", filter=ended & Q(ending=Ending.WITHDRAWN)),
        supplement_requested=Count("pk", filter=Q(supplement_on__gte=start, supplement_on__lte=date_to)),
    )
    return _net_flows(_grouped(qs, column, annotations), column)


def _stocks(column, date_to, unit, agency_ids, extra_filter) -> list[dict]:
    """In progress (within deadline, overdue) and paused at the end of `date_to`, from the open spells."""
    spell_qs = _scoped(
        DossierSpell.objects.filter(start_on__lte=date_to).filter(
            Q(end_on__isnull=True) | Q(end_on__gt=date_to)
        ),
        unit,
        agency_ids,
    )
    if extra_filter is not None:
        spell_qs = spell_qs.filter(fact__in=DossierFact.objects.filter(extra_filter).values("pk"))
    running, paused = Q(paused=False), Q(paused=True)
    # A paused dossier's clock stopped when the pause began: overdue only if it was late by then.
    paused_late = paused & Q(due_on__lt=F("start_on"))
    late = (running & Q(due_on__lt=date_to)) | paused_late
    return _grouped(
        spell_qs,
        column,
        {
            "within_deadline": Count("pk", filter=~late),
            "overdue": Count("pk", filter=late),
            "paused": Count("pk", filter=paused),
        },
    )


def _labels(group_by: str, keys) -> dict:
    keys = [k for k in keys if k is not None]
    if group_by == "agency":
        return {a.pk: (a.identity_code or a.short_name, a.name) for a in Agency.objects.filter(pk__in=keys)}
    if group_by == "field":
        return {f.pk: (f.code, f.name) for f in Field.objects.filter(pk__in=keys)}
    if group_by == "procedure":
        return {p.pk: (p.code, p.name) for p in Procedure.objects.filter(pk__in=keys)}
    if group_by == "unit":
        return {u.pk: (u.code, u.name) for u in AdminUnit.objects.filter(pk__in=keys)}
    return {lv.pk: (lv.code, lv.name) for lv in AdminLevel.objects.filter(pk__in=keys)}


def successors_on(model, day: datetime.date) -> dict[int, int]:
    """{pk: pk of the successor that carries it on `day`} for every agency or unit (`model`) merged on or before
    `day`, following chains of mergers (a cycle stops where it closes); the others are left out."""
    links = {
        pk: (successor, valid_to)
        for pk, successor, valid_to in model.objects.filter(successor__isnull=False).values_list(
            "pk", "successor_id", "valid_to"
        )
    }
    result = {}
    for pk in links:
        node, seen = pk, set()
        while node in links and links[node][1] is not None and links[node][1] < day and node not in seen:
            seen.add(node)
            node = links[node][0]
        if node != pk:
            result[pk] = node
    return result


def rolled_into_successors(grouped: dict, group_by: str, day: datetime.date) -> dict:
    """`grouped` ({agency or unit pk: Counts}) with the rows of the merged ones added to their successors'."""
    model = {"agency": Agency, "unit": AdminUnit}.get(group_by)
    if model is None:
        return grouped
    successor = successors_on(model, day)
    result: dict = {}
    for key, counts in grouped.items():
        result.setdefault(successor.get(key, key), Counts()).add(counts)
    return result


def resolution_report(
    date_from,
    date_to,
    *,
    group_by: str = "agency",
    unit: str | AdminUnit | None = None,
    agency_ids=None,
    reorganised: str = "as_they_were",
) -> ResolutionReport:
    """Biểu 06 for the period; `agency_ids` limits it to the caller's scope (None = everything); `reorganised`
    shows merged agencies and units as they were or rolled into their successors (see the module)."""
    date_from, date_to = parse_period(date_from, date_to)
    if group_by not in GROUPS:
        raise ValidationError(
            {"group_by": _("Cách nhóm phải là một trong: %(v)s.") % {"v": ", ".join(GROUPS)}}
        )
    if reorganised not in REORGANISED:
        raise ValidationError(
            {
                "reorganised": _("Cách thể hiện cơ quan đã sắp xếp phải là một trong: %(v)s.")
                % {"v": ", ".join(REORGANISED)}
            }
        )
    if not isinstance(unit, AdminUnit):
        unit = find_unit(unit)
    facts.sync()
    column = GROUPS[group_by][0]
    grouped = counts_by(column, date_from, date_to, unit=unit, agency_ids=agency_ids)
    if reorganised == "successors":
        grouped = rolled_into_successors(grouped, group_by, date_to)
    labels = _labels(group_by, grouped)
    rows, total = [], Counts()
    for key, counts in grouped.items():
        code, label = labels.get(key, ("", _("(Không xác định)")))
        rows.append(Row(key=code, label=label, counts=counts))
        total.add(counts)
    rows.sort(key=lambda r: (r.label, r.key))
    return ResolutionReport(date_from, date_to, group_by, unit, rows, total, reorganised)
