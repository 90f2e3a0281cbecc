"""Reminders (đôn đốc): scheduled daily digests with escalation, and manual reminders from the dashboard.

Scheduled (`motcua send_reminders`, called by a scheduler, e.g. twice each working day):
- the holder of every near-due, due-today or overdue dossier is reminded (if nobody holds it by name, the
  staff with the current step's role at the agency holding it);
- when it is still late, the reminder is escalated by the schedule `MOTCUA_REMINDER_ESCALATION`, by default
  ``{"leader": 1, "director": 3}``: the agency's leaders from the first working day after the due date, the
  center directors (supervisors whose scope covers the agency) from the third;
- each person receives at most one digest a day, listing all their dossiers, by e-mail (when they have an
  address) and in the app; a person who already had today's digest gets nothing more that day, so running the
  command twice a day sends nothing twice (a database constraint guards concurrent runs too);
- nothing is sent on a day that is not a working day.

Manual: a supervisor or leader urges the holder of one dossier at once (e-mail and in-app), at most once a day
per dossier and sender. Every reminder is a `Reminder` row: the dossier's reminder history.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.deadlines import deadlines
from motcua.dossiers.models import Dossier
from motcua.org.models import Role, StaffAssignment
from motcua.org.permissions import agency_ids_in_scope, has_role
from motcua.workdays.services import get_calendar

from . import due, watch
from .models import Digest, DueState, DueWatch, Notification, Reminder

Level = Reminder.Level
DEFAULT_ESCALATION = {"leader": 1, "director": 3}


def escalation() -> dict[str, int]:
    """Working days late after which leaders and directors are reminded too."""
    configured = dict(DEFAULT_ESCALATION)
    configured.update(getattr(settings, "MOTCUA_REMINDER_ESCALATION", {}) or {})
    for level, days in configured.items():
        if level not in (Level.LEADER, Level.DIRECTOR) or int(days) < 0:
            raise ValueError(f"bad MOTCUA_REMINDER_ESCALATION entry {level!r}: {days!r}")
    return {level: int(days) for level, days in configured.items()}


def days_late(calendar, due_at: datetime.datetime, today: datetime.date) -> int:
    """Working days from the day after the due date up to today, both included (0 when not late)."""
    due_day = timezone.localdate(due_at)
    if today <= due_day:
        return 0
    return calendar.count_working_days(due_day + datetime.timedelta(days=1), today)


def _fmt(value: datetime.datetime | None) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else "—"


def deadline_text(dossier: Dossier, now, cal) -> str:
    """The dossier's deadlines as the screens label them (`dossiers.deadlines`, the one deadline function): the
    legal due instant with the time left or overdue, then the appointment when it differs, then the current
    step's deadline."""
    found = deadlines(dossier, now, cal)
    shown = [found.legal]
    if found.appointment.at and found.appointment.at != found.legal.at:
        shown.append(found.appointment)
    if found.step is not None:
        shown.append(found.step)
    parts = []
    for one in shown:
        if one.remaining:
            parts.append(
                _("%(label)s %(at)s (%(remaining)s)")
                % {"label": one.label, "at": _fmt(one.at), "remaining": one.remaining}
            )
        else:
            parts.append(_("%(label)s %(at)s") % {"label": one.label, "at": _fmt(one.at)})
    return "; ".join(parts)


# --- who is reminded ---------------------------------------------------------------------------------------


class _Directory:
    """Staff lookups cached for one run."""

    def __init__(self):
        self._step_staff: dict[tuple, list] = {}
        self._leaders: dict[int, list] = {}
        self._directors: list | None = None

    def holders(self, dossier: Dossier) -> list:
        if dossier.holder_id:
            return [dossier.holder] if dossier.holder.is_active else []
        step = dossier.current_step
        if step is None or dossier.current_agency_id is None:
            return []
        key = (step.role, dossier.current_agency_id)
        if key not in self._step_staff:
            self._step_staff[key] = [
                a.user
                for a in StaffAssignment.objects.active()
                .filter(role=step.role, agency_id=dossier.current_agency_id)
                .select_related("user")
            ]
        return self._step_staff[key]

    def leaders(self, agency_id: int | None) -> list:
        if agency_id is None:
            return []
        if agency_id not in self._leaders:
            self._leaders[agency_id] = [
                a.user
                for a in StaffAssignment.objects.active()
                .filter(role=Role.LEADER, agency_id=agency_id)
                .select_related("user")
            ]
        return self._leaders[agency_id]

    def directors(self, agency_id: int | None) -> list:
        if self._directors is None:
            users = {
                a.user_id: a.user
                for a in StaffAssignment.objects.active().filter(role=Role.SUPERVISOR).select_related("user")
            }
            self._directors = [(u, agency_ids_in_scope(u, Role.SUPERVISOR)) for u in users.values()]
        return [u for u, scope in self._directors if agency_id in scope]


