"""The one place where every uploaded file is checked: size, type by content, safe name.

Nothing is stored until all checks pass. Allowed types are recognised from the file's bytes (PDF, JPEG, PNG, and
office documents — DOCX, XLSX, ODT, ODS — only where the caller allows them), never from the name or the
browser's declared type, and the file is then parsed as that type (`motcua.upload_inspection`: a PDF must open
and carry no JavaScript or launch action, an image must decode, decompression is bounded). The stored name is generated (random, with the extension of the detected type), so what
was uploaded can never be served as HTML or executed; downloads are always sent as attachments
(`motcua.documents.downloads`).
"""

import hashlib
import io
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from motcua import upload_inspection as inspection

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"

SIGNATURES = (
    (b"%PDF-", PDF, "pdf"),
    (b"\xff\xd8\xff", JPEG, "jpg"),
    (b"\x89PNG\r\n\x1a\n", PNG, "png"),
)
ALLOWED_EXTENSIONS = {"pdf": PDF, "jpg": JPEG, "jpeg": JPEG, "png": PNG}
OFFICE_EXTENSIONS = {"docx": DOCX, "xlsx": XLSX, "odt": ODT, "ods": ODS}
EXTENSION_OF = {PDF: "pdf", JPEG: "jpg", PNG: "png", DOCX: "docx", XLSX: "xlsx", ODT: "odt", ODS: "ods"}
# Extensions that must never appear anywhere in a name ("to-khai.pdf.exe", "anh.php.jpg").
DANGEROUS_EXTENSIONS = {
    *[
        "exe",
        "com",
        "bat",
        "cmd",
        "msi",
        "scr",
        "pif",
        "vbs",
        "vbe",
        "js",
        "jse",
        "jar",
        "ps1",
        "sh",
        "bash",
        "php",
        "phtml",
        "php5",
        "asp",
        "aspx",
        "jsp",
        "cgi",
        "pl",
        "py",
        "rb",
    ],
    *[
        "html",
        "htm",
        "xhtml",
        "shtml",
        "svg",
        "xml",
        "hta",
        "dll",
        "so",
        "lnk",
        "reg",
        "swf",
        "wsf",
        "apk",
        "dmg",
        "iso",
        "docm",
        "xlsm",
        "pptm",
        "dotm",
        "xltm",
    ],
}
MAX_NAME_LENGTH = 150
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


OFFICE_TEMPLATE_EXTENSIONS = (".doc", ".docx", ".xls", ".xlsx", ".odt", ".ods")


def allows_office_documents(required_document) -> bool:
    """A component may be an office document when the procedure asks for one: its form template (mẫu đơn,
    tờ khai) is itself an office file to fill in."""
    name = getattr(getattr(required_document, "form_template", None), "name", "") or ""
    return name.lower().endswith(OFFICE_TEMPLATE_EXTENSIONS)


def max_upload_bytes() -> int:
    return int(getattr(settings, "MOTCUA_UPLOAD_MAX_BYTES", 10 * 1024 * 1024))


@dataclass
class CheckedFile:
    original_name: str
    content: bytes
    content_type: str
    extension: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)

    def stored_name(self) -> str:
        return f"{uuid.uuid4().hex}.{self.extension}"

    def as_content_file(self) -> ContentFile:
        return ContentFile(self.content, name=self.stored_name())


def _types_label(allow_office: bool) -> str:
    return _("PDF, JPG, PNG, DOCX, XLSX, ODT hoặc ODS") if allow_office else _("PDF, JPG hoặc PNG")


