"""Demo queue (idempotent, run by `load_demo`): one ticket kind per counter of the demo center, lettered A, B, …
in counter order, served by that counter."""

from motcua.org.models import Counter

from .models import TicketKind

SHORT_LABELS = {
    1: "Tư pháp – Hộ tịch, chứng thực",
    2: "Tài chính – Kế hoạch, đăng ký kinh doanh",
    3: "Đất đai, tài nguyên và thuế",
    4: "Xây dựng, nông nghiệp",
    5: "Văn hóa – Xã hội",
}


def load():
    for position, counter in enumerate(Counter.objects.filter(is_demo=True).order_by("center_id", "number")):
        letter = chr(ord("A") + counter.number - 1) if 1 <= counter.number <= 26 else f"Q{counter.number}"
        label = SHORT_LABELS.get(counter.number) or counter.name.removeprefix("Quầy ").strip()
        kind, _ = TicketKind.objects.update_or_create(
            center=counter.center,
            key=f"quay-{counter.number}",
            defaults={
                "letter": letter,
                "label": label,
                "position": position,
                "is_demo": True,
                "is_active": True,
            },
        )
        if list(kind.counters.all()) != [counter]:
            kind.counters.set([counter])
    return []
