"""Splitting one agency into several successors (the `splits` of a reorganisation plan).

    {"from": "<agency identity code>",
     "into": [{"code": "<identity code>", "name": "<only for a new agency>", "level": "commune",
               "kind": "<Agency.Kind, optional>", "unit": "<admin unit code of the successor, optional>"}, ...],
     "default": "<one of the successor codes, optional>",
     "assign": {"dossiers": {"<dossier code>": "<successor code>"},
                "places": {"<admin unit code>": "<successor code>"},
                "procedures": {"<procedure code>": "<successor code>" | ["<successor code>", ...]},
                "staff": {"<username>": "<successor code>"},
                "counters": {"<counter number>": "<successor code>"},
                "center": "<successor code>",
                "receipt_books": {"<series>": "<successor code>"}}}

Each object of the split agency finds its successor by the first rule that places it (see docs/REGIME.md,
"Tách cơ quan"); the `default` successor places whatever no rule placed. Whatever nothing places is a refusal:
the plan fails as a whole and nothing changes (a dry run lists the refusals). The movers of the parts above org
register with `register_split_mover` from their AppConfig.ready(), as for merges.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AdminUnit, Agency, Center, Counter, StaffAssignment
from .reorganisation import _successor_agency, continue_assignment

RULE_KINDS = ("dossiers", "places", "procedures", "staff", "counters", "center", "receipt_books")


@dataclass
class SplitOutcome:
    source: str
    source_name: str
    successors: list[tuple[str, str, bool]] = field(default_factory=list)  # code, name, created
    default: str = ""
    counts: dict = field(default_factory=lambda: defaultdict(int))  # (kind, successor code) -> n
    dossiers: list[tuple[str, str, str]] = field(default_factory=list)  # dossier code, successor code, basis
    refusals: list[str] = field(default_factory=list)

    def add(self, kind: str, into: Agency, n: int = 1) -> None:
        self.counts[(kind, into.identity_code)] += n

    def lines(self) -> list[str]:
        out = [
            _("Tách %(name)s (%(code)s) thành: %(into)s")
            % {
                "name": self.source_name,
                "code": self.source,
                "into": "; ".join(
                    f"{name} ({code}{_(', tạo mới') if created else ''})"
                    for code, name, created in self.successors
                ),
            }
        ]
        if self.default:
            out.append(_("  cơ quan kế thừa mặc định: %(code)s") % {"code": self.default})
        for code, name, _created in self.successors:
            c = {kind: self.counts.get((kind, code), 0) for kind in KINDS}
            out.append(
                _(
                    "  → %(name)s (%(code)s): hồ sơ đang giải quyết: %(d)d; phân công cán bộ: %(a)d; quầy: %(c)d; "
                    "trung tâm: %(t)d; thủ tục thực hiện: %(i)d (cơ quan mặc định: %(p)d; quy trình: %(q)d); "
                    "quyển biên lai: %(r)d"
                )
                % {
                    "name": name,
                    "code": code,
                    "d": c["dossiers"],
                    "a": c["assignments"],
                    "c": c["counters"],
                    "t": c["centers"],
                    "i": c["implementations"],
                    "p": c["default_procedures"],
                    "q": c["process_templates"],
                    "r": c["receipt_books"],
                }
            )
        for dossier, into, basis in self.dossiers:
            out.append(
                _("  hồ sơ %(code)s → %(into)s (%(basis)s)") % {"code": dossier, "into": into, "basis": basis}
            )
        for refusal in self.refusals:
            out.append(_("  KHÔNG XẾP ĐƯỢC: %(what)s") % {"what": refusal})
        return out


KINDS = (
    "dossiers",
    "assignments",
    "counters",
    "centers",
    "implementations",
    "default_procedures",
    "process_templates",
    "receipt_books",
)


@dataclass
class AgencySplit:
    """One agency (`old`) split into `successors`: the movers place each object with `place_*` and count it."""

    old: Agency
    successors: dict[str, Agency]
    default: Agency | None
    rules: dict
    effective: datetime.date
    basis: str
    at: datetime.datetime
    actor: object
    outcome: SplitOutcome
    places: list[tuple[str, Agency]] = field(default_factory=list)  # (unit name, successor)

    def by_rule(self, kind: str, key: str) -> Agency | None:
        value = (self.rules.get(kind) or {}).get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        return self.successors.get(value) if value else None

    def procedure_successors(self, procedure_code: str) -> list[Agency]:
        """Who implements a procedure after the split: those the plan names for it, otherwise every successor."""
        value = (self.rules.get("procedures") or {}).get(procedure_code)
        if value is None:
            return list(self.successors.values())
        codes = value if isinstance(value, list) else [value]
        return [self.successors[c] for c in codes]

    def place(self, kind: str, key: str, describe: str) -> Agency | None:
        """By the plan's rule for `kind` and `key`, else the default successor; else a refusal (None)."""
        into = self.by_rule(kind, key) or self.default
        if into is None:
            self.refuse(describe)
        return into

    def by_address(self, address: str) -> tuple[Agency, str] | None:
        """The successor whose administrative unit the address names (one only), and that unit's name."""
        text = " ".join((address or "").split()).casefold()
        if not text:
            return None
        found = {}
        for name, into in self.places:
            if name and name.casefold() in text:
                found.setdefault(into.identity_code, (into, name))
        if len(found) != 1:
            return None
        return next(iter(found.values()))

    def refuse(self, what: str) -> None:
        self.outcome.refusals.append(what)


