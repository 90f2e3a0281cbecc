"""Delivery of the outbox to the portal, in order per dossier, each change once.

For every message (one per dossier event), in the order the events were appended:
1. the dossier itself with DongBoHoSoMC: an insert the first time, an update afterwards (and an update when the
   insert is answered "đã tồn tại"); skipped when the portal already has the dossier as it is now;
2. the event's history entry with CapNhatTienDoHoSoMC.

A dossier's next message waits until the one before it is delivered, so the portal sees its history in order.
History entries are batched: `CapNhatTienDoHoSoMC` takes a list (`data`, NATIONAL-PORTAL.md §2.4; Thanh Hóa's
system sends chunks of 10), so the next pending messages of the same dossier, in event order and up to
NATIONAL_PORTAL_PROGRESS_BATCH (10; 1 sends each alone), ride along with the head's entry in one call. Only
messages whose dossier state the portal already holds are carried (their event is not newer than the last
DongBoHoSoMC push), each is claimed like the head, and they are marked sent only when the portal accepts the
call: a carried message is never sent twice, and never before an older one. When a batch is refused, the head's
entry is sent alone, so that a bad entry fails on its own and the others go on.
Failures:
- the portal cannot be reached: retried with exponential backoff (NATIONAL_PORTAL_RETRY_BASE_SECONDS doubled per
  attempt up to NATIONAL_PORTAL_RETRY_MAX_SECONDS), and the pass stops (the portal is down for everyone);
- an ambiguous failure (timeout, HTTP 5xx, unreadable reply; the portal may have processed the request):
  retried the same way, but first the dossier is looked up with TraCuuHoSo so that nothing is sent twice: an
  insert becomes an update, and a history entry already in the portal's record is not sent again. When the
  portal's answer does not show its history, the message is listed as failed for a person to check (never
  resent blindly);
- the portal refuses (an error code other than "already exists"): listed as failed at once, with its reply.
After NATIONAL_PORTAL_MAX_ATTEMPTS attempts that reached the portal (an outage does not count) a message is
listed as failed. "Gửi lại" (`resend`) puts a failed
message back in the queue.

Messages are claimed with a short lease (a conditional UPDATE), so several workers never deliver the same
message and no database transaction stays open during an HTTP call.
"""

import contextlib
import datetime
import functools
import logging
import threading
from concurrent import futures
from dataclasses import dataclass, field

from django.db import IntegrityError, close_old_connections, connections, router, transaction
from django.db.models import Min, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.states import FINAL_STATES
from motcua.integrations import keepalive
from motcua.integrations import national_portal as portal
from motcua.prepared import PreparedValues

from . import conf
from .models import DossierSync, OutboxMessage
from .payloads import dossier_payload, progress_payload

logger = logging.getLogger(__name__)

UNSENT = (OutboxMessage.State.PENDING, OutboxMessage.State.FAILED)
# A claimed message is not picked again for this long (longer than the two HTTP calls it makes).
LEASE_FACTOR = 4
# What a message's history entry reads (`progress_payload`), fetched with the message.
WITH_EVENT = ("event__agency",)
# The rows the delivery and the payload read (`dossier_payload`): the dossier and the rows it points to (path ->
# the columns read). Read in one statement compiled once per thread (`read_dossier`); a column missing here is
# still read when used, by a statement of its own (tests/test_progress_batches counts them).
PAYLOAD_ROWS = {
    "": (
        "code",
        "state",
        "status",
        "channel",
        "procedure_code",
        "summary",
        "closing_reason",
        "return_method",
        "submitted_at",
        "received_at",
        "due_at",
        "finished_at",
        "returned_at",
        "updated_at",
        "procedure_id",
        "applicant_id",
        "resolving_agency_id",
        "current_agency_id",
    ),
    "procedure": ("name", "field_id"),
    "procedure__field": ("code", "name"),
    "applicant": ("applicant_type", "name", "id_type", "id_number", "email", "phone"),
    "resolving_agency": ("name",),
    "current_agency": ("name",),
    # what the portal holds of the dossier (absent before its first delivery)
    "portal_sync": ("dossier_id", "inserted", "last_pushed_at", "last_status", "pushed_event_id"),
}
# The dossier's newest event, read in the same statement as its state: the push records it as what the portal
# now holds, so both must come from one snapshot (an event committed between two reads would be counted as
# pushed with a state that does not show it).
LATEST_EVENT = "outbox_latest_event_id"