@dataclass
class Item:
    dossier: Dossier
    level: str
    state: str
    days_late: int


def plan(now: datetime.datetime | None = None) -> dict:
    """Who would be reminded of what today: {user: [Item, ...]} (one item per dossier per person, at the
    lowest level that reaches them)."""
    now = now or timezone.now()
    cal = get_calendar()
    today = timezone.localdate(now)
    schedule = escalation()
    directory = _Directory()
    _today_start, tomorrow_start = due.day_bounds(now)
    rows = (
        DueWatch.objects.filter(Q(paused=False) & (Q(due_at__lt=tomorrow_start) | Q(near_due_at__lte=now)))
        .select_related(
            "dossier__procedure", "dossier__current_agency", "dossier__current_step", "dossier__holder"
        )
        .order_by("due_at", "dossier_id")
    )
    by_user: dict = defaultdict(dict)
    users = {}
    for row in rows.iterator(chunk_size=500):
        status = watch.status_of_row(row, now, cal)
        if status.state not in (
            DueState.NEAR_DUE,
            DueState.DUE_TODAY,
            DueState.OVERDUE,
            DueState.BADLY_OVERDUE,
        ):
            continue
        dossier = row.dossier
        late = days_late(cal, row.due_at, today) if status.is_late else 0
        recipients = [(u, Level.HOLDER) for u in directory.holders(dossier)]
        if status.is_late:
            # nobody to remind at the holder's level: the leader is told at once
            if late >= schedule[Level.LEADER] or not recipients:
                recipients += [(u, Level.LEADER) for u in directory.leaders(dossier.current_agency_id)]
            if late >= schedule[Level.DIRECTOR]:
                recipients += [(u, Level.DIRECTOR) for u in directory.directors(dossier.current_agency_id)]
        for user, level in recipients:
            if not user.is_active:
                continue
            users[user.pk] = user
            by_user[user.pk].setdefault(dossier.pk, Item(dossier, level, status.state, late))
    return {users[pk]: list(items.values()) for pk, items in by_user.items()}


# --- scheduled digests ---------------------------------------------------------------------------------------


def _item_line(item: Item, now, cal) -> str:
    d = item.dossier
    where = d.current_agency.name if d.current_agency_id else ""
    return _("- %(code)s — %(procedure)s — %(state)s — %(deadlines)s — %(where)s") % {
        "code": d.code,
        "procedure": d.procedure.name,
        "state": DueState(item.state).label,
        "deadlines": deadline_text(d, now, cal),
        "where": where,
    }


def _level_intro(level: str) -> str:
    return {
        Level.HOLDER: _("Hồ sơ bạn đang giữ:"),
        Level.LEADER: _("Hồ sơ quá hạn của cơ quan bạn lãnh đạo:"),
        Level.DIRECTOR: _("Hồ sơ quá hạn đã được đôn đốc mà chưa xử lý xong:"),
    }[level]


def _digest_text(items: list[Item], now, cal) -> tuple[str, str]:
    today = timezone.localdate(now)
    late = sum(1 for i in items if due.is_late(i.state))
    title = _("Đôn đốc ngày %(day)s: %(n)d hồ sơ cần xử lý (%(late)d quá hạn)") % {
        "day": today.strftime("%d/%m/%Y"),
        "n": len(items),
        "late": late,
    }
    lines = []
    for level in (Level.HOLDER, Level.LEADER, Level.DIRECTOR):
        mine = [i for i in items if i.level == level]
        if mine:
            lines.append(_level_intro(level))
            lines += [_item_line(i, now, cal) for i in mine]
            lines.append("")
    return title, "\n".join(lines).strip()


def _email(user, subject: str, body: str) -> bool:
    if not user.email:
        return False
    try:
        send_mail(subject, body, None, [user.email])
    except OSError:
        return False
    return True


@dataclass
class RunResult:
    digests: int = 0
    reminders: int = 0
    emails: int = 0
    skipped_people: int = 0
    working_day: bool = True


def send_scheduled(now: datetime.datetime | None = None, *, force: bool = False) -> RunResult:
    """Send today's digests; idempotent within a day (see the module docstring)."""
    now = now or timezone.now()
    cal = get_calendar()
    today = timezone.localdate(now)
    result = RunResult()
    if not force and not cal.is_working_day(today):
        result.working_day = False
        return result
    for user, items in plan(now).items():
        title, body = _digest_text(items, now, cal)
        try:
            with transaction.atomic():
                digest, created = Digest.objects.get_or_create(
                    recipient=user, day=today, defaults={"created_at": now}
                )
                if not created:
                    result.skipped_people += 1
                    continue
                Reminder.objects.bulk_create(
                    Reminder(
                        dossier=i.dossier,
                        recipient=user,
                        level=i.level,
                        kind=Reminder.Kind.SCHEDULED,
                        day=today,
                        created_at=now,
                        due_state=i.state,
                        due_at=i.dossier.due_at,
                        digest=digest,
                    )
                    for i in items
                )
                Notification.objects.create(recipient=user, created_at=now, title=title, body=body)
        except IntegrityError:
            # another run created today's digest for this person at the same moment
            result.skipped_people += 1
            continue
        result.digests += 1
        result.reminders += len(items)
        if _email(user, title, body):
            Digest.objects.filter(pk=digest.pk).update(emailed=True)
            result.emails += 1
    return result


