"""The queue ticket as an 80 mm receipt-printer PDF: the center, the number in large type, the service, when it
was taken, how many wait before it, and the QR code of the follow page."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

from motcua.printing.document import escape, qr_drawing
from motcua.printing.fonts import SERIF, SERIF_BOLD, register_fonts

from .models import Ticket

WIDTH = 80 * mm
MARGIN = 4 * mm
HEIGHT = 130 * mm


def ticket_pdf(ticket: Ticket, waiting_before: int, follow_url: str) -> bytes:
    register_fonts()
    center = ParagraphStyle("c", fontName=SERIF, fontSize=10, leading=12, alignment=TA_CENTER)
    bold = ParagraphStyle("b", parent=center, fontName=SERIF_BOLD, fontSize=11, leading=14)
    number = ParagraphStyle("n", parent=center, fontName=SERIF_BOLD, fontSize=40, leading=46)
    issued = timezone.localtime(ticket.issued_at)
    story = [
        Paragraph(escape(ticket.kind.center.name.upper()), bold),
        Spacer(1, 2 * mm),
        Paragraph(escape(_("SỐ THỨ TỰ")), center),
        Paragraph(escape(ticket.code), number),
        Paragraph(escape(ticket.kind.label), bold),
    ]
    if ticket.priority:
        story.append(
            Paragraph(escape(_("Ưu tiên: %(who)s") % {"who": ticket.get_priority_reason_display()}), center)
        )
    story += [
        Paragraph(escape(_("Lấy số lúc %(at)s") % {"at": issued.strftime("%H:%M %d/%m/%Y")}), center),
        Paragraph(escape(_("Số người chờ trước ông/bà: %(n)d") % {"n": waiting_before}), center),
        Spacer(1, 2 * mm),
        Table([[qr_drawing(follow_url, size=28 * mm)]], colWidths=[WIDTH - 2 * MARGIN]),
        Paragraph(escape(_("Quét mã để theo dõi lượt gọi trên điện thoại")), center),
    ]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=(WIDTH, HEIGHT),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=_("Số thứ tự %(code)s") % {"code": ticket.code},
        author="motcua",
    )
    doc.build(story)
    return buffer.getvalue()