class PortalRefused(portal.PortalError):
    """The portal answered with an error code: permanent until a person looks at it."""


class NeedsReview(portal.PortalError):
    """We cannot tell whether the portal already has this history entry."""


@dataclass
class PassReport:
    delivered: int = 0
    retried: int = 0
    failed: int = 0
    unreachable: bool = False
    errors: list = field(default_factory=list)


def backoff(attempts: int) -> datetime.timedelta:
    """The wait after the `attempts`-th failure: base × 2^(attempts-1), at most the ceiling."""
    seconds = min(conf.retry_base() * (2 ** max(attempts - 1, 0)), conf.retry_max())
    return datetime.timedelta(seconds=seconds)


def due_heads(now: datetime.datetime, limit: int = 100):
    """The undelivered message of each dossier with the oldest event, when it is pending and due.

    Ordered by event rather than by row, so that rows written later for older events (`backfill`) still go
    first. Each comes with its event and the event's agency (its history entry), read in the same statement."""
    firsts = (
        OutboxMessage.objects.filter(state__in=UNSENT)
        .values("dossier_id")
        .annotate(first=Min("event_id"))
        .values("first")
    )
    return list(
        OutboxMessage.objects.filter(
            event_id__in=firsts, state=OutboxMessage.State.PENDING, next_attempt_at__lte=now
        )
        .select_related(*WITH_EVENT)
        .order_by("next_attempt_at", "id")[:limit]
    )


@functools.cache
def _payload_layout() -> tuple[tuple[str, type, tuple[str, ...], int], ...]:
    """(path, model, the columns read in the model's field order, where its primary key is among them) of each
    row of `PAYLOAD_ROWS`."""
    layout = []
    for path, wanted in PAYLOAD_ROWS.items():
        model = Dossier
        for name in path.split("__") if path else ():
            model = model._meta.get_field(name).related_model
        pk = model._meta.pk.attname
        columns = tuple(
            f.attname for f in model._meta.concrete_fields if f.attname in wanted or f.attname == pk
        )
        layout.append((path, model, columns, columns.index(pk)))
    return tuple(layout)


def _dossier_query(dossier_id: int):
    latest = DossierEvent.objects.filter(dossier=OuterRef("pk")).order_by("-id").values("id")[:1]
    return (
        Dossier.objects.filter(pk=dossier_id)
        .annotate(**{LATEST_EVENT: Subquery(latest)})
        .values_list(
            *[
                f"{path}__{column}" if path else column
                for path, _model, columns, _pk in _payload_layout()
                for column in columns
            ],
            LATEST_EVENT,
        )
    )


_dossier_read = PreparedValues(_dossier_query, (int,))


def read_for_delivery(dossier_id: int) -> tuple[Dossier, DossierSync | None, int | None]:
    """The dossier with its procedure, field, applicant and agencies, as `select_related` with `only(...)` would
    load them (`PAYLOAD_ROWS`), its sync row (None before its first delivery) and the id of its newest event,
    from one statement built and compiled once per thread."""
    rows = _dossier_read(dossier_id)
    if not rows:
        raise Dossier.DoesNotExist(f"dossier {dossier_id}")
    alias = router.db_for_read(Dossier)
    values = iter(rows[0])
    loaded: dict[str, object] = {}
    for path, model, columns, pk in _payload_layout():
        row = [next(values) for _column in columns]
        instance = model.from_db(alias, columns, row) if row[pk] is not None else None
        loaded[path] = instance
        if path:
            parent_path, _sep, name = path.rpartition("__")
            parent = loaded[parent_path]
            if parent is not None:
                parent._meta.get_field(name).set_cached_value(parent, instance)
    return loaded[""], loaded["portal_sync"], next(values)


