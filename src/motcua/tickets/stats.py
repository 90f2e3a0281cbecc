"""Waiting and service times per counter and hour, for the supervisor.

Waiting time: from taking the ticket to its first call. Service time: from the first call to the end of service
(the next call at that counter, "finish", or "skip" for a no-show, which is counted apart and has no service
time). A ticket counts in the hour (Vietnam time) of its first call, at the counter that ended it.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from .models import Ticket


@dataclass
class Cell:
    served: int = 0
    skipped: int = 0
    waits: list[float] = field(default_factory=list)
    services: list[float] = field(default_factory=list)

    @property
    def mean_wait(self) -> float | None:
        return sum(self.waits) / len(self.waits) if self.waits else None

    @property
    def max_wait(self) -> float | None:
        return max(self.waits) if self.waits else None

    @property
    def mean_service(self) -> float | None:
        return sum(self.services) / len(self.services) if self.services else None

    def add(self, other: "Cell") -> None:
        self.served += other.served
        self.skipped += other.skipped
        self.waits += other.waits
        self.services += other.services


@dataclass
class Stats:
    hours: list[int]
    rows: list[tuple[object, list[Cell | None], Cell]]  # (counter, a cell per hour of `hours`, total)
    by_hour: list[Cell]
    total: Cell
    waiting_now: int


def minutes(delta: datetime.timedelta) -> float:
    return delta.total_seconds() / 60


def queue_stats(center, day_from: datetime.date, day_to: datetime.date) -> Stats:
    """The figures of `center`'s counters for the days from `day_from` to `day_to` (both included)."""
    tickets = (
        Ticket.objects.filter(kind__center=center, day__gte=day_from, day__lte=day_to)
        .exclude(first_called_at=None)
        .exclude(counter=None)
        .select_related("counter")
        .only("status", "issued_at", "first_called_at", "finished_at", "counter__number", "counter__name")
    )
    cells: dict = defaultdict(lambda: defaultdict(Cell))
    counters = {}
    for ticket in tickets.iterator(chunk_size=2000):
        hour = timezone.localtime(ticket.first_called_at).hour
        counters[ticket.counter_id] = ticket.counter
        cell = cells[ticket.counter_id][hour]
        cell.waits.append(minutes(ticket.first_called_at - ticket.issued_at))
        if ticket.status == Ticket.Status.SKIPPED:
            cell.skipped += 1
        elif ticket.status == Ticket.Status.SERVED and ticket.finished_at:
            cell.served += 1
            cell.services.append(minutes(ticket.finished_at - ticket.first_called_at))
    hours = sorted({hour for by_hour in cells.values() for hour in by_hour})
    rows, by_hour, total = [], defaultdict(Cell), Cell()
    for counter_id, counter in sorted(counters.items(), key=lambda item: item[1].number):
        row_total = Cell()
        for hour, cell in cells[counter_id].items():
            row_total.add(cell)
            by_hour[hour].add(cell)
        total.add(row_total)
        rows.append((counter, [cells[counter_id].get(hour) for hour in hours], row_total))
    waiting_now = Ticket.objects.filter(
        kind__center=center, day=timezone.localdate(), status=Ticket.Status.WAITING
    ).count()
    return Stats(
        hours=hours,
        rows=rows,
        by_hour=[by_hour[hour] for hour in hours],
        total=total,
        waiting_now=waiting_now,
    )