_split_movers: list[tuple[int, Callable[[AgencySplit], None]]] = []


def register_split_mover(move: Callable[[AgencySplit], None], *, order: int) -> None:
    """Run `move` for every agency split by a reorganisation, inside its transaction, in `order`."""
    if (order, move) not in _split_movers:
        _split_movers.append((order, move))


def _text(value) -> str:
    return " ".join(str(value or "").split())


def _source_agency(entry, effective: datetime.date, seen: set[str]) -> tuple[str, Agency]:
    """The code and the (locked) agency an entry splits, named once in the plan and valid until the split."""
    if not isinstance(entry, dict) or not isinstance(entry.get("from"), str) or not entry["from"].strip():
        raise ValidationError(_("Mỗi mục “splits” cần “from” là mã định danh cơ quan."))
    code = entry["from"].strip().upper()
    if code in seen:
        raise ValidationError(
            _("Cơ quan %(codes)s có trong nhiều mục sáp nhập hoặc chia tách.") % {"codes": code}
        )
    seen.add(code)
    old = Agency.objects.select_for_update().select_related("unit").filter(identity_code=code).first()
    if old is None:
        raise ValidationError(_("Không có cơ quan mã định danh %(codes)s.") % {"codes": code})
    last_day = effective - datetime.timedelta(days=1)
    if (old.valid_to is not None and old.valid_to < last_day) or (
        old.valid_from is not None and old.valid_from > last_day
    ):
        raise ValidationError(
            _("Cơ quan %(name)s không còn hiệu lực vào ngày trước ngày chia tách.") % {"name": old.name}
        )
    return code, old


def _successors(entry, code: str, old: Agency, effective, outcome: SplitOutcome) -> dict[str, Agency]:
    """The successors listed in "into" (at least two, each once, not the agency itself), found or created."""
    items = entry.get("into")
    if not isinstance(items, list) or len(items) < 2:
        raise ValidationError(
            _("“into” của việc chia tách %(code)s phải liệt kê ít nhất hai cơ quan kế thừa.") % {"code": code}
        )
    successors: dict[str, Agency] = {}
    for item in items:
        if not isinstance(item, dict) or not _text(item.get("code")):
            raise ValidationError(_("Mỗi cơ quan kế thừa trong “into” cần “code” là mã định danh."))
        into_code = _text(item["code"]).upper()
        if into_code == code:
            raise ValidationError(_("Không thể tách cơ quan %(name)s thành chính nó.") % {"name": old.name})
        if into_code in successors:
            raise ValidationError(_("Cơ quan kế thừa %(code)s được liệt kê hai lần.") % {"code": into_code})
        into, created = _successor_agency({**item, "into": into_code}, effective, [old])
        successors[into.identity_code] = into
        outcome.successors.append((into.identity_code, into.name, created))
    return successors


def _split_rules(entry, code: str, successors: dict[str, Agency]) -> dict:
    """A copy of the entry's "assign" rules, each of a supported kind and naming only successors."""
    rules = entry.get("assign") or {}
    if not isinstance(rules, dict):
        raise ValidationError(
            _("“assign” của việc chia tách %(code)s phải là một đối tượng.") % {"code": code}
        )
    rules = dict(rules)  # normalised below; the plan itself is recorded as given
    unknown = set(rules) - set(RULE_KINDS)
    if unknown:
        raise ValidationError(
            _("Quy tắc phân chia không được hỗ trợ: %(keys)s.") % {"keys": ", ".join(sorted(unknown))}
        )
    _check_rules(rules, successors)
    return rules


def _default_successor(entry, successors: dict[str, Agency], outcome: SplitOutcome) -> Agency | None:
    """The successor named as "default" (one of "into"), or None when the entry names none."""
    if entry.get("default") in (None, ""):
        return None
    default = successors.get(_text(entry["default"]).upper())
    if default is None:
        raise ValidationError(
            _("Cơ quan kế thừa mặc định %(code)s không có trong “into”.") % {"code": entry["default"]}
        )
    outcome.default = default.identity_code
    return default


