"""Building blocks of a Vietnamese administrative document (Decree 30/2020/NĐ-CP, Annex I) on A4.

Typical use::

    story = [motto_header("UBND HUYỆN GIA BÌNH", "TRUNG TÂM HÀNH CHÍNH CÔNG", place="Gia Bình", day=today),
             Paragraph("GIẤY TIẾP NHẬN HỒ SƠ", styles()["title"]), ...]
    pdf_bytes = render_pdf(story, title="Giấy tiếp nhận hồ sơ")
"""

import io
from datetime import date

import qrcode
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from .fonts import SERIF, SERIF_BOLD, SERIF_ITALIC, register_fonts

# Decree 30/2020 margins: top 20-25 mm, bottom 20-25 mm, left 30-35 mm, right 15-20 mm.
MARGINS = {"leftMargin": 30 * mm, "rightMargin": 15 * mm, "topMargin": 20 * mm, "bottomMargin": 20 * mm}
PAGE_WIDTH = A4[0] - MARGINS["leftMargin"] - MARGINS["rightMargin"]

MOTTO_COUNTRY = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def styles() -> dict[str, ParagraphStyle]:
    """Paragraph styles in the bundled serif: 13 pt body (Decree 30 allows 13-14 pt)."""
    register_fonts()
    base = ParagraphStyle("body", fontName=SERIF, fontSize=13, leading=17, alignment=TA_JUSTIFY)
    return {
        "body": base,
        "left": ParagraphStyle("left", parent=base, alignment=TA_LEFT),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
        "small": ParagraphStyle("small", parent=base, fontSize=11, leading=14, alignment=TA_LEFT),
        "small_center": ParagraphStyle(
            "small_center", parent=base, fontSize=11, leading=14, alignment=TA_CENTER
        ),
        "italic": ParagraphStyle("italic", parent=base, fontName=SERIF_ITALIC, alignment=TA_LEFT),
        "italic_center": ParagraphStyle(
            "italic_center", parent=base, fontName=SERIF_ITALIC, alignment=TA_CENTER
        ),
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontName=SERIF_BOLD,
            fontSize=14,
            leading=18,
            alignment=TA_CENTER,
            spaceBefore=10,
        ),
        "heading": ParagraphStyle("heading", parent=base, fontName=SERIF_BOLD, alignment=TA_CENTER),
        "bold": ParagraphStyle("bold", parent=base, fontName=SERIF_BOLD, alignment=TA_LEFT),
        "cell": ParagraphStyle("cell", parent=base, fontSize=11, leading=13, alignment=TA_LEFT),
        "cell_center": ParagraphStyle(
            "cell_center", parent=base, fontSize=11, leading=13, alignment=TA_CENTER
        ),
        "cell_head": ParagraphStyle(
            "cell_head", parent=base, fontName=SERIF_BOLD, fontSize=11, leading=13, alignment=TA_CENTER
        ),
    }


def escape(text) -> str:
    """Escape text for a reportlab Paragraph (which reads a small XML dialect)."""
    return (
        str(text if text is not None else "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    )


def vietnamese_date_line(place: str, day: date | None) -> str:
    """ "Gia Bình, ngày 05 tháng 11 năm 2022" — or with dotted blanks when the date is to be filled by hand."""
    if day is None:
        return f"{place}, ngày ..... tháng ..... năm ......."
    return f"{place}, ngày {day:%d} tháng {day:%m} năm {day:%Y}"


class _Rule(Flowable):
    """A short horizontal rule centred in its cell (the line under the motto and the issuing unit)."""

    def __init__(self, width: float, cell_width: float):
        super().__init__()
        self.rule_width, self.cell_width = width, cell_width
        self.width, self.height = cell_width, 2

    def draw(self):
        start = (self.cell_width - self.rule_width) / 2
        self.canv.setLineWidth(0.6)
        self.canv.line(start, 1, start + self.rule_width, 1)


def motto_header(
    parent_authority: str,
    issuing_unit: str,
    *,
    place: str,
    day: date | None,
    number: str | None = None,
) -> Table:
    """The two-column header block: authority and unit on the left, national motto and date on the right.

    Left: the parent authority in capitals, the issuing unit in bold capitals with a short rule under it, then the
    document number ("Số: …") if any. Right: the country name in bold capitals, the motto in bold with a rule
    under it, then the italic place-and-date line.
    """
    st = styles()
    left_w, right_w = PAGE_WIDTH * 0.42, PAGE_WIDTH * 0.58
    left_head = ParagraphStyle("lh", parent=st["small_center"], fontSize=12, leading=15)
    left_bold = ParagraphStyle("lb", parent=left_head, fontName=SERIF_BOLD)
    right_bold = ParagraphStyle("rb", parent=left_bold)
    motto_style = ParagraphStyle("motto", parent=right_bold, fontSize=13, leading=16)
    left = [
        Paragraph(escape(parent_authority.upper()), left_head)
        if parent_authority
        else Paragraph("", left_head)
    ]
    left += [Paragraph(escape(issuing_unit.upper()), left_bold), _Rule(30 * mm, left_w)]
    if number:
        left.append(Paragraph(escape(number), left_head))
    right = [
        Paragraph(MOTTO_COUNTRY, right_bold),
        Paragraph(MOTTO, motto_style),
        _Rule(60 * mm, right_w),
        Paragraph(escape(vietnamese_date_line(place, day)), st["italic_center"]),
    ]
    table = Table([[left, right]], colWidths=[left_w, right_w])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def qr_drawing(data: str, size: float = 28 * mm) -> Drawing:
    """A QR code for `data` as vector squares (crisp at any zoom, no image library needed)."""
    code = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    modules = len(matrix)
    cell = size / modules
    drawing = Drawing(size, size)
    for row_index, row in enumerate(matrix):
        for col_index, dark in enumerate(row):
            if dark:
                y = size - (row_index + 1) * cell
                drawing.add(Rect(col_index * cell, y, cell, cell, fillColor=colors.black, strokeColor=None))
    return drawing


def grid_table(rows: list[list], col_widths: list[float], header_rows: int = 1) -> Table:
    """A ruled table (every cell boxed), the usual shape of slips and ledgers."""
    table = Table(rows, colWidths=col_widths, repeatRows=header_rows)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def render_pdf(story: list, *, title: str, author: str = "motcua", landscape: bool = False) -> bytes:
    """Lay out the flowables on A4 with the Decree 30 margins and return the PDF bytes."""
    register_fonts()
    buffer = io.BytesIO()
    pagesize = (A4[1], A4[0]) if landscape else A4
    doc = SimpleDocTemplate(buffer, pagesize=pagesize, title=title, author=author, **MARGINS)
    doc.build(story)
    return buffer.getvalue()
