"""Uploads are parsed, not only sniffed: what `uploads.check_upload` calls once the type is known from the bytes.

- PDF: every compressed (Flate) stream is inflated with a ceiling before anything else reads the file, so a
  deflate bomb is refused without ever being expanded in full; then the file must open with pypdf, must not be
  encrypted, must have at least one page, and must carry no active content: no JavaScript (``/JS``,
  ``/JavaScript`` name trees, ``/S /JavaScript`` actions, XFA forms) and no ``/Launch``, ``/ImportData`` or
  ``/RichMedia`` actions anywhere in the object graph (``/OpenAction``, ``/AA``, annotations, form fields...).
  Such files are refused with a message telling the citizen to print the document to PDF again (which drops
  scripts) — stripping them would silently change a document the applicant signed or a scanner produced.
- JPEG and PNG: the header's dimensions are checked against a pixel and a decoded-size ceiling, then the whole
  image is decoded with Pillow (a truncated or disguised file fails here).
- Office packages (DOCX, XLSX, ODT, ODS): the members' declared sizes (which `zipfile` enforces while reading)
  must stay under the same decoded-size ceiling, with a bounded number of members.

Each check raises ValidationError with a Vietnamese message; nothing here writes anything.
"""

import io
import re
import warnings
import zipfile
import zlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"

MAX_ZIP_MEMBERS = 5000
_CHUNK = 1 << 16
# How many PDF objects the active-content walk visits at most (a pathological file is refused, not walked).
MAX_PDF_OBJECTS = 200_000
_STREAM_START = re.compile(rb"stream(?:\r\n|\n|\r)")
# Keys and action types that make a PDF run something when opened, clicked or printed.
ACTIVE_KEYS = {"/JS", "/JavaScript", "/XFA"}
ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/RichMedia"}


def max_expanded_bytes() -> int:
    """The most one upload may expand to once decompressed (PDF streams, image pixels, office package parts)."""
    return int(getattr(settings, "MOTCUA_UPLOAD_MAX_EXPANDED_BYTES", 128 * 1024 * 1024))


def max_image_pixels() -> int:
    return int(getattr(settings, "MOTCUA_UPLOAD_MAX_PIXELS", 60_000_000))


def _too_large(name: str) -> ValidationError:
    return ValidationError(
        _(
            "Tệp “%(name)s” khi giải nén vượt quá %(limit)s (tệp nén bất thường). "
            "Vui lòng quét hoặc lưu lại tệp ở độ phân giải thông thường."
        )
        % {"name": name, "limit": filesizeformat(max_expanded_bytes())}
    )


def _unreadable_pdf(name: str) -> ValidationError:
    return ValidationError(_("Không đọc được tệp PDF “%(name)s”.") % {"name": name})


def inspect(content: bytes, content_type: str, name: str) -> None:
    """Parse `content` as `content_type`; raise ValidationError if it is not a sound, inert file of that type."""
    if content_type == PDF:
        inspect_pdf(content, name)
    elif content_type in (JPEG, PNG):
        inspect_image(content, content_type, name)
    elif content.startswith(b"PK\x03\x04"):
        inspect_package(content, name)


# --- PDF ------------------------------------------------------------------------------------------------------


def _bounded_inflate(content: bytes, name: str) -> None:
    """Inflate every zlib stream that follows a ``stream`` keyword, with one ceiling for the whole file.

    This runs on the raw bytes, before any PDF parser, so that object streams and cross-reference streams (which
    a parser inflates while opening the file) are bounded as well. Data that is not zlib is skipped here; the
    parser judges it afterwards."""
    budget = max_expanded_bytes()
    view = memoryview(content)
    for match in _STREAM_START.finditer(content):
        inflater, position, pending = zlib.decompressobj(), match.end(), b""
        try:
            while not inflater.eof:
                if not pending:
                    if position >= len(content):
                        break
                    pending, position = view[position : position + _CHUNK], position + _CHUNK
                budget -= len(inflater.decompress(pending, _CHUNK))
                if budget < 0:
                    raise _too_large(name)
                pending = inflater.unconsumed_tail
        except zlib.error:
            continue


def _active_content(reader) -> bool:
    """True if any object reachable from the trailer carries JavaScript or a launch-type action."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer]
    visited = 0
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            return True
        if isinstance(node, DictionaryObject):
            if ACTIVE_KEYS.intersection(node.keys()):
                return True
            if str(node.get("/S", "")) in ACTIVE_ACTIONS:
                return True
            stack.extend(v for k, v in node.items() if k not in ("/Parent", "/P"))
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return False


def open_pdf(content: bytes, name: str):
    """A pypdf reader of `content`, refused (ValidationError naming the file) when it is password-protected or has
    no page; pypdf's own errors on a damaged file pass through for the caller to word."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    if reader.is_encrypted:
        raise ValidationError(
            _("Tệp “%(name)s” được đặt mật khẩu; vui lòng quét hoặc lưu lại không mật khẩu.") % {"name": name}
        )
    if len(reader.pages) == 0:
        raise ValidationError(_("Tệp “%(name)s” không có trang nào.") % {"name": name})
    return reader


def inspect_pdf(content: bytes, name: str) -> None:
    from pypdf.errors import PdfReadError, PyPdfError

    _bounded_inflate(content, name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            active = _active_content(open_pdf(content, name))
    except ValidationError:
        raise
    except (
        PdfReadError,
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        OSError,
        RecursionError,
    ) as exc:
        raise _unreadable_pdf(name) from exc
    if active:
        raise ValidationError(
            _(
                "Tệp PDF “%(name)s” chứa mã lệnh (JavaScript hoặc lệnh mở chương trình) nên không được nhận. "
                "Vui lòng in lại tài liệu ra PDF (chức năng “In ra PDF”) rồi tải lên."
            )
            % {"name": name}
        )


# --- images ---------------------------------------------------------------------------------------------------


def inspect_image(content: bytes, content_type: str, name: str) -> None:
    from PIL import Image, UnidentifiedImageError

    unreadable = ValidationError(_("Không đọc được ảnh “%(name)s”.") % {"name": name})
    expected = "JPEG" if content_type == JPEG else "PNG"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=[expected]) as image:
                width, height = image.size
                bands = max(len(image.getbands()), 1)
                if width * height > max_image_pixels() or width * height * bands > max_expanded_bytes():
                    raise _too_large(name)
                image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_large(name) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, zlib.error) as exc:
        raise unreadable from exc


# --- office packages ------------------------------------------------------------------------------------------


def inspect_package(content: bytes, name: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ValidationError(_("Không đọc được tệp “%(name)s”.") % {"name": name}) from exc
    if len(members) > MAX_ZIP_MEMBERS or sum(m.file_size for m in members) > max_expanded_bytes():
        raise _too_large(name)
