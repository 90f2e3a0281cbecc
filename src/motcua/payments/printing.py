"""The e-receipt as PDF: A4 or A5 for an office printer, 80 mm for a thermal receipt printer.

Every paper carries the same facts: the collecting agency, mẫu số / ký hiệu / số, the payer, the lines split into
phí and lệ phí, the total in figures and in words, the method, the collector and time, and a QR code linking to
the public check page of the receipt. A voided receipt prints with "ĐÃ HỦY" and its reason.
"""

import io
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from motcua.printing.document import MOTTO, MOTTO_COUNTRY, escape, grid_table, qr_drawing
from motcua.printing.fonts import SERIF, SERIF_BOLD, SERIF_ITALIC, register_fonts

from .models import FeeKind, Receipt
from .words import format_vnd

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
PAPERS = {
    "a4": {"size": A4, "margins": (20 * mm, 15 * mm, 15 * mm, 15 * mm), "font": 12},
    "a5": {"size": A5, "margins": (12 * mm, 10 * mm, 10 * mm, 10 * mm), "font": 10},
    "80mm": {"size": (80 * mm, None), "margins": (4 * mm, 3 * mm, 4 * mm, 3 * mm), "font": 8.5},
}
TITLE = "BIÊN LAI THU PHÍ, LỆ PHÍ"


def verification_url(receipt: Receipt) -> str:
    """The public page where anyone holding the receipt can check it (printed as the QR code)."""
    path = reverse("payments:verify", args=[receipt.verification_code])
    return settings.MOTCUA_PUBLIC_URL.rstrip("/") + path


def _styles(size: float) -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("r", fontName=SERIF, fontSize=size, leading=size * 1.3, alignment=TA_LEFT)
    return {
        "body": base,
        "center": ParagraphStyle("rc", parent=base, alignment=TA_CENTER),
        "right": ParagraphStyle("rr", parent=base, alignment=TA_RIGHT),
        "bold": ParagraphStyle("rb", parent=base, fontName=SERIF_BOLD),
        "bold_center": ParagraphStyle("rbc", parent=base, fontName=SERIF_BOLD, alignment=TA_CENTER),
        "italic": ParagraphStyle("ri", parent=base, fontName=SERIF_ITALIC),
        "italic_center": ParagraphStyle("ric", parent=base, fontName=SERIF_ITALIC, alignment=TA_CENTER),
        "title": ParagraphStyle(
            "rt",
            parent=base,
            fontName=SERIF_BOLD,
            fontSize=size + 3,
            leading=(size + 3) * 1.3,
            alignment=TA_CENTER,
        ),
        "void": ParagraphStyle(
            "rv",
            parent=base,
            fontName=SERIF_BOLD,
            fontSize=size + 5,
            leading=(size + 5) * 1.3,
            alignment=TA_CENTER,
        ),
    }


def _local(moment):
    return moment.astimezone(VIETNAM)


def _facts(receipt: Receipt) -> list[tuple[str, str]]:
    issued = _local(receipt.issued_at)
    rows = [
        ("Họ tên người nộp", receipt.payer_name),
    ]
    if receipt.payer_id_number:
        rows.append(("Số giấy tờ", receipt.payer_id_number))
    if receipt.payer_address:
        rows.append(("Địa chỉ", receipt.payer_address))
    if receipt.dossier_code:
        rows.append(("Mã hồ sơ", receipt.dossier_code))
    if receipt.note:
        rows.append(("Nội dung thu", receipt.note))
    method = receipt.get_method_display()
    if receipt.terminal_reference:
        method += f" (mã tham chiếu {receipt.terminal_reference})"
    rows.append(("Hình thức thanh toán", method))
    collector = (
        (receipt.collector.get_full_name() or receipt.collector.get_username())
        if receipt.collector
        else "Thu qua cổng thanh toán trực tuyến"
    )
    rows.append(("Người thu", collector))
    rows.append(("Thời điểm thu", f"{issued:%d/%m/%Y %H:%M}"))
    return rows