def read_dossier(dossier_id: int) -> Dossier:
    """The dossier as the payload reads it (`read_for_delivery`)."""
    return read_for_delivery(dossier_id)[0]


def _claim(message: OutboxMessage, now, lease: datetime.timedelta) -> bool:
    claimed = OutboxMessage.objects.filter(
        pk=message.pk, state=OutboxMessage.State.PENDING, next_attempt_at=message.next_attempt_at
    ).update(next_attempt_at=now + lease)
    if claimed:
        message.next_attempt_at = now + lease
    return bool(claimed)


def batch_size() -> int:
    from django.conf import settings

    return max(int(getattr(settings, "NATIONAL_PORTAL_PROGRESS_BATCH", 10)), 1)


def deliver_pending(connector=None, now=None, limit: int = 500, executor=None) -> PassReport:
    """Deliver due messages until none is left (or `limit` messages were tried), in order per dossier.

    With an `executor` (a thread pool, `portal_outbox_worker --threads`), the heads of different dossiers are
    delivered side by side: each head is its dossier's oldest undelivered message, so a dossier's messages still
    go one after the other, while the portal's answer time (hundreds of milliseconds for a real portal, two
    calls per new dossier) no longer adds up over the whole queue. Claims keep any two threads or workers from
    delivering the same message. When the portal cannot be reached, the heads not yet started are left for the
    next pass."""
    if connector is None:
        if not conf.is_enabled():
            return PassReport()
        connector = conf.get_connector()
    report = PassReport()
    tried = 0
    while tried < limit:
        heads = due_heads(now or timezone.now(), limit - tried)
        if not heads:
            break
        progressed = False
        for message, outcome in _deliver_all(heads, connector, now, executor, limit - tried):
            tried += 1
            carried = len(getattr(message, "carried", ()))
            tried += carried
            if outcome == "sent":
                report.delivered += 1 + carried
                progressed = True
            elif outcome == "failed":
                report.failed += 1
            elif outcome in ("retry", "unreachable"):
                report.retried += 1
            elif outcome == "skipped":
                progressed = True
            if outcome == "unreachable":
                report.unreachable = True
        if report.unreachable or not progressed:
            break
    return report


class DeliveryThreads(futures.ThreadPoolExecutor):
    """The delivery threads of `deliver_pending`; on shutdown each closes its own database connections and its
    kept connections to the portal (a thread's connections are its own, and a thread that ends does not close
    them)."""

    def __init__(self, count: int):
        super().__init__(max_workers=count, thread_name_prefix="portal-delivery")
        self.count = count

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        barrier = threading.Barrier(self.count)

        def close_connections():
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=60)  # each thread takes exactly one of these jobs
            connections.close_all()
            keepalive.close_all()

        futures.wait([self.submit(close_connections) for _thread in range(self.count)])
        super().shutdown(wait, cancel_futures=cancel_futures)


def _deliver_all(heads, connector, now, executor, budget: int):
    """(message, outcome) of each head delivered, in the heads' order; one after the other without an executor
    (stopping at the budget, carried messages included, or when the portal is unreachable)."""
    if executor is None:
        for message in heads:
            if budget <= 0:
                return
            outcome = deliver(message, connector, now=now)
            budget -= 1 + len(getattr(message, "carried", ()))
            yield message, outcome
            if outcome == "unreachable":
                return
        return
    unreachable = threading.Event()

    def deliver_one(message):
        if unreachable.is_set():
            return None  # not started: the portal is down for everyone
        try:
            outcome = deliver(message, connector, now=now)
        finally:
            # As after a request: the thread's connection goes back to the pool (or is dropped when broken).
            close_old_connections()
        if outcome == "unreachable":
            unreachable.set()
        return outcome

    submitted = [(message, executor.submit(deliver_one, message)) for message in heads[: max(budget, 0)]]
    futures.wait([future for _message, future in submitted])
    error = None
    for message, future in submitted:
        if future.exception() is not None:
            error = error or future.exception()
        elif future.result() is not None:
            yield message, future.result()
    if error is not None:
        raise error