# --- manual reminders ------------------------------------------------------------------------------------------


def can_urge(user, dossier: Dossier) -> bool:
    """Supervisors and leaders may urge dossiers held by agencies in their scope."""
    agency = dossier.current_agency_id or dossier.resolving_agency_id
    return has_role(user, Role.SUPERVISOR, agency=agency) or has_role(user, Role.LEADER, agency=agency)


def _check_urgeable(dossier: Dossier, actor, note: str) -> None:
    """Refuse a note too long, an actor who may not urge the dossier, or a dossier finished, stopped or paused."""
    if len(note) > 2000:
        raise ValidationError({"note": _("Nội dung đôn đốc quá dài (tối đa 2000 ký tự).")})
    if not can_urge(actor, dossier):
        raise PermissionDenied(_("Bạn không có quyền đôn đốc hồ sơ này."))
    if dossier.state not in due.OPEN_STATES:
        raise ValidationError(
            _("Hồ sơ %(code)s đã xử lý xong hoặc đã dừng, không cần đôn đốc.") % {"code": dossier.code}
        )
    if dossier.state in due.PAUSED_STATES:
        raise ValidationError(
            _("Hồ sơ %(code)s đang tạm dừng (%(state)s), thời hạn không tính nên không đôn đốc.")
            % {"code": dossier.code, "state": dossier.get_state_display()}
        )


def _check_not_urged_today(dossier: Dossier, actor, today: datetime.date) -> None:
    """Refuse a second manual reminder of the same dossier by the same actor on the same day."""
    earlier = Reminder.objects.filter(
        dossier=dossier, sent_by=actor, kind=Reminder.Kind.MANUAL, day=today
    ).first()
    if earlier is not None:
        raise ValidationError(
            _("Bạn đã đôn đốc hồ sơ %(code)s lúc %(at)s hôm nay.")
            % {"code": dossier.code, "at": timezone.localtime(earlier.created_at).strftime("%H:%M")}
        )


def _active_holders(dossier: Dossier) -> list:
    """The active users holding the dossier; refused when there is none to urge."""
    recipients = [u for u in _Directory().holders(dossier) if u.is_active]
    if not recipients:
        raise ValidationError(_("Hồ sơ %(code)s chưa có người xử lý để đôn đốc.") % {"code": dossier.code})
    return recipients


def _manual_text(dossier: Dossier, actor, note: str, now, cal, state_label) -> tuple[str, str]:
    """The title and body of a manual reminder: who urges, the dossier's state and deadlines, the note."""
    sender = actor.get_full_name() or actor.get_username()
    title = _("Đôn đốc hồ sơ %(code)s") % {"code": dossier.code}
    body = _(
        "%(sender)s đôn đốc xử lý hồ sơ %(code)s — %(procedure)s.\nTình trạng: %(state)s.\n%(deadlines)s."
    ) % {
        "sender": sender,
        "code": dossier.code,
        "procedure": dossier.procedure.name,
        "state": state_label,
        "deadlines": deadline_text(dossier, now, cal),
    }
    if note:
        body += "\n" + _("Ý kiến: %(note)s") % {"note": note}
    return title, body


def send_manual(
    dossier: Dossier, actor, note: str = "", now: datetime.datetime | None = None
) -> list[Reminder]:
    """Urge the holder of one dossier now (e-mail and in-app); returns the reminders written."""
    now = now or timezone.now()
    note = (note or "").strip()
    _check_urgeable(dossier, actor, note)
    today = timezone.localdate(now)
    _check_not_urged_today(dossier, actor, today)
    recipients = _active_holders(dossier)
    cal = get_calendar()
    status = due.due_status(dossier, now, cal)
    title, body = _manual_text(dossier, actor, note, now, cal, status.label)
    reminders = []
    with transaction.atomic():
        for user in recipients:
            reminders.append(
                Reminder.objects.create(
                    dossier=dossier,
                    recipient=user,
                    level=Level.HOLDER,
                    kind=Reminder.Kind.MANUAL,
                    sent_by=actor,
                    day=today,
                    created_at=now,
                    due_state=status.state,
                    due_at=dossier.due_at,
                    note=note,
                )
            )
            Notification.objects.create(
                recipient=user, created_at=now, title=title, body=body, dossier=dossier
            )
    for user in recipients:
        _email(user, title, body)
    return reminders
