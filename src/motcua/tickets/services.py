"""The queue's rules: issue a ticket, call the next one to a counter, recall, skip, transfer, finish.

Every change of a counter's queue runs in one transaction that first locks the counter's row, so one counter's
officer (two browser tabs, a hardware call button and the web page) never calls two tickets at once; the next
ticket is claimed with `FOR UPDATE SKIP LOCKED`, so two counters serving the same kind never call the same one.

Who is called next at a counter: today's waiting tickets transferred to that counter or of a kind it serves;
priority tickets (elderly, disabled, pregnant) first, then by their place in the queue (the instant they were
issued: a ticket transferred to another counter keeps its place, so it does not queue again from the end).
A ticket of an earlier day is never called. Bad input raises ValidationError with a Vietnamese message and
changes nothing; a counter the user is not posted to raises PermissionDenied.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.org.models import Center, Counter, Role
from motcua.org.permissions import agency_ids_in_scope
from motcua.prepared import PreparedValues

from .models import Ticket, TicketKind
from .numbering import next_number

Status = Ticket.Status


# --- what can be taken, by whom ---------------------------------------------------------------------------


def kinds_on_offer(center: Center | None = None) -> QuerySet[TicketKind]:
    """The kinds a visitor can take a ticket for: active, with at least one counter serving them."""
    kinds = TicketKind.objects.filter(is_active=True).annotate(n_counters=Count("counters"))
    kinds = kinds.filter(n_counters__gt=0).select_related("center")
    if center is not None:
        kinds = kinds.filter(center=center)
    return kinds.order_by("center_id", "position", "letter")


def find_kind(key: str, center: Center | None = None) -> TicketKind:
    """The kind on offer with this key (within `center` if given); a Vietnamese ValidationError otherwise."""
    matches = [kind for kind in kinds_on_offer(center) if kind.key == (key or "").strip()]
    if not matches:
        raise ValidationError(
            {"service": _("Không có dịch vụ lấy số này, hoặc dịch vụ đang tạm ngừng phát số.")}
        )
    if len(matches) > 1:
        raise ValidationError({"center": _("Nhiều trung tâm có dịch vụ này: hãy chọn trung tâm.")})
    return matches[0]


def counters_for(user) -> QuerySet[Counter]:
    """The counters a user may call tickets to: a superuser every counter; a reception officer the counters of
    the centers and agencies in their scope."""
    counters = Counter.objects.select_related("center")
    if getattr(user, "is_superuser", False) and user.is_active:
        return counters.all()
    ids = agency_ids_in_scope(user, Role.RECEPTION_OFFICER)
    if not ids:
        return counters.none()
    return counters.filter(Q(center__agency_id__in=ids) | Q(agencies__in=ids)).distinct()


def require_counter(user, counter: Counter) -> None:
    if not counters_for(user).filter(pk=counter.pk).exists():
        raise PermissionDenied(_("Bạn không được phân công tiếp nhận tại quầy này."))


def find_counter(user, number, center: Center | None = None) -> Counter:
    """The counter with this number among those the user may work at (API: `{"counter": "<number>"}`)."""
    try:
        number = int(str(number).strip())
    except (TypeError, ValueError):
        raise ValidationError({"counter": _("Số quầy phải là một số nguyên, ví dụ 3.")}) from None
    counters = Counter.objects.filter(number=number).select_related("center")
    if center is not None:
        counters = counters.filter(center=center)
    found = list(counters)
    if not found:
        raise ValidationError({"counter": _("Không có quầy số %(n)d.") % {"n": number}})
    allowed = [c for c in found if counters_for(user).filter(pk=c.pk).exists()]
    if not allowed:
        raise PermissionDenied(_("Bạn không được phân công tiếp nhận tại quầy này."))
    if len(allowed) > 1:
        raise ValidationError(
            {"center": _("Nhiều trung tâm có quầy số %(n)d: hãy chọn trung tâm.") % {"n": number}}
        )
    return allowed[0]


# --- issuing ------------------------------------------------------------------------------------------------


def issue(kind: TicketKind, priority_reason: str = "", now: datetime.datetime | None = None) -> Ticket:
    """Give a visitor the next number of `kind` today; `priority_reason` (elderly, disabled, pregnant, other)
    makes it a priority ticket."""
    if priority_reason and priority_reason not in Ticket.Priority.values:
        raise ValidationError({"priority": _("Đối tượng ưu tiên không hợp lệ.")})
    if not kind.is_active or not kind.counters.exists():
        raise ValidationError(
            {"service": _("Không có dịch vụ lấy số này, hoặc dịch vụ đang tạm ngừng phát số.")}
        )
    now = now or timezone.now()
    day = timezone.localdate(now)
    with transaction.atomic():
        number, code = next_number(kind, day)
        ticket = Ticket.objects.create(
            kind=kind,
            day=day,
            number=number,
            code=code,
            priority=bool(priority_reason),
            priority_reason=priority_reason,
            issued_at=now,
            queued_at=now,
        )
    return ticket


def waiting_before(ticket: Ticket) -> int:
    """How many waiting tickets will be called before this one for its service (0 unless it is waiting)."""
    if ticket.status != Status.WAITING:
        return 0
    same_line = Ticket.objects.filter(
        day=ticket.day,
        status=Status.WAITING,
        kind_id=ticket.kind_id,
        target_counter_id=ticket.target_counter_id,
    ).exclude(pk=ticket.pk)
    earlier = Q(queued_at__lt=ticket.queued_at) | Q(queued_at=ticket.queued_at, pk__lt=ticket.pk)
    if ticket.priority:
        return same_line.filter(Q(priority=True) & earlier).count()
    return same_line.filter(Q(priority=True) | earlier).count()


# --- the counter's actions ------------------------------------------------------------------------------------


def waiting_for(counter: Counter, day: datetime.date) -> QuerySet[Ticket]:
    """Today's tickets waiting for `counter`, in the order they will be called."""
    kind_ids = list(counter.ticket_kinds.filter(is_active=True).values_list("pk", flat=True))
    return (
        Ticket.objects.filter(day=day, status=Status.WAITING)
        .filter(Q(target_counter=counter) | Q(target_counter__isnull=True, kind_id__in=kind_ids))
        .select_related("kind")
        .order_by("-priority", "queued_at", "pk")
    )