def _header(receipt: Receipt, st: dict, width: float, narrow: bool) -> list:
    """The heading: the agency, the national motto, the title and the receipt's mẫu số / ký hiệu / số."""
    book = receipt.book
    agency = book.agency
    series_lines = [
        f"Mẫu số: {escape(book.template_no)}",
        f"Ký hiệu: {escape(book.series)}",
        f"Số: <b>{receipt.number_display}</b>",
    ]
    unit_name = escape(agency.unit.name.upper()) if agency.unit_id else ""
    if narrow:
        return [
            Paragraph(escape(agency.name.upper()), st["bold_center"]),
            Paragraph(MOTTO_COUNTRY, st["center"]),
            Paragraph(MOTTO, st["center"]),
            Spacer(1, 2 * mm),
            Paragraph(TITLE, st["title"]),
            Paragraph("(Biên lai điện tử)", st["italic_center"]),
            Paragraph(" – ".join(series_lines), st["center"]),
        ]
    left = [Paragraph(unit_name, st["center"]), Paragraph(escape(agency.name.upper()), st["bold_center"])]
    right = [Paragraph(MOTTO_COUNTRY, st["bold_center"]), Paragraph(MOTTO, st["bold_center"])]
    header = Table([[left, right]], colWidths=[width * 0.45, width * 0.55])
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    title = [Paragraph(TITLE, st["title"]), Paragraph("(Biên lai điện tử)", st["italic_center"])]
    series = [Paragraph(line, st["body"]) for line in series_lines]
    block = Table([[title, series]], colWidths=[width * 0.7, width * 0.3])
    block.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return [header, Spacer(1, 3 * mm), block]


def _status_lines(receipt: Receipt, st: dict) -> list:
    """The date of issue, then the voided mark and its reason, and the receipt this one replaces, if any."""
    issued = _local(receipt.issued_at)
    lines: list = [Paragraph(f"Ngày {issued:%d} tháng {issued:%m} năm {issued:%Y}", st["italic_center"])]
    if receipt.status == Receipt.Status.VOIDED:
        lines += [
            Spacer(1, 2 * mm),
            Paragraph("BIÊN LAI ĐÃ HỦY", st["void"]),
            Paragraph(f"Lý do hủy: {escape(receipt.void_reason)}", st["center"]),
        ]
    if receipt.replaces_id:
        old = receipt.replaces
        lines.append(
            Paragraph(
                f"Thay thế biên lai ký hiệu {escape(old.book.series)} số {old.number_display}",
                st["italic_center"],
            )
        )
    return lines


def _items_table(receipt: Receipt, st: dict, width: float, narrow: bool) -> Table:
    """The table of the receipt's lines: two columns on a roll, six (with kind, quantity, price) on a page."""
    items = list(receipt.items.all())
    if narrow:
        rows = [[Paragraph("<b>Khoản thu</b>", st["body"]), Paragraph("<b>Thành tiền</b>", st["right"])]]
        for item in items:
            text = f"{escape(item.description)} ({item.get_kind_display().lower()})"
            if item.quantity > 1:
                text += f"<br/>{item.quantity} × {format_vnd(item.unit_amount)}"
            rows.append([Paragraph(text, st["body"]), Paragraph(format_vnd(item.amount), st["right"])])
        return grid_table(rows, [width * 0.62, width * 0.38])
    rows = [
        [
            Paragraph(f"<b>{h}</b>", st["center"])
            for h in ("STT", "Nội dung", "Loại", "SL", "Đơn giá", "Thành tiền")
        ]
    ]
    for index, item in enumerate(items, start=1):
        rows.append(
            [
                Paragraph(str(index), st["center"]),
                Paragraph(escape(item.description), st["body"]),
                Paragraph(item.get_kind_display(), st["center"]),
                Paragraph(str(item.quantity), st["center"]),
                Paragraph(format_vnd(item.unit_amount), st["right"]),
                Paragraph(format_vnd(item.amount), st["right"]),
            ]
        )
    fractions = (0.07, 0.38, 0.11, 0.07, 0.17, 0.20)
    return grid_table(rows, [width * f for f in fractions])