def deliver(message: OutboxMessage, connector, now=None) -> str:
    """Deliver one message; returns "sent", "skipped", "waiting", "retry", "unreachable", "failed" or "busy"."""
    now = now or timezone.now()
    lease = datetime.timedelta(seconds=connector.config.get("timeout", 30) * LEASE_FACTOR)
    if not _claim(message, now, lease):
        return "busy"
    dossier, sync, latest_event = read_for_delivery(message.dossier_id)
    if not dossier.code:
        # An online submission not yet received has no code: the portal cannot take it yet.
        if dossier.state in FINAL_STATES:
            _finish(message, OutboxMessage.State.SKIPPED, now)
            return "skipped"
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=now + backoff(1))
        return "waiting"
    if sync is None:
        sync = DossierSync(dossier=dossier)  # stored when the portal first answers (`_store_sync`)
    message.attempts += 1
    message.last_attempt_at = now
    message.carried = []
    try:
        if not message.dossier_pushed:
            _push_dossier(message, dossier, sync, latest_event, connector)
        message.carried = _claim_followers(message, sync, now, lease)
        _push_progress(message, dossier, connector)
    except portal.PortalUnreachable as error:
        # The portal being down is nobody's mistake: it never makes a message fail for good.
        _release(message.carried, now, ambiguous=False)
        message.carried = []
        _retry(message, error, now, ambiguous=message.ambiguous, can_fail=False)
        return "unreachable"
    except portal.PortalAmbiguous as error:
        # The portal may have taken the whole batch: every carried entry is checked before it is sent again.
        _release(message.carried, now + backoff(message.attempts), ambiguous=True)
        message.carried = []
        _retry(message, error, now, ambiguous=True)
        return "retry" if message.state == OutboxMessage.State.PENDING else "failed"
    except (PortalRefused, NeedsReview) as error:
        _release(message.carried, now, ambiguous=False)
        message.carried = []
        _fail(message, error, now)
        return "failed"
    except portal.PortalError as error:
        _release(message.carried, now, ambiguous=False)
        message.carried = []
        _retry(message, error, now, ambiguous=message.ambiguous)
        return "retry" if message.state == OutboxMessage.State.PENDING else "failed"
    _finish(message, OutboxMessage.State.SENT, now)
    for follower in message.carried:
        follower.attempts += 1
        follower.last_attempt_at = now
        _finish(follower, OutboxMessage.State.SENT, now)
    return "sent"


def _claim_followers(message, sync, now, lease) -> list:
    """The next pending messages of the dossier that can ride with the head's history entry, claimed.

    Consecutive in event order (stops at a failed one, one already claimed elsewhere, or one in doubt behind a
    head that is not), and only those whose dossier state the portal already holds (event not newer than the
    last DongBoHoSoMC push)."""
    size = batch_size()
    if size <= 1 or not sync.pushed_event_id or sync.pushed_event_id <= message.event_id:
        return []  # (the portal holds no state newer than the head's event: nothing after it can ride along)
    candidates = (
        OutboxMessage.objects.filter(
            dossier_id=message.dossier_id, state__in=UNSENT, event_id__gt=message.event_id
        )
        .select_related(*WITH_EVENT)
        .order_by("event_id")[: size - 1]
    )
    followers = []
    for candidate in candidates:
        if candidate.state != OutboxMessage.State.PENDING or candidate.event_id > sync.pushed_event_id:
            break
        if candidate.ambiguous and not message.ambiguous:
            # In doubt since an earlier batch while the head is not (a person resent it): it is looked up on
            # its own turn, so that its doubt cannot make the head fail again.
            break
        if not _claim(candidate, now, lease):
            break
        followers.append(candidate)
    return followers