def current_ticket(counter: Counter, now: datetime.datetime | None = None) -> Ticket | None:
    """The ticket being served at `counter` today (called and not yet finished), if any."""
    day = timezone.localdate(now or timezone.now())
    return (
        Ticket.objects.filter(counter=counter, status=Status.CALLED, day=day)
        .select_related("kind")
        .order_by("-called_at")
        .first()
    )


def _locked(counter: Counter, actor) -> Counter:
    require_counter(actor, counter)
    return Counter.objects.select_for_update().get(pk=counter.pk)


def _finish_current(counter: Counter, now, status=Status.SERVED) -> Ticket | None:
    """End every ticket still being served at `counter` (there is at most one, but a ticket left over from an
    earlier day is closed too)."""
    current = None
    for ticket in Ticket.objects.select_for_update().filter(counter=counter, status=Status.CALLED):
        ticket.status = status
        ticket.finished_at = now
        ticket.save(update_fields=["status", "finished_at"])
        current = ticket
    return current


def _call(ticket: Ticket, counter: Counter, actor, now) -> Ticket:
    ticket.status = Status.CALLED
    ticket.counter = counter
    ticket.target_counter = None
    ticket.called_by = actor if getattr(actor, "pk", None) else None
    ticket.called_at = now
    ticket.first_called_at = ticket.first_called_at or now
    ticket.call_count += 1
    ticket.finished_at = None
    ticket.save(
        update_fields=[
            "status",
            "counter",
            "target_counter",
            "called_by",
            "called_at",
            "first_called_at",
            "call_count",
            "finished_at",
        ]
    )
    return ticket


def call_next(counter: Counter, actor, now: datetime.datetime | None = None) -> Ticket | None:
    """Finish the ticket served at `counter` and call the next one; None (the current one still finished) when
    nobody waits for what the counter serves."""
    now = now or timezone.now()
    with transaction.atomic():
        counter = _locked(counter, actor)
        _finish_current(counter, now)
        ticket = waiting_for(counter, timezone.localdate(now)).select_for_update(
            skip_locked=True, of=("self",)
        )
        ticket = ticket.first()
        if ticket is None:
            return None
        return _call(ticket, counter, actor, now)


def _require_current(counter: Counter, now) -> Ticket:
    ticket = (
        Ticket.objects.select_for_update()
        .filter(counter=counter, status=Status.CALLED, day=timezone.localdate(now))
        .order_by("-called_at")
        .first()
    )
    if ticket is None:
        raise ValidationError(_("Quầy %(n)d chưa gọi số nào.") % {"n": counter.number})
    return ticket


def recall(
    counter: Counter, actor, ticket: Ticket | None = None, now: datetime.datetime | None = None
) -> Ticket:
    """Call again: the ticket being served (announced once more), or a skipped ticket of today whose holder has
    come back (the one being served is finished first)."""
    now = now or timezone.now()
    with transaction.atomic():
        counter = _locked(counter, actor)
        if ticket is None:
            current = _require_current(counter, now)
            current.called_at = now
            current.call_count += 1
            current.save(update_fields=["called_at", "call_count"])
            return current
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if ticket.status != Status.SKIPPED or ticket.day != timezone.localdate(now):
            raise ValidationError(_("Chỉ gọi lại được số đã bỏ qua trong ngày hôm nay."))
        if not counter.ticket_kinds.filter(pk=ticket.kind_id).exists() and ticket.counter_id != counter.pk:
            raise ValidationError(
                _("Quầy %(n)d không phục vụ số %(code)s.") % {"n": counter.number, "code": ticket.code}
            )
        _finish_current(counter, now)
        return _call(ticket, counter, actor, now)


