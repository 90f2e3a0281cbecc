"""The demo center's queue: one service per counter, A–E, loaded again without duplicates."""

import pytest

from motcua.org import demo as org_demo
from motcua.tickets import demo, services
from motcua.tickets.models import TicketKind

pytestmark = pytest.mark.django_db


def test_the_demo_center_offers_one_service_per_counter_and_reloading_changes_nothing():
    org_demo.load()
    demo.load()
    first = sorted(TicketKind.objects.values_list("pk", "letter", "key", "label"))
    demo.load()
    assert sorted(TicketKind.objects.values_list("pk", "letter", "key", "label")) == first
    offered = [(k.letter, k.label, [c.number for c in k.counters.all()]) for k in services.kinds_on_offer()]
    assert offered == [
        ("A", "Tư pháp – Hộ tịch, chứng thực", [1]),
        ("B", "Tài chính – Kế hoạch, đăng ký kinh doanh", [2]),
        ("C", "Đất đai, tài nguyên và thuế", [3]),
        ("D", "Xây dựng, nông nghiệp", [4]),
        ("E", "Văn hóa – Xã hội", [5]),
    ]