def _totals(receipt: Receipt, st: dict) -> list:
    """The totals of phí and lệ phí, the grand total, and the total in words."""
    return [
        Paragraph(f"Cộng phí: {format_vnd(receipt.kind_total(FeeKind.SERVICE_FEE))}", st["right"]),
        Paragraph(f"Cộng lệ phí: {format_vnd(receipt.kind_total(FeeKind.ADMIN_CHARGE))}", st["right"]),
        Paragraph(f"<b>Tổng cộng: {format_vnd(receipt.total)}</b>", st["right"]),
        Paragraph(f"Số tiền bằng chữ: <i>{escape(receipt.total_in_words)}</i>", st["body"]),
        Spacer(1, 3 * mm),
    ]


def _check_block(receipt: Receipt, st: dict, width: float, narrow: bool) -> list:
    """The QR code and check page link; on a page, beside the payer's and the collector's signatures."""
    url = verification_url(receipt)
    qr_size = 24 * mm if narrow else 26 * mm
    check = [
        Paragraph("Tra cứu biên lai:", st["body"]),
        Paragraph(escape(url), st["body"]),
        Paragraph(f"Mã tra cứu: <b>{receipt.verification_code}</b>", st["body"]),
    ]
    if narrow:
        qr = Table([[qr_drawing(url, qr_size)]], colWidths=[width])
        qr.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER")]))
        return [qr, *check]
    signatures = [
        [
            Paragraph("<b>NGƯỜI NỘP TIỀN</b>", st["center"]),
            Paragraph("<b>NGƯỜI THU TIỀN</b>", st["center"]),
        ],
        [
            Paragraph("(Ký, ghi rõ họ tên)", st["italic_center"]),
            Paragraph("(Ký, ghi rõ họ tên)", st["italic_center"]),
        ],
    ]
    sign = Table(signatures, colWidths=[(width - qr_size) / 2] * 2)
    layout = Table(
        [[[qr_drawing(url, qr_size)], sign]], colWidths=[qr_size + 2 * mm, width - qr_size - 2 * mm]
    )
    layout.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return [layout, *check]


def _story(receipt: Receipt, paper: str, width: float) -> list:
    """The receipt's flowables on `paper`, `width` wide."""
    st = _styles(PAPERS[paper]["font"])
    narrow = paper == "80mm"
    story = _header(receipt, st, width, narrow)
    story += _status_lines(receipt, st)
    story.append(Spacer(1, 2 * mm))
    for label, value in _facts(receipt):
        story.append(Paragraph(f"{label}: <b>{escape(value)}</b>", st["body"]))
    story.append(Spacer(1, 2 * mm))
    story += [_items_table(receipt, st, width, narrow), Spacer(1, 2 * mm)]
    story += _totals(receipt, st)
    story += _check_block(receipt, st, width, narrow)
    return story


def receipt_pdf(receipt: Receipt, paper: str = "a4") -> bytes:
    """The receipt as PDF bytes on `paper` ("a4", "a5" or "80mm")."""
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {sorted(PAPERS)}")
    conf = PAPERS[paper]
    top, right, bottom, left = conf["margins"]
    page_width, page_height = conf["size"]
    width = page_width - left - right
    story = _story(receipt, paper, width)
    if page_height is None:  # a roll: the page is as long as the receipt
        page_height = (
            top
            + bottom
            + sum(f.wrap(width, 10_000)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in story)
        )
        page_height += 10 * mm
        story = _story(receipt, paper, width)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=(page_width, page_height),
        topMargin=top,
        rightMargin=right,
        bottomMargin=bottom,
        leftMargin=left,
        title=f"Biên lai {receipt.book.series} số {receipt.number_display}",
        author="motcua",
    )
    doc.build(story)
    return buffer.getvalue()
