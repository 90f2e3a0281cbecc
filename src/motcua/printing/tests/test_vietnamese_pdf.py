"""The toolkit prints Vietnamese text that can be read back, the Decree 30 header and a scannable QR matrix."""

import io
from datetime import date

from pypdf import PdfReader
from reportlab.platypus import Paragraph

from motcua.printing.document import (
    motto_header,
    qr_drawing,
    render_pdf,
    styles,
    vietnamese_date_line,
)
from motcua.printing.fonts import SERIF, register_fonts

# Every vowel with every tone mark, plus đ/Đ: a font that lacks one of them fails this test.
ALL_VIETNAMESE = (
    "aàáảãạ ăằắẳẵặ âầấẩẫậ eèéẻẽẹ êềếểễệ iìíỉĩị oòóỏõọ ôồốổỗộ ơờớởỡợ uùúủũụ ưừứửữự yỳýỷỹỵ đ "
    "AÀÁẢÃẠ ĂẰẮẲẴẶ ÂẦẤẨẪẬ EÈÉẺẼẸ ÊỀẾỂỄỆ IÌÍỈĨỊ OÒÓỎÕỌ ÔỒỐỔỖỘ ƠỜỚỞỠỢ UÙÚỦŨỤ ƯỪỨỬỮỰ YỲÝỶỸỴ Đ"
)


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_bundled_font_has_a_glyph_for_every_vietnamese_letter():
    from reportlab.pdfbase import pdfmetrics

    register_fonts()
    face = pdfmetrics.getFont(SERIF).face
    missing = [ch for ch in ALL_VIETNAMESE if ch != " " and ord(ch) not in face.charToGlyph]
    assert missing == []


def test_vietnamese_text_reads_back_from_the_pdf():
    pdf = render_pdf([Paragraph(ALL_VIETNAMESE, styles()["body"])], title="Thử")
    text = _text(pdf)
    for word in ALL_VIETNAMESE.split():
        assert word in text


def test_header_block_carries_the_national_motto_and_the_date_line():
    header = motto_header(
        "UBND huyện Gia Bình", "Trung tâm Hành chính công", place="Gia Bình", day=date(2022, 11, 5)
    )
    text = _text(render_pdf([header], title="Thử"))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "UBND HUYỆN GIA BÌNH" in text
    assert "TRUNG TÂM HÀNH CHÍNH CÔNG" in text
    assert "Gia Bình, ngày 05 tháng 11 năm 2022" in text


def test_date_line_leaves_blanks_when_there_is_no_date():
    assert vietnamese_date_line("Gia Bình", None) == "Gia Bình, ngày ..... tháng ..... năm ......."


def test_qr_drawing_is_square_and_has_dark_modules():
    drawing = qr_drawing("https://example.vn/tra-cuu?code=000.00.99.H06-221105-0001", size=100)
    assert drawing.width == drawing.height == 100
    assert len(drawing.contents) > 100
