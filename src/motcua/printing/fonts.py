"""Register the bundled Vietnamese-capable serif font with reportlab.

Liberation Serif has the metrics of Times New Roman (the font Decree 30/2020 prescribes for administrative
documents) and covers the full Vietnamese alphabet with its stacked diacritics (ầ, ẫ, ợ, ữ...). reportlab embeds
a subset of it, with a ToUnicode map, so the text of a printed form can be read back from the PDF.
"""

from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"

SERIF = "MotcuaSerif"
SERIF_BOLD = "MotcuaSerif-Bold"
SERIF_ITALIC = "MotcuaSerif-Italic"
SERIF_BOLD_ITALIC = "MotcuaSerif-BoldItalic"

_FILES = {
    SERIF: "LiberationSerif-Regular.ttf",
    SERIF_BOLD: "LiberationSerif-Bold.ttf",
    SERIF_ITALIC: "LiberationSerif-Italic.ttf",
    SERIF_BOLD_ITALIC: "LiberationSerif-BoldItalic.ttf",
}


def register_fonts() -> str:
    """Register the four faces once per process (idempotent) and return the regular face's name."""
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, filename in _FILES.items():
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
    # <b> and <i> inside a Paragraph pick the right face.
    addMapping(SERIF, 0, 0, SERIF)
    addMapping(SERIF, 1, 0, SERIF_BOLD)
    addMapping(SERIF, 0, 1, SERIF_ITALIC)
    addMapping(SERIF, 1, 1, SERIF_BOLD_ITALIC)
    return SERIF