def _release(followers, when, *, ambiguous: bool) -> None:
    """Carried messages that were not delivered go back to the queue, behind their head."""
    for follower in followers:
        fields = {"next_attempt_at": when}
        if ambiguous:
            fields["ambiguous"] = True
        OutboxMessage.objects.filter(pk=follower.pk).update(**fields)


def _lookup(connector, code: str) -> list:
    reply = connector.call(portal.LOOKUP, {"mahoso": code})
    return [row for row in reply.result if isinstance(row, dict)]


def _store_sync(sync: DossierSync, fields: list[str]) -> None:
    """Save the sync row: one INSERT the first time, else an UPDATE of `fields`."""
    if not sync._state.adding:
        sync.save(update_fields=fields)
        return
    try:
        sync.save(force_insert=True)
    except IntegrityError:
        # Created meanwhile by another worker (only when this delivery outlived its claim's lease).
        sync.pk = DossierSync.objects.values_list("pk", flat=True).get(dossier_id=sync.dossier_id)
        sync._state.adding = False
        sync.save(update_fields=fields)


def _push_dossier(message, dossier, sync, latest_event, connector) -> None:
    if message.ambiguous and not sync.inserted:
        if _lookup(connector, dossier.code):
            sync.inserted = True
            _store_sync(sync, ["inserted"])
        message.ambiguous = False
    if sync.inserted and sync.pushed_event_id and sync.pushed_event_id >= message.event_id:
        # The portal already holds the dossier as it was after this event (a later push carried it).
        message.dossier_pushed = True
        return
    payload = {"data": [dossier_payload(dossier)]}
    message.last_request = payload
    operation = portal.UPDATE if sync.inserted else portal.INSERT
    reply = connector.call(operation, payload)
    if operation == portal.INSERT and not reply.ok and reply.already_exists:
        operation = portal.UPDATE
        reply = connector.call(operation, payload)
    message.last_reply = reply.raw[:4000]
    if not reply.ok:
        raise PortalRefused(
            _("Cổng DVCQG từ chối hồ sơ (mã lỗi %(code)s): %(message)s")
            % {"code": reply.error_code, "message": reply.message},
            reply.raw,
        )
    sync.inserted = True
    sync.last_pushed_at = timezone.now()
    sync.last_status = dossier.status
    sync.pushed_event_id = latest_event
    _store_sync(sync, ["inserted", "last_pushed_at", "last_status", "pushed_event_id"])
    # Recorded on the message with the outcome: were the worker to stop before that, the sync row (committed
    # just above) already tells the next attempt that the portal holds the dossier as it is now.
    message.dossier_pushed = True


def _same_entry(a: dict, b: dict) -> bool:
    keys = ("ThoiDiemXuLy", "TrangThai", "NoiDungXuLy")
    return all(str(a.get(k, "")) == str(b.get(k, "")) for k in keys)


def _push_progress(message, dossier, connector) -> None:
    """Send the history entries of the head and of the messages it carries, in one CapNhatTienDoHoSoMC call."""
    batch = [message] + message.carried
    entries = [(item, progress_payload(item.event, dossier.code)) for item in batch]
    if any(item.ambiguous for item in batch):
        rows = _lookup(connector, dossier.code)
        history = next((row.get("QuaTrinhXuLy") for row in rows if "QuaTrinhXuLy" in row), None)
        if not isinstance(history, list):
            raise NeedsReview(
                _(
                    "Lần gửi tiến trình trước không rõ kết quả và Cổng DVCQG không cho tra cứu tiến trình: "
                    "kiểm tra trên Cổng rồi bấm “Gửi lại” nếu Cổng chưa có."
                )
            )
        entries = [
            (item, entry)
            for item, entry in entries
            if not any(isinstance(row, dict) and _same_entry(row, entry) for row in history)
        ]
        for item in batch:
            item.ambiguous = False
        if not entries:
            return
    payload = {"data": [entry for _item, entry in entries]}
    message.last_request = payload
    reply = connector.call(portal.PROGRESS, payload)
    if not reply.ok and len(entries) > 1:
        # One bad entry must not hold the others: send the oldest alone; the rest go back to the queue.
        for item in message.carried:
            OutboxMessage.objects.filter(pk=item.pk).update(next_attempt_at=timezone.now())
        message.carried = []
        entry = progress_payload(message.event, dossier.code)
        if not any(item is message for item, _entry in entries):
            return  # the head's entry was already at the portal
        payload = {"data": [entry]}
        message.last_request = payload
        reply = connector.call(portal.PROGRESS, payload)
    message.last_reply = reply.raw[:4000]
    for item in message.carried:
        item.last_request = {"data": [progress_payload(item.event, dossier.code)]}
        item.last_reply = reply.raw[:4000]
    if not reply.ok:
        raise PortalRefused(
            _("Cổng DVCQG từ chối tiến trình (mã lỗi %(code)s): %(message)s")
            % {"code": reply.error_code, "message": reply.message},
            reply.raw,
        )


