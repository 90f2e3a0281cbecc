"""The demo center's history, January–September 2022, so that the reports reproduce the article.

Called by `motcua load_demo` (after the org and catalog demos). Every dossier is received and resolved through
the bulk replay of the real transitions (`replay.BulkHistory`), with the demo administrator's import right for
past instants: the figures below are never written as totals, they come out of the histories.

What the article says (SEED-ARTICLE.md, REFERENCE §9 denominator note) and how the history is shaped:

- 21,037 dossiers "received and resolved" in the first nine months: the dossiers handled in 01/01–30/09/2022,
  i.e. the report's received total = 180 carried over from late December 2021 + 20,857 new;
- 20,275 resolved early or on time (96.4% of 21,037), 0 late. The other 762 were not resolved in the period:
  735 still in progress at the end of 30/09 (all within their deadline), 15 waiting for a supplement, 7
  withdrawn and 5 refused. The open ones are resolved in October 2022, also without delay;
- 1,225 online dossiers: Tư pháp 24, Giáo dục và Đào tạo 146, Tài chính – Kế hoạch 1,053, Kinh tế và Hạ tầng 2;
- "5 tại chỗ": dossiers for 21 of the 53 approved procedures (39.6%), handled by the Center's short process.

Volumes follow the working days of each month; the agency mix (land largest, then Tư pháp, then Tài chính –
Kế hoạch) and every name, ID number and phone number are invented (ID numbers carry an 8 after the birth year
and phone numbers start 0900, so they are visibly fake).
"""

import datetime
import random
import time
from collections import defaultdict
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from motcua.catalog.models import Procedure, ProcessStep
from motcua.documents.history import record_history_digitisation
from motcua.dossiers.models import Applicant, Dossier
from motcua.org.models import Agency

from . import facts, rollup
from .bulk import insert_rows, reserve_ids
from .replay import BulkHistory

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
PERIOD = (datetime.date(2022, 1, 1), datetime.date(2022, 9, 30))
SEED = 20221122

NEW_DOSSIERS = 20_857
CARRIED_OVER = 180
IN_PROGRESS_AT_END = 735
PAUSED_AT_END = 15
WITHDRAWN = 7
REFUSED = 5
SUPPLEMENTED_AND_RESOLVED = 310
ONLINE = {"TP": 24, "GDDT": 146, "TCKH": 1053, "KTHT": 2}
POSTAL_SHARE = 0.006
ON_TIME_SHARE = 0.22  # of resolved dossiers, finished on their due date; the rest early

# Share of the counter volume per resolving agency (demo shaping, GIA-BINH.md §7).
AGENCY_WEIGHTS = {
    "VPDKDD": 30,
    "TNMT": 12,
    "TP": 25,
    "TCKH": 12,
    "LDTBXH": 8,
    "KTHT": 4,
    "GDDT": 3,
    "VHTT": 1.5,
    "NV": 1,
    "NNPTNT": 1.5,
    "YT": 1,
    "CCT": 1,
}
# How many of each agency's "5 tại chỗ" procedures had dossiers (21 in all).
ON_THE_SPOT_USED = {
    "TP": 6,
    "TCKH": 4,
    "KTHT": 2,
    "LDTBXH": 3,
    "GDDT": 1,
    "TNMT": 2,
    "VHTT": 1,
    "NV": 1,
    "NNPTNT": 1,
}

