"""Pages into one PDF: scanned images (JPEG, PNG) and PDFs, in the order given; page counts."""

import io

import img2pdf
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from motcua.upload_inspection import open_pdf
from motcua.uploads import JPEG, PDF, PNG, CheckedFile


def _image_to_pdf(checked: CheckedFile) -> bytes:
    try:
        return img2pdf.convert(checked.content, rotation=img2pdf.Rotation.ifvalid)
    except (img2pdf.AlphaChannelError, img2pdf.ImageOpenError, ValueError):
        pass
    # PNG with transparency or an unusual mode: flatten onto white, keep the pixels.
    try:
        with Image.open(io.BytesIO(checked.content)) as image:
            image.load()
            background = Image.new("RGB", image.size, "white")
            rgba = image.convert("RGBA")
            background.paste(rgba, mask=rgba.getchannel("A"))
            buffer = io.BytesIO()
            background.save(buffer, format="PNG")
        return img2pdf.convert(buffer.getvalue())
    except Exception as exc:  # noqa: BLE001 - any decoding failure is the same bad input for the user
        raise ValidationError(_("Không đọc được ảnh “%(name)s”.") % {"name": checked.original_name}) from exc


def _reader(content: bytes, name: str) -> PdfReader:
    try:
        return open_pdf(content, name)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ValidationError(_("Không đọc được tệp PDF “%(name)s”.") % {"name": name}) from exc


def page_count(content: bytes, name: str = "") -> int:
    return len(_reader(content, name).pages)


def combine(pages: list[CheckedFile]) -> tuple[bytes, int]:
    """One PDF of all `pages` (images become pages, PDFs keep theirs) and its page count."""
    if not pages:
        raise ValidationError(_("Chưa có trang nào để số hóa."))
    if len(pages) == 1 and pages[0].content_type == PDF:
        return pages[0].content, page_count(pages[0].content, pages[0].original_name)
    writer = PdfWriter()
    for checked in pages:
        if checked.content_type in (JPEG, PNG):
            content = _image_to_pdf(checked)
        elif checked.content_type == PDF:
            content = checked.content
        else:
            raise ValidationError(
                _("Tệp “%(name)s” không ghép được vào bản số hóa (chỉ ảnh JPG, PNG hoặc PDF).")
                % {"name": checked.original_name}
            )
        for page in _reader(content, checked.original_name).pages:
            writer.add_page(page)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue(), len(writer.pages)
