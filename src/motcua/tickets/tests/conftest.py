"""A small center for the queue's tests: three counters, three services, one reception officer.

Counter 1 serves A (Tư pháp); counter 2 serves A and B (Đất đai); counter 3 serves C (Văn hóa – Xã hội).
Every clock-dependent test pins its instant (`at`), including the edges of a day in Vietnam time.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine

from motcua.accounts.tests.factories import UserFactory
from motcua.dossiers.tests.factories import grant
from motcua.org.models import Center, Counter, Role
from motcua.org.tests.factories import CenterFactory, CounterFactory

from ..models import TicketKind
from .factories import TicketKindFactory

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def local(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=HCM)


@dataclass
class Hall:
    center: Center
    counters: list[Counter]
    a: TicketKind
    b: TicketKind
    c: TicketKind
    officer: object

    def counter(self, number: int) -> Counter:
        return next(c for c in self.counters if c.number == number)


@pytest.fixture
def hall(db) -> Hall:
    center = CenterFactory(name="Trung tâm Hành chính công huyện Mẫu")
    counters = [
        CounterFactory(center=center, number=n, name=name)
        for n, name in [(1, "Quầy Tư pháp"), (2, "Quầy Đất đai"), (3, "Quầy Văn hóa – Xã hội")]
    ]
    one, two, three = counters
    a = TicketKindFactory(
        center=center, key="tu-phap", letter="A", label="Tư pháp – Hộ tịch", counters=[one, two]
    )
    b = TicketKindFactory(center=center, key="dat-dai", letter="B", label="Đất đai", counters=[two])
    c = TicketKindFactory(
        center=center, key="van-hoa", letter="C", label="Văn hóa – Xã hội", counters=[three]
    )
    officer = UserFactory(username="tiepnhan", full_name="Nguyễn Thị Hoa")
    grant(officer, Role.RECEPTION_OFFICER, center.agency)
    return Hall(center, counters, a, b, c, officer)


@pytest.fixture
def at():
    """Freeze the clock at a local instant: `with at(2026, 12, 31, 23, 30): ...` (the clock does not move)."""

    def travel(*args):
        return time_machine.travel(local(*args), tick=False)

    return travel