FAMILY = [
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9.5),
    ("Phạm", 7),
    ("Hoàng", 5),
    ("Phan", 4.5),
    ("Vũ", 4),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 1.5),
    ("Ngô", 1.5),
    ("Dương", 1.2),
    ("Đinh", 1.2),
    ("Trịnh", 1),
    ("Đào", 1),
    ("Lương", 1),
    ("Cao", 1),
    ("Phùng", 1),
    ("Hà", 1),
    ("Mai", 1),
]
MIDDLE_MALE = ["Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Thế", "Xuân", "Thanh"]
MIDDLE_FEMALE = ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Phương", "Minh", "Hồng", "Xuân"]
GIVEN_MALE = [
    "Hùng",
    "Dũng",
    "Nam",
    "Tuấn",
    "Hải",
    "Long",
    "Cường",
    "Thắng",
    "Sơn",
    "Toàn",
    "Hiếu",
    "Phong",
    "Quân",
    "Tùng",
    "Đạt",
    "Khoa",
    "Bình",
    "Huy",
    "Trung",
    "Kiên",
]
GIVEN_FEMALE = [
    "Hoa",
    "Lan",
    "Mai",
    "Hương",
    "Hạnh",
    "Trang",
    "Linh",
    "Ngọc",
    "Thảo",
    "Yến",
    "Dung",
    "Hằng",
    "Nhung",
    "Vân",
    "Loan",
    "Huyền",
    "Phương",
    "Anh",
    "Thủy",
    "Nga",
]
APPLICANTS = 16_000


def local(day: datetime.date, minutes: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=HCM) + datetime.timedelta(minutes=minutes)


def _work_minute(rng) -> int:
    """A minute of the working day (07:15–11:15 or 13:45–16:45)."""
    if rng.random() < 0.6:
        return rng.randint(7 * 60 + 15, 11 * 60 + 15)
    return rng.randint(13 * 60 + 45, 16 * 60 + 45)