def _save(message, **fields) -> None:
    for name, value in fields.items():
        setattr(message, name, value)
    message.save(
        update_fields=[
            "state",
            "dossier_pushed",
            "ambiguous",
            "attempts",
            "next_attempt_at",
            "last_attempt_at",
            "last_error",
            "last_request",
            "last_reply",
            "sent_at",
        ]
    )


def _finish(message, state, now) -> None:
    _save(message, state=state, sent_at=now, last_error="", ambiguous=False)


def _retry(message, error: portal.PortalError, now, *, ambiguous: bool, can_fail: bool = True) -> None:
    state = OutboxMessage.State.PENDING
    if can_fail and message.attempts >= conf.max_attempts():
        state = OutboxMessage.State.FAILED
    if error.reply:
        message.last_reply = error.reply[:4000]
    _save(
        message,
        state=state,
        ambiguous=ambiguous,
        last_error=error.message,
        next_attempt_at=now + backoff(message.attempts),
    )
    logger.warning(
        "national portal: dossier %s message %s: %s", message.dossier_id, message.pk, error.message
    )


def _fail(message, error: portal.PortalError, now) -> None:
    if error.reply:
        message.last_reply = error.reply[:4000]
    _save(message, state=OutboxMessage.State.FAILED, last_error=error.message, next_attempt_at=now)
    logger.error("national portal: dossier %s message %s failed: %s", message.dossier_id, message.pk, error)


def resend(message_id: int) -> OutboxMessage:
    """Put a failed message back in the queue ("Gửi lại"): it is tried again at once, as a fresh attempt.

    A person has checked the portal, so no lookup is made first.
    """
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message_id)
        if message.state != OutboxMessage.State.FAILED:
            from django.core.exceptions import ValidationError

            raise ValidationError(_("Chỉ gửi lại được bản tin đang ở trạng thái gửi không thành công."))
        message.state = OutboxMessage.State.PENDING
        message.attempts = 0
        message.ambiguous = False
        message.next_attempt_at = timezone.now()
        message.save(update_fields=["state", "attempts", "ambiguous", "next_attempt_at"])
    return message


def sync_state(dossier) -> dict:
    """A dossier's sync state for its page: counts per message state and the portal's last reply on failure."""
    rows = OutboxMessage.objects.filter(dossier=dossier)
    counts = {s: 0 for s in OutboxMessage.State.values}
    for state in rows.values_list("state", flat=True):
        counts[state] += 1
    failed = rows.filter(state=OutboxMessage.State.FAILED).first()
    if counts["failed"]:
        label = _("Gửi không thành công")
    elif counts["pending"]:
        label = _("Đang chờ gửi")
    elif counts["sent"]:
        label = _("Đã đồng bộ")
    else:
        label = _("Chưa đồng bộ")
    sync = DossierSync.objects.filter(dossier=dossier).first()
    return {
        "label": label,
        "counts": counts,
        "failed": failed,
        "last_pushed_at": sync.last_pushed_at if sync else None,
    }
