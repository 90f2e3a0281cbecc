"""The demo's 2025–2026 history, small on purpose (a few hundred dossiers, written in bulk like the 2022 one):

- at the district center, January–June 2025 (Decree 61/2018 regime): about two dossiers a week for the Justice
  office's procedures, all resolved on time except the few still open on 30/06/2025, which the reorganisation of
  01/07/2025 then moves to xã Gia Bình;
- at each of the 5 new communes, from 01/07/2025 up to the day before the demo is loaded (Decree 118/2025
  regime): a birth registration (1.001193) about every fifth working day, received, resolved and returned the
  same day, except the last one at xã Đại Lai, still with the specialist (overdue today). Today's dossiers are
  received through the services (`demo_two_tier._receive_today`).

Every applicant is invented ("(demo)" names, ID numbers 0271990009xx); see `motcua.backoffice.demo_two_tier`.
"""

import datetime
import random
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
SEED = 20250701
DISTRICT_FROM = datetime.date(2025, 1, 2)
DISTRICT_TO = datetime.date(2025, 6, 30)
DISTRICT_EVERY = 3  # working days between two district dossiers
COMMUNE_EVERY = 5  # working days between two birth registrations at one commune
OVERDUE_AT = "dailai"
PEOPLE = [
    ("Nguyễn Thị Mai", "Thôn Đông Côi"),
    ("Trần Văn Quang", "Thôn Bình Than"),
    ("Lê Thị Thu", "Thôn Đại Bái"),
    ("Phạm Văn Sơn", "Thôn Ngăm Lương"),
    ("Hoàng Thị Yến", "Thôn Xuân Lai"),
    ("Vũ Văn Tài", "Thôn Hữu Ái"),
    ("Đặng Thị Uyên", "Thôn Thiên Đức"),
    ("Bùi Văn Vinh", "Thôn Phú Dư"),
]


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=HCM) + datetime.timedelta(
        minutes=minute
    )


def _applicants():
    from motcua.dossiers.applicants import find_or_create_applicant

    return [
        find_or_create_applicant(
            applicant_type="citizen",
            name=f"{name} (demo)",
            id_type="cccd",
            id_number=f"027199000{900 + n:03d}",
            phone=f"0912000{900 + n:03d}",
            address=f"{place} (mẫu), tỉnh Bắc Ninh",
        )
        for n, (name, place) in enumerate(PEOPLE)
    ]


def _working_days(cal, first: datetime.date, last: datetime.date) -> list[datetime.date]:
    days, day = [], first
    while day <= last:
        if cal.is_working_day(day):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def _walk(bulk, d, start: datetime.datetime, actors: dict, *, stop_before: str | None = None, spacing=30):
    """Advance `d` step by step from `start`, `spacing` minutes apart, up to the result (or until the step whose
    role is `stop_before`); return the instant of the last event."""
    at = start
    while d.state in ("received", "in_step"):
        step = d.current_step
        role = step.role if step is not None else "reception_officer"
        if stop_before is not None and role == stop_before:
            break
        at = at + datetime.timedelta(minutes=spacing)
        bulk.advance(d, at, actors.get(role) or actors["leader"])
    return at


def district_first_half(admin) -> int:
    """January–June 2025 at the district center (before the reorganisation); returns how many dossiers."""
    from motcua.catalog.models import Procedure
    from motcua.org.models import Agency
    from motcua.reports.replay import BulkHistory

    center = Agency.objects.filter(short_name="TTHCC").first()
    justice = Agency.objects.filter(short_name="TP").first()
    if center is None or justice is None or admin is None:
        return 0
    procedures = list(
        Procedure.objects.filter(resolving_agency=justice, status=Procedure.Status.PUBLISHED)
        .filter(process_templates__agency__isnull=True, process_templates__variant="normal")
        .exclude(time_limit_unit="same_day")
        .exclude(on_the_spot=True)
        .distinct()
        .order_by("code")[:4]
    )
    if not procedures:
        return 0
    users = {u.username: u for u in get_user_model().objects.filter(username__in=DISTRICT_USERNAMES.values())}
    actors = {role: users.get(name) for role, name in DISTRICT_USERNAMES.items()}
    rng = random.Random(SEED)
    bulk = BulkHistory(admin)
    people = _applicants()
    days = _working_days(bulk.calendar, DISTRICT_FROM, min(DISTRICT_TO, timezone.localdate()))
    for n, day in enumerate(days[::DISTRICT_EVERY]):
        procedure = procedures[n % len(procedures)]
        process = procedure.process_templates.filter(agency__isnull=True, variant="normal").first()
        d = bulk.new(procedure=procedure, process=process, applicant=people[n % len(people)], agency=center)
        received = _at(day, 8, rng.randint(0, 150))
        if received > timezone.now():
            break
        bulk.receive(d, received, actors["reception_officer"])
        if d.due_at is not None and d.due_at.astimezone(HCM).date() > DISTRICT_TO:
            _walk(
                bulk, d, received, actors, stop_before="leader"
            )  # still open on 30/06: moves to xã Gia Bình
            continue
        finish = _at(bulk.calendar.next_working_day(day + datetime.timedelta(days=1)), 9, rng.randint(0, 90))
        if d.due_at is not None:
            finish = min(finish, d.due_at)
        if finish > timezone.now():
            continue
        last = _walk(
            bulk, d, received, actors, spacing=max(5, int((finish - received).total_seconds() / 420))
        )
        bulk.return_result(d, last + datetime.timedelta(minutes=30), actors["reception_officer"])
    return bulk.save()


DISTRICT_USERNAMES = {
    "reception_officer": "tiepnhan",
    "specialist": "chuyenvien.tp",
    "leader": "lanhdao.tp",
    "clerk": "vanthu",
}


def communes_since_july(admin, birth, communes: dict, effective: datetime.date) -> int:
    """Birth registrations at the 5 communes from `effective` to yesterday; returns how many dossiers."""
    from motcua.catalog.models import ProcessTemplate
    from motcua.reports.replay import BulkHistory

    today = timezone.localdate()
    if birth is None or admin is None or today <= effective:
        return 0
    User = get_user_model()
    rng = random.Random(SEED + 1)
    bulk = BulkHistory(admin)
    people = _applicants()
    days = _working_days(bulk.calendar, effective, today - datetime.timedelta(days=1))
    for offset, (slug, agency) in enumerate(communes.items()):
        users = {u.username.split(".")[0]: u for u in User.objects.filter(username__endswith=f".{slug}")}
        actors = {
            "reception_officer": users["tiepnhan"],
            "specialist": users["chuyenvien"],
            "leader": users["lanhdao"],
            "clerk": users["tiepnhan"],
        }
        process = ProcessTemplate.objects.filter(procedure=birth, agency=agency, variant="normal").first()
        mine = days[offset::COMMUNE_EVERY]
        for n, day in enumerate(mine):
            d = bulk.new(
                procedure=birth, process=process, applicant=people[(n + offset) % len(people)], agency=agency
            )
            d.resolving_agency = agency
            received = _at(day, 8, rng.randint(0, 180))
            bulk.receive(d, received, actors["reception_officer"])
            if slug == OVERDUE_AT and n == len(mine) - 1:
                _walk(bulk, d, received, actors, stop_before="leader")  # overdue, with the specialist
                continue
            last = _walk(bulk, d, received, actors, spacing=rng.randint(15, 40))
            bulk.return_result(d, last + datetime.timedelta(minutes=20), actors["reception_officer"])
    return bulk.save()
