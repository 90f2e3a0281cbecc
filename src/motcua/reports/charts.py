"""Small charts drawn on the server as inline SVG (no script, no outside assets)."""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

BLUE, GREEN = "#1f5fa8", "#2e7d32"


def number(value: int) -> str:
    """1.225: dots between thousands, as Vietnamese writes them."""
    return f"{value:,}".replace(",", ".")


def decimal_text(value) -> str:
    return "" if value is None else f"{value}".replace(".", ",")


def bars_by_month(months, *, width=720, height=240) -> str:
    """Grouped bars per month: new dossiers and dossiers resolved early or on time; the on-time rate below."""
    if not months:
        return ""
    top = max(max(m["new"], m["on_time"]) for m in months) or 1
    left, bottom, plot_h = 48, 40, height - 70
    slot = (width - left - 10) / len(months)
    bar = max(slot / 3, 2)
    base = height - bottom
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        'xmlns="http://www.w3.org/2000/svg"><title>'
        + escape(_("Hồ sơ tiếp nhận mới và giải quyết trước hạn, đúng hạn theo tháng"))
        + "</title>",
        f'<line x1="{left}" y1="{base}" x2="{width - 5}" y2="{base}" stroke="#999"/>',
        f'<text x="{left - 6}" y="{base - plot_h + 4}" text-anchor="end" font-size="11">{number(top)}</text>',
    ]
    for i, m in enumerate(months):
        x = left + i * slot + slot / 6
        for j, (value, colour) in enumerate(((m["new"], BLUE), (m["on_time"], GREEN))):
            h = plot_h * value / top
            parts.append(
                f'<rect x="{x + j * bar:.1f}" y="{base - h:.1f}" width="{bar - 1:.1f}" height="{h:.1f}" '
                f'fill="{colour}"><title>{number(value)}</title></rect>'
            )
        parts.append(
            f'<text x="{x + bar:.1f}" y="{base + 14}" text-anchor="middle" font-size="11">'
            f"{m['from']:%m/%Y}</text>"
        )
        if m["rate"] is not None:
            parts.append(
                f'<text x="{x + bar:.1f}" y="{base + 28}" text-anchor="middle" font-size="10" '
                f'fill="{GREEN}">{decimal_text(m["rate"])}%</text>'
            )
    new_label, on_time_label = escape(_("Tiếp nhận mới")), escape(_("Giải quyết trước hạn, đúng hạn"))
    parts.append(
        f'<rect x="{left}" y="6" width="10" height="10" fill="{BLUE}"/>'
        f'<text x="{left + 14}" y="15" font-size="11">{new_label}</text>'
        f'<rect x="{left + 110}" y="6" width="10" height="10" fill="{GREEN}"/>'
        f'<text x="{left + 124}" y="15" font-size="11">{on_time_label}</text></svg>'
    )
    return mark_safe("".join(parts))  # numbers and escaped labels only


SHARE_TITLE = gettext_lazy("Tỷ trọng theo cơ quan")


def share_bars(items, *, width=720, title=SHARE_TITLE) -> str:
    """Horizontal bars for (label, value) pairs, largest first, with each value's share of the total."""
    items = sorted(((label, value) for label, value in items if value), key=lambda x: -x[1])
    if not items:
        return ""
    total = sum(v for _label, v in items)
    top = items[0][1]
    row, label_w = 22, 300
    height = row * len(items) + 10
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for i, (label, value) in enumerate(items):
        y = 5 + i * row
        w = (width - label_w - 110) * value / top
        share = f"{value * 100 / total:.1f}".replace(".", ",")
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end" font-size="11">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="14" fill="{BLUE}"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + 14}" font-size="11">{number(value)} ({share}%)</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # labels escaped above


def received_resolved_by_month(months, *, title: str, width=720, height=260) -> str:
    """Grouped bars per month, dossiers received and dossiers resolved, each bar labelled with its number.

    `months`: dicts with "from" (a date), "new" and "resolved". The SVG names itself by `title` (role img,
    <title>); the page gives the same numbers in a table as well."""
    if not months:
        return ""
    top = max(max(m["new"], m["resolved"]) for m in months) or 1
    left, bottom, plot_h = 40, 30, height - 70
    slot = (width - left - 10) / len(months)
    bar = max(slot / 3, 2)
    base = height - bottom
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="chart-months-title" viewBox="0 0 {width} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg"><title id="chart-months-title">{escape(title)}</title>',
        f'<line x1="{left}" y1="{base}" x2="{width - 5}" y2="{base}" stroke="#767676"/>',
    ]
    for i, m in enumerate(months):
        x = left + i * slot + slot / 6
        for j, (value, colour) in enumerate(((m["new"], BLUE), (m["resolved"], GREEN))):
            h = plot_h * value / top
            bx = x + j * bar
            parts.append(
                f'<rect x="{bx:.1f}" y="{base - h:.1f}" width="{bar - 1:.1f}" height="{h:.1f}" fill="{colour}"/>'
                f'<text x="{bx + bar / 2:.1f}" y="{base - h - 3:.1f}" text-anchor="middle" font-size="10">'
                f"{number(value)}</text>"
            )
        parts.append(
            f'<text x="{x + bar:.1f}" y="{base + 14}" text-anchor="middle" font-size="11">'
            f"{m['from']:%m/%Y}</text>"
        )
    received, resolved = escape(_("Tiếp nhận")), escape(_("Đã giải quyết"))
    parts.append(
        f'<rect x="{left}" y="6" width="10" height="10" fill="{BLUE}"/>'
        f'<text x="{left + 14}" y="15" font-size="11">{received}</text>'
        f'<rect x="{left + 110}" y="6" width="10" height="10" fill="{GREEN}"/>'
        f'<text x="{left + 124}" y="15" font-size="11">{resolved}</text></svg>'
    )
    return mark_safe("".join(parts))  # numbers, dates and escaped labels only


def rate_by_agency(rows, *, title: str, width=720) -> str:
    """One horizontal bar per agency, its on-time rate in percent (0–100 scale), the rate written beside.

    `rows`: (label, rate as Decimal or None, on time, resolved); agencies with nothing resolved are left out."""
    rows = [r for r in rows if r[1] is not None]
    if not rows:
        return ""
    row_h, label_w = 24, 280
    height = row_h * len(rows) + 10
    span = width - label_w - 150
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="chart-rates-title" viewBox="0 0 {width} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg"><title id="chart-rates-title">{escape(title)}</title>'
    ]
    for i, (label, rate, on_time, resolved) in enumerate(rows):
        y = 5 + i * row_h
        w = span * float(rate) / 100
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="11">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{span}" height="16" fill="#eeeeee"/>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="16" fill="{BLUE}"/>'
            f'<text x="{label_w + span + 6}" y="{y + 15}" font-size="11">{decimal_text(rate)}% '
            f"({number(on_time)}/{number(resolved)})</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # labels escaped above