class Generator:
    def __init__(self):
        self.rng = random.Random(SEED)
        User = get_user_model()
        self.importer = User.objects.get(username="admin")
        users = {
            u.username: u
            for u in User.objects.filter(
                username__in=["tiepnhan", "chuyenvien.tp", "lanhdao.tp", "vanthu", "admin"]
            )
        }
        self.users = users
        self.bulk = BulkHistory(self.importer)
        self.cal = self.bulk.calendar
        self._working = {}
        self.center = Agency.objects.get(short_name="TTHCC")
        self.agencies = {a.short_name: a for a in Agency.objects.filter(short_name__in=list(AGENCY_WEIGHTS))}
        procedures = list(
            Procedure.objects.published()
            .filter(resolving_agency__in=self.agencies.values())
            .select_related("resolving_agency__unit", "field")
            .prefetch_related("process_templates")
            .order_by("code")
        )
        self.by_agency = defaultdict(list)
        self.spot_used = set()
        for short_name, agency in self.agencies.items():
            mine = [p for p in procedures if p.resolving_agency_id == agency.pk]
            spot = [p for p in mine if p.on_the_spot][: ON_THE_SPOT_USED.get(short_name, 0)]
            self.spot_used.update(p.pk for p in spot)
            usable = [p for p in mine if not p.on_the_spot or p.pk in self.spot_used]
            self.rng.shuffle(usable)
            weights = [1 / (rank + 1) ** 0.9 for rank in range(len(usable))]
            self.by_agency[short_name] = (usable, weights)
        self.processes = {}
        for p in procedures:
            for template in p.process_templates.all():
                if template.is_active and template.agency_id is None:
                    self.processes[(p.pk, template.variant == "on_the_spot")] = template
        self.actors = {
            "reception_officer": users.get("tiepnhan") or self.importer,
            "clerk": users.get("vanthu") or self.importer,
        }

    # --- planning helpers ------------------------------------------------------------------------------

    def working_days(self, first, last):
        day, days = first, []
        while day <= last:
            if day not in self._working:
                self._working[day] = self.cal.is_working_day(day)
            if self._working[day]:
                days.append(day)
            day += datetime.timedelta(days=1)
        return days

    def pick_procedure(self, short_name):
        usable, weights = self.by_agency[short_name]
        return self.rng.choices(usable, weights)[0]

    def actor(self, d):
        step = d.current_step
        role = step.role if step is not None else "reception_officer"
        if d.resolving_agency.short_name == "TP" and role in ("specialist", "leader"):
            return self.users.get("chuyenvien.tp" if role == "specialist" else "lanhdao.tp") or self.importer
        return self.actors.get(role, self.importer)

    def finish_between(self, start, due, last_day, on_time: bool):
        """An instant to finish: on the due date (on time) or on an earlier working day (early), not after
        `last_day`, not before `start`."""
        start_day = start.astimezone(HCM).date()
        if due is None:
            days = self.working_days(start_day, min(last_day, start_day + datetime.timedelta(days=7)))
            day = self.rng.choice(days[:3]) if days else start_day
            return self._instant_on(day, start, None)
        due_day = due.astimezone(HCM).date()
        if on_time and due_day <= last_day:
            return self._instant_on(due_day, start, due)
        candidates = self.working_days(start_day, min(due_day - datetime.timedelta(days=1), last_day))
        if not candidates:
            return self._instant_on(min(due_day, last_day), start, due)
        # Most dossiers finish well before their due date.
        day = candidates[min(int(self.rng.random() ** 1.6 * len(candidates)), len(candidates) - 1)]
        return self._instant_on(day, start, due)

    def _instant_on(self, day, start, due):
        instant = local(day, _work_minute(self.rng))
        if due is not None and day == due.astimezone(HCM).date() and instant > due:
            instant = due
        if instant <= start:
            instant = start + datetime.timedelta(minutes=self.rng.randint(5, 40))
        return instant

    def step_times(self, d, start, finish):
        """Instants for each remaining step up to the result, spread over the working time by their shares."""
        steps = []
        step = d.current_step
        while step is not None and step.kind != ProcessStep.Kind.RETURN:
            steps.append(step)
            later = [s for s in d._steps_cache if (s.position, s.id) > (step.position, step.id)]
            step = later[0] if later else None
        if not steps:
            return []
        shares = [max(s.share, Decimal("0.01")) for s in steps]
        total = sum(shares)
        span = self.cal.working_time_between(start, finish)
        times, cumulative = [], Decimal(0)
        for share in shares[:-1]:
            cumulative += share
            if span.total_seconds() > 0:
                hours = Decimal(span.total_seconds() / 3600) * cumulative / total
                t = self.cal.add(start, hours.quantize(Decimal("0.01")), "working_hours")
            else:
                t = start + (finish - start) * float(cumulative / total)
            times.append(min(max(t, start), finish))
        times.append(finish)
        return times

    # --- the history -----------------------------------------------------------------------------------

    def applicants(self):
        rng = self.rng
        communes = [
            "Thị trấn Gia Bình",
            "Xã Vạn Ninh",
            "Xã Thái Bảo",
            "Xã Giang Sơn",
            "Xã Cao Đức",
            "Xã Đại Lai",
            "Xã Song Giang",
            "Xã Bình Dương",
            "Xã Lãng Ngâm",
            "Xã Nhân Thắng",
            "Xã Xuân Lai",
            "Xã Đông Cứu",
            "Xã Đại Bái",
            "Xã Quỳnh Phú",
        ]
        families = [f for f, _w in FAMILY]
        family_weights = [w for _f, w in FAMILY]
        rows = []
        for n in range(APPLICANTS):
            female = rng.random() < 0.5
            year = rng.randint(1950, 2003)
            sex_digit = (1 if female else 0) if year < 2000 else (3 if female else 2)
            middle = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
            given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
            family = rng.choices(families, family_weights)[0]
            commune = rng.choice(communes)
            place = commune.split(" ", 2)[-1] if commune.startswith("Xã") else "Gia Bình"
            prefix = "Khu phố" if commune.startswith("Thị trấn") else "Thôn"
            unit = commune[0].lower() + commune[1:]
            rows.append(
                {
                    "applicant_type": "citizen",
                    "name": f"{family} {middle} {given}",
                    "id_type": "cccd",
                    "id_number": f"027{sex_digit}{year % 100:02d}8{n:05d}",
                    "date_of_birth": datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
                    "address": f"{prefix} {place} (mẫu), {unit}, huyện Gia Bình, tỉnh Bắc Ninh",
                    "phone": f"0900{n:06d}",
                }
            )
        ids = reserve_ids(Applicant, len(rows))
        for row, pk in zip(rows, ids, strict=True):
            row["id"] = pk
        insert_rows(Applicant, rows, batch_size=2000)
        return ids

    def run(self) -> int:
        """Write the whole history: the period's dossiers and those carried over from December 2021, replayed
        in order of reception, then the digitisation rows and statistics facts. Returns the dossiers written.

        The steps draw from one seeded random generator; their order is what makes the figures reproducible.
        """
        people = self.applicants()
        days = self.working_days(*PERIOD)
        plans = self.plan_intake(days)
        self.cover_spot_procedures(plans)
        self.choose_channels(plans)
        plans.sort(key=lambda p: p["received_at"])
        end = PERIOD[1]
        next_day = self.first_working_day_after(end)
        self.choose_fates(plans, next_day)
        first_2022 = self.working_days(datetime.date(2022, 1, 1), datetime.date(2022, 1, 10))[0]
        carried = self.carried_over(first_2022)
        for p in carried + plans:
            self.replay(p, self.rng.choice(people), first_2022, end, next_day)
        count = self.bulk.save()
        record_history_digitisation(self.bulk.dossiers)  # digitisation rows, at the article's rates
        # Written in bulk (no signal): copy them into the statistics facts the digitisation rates read.
        facts.refresh_digitisation([d.pk for d in self.bulk.dossiers if d.received_at])
        return count

    def daily_counts(self, days) -> list[int]:
        """How many new dossiers each working day receives: NEW_DOSSIERS in all, in proportion to working days
        with some day-to-day variation (largest remainders get the leftover units)."""
        rng = self.rng
        raw = [rng.uniform(0.8, 1.2) for _ in days]
        scale = NEW_DOSSIERS / sum(raw)
        counts = [int(r * scale) for r in raw]
        for i in sorted(range(len(days)), key=lambda i: raw[i] * scale - counts[i], reverse=True)[
            : NEW_DOSSIERS - sum(counts)
        ]:
            counts[i] += 1
        return counts

    def pick_agency(self) -> str:
        """An agency's short name, drawn by its share of the dossiers (AGENCY_WEIGHTS)."""
        return self.rng.choices(list(AGENCY_WEIGHTS), list(AGENCY_WEIGHTS.values()))[0]

    def plan_intake(self, days) -> list[dict]:
        """One plan (agency, procedure, day) per new dossier of the period."""
        plans = []
        for day, count in zip(days, self.daily_counts(days), strict=True):
            for _ in range(count):
                short_name = self.pick_agency()
                plans.append({"agency": short_name, "procedure": self.pick_procedure(short_name), "day": day})
        return plans

    def cover_spot_procedures(self, plans) -> None:
        """Every "5 tại chỗ" procedure in use has dossiers: one not-on-the-spot plan of its agency takes it."""
        present = {p["procedure"].pk for p in plans}
        for pk in self.spot_used - present:
            procedure = Procedure.objects.select_related("resolving_agency").get(pk=pk)
            short_name = procedure.resolving_agency.short_name
            victim = next(p for p in plans if p["agency"] == short_name and not p["procedure"].on_the_spot)
            victim["procedure"] = next(u for u in self.by_agency[short_name][0] if u.pk == pk)

    def choose_channels(self, plans) -> None:
        """Each plan's channel (ONLINE's counts by agency among procedures offered online, a POSTAL_SHARE of the
        rest by post, else at the counter), its reception time and its legal due date."""
        rng = self.rng
        for p in plans:
            p["on_the_spot"] = p["procedure"].on_the_spot
            p["channel"] = "counter"
        for short_name, wanted in ONLINE.items():
            candidates = [
                p
                for p in plans
                if p["agency"] == short_name
                and not p["on_the_spot"]
                and p["procedure"].online_level != "none"
            ]
            if len(candidates) < wanted:
                raise RuntimeError(f"not enough online-capable dossiers for {short_name}")
            for p in rng.sample(candidates, wanted):
                p["channel"] = "online"
        for p in plans:
            if p["channel"] == "counter" and rng.random() < POSTAL_SHARE:
                p["channel"] = "postal"
            p["received_at"] = local(p["day"], _work_minute(rng))
            p["due"] = self.bulk.legal_due(p["procedure"], p["channel"], p["received_at"])

    def first_working_day_after(self, day: datetime.date) -> datetime.date:
        after = day + datetime.timedelta(days=1)
        return after if self.cal.is_working_day(after) else self.cal.next_working_day(after)

    def choose_fates(self, plans, next_day) -> None:
        """The fate of each plan (plans in order of reception): most are resolved; the latest ones due after the
        period are still in progress at its end, some of late September are paused, and some of before
        September were withdrawn, refused, or supplemented then resolved."""
        rng = self.rng
        for p in plans:
            p["fate"] = "resolved"
        open_pool = [
            p
            for p in reversed(plans)
            if p["due"] is not None and p["due"].astimezone(HCM).date() >= next_day and not p["on_the_spot"]
        ]
        for p in open_pool[:IN_PROGRESS_AT_END]:
            p["fate"] = "in_progress"
        late_sept = [
            p
            for p in plans
            if p["fate"] == "resolved"
            and datetime.date(2022, 9, 19) <= p["day"] <= datetime.date(2022, 9, 28)
            and p["due"] is not None
            and p["procedure"].time_limit_unit == "working_days"
            and not p["on_the_spot"]
        ]
        for p in rng.sample(late_sept, PAUSED_AT_END):
            p["fate"] = "paused"
        middle = [p for p in plans if p["fate"] == "resolved" and p["day"] < datetime.date(2022, 9, 1)]
        chosen = rng.sample(middle, WITHDRAWN + REFUSED + SUPPLEMENTED_AND_RESOLVED)
        for p in chosen[:WITHDRAWN]:
            p["fate"] = "withdrawn"
        for p in chosen[WITHDRAWN : WITHDRAWN + REFUSED]:
            p["fate"] = "refused"
        for p in chosen[WITHDRAWN + REFUSED :]:
            if p["due"] is not None and p["procedure"].time_limit_unit == "working_days":
                p["fate"] = "supplemented"

    def carried_over(self, first_2022) -> list[dict]:
        """CARRIED_OVER dossiers received in late December 2021 and still due in 2022, in order of reception."""
        rng = self.rng
        december = self.working_days(datetime.date(2021, 12, 20), datetime.date(2021, 12, 31))
        carried = []
        while len(carried) < CARRIED_OVER:
            short_name = self.pick_agency()
            procedure = self.pick_procedure(short_name)
            if procedure.on_the_spot:
                continue
            received = local(rng.choice(december), _work_minute(rng))
            due = self.bulk.legal_due(procedure, "counter", received)
            if due is None or due.astimezone(HCM).date() < first_2022:
                continue
            carried.append(
                {
                    "agency": short_name,
                    "procedure": procedure,
                    "channel": "counter",
                    "on_the_spot": False,
                    "received_at": received,
                    "due": due,
                    "fate": "carried",
                }
            )
        carried.sort(key=lambda p: p["received_at"])
        return carried

    def replay(self, p, applicant, first_2022, end, next_day):
        rng, bulk, cal = self.rng, self.bulk, self.cal
        procedure, channel = p["procedure"], p["channel"]
        d = bulk.new(
            procedure=procedure,
            process=self.processes.get((procedure.pk, p["on_the_spot"])),
            applicant=applicant,
            agency=self.center,
            channel=channel,
            on_the_spot=p["on_the_spot"],
            return_method="online" if channel == "online" and rng.random() < 0.5 else "counter",
        )
        received = p["received_at"]
        if channel == "online":
            bulk.submit_online(d, received - datetime.timedelta(minutes=rng.randint(10, 900)))
        bulk.receive(d, received, self.actors["reception_officer"])
        fate, due = p["fate"], d.due_at
        on_time = rng.random() < ON_TIME_SHARE
        if fate in ("resolved", "carried", "in_progress"):
            if fate == "carried":
                start_day, last_day = first_2022, due.astimezone(HCM).date()
                finish = self.finish_between(local(start_day, 7 * 60), due, last_day, on_time)
                finish = max(finish, received + datetime.timedelta(hours=1))
            elif fate == "in_progress":
                finish = self.finish_between(
                    local(next_day, 7 * 60), due, due.astimezone(HCM).date(), on_time
                )
            else:
                finish = self.finish_between(received, due, end, on_time)
            self.resolve_and_return(d, received, finish)
        elif fate in ("supplemented", "paused"):
            ask = min(cal.add(received, Decimal(rng.randint(1, 6)), "working_hours"), due)
            if fate == "paused":
                back = local(
                    self.working_days(next_day, next_day + datetime.timedelta(days=6))[rng.randint(0, 3)],
                    _work_minute(rng),
                )
                last_day = None
            else:
                back = cal.add(ask, Decimal(8 * rng.randint(1, 4)), "working_hours")
                last_day = end
            bulk.request_supplement(
                d, ask, self.actors["reception_officer"], ["Bản sao giấy tờ còn thiếu (mẫu)"]
            )
            bulk.supplement(d, back, self.actors["reception_officer"])
            new_due = d.due_at
            limit = (
                new_due.astimezone(HCM).date()
                if last_day is None
                else min(last_day, new_due.astimezone(HCM).date())
            )
            finish = self.finish_between(back, new_due, limit, on_time)
            if finish.astimezone(HCM).date() > end and last_day is not None:
                finish = back + datetime.timedelta(minutes=30)
            self.resolve_and_return(d, back, finish)
        elif fate == "withdrawn":
            bulk.withdraw(
                d,
                cal.add(received, Decimal(rng.randint(2, 12)), "working_hours"),
                self.actors["reception_officer"],
                "Công dân xin rút hồ sơ (mẫu)",
            )
        elif fate == "refused":
            first = cal.add(received, Decimal(1), "working_hours")
            bulk.advance(d, first, self.actor(d))
            bulk.refuse(
                d,
                cal.add(first, Decimal(rng.randint(2, 10)), "working_hours"),
                self.actor(d),
                "Hồ sơ không đủ điều kiện theo quy định (mẫu)",
            )
        return d

    def resolve_and_return(self, d, start, finish):
        for at in self.step_times(d, start, finish):
            if d.state not in ("received", "in_step"):
                break
            self.bulk.advance(d, at, self.actor(d))
        returned = self.cal.add(finish, Decimal(self.rng.randint(1, 12)), "working_hours")
        self.bulk.return_result(d, returned, self.actors["reception_officer"])


def already_loaded() -> bool:
    center = Agency.objects.filter(short_name="TTHCC").first()
    return (
        center is None
        or Dossier.objects.filter(
            agency=center,
            received_at__gte=datetime.datetime(2022, 1, 1, tzinfo=HCM),
            received_at__lt=datetime.datetime(2022, 10, 1, tzinfo=HCM),
        ).exists()
    )


@transaction.atomic
def load():
    """Generate the 2022 history once (skipped when the Center already has dossiers received in 2022).

    MOTCUA_DEMO_HISTORY=0 leaves it out (the test suite does, except the test that checks the article's figures).
    """
    if not settings.MOTCUA_DEMO_HISTORY or already_loaded() or not Procedure.objects.exists():
        return None
    started = time.perf_counter()
    count = Generator().run()
    # The finished days go into the daily rollup, as the scheduler's `motcua rollup_reports` does every night.
    rollup.roll_up()
    print(f"    {count} hồ sơ 2022 của Trung tâm ({time.perf_counter() - started:.1f} s)")  # noqa: T201
    return None
