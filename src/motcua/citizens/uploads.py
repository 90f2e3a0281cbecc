"""Checks on every uploaded file: size, type by content, safe name. Nothing is stored until all pass.

Allowed types are recognised from the file's first bytes (PDF, JPEG, PNG), never from the name or the browser's
declared type. The stored name is generated (a random name with the extension of the detected type), so what was
uploaded can never be served as HTML or executed; downloads are always sent as attachments.
"""

import hashlib
import re
import unicodedata
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)
ALLOWED_EXTENSIONS = {"pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}
# Extensions that must never appear anywhere in a name ("to-khai.pdf.exe", "anh.php.jpg").
DANGEROUS_EXTENSIONS = {
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
}
MAX_NAME_LENGTH = 150
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


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


def check_name(name: str) -> str:
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
            _("Tên tệp “%(name)s” có phần mở rộng nguy hiểm. Chỉ nhận tệp PDF, JPG hoặc PNG.")
            % {"name": name}
        )
    extension = parts[-1] if parts else ""
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            _("Tệp “%(name)s” không đúng định dạng. Chỉ nhận tệp PDF, JPG hoặc PNG.") % {"name": name}
        )
    return name.strip()


def sniff(head: bytes) -> tuple[str, str] | None:
    for signature, content_type, extension in SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    return None


def check_upload(uploaded) -> CheckedFile:
    """Check one uploaded file (a Django UploadedFile); raise ValidationError with a Vietnamese message."""
    name = check_name(getattr(uploaded, "name", "") or "")
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
    detected = sniff(content[:16])
    if detected is None:
        raise ValidationError(
            _("Nội dung tệp “%(name)s” không phải PDF, JPG hoặc PNG. Vui lòng chọn đúng tệp giấy tờ.")
            % {"name": name}
        )
    content_type, extension = detected
    return CheckedFile(
        original_name=name,
        content=content,
        content_type=content_type,
        extension=extension,
        sha256=hashlib.sha256(content).hexdigest(),
    )


def check_uploads(files: dict) -> tuple[dict, dict]:
    """Check several uploads keyed by field name; return (checked, errors) — errors keyed the same way."""
    checked, errors = {}, {}
    for key, uploaded in files.items():
        try:
            checked[key] = check_upload(uploaded)
        except ValidationError as exc:
            errors[key] = exc.messages[0]
    return checked, errors