def skip(counter: Counter, actor, now: datetime.datetime | None = None) -> Ticket:
    """The holder of the ticket being served did not come: it is set aside (it can be recalled today)."""
    now = now or timezone.now()
    with transaction.atomic():
        counter = _locked(counter, actor)
        ticket = _require_current(counter, now)
        ticket.status = Status.SKIPPED
        ticket.finished_at = now
        ticket.save(update_fields=["status", "finished_at"])
        return ticket


def finish(counter: Counter, actor, now: datetime.datetime | None = None) -> Ticket:
    """The ticket being served is done (without calling the next one)."""
    now = now or timezone.now()
    with transaction.atomic():
        counter = _locked(counter, actor)
        ticket = _require_current(counter, now)
        ticket.status = Status.SERVED
        ticket.finished_at = now
        ticket.save(update_fields=["status", "finished_at"])
        return ticket


def transfer(counter: Counter, actor, to_counter: Counter, now: datetime.datetime | None = None) -> Ticket:
    """Send the ticket being served to another counter of the center: it waits there, keeping its place."""
    now = now or timezone.now()
    if to_counter is None:
        raise ValidationError({"to_counter": _("Hãy chọn quầy nhận chuyển.")})
    if to_counter.pk == counter.pk:
        raise ValidationError({"to_counter": _("Không thể chuyển sang chính quầy đang phục vụ.")})
    if to_counter.center_id != counter.center_id:
        raise ValidationError({"to_counter": _("Chỉ chuyển được sang quầy của cùng trung tâm.")})
    with transaction.atomic():
        counter = _locked(counter, actor)
        ticket = _require_current(counter, now)
        ticket.status = Status.WAITING
        ticket.target_counter = to_counter
        ticket.counter = None
        ticket.transfer_count += 1
        ticket.save(update_fields=["status", "target_counter", "counter", "transfer_count"])
        return ticket


# --- the dossier a ticket becomes ---------------------------------------------------------------------------


_TICKET_FIELDS = [field.attname for field in Ticket._meta.concrete_fields]


def _served_ticket_query(actor_id: int, day: datetime.date) -> QuerySet:
    return (
        Ticket.objects.filter(called_by_id=actor_id, status=Status.CALLED, day=day)
        .order_by("-called_at")
        .values_list(*_TICKET_FIELDS)[:1]
    )


# Read at every counter intake, mostly to find nothing: compiled once per thread (see motcua.prepared).
_served_ticket = PreparedValues(_served_ticket_query, (int, datetime.date))


def link_received_dossier(dossier, actor, now: datetime.datetime | None = None) -> Ticket | None:
    """A dossier received at a counter belongs to the ticket its officer is serving now (if any)."""
    if actor is None or not getattr(actor, "pk", None):
        return None
    day = timezone.localdate(now or timezone.now())
    rows = _served_ticket(actor.pk, day)
    if not rows:
        return None
    ticket = Ticket.from_db(router.db_for_read(Ticket), _TICKET_FIELDS, rows[0])
    ticket.dossiers.add(dossier)
    return ticket


# --- what the hall and a visitor's phone show -----------------------------------------------------------------


@dataclass
class Call:
    number: str
    counter: int
    counter_name: str
    called_at: datetime.datetime
    call_count: int


def display_state(
    center: Center | None = None, now: datetime.datetime | None = None, limit: int = 12
) -> dict:
    """The tickets being called now (most recent first) and how many wait, for the hall display."""
    day = timezone.localdate(now or timezone.now())
    tickets = Ticket.objects.filter(day=day)
    if center is not None:
        tickets = tickets.filter(kind__center=center)
    calling = (
        tickets.filter(status=Status.CALLED)
        .select_related("counter")
        .order_by("-called_at", "-pk")
        .only("code", "called_at", "call_count", "counter__number", "counter__name")[:limit]
    )
    return {
        "calling": [
            Call(t.code, t.counter.number, t.counter.name, t.called_at, t.call_count) for t in calling
        ],
        "waiting": tickets.filter(status=Status.WAITING).count(),
    }


def follow(ticket: Ticket, now: datetime.datetime | None = None) -> dict:
    """What the visitor's phone shows for a ticket: its state, its place, the counter it is called to."""
    stale = ticket.day != timezone.localdate(now or timezone.now()) and ticket.status == Status.WAITING
    return {
        "number": ticket.code,
        "status": "expired" if stale else ticket.status,
        "status_label": _("Số đã hết hiệu lực (không phải số của hôm nay).")
        if stale
        else ticket.get_status_display(),
        "waiting_before": 0 if stale else waiting_before(ticket),
        "counter": ticket.counter.number if ticket.counter_id and ticket.status == Status.CALLED else None,
    }