def split_agency(entry, effective: datetime.date, basis: str, actor, seen: set[str]) -> SplitOutcome:
    """Check one "splits" entry, close the agency the day before `effective` and run every split mover."""
    code, old = _source_agency(entry, effective, seen)
    outcome = SplitOutcome(source=old.identity_code, source_name=old.name)
    successors = _successors(entry, code, old, effective, outcome)
    rules = _split_rules(entry, code, successors)
    default = _default_successor(entry, successors, outcome)
    split = AgencySplit(
        old=old,
        successors=successors,
        default=default,
        rules=rules,
        effective=effective,
        basis=basis,
        at=max(timezone.now(), timezone.make_aware(datetime.datetime.combine(effective, datetime.time()))),
        actor=actor,
        outcome=outcome,
        places=_places(old, successors, rules),
    )
    old.valid_to = effective - datetime.timedelta(days=1)
    old.successor = default
    old.save(update_fields=["valid_to", "successor"])
    for _order, move in sorted(_split_movers, key=lambda pair: pair[0]):
        move(split)
    return outcome


def _check_rules(rules: dict, successors: dict[str, Agency]) -> None:
    def known(value) -> bool:
        return isinstance(value, str) and value.strip().upper() in successors

    for kind, value in rules.items():
        if kind == "center":
            ok = known(value)
        elif isinstance(value, dict):
            ok = all(
                known(v) or (kind == "procedures" and isinstance(v, list) and v and all(known(x) for x in v))
                for v in value.values()
            )
            if ok:  # normalise the codes once
                rules[kind] = {
                    str(k).strip(): (
                        [x.strip().upper() for x in v] if isinstance(v, list) else v.strip().upper()
                    )
                    for k, v in value.items()
                }
        else:
            ok = False
        if not ok:
            raise ValidationError(
                _("Quy tắc “%(kind)s” phải chỉ tới các cơ quan kế thừa có trong “into”.") % {"kind": kind}
            )
    if "center" in rules:
        rules["center"] = rules["center"].strip().upper()


def _places(old: Agency, successors: dict[str, Agency], rules: dict) -> list[tuple[str, Agency]]:
    """Administrative unit names that place a dossier by the applicant's address: the plan's `places`, and each
    successor's own unit when it differs from the split agency's."""
    by_code = dict((rules.get("places") or {}).items())
    codes = set(by_code)
    units = {u.code: u for u in AdminUnit.objects.filter(code__in=codes)}
    missing = codes - set(units)
    if missing:
        raise ValidationError(
            _("Không có đơn vị hành chính mã %(codes)s.") % {"codes": ", ".join(sorted(missing))}
        )
    places = [(units[c].name, successors[into]) for c, into in by_code.items()]
    for into in successors.values():
        if into.unit_id != old.unit_id and into.unit.code not in by_code:
            places.append((into.unit.name, into))
    return places


def _move_org_rows(split: AgencySplit) -> None:
    old, outcome = split.old, split.outcome
    current = (
        StaffAssignment.objects.filter(agency=old)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=split.effective))
        .select_related("user")
    )
    for assignment in current.order_by("user__username", "role"):
        into = split.place(
            "staff",
            assignment.user.username,
            _("phân công %(user)s (%(role)s)")
            % {"user": assignment.user.username, "role": assignment.get_role_display()},
        )
        if into is not None:
            continue_assignment(assignment, into, split.effective)
            outcome.add("assignments", into)
    for counter in Counter.objects.filter(agencies=old).select_related("center"):
        into = split.place(
            "counters",
            str(counter.number),
            _("quầy số %(number)d (%(center)s)") % {"number": counter.number, "center": counter.center.name},
        )
        if into is not None:
            counter.agencies.remove(old)
            counter.agencies.add(into)
            outcome.add("counters", into)
    for center in Center.objects.filter(
        agencies=old
    ):  # a center that received for it receives for each successor
        center.agencies.remove(old)
        center.agencies.add(*split.successors.values())
        for into in split.successors.values():
            outcome.add("centers", into)
    own = Center.objects.filter(agency=old).first()
    if own is not None:
        into = split.successors.get(split.rules.get("center") or "") or split.default
        if into is None:
            split.refuse(_("trung tâm %(name)s") % {"name": own.name})
        else:
            existing = Center.objects.filter(agency=into).first()
            if existing is None:
                own.agency = into
                own.save(update_fields=["agency"])
            else:
                existing.agencies.add(*own.agencies.all())
            outcome.add("centers", into)


register_split_mover(_move_org_rows, order=20)