def check_name(name: str, allow_office: bool = False) -> str:
    """The display name if it is safe; raise ValidationError otherwise."""
    name = unicodedata.normalize("NFC", name or "")
    if not name.strip():
        raise ValidationError(_("Tệp không có tên."))
    if _CONTROL.search(name) or "/" in name or "\\" in name or ".." in name or name.startswith("."):
        raise ValidationError(
            _(
                "Tên tệp “%(name)s” không an toàn (có ký tự đường dẫn hoặc ký tự điều khiển). Vui lòng đổi tên tệp."
            )
            % {"name": _CONTROL.sub("?", name)[:80]}
        )
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(
            _("Tên tệp dài quá %(n)d ký tự. Vui lòng đổi tên ngắn hơn.") % {"n": MAX_NAME_LENGTH}
        )
    parts = [p.lower().strip() for p in name.split(".")[1:]]
    if any(p in DANGEROUS_EXTENSIONS for p in parts):
        raise ValidationError(
            _("Tên tệp “%(name)s” có phần mở rộng nguy hiểm. Chỉ nhận tệp %(types)s.")
            % {"name": name, "types": _types_label(allow_office)}
        )
    extension = parts[-1] if parts else ""
    allowed = {**ALLOWED_EXTENSIONS, **(OFFICE_EXTENSIONS if allow_office else {})}
    if extension not in allowed:
        raise ValidationError(
            _("Tệp “%(name)s” không đúng định dạng. Chỉ nhận tệp %(types)s.")
            % {"name": name, "types": _types_label(allow_office)}
        )
    return name.strip()


def _office_type(content: bytes) -> str | None:
    """DOCX/XLSX (Office Open XML) or ODT/ODS by the package's own parts; macro-enabled packages are refused."""
    if not content.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            names = set(package.namelist())
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                return None
            if "mimetype" in names:
                mimetype = package.read("mimetype").decode("ascii", "replace").strip()
                return mimetype if mimetype in (ODT, ODS) else None
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return DOCX
                if "xl/workbook.xml" in names:
                    return XLSX
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return None
    return None


def sniff(content: bytes, allow_office: bool = False) -> tuple[str, str] | None:
    """(content type, extension) recognised from the bytes, or None."""
    for signature, content_type, extension in SIGNATURES:
        if content.startswith(signature):
            return content_type, extension
    if allow_office:
        content_type = _office_type(content)
        if content_type:
            return content_type, EXTENSION_OF[content_type]
    return None


def check_upload(uploaded, allow_office: bool = False) -> CheckedFile:
    """Check one uploaded file (a Django UploadedFile); raise ValidationError with a Vietnamese message."""
    name = check_name(getattr(uploaded, "name", "") or "", allow_office)
    limit = max_upload_bytes()
    size = getattr(uploaded, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            _("Tệp “%(name)s” có dung lượng %(size)s, vượt quá giới hạn %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    chunks, total = [], 0
    for chunk in uploaded.chunks():
        total += len(chunk)
        if total > limit:
            raise ValidationError(
                _("Tệp “%(name)s” vượt quá giới hạn %(limit)s.")
                % {"name": name, "limit": filesizeformat(limit)}
            )
        chunks.append(chunk)
    content = b"".join(chunks)
    if not content:
        raise ValidationError(_("Tệp “%(name)s” rỗng.") % {"name": name})
    detected = sniff(content, allow_office)
    if detected is None:
        raise ValidationError(
            _("Nội dung tệp “%(name)s” không phải %(types)s. Vui lòng chọn đúng tệp giấy tờ.")
            % {"name": name, "types": _types_label(allow_office)}
        )
    content_type, extension = detected
    inspection.inspect(content, content_type, name)
    return CheckedFile(
        original_name=name,
        content=content,
        content_type=content_type,
        extension=extension,
        sha256=hashlib.sha256(content).hexdigest(),
    )


def check_uploads(files: dict, allow_office: bool = False) -> tuple[dict, dict]:
    """Check several uploads keyed by field name; return (checked, errors) — errors keyed the same way."""
    checked, errors = {}, {}
    for key, uploaded in files.items():
        try:
            checked[key] = check_upload(uploaded, allow_office)
        except ValidationError as exc:
            errors[key] = exc.messages[0]
    return checked, errors
