"""Signed electronic results: PAdES signatures with the agency's certificate (pyHanko), and their verification.

The certificate and its key are files named by settings (`MOTCUA_SIGNING_KEY`, `MOTCUA_SIGNING_CERT`, and the
trusted root `MOTCUA_SIGNING_TRUST_ROOT`); by default they are `agency-key.pem`, `agency-cert.pem` and
`ca-cert.pem` in `MOTCUA_SIGNING_DIR` (DATA_DIR/signing). For the demo center, `motcua create_demo_ca` generates
a DEMO certificate authority and a DEMO agency certificate there (never a real one, never committed). A real
deployment points the settings at the certificate its CA issued (e.g. exported from the agency's token).
"""

import datetime
import io
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

DEMO_MARK = "DEMO - KHONG CO GIA TRI PHAP LY"


def signing_dir() -> Path:
    return Path(getattr(settings, "MOTCUA_SIGNING_DIR", "") or Path(settings.DATA_DIR) / "signing")


def _paths() -> tuple[Path, Path, Path]:
    base = signing_dir()
    return (
        Path(getattr(settings, "MOTCUA_SIGNING_KEY", "") or base / "agency-key.pem"),
        Path(getattr(settings, "MOTCUA_SIGNING_CERT", "") or base / "agency-cert.pem"),
        Path(getattr(settings, "MOTCUA_SIGNING_TRUST_ROOT", "") or base / "ca-cert.pem"),
    )


def is_configured() -> bool:
    return all(p.exists() for p in _paths())


def create_demo_ca(
    directory: Path | None = None, organisation: str = "Trung tâm Hành chính công (DEMO)"
) -> Path:
    """Generate a demo CA and an agency signing certificate issued by it, valid for two years.

    Writes ca-cert.pem, agency-cert.pem and agency-key.pem (mode 600); the CA's own key is never written.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    directory = Path(directory or signing_dir())
    directory.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=5)
    until = now + datetime.timedelta(days=730)

    def name(common):
        return x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
                x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, DEMO_MARK),
                x509.NameAttribute(NameOID.COMMON_NAME, common),
            ]
        )

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = name("motcua DEMO Root CA")
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(until)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name(organisation))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(until)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    (directory / "ca-cert.pem").write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    (directory / "agency-cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path = directory / "agency-key.pem"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    key_path.chmod(0o600)
    return directory


def _signer():
    from pyhanko.sign import signers

    key, cert, root = _paths()
    if not is_configured():
        raise ImproperlyConfigured(
            _("Chưa cấu hình chứng thư số của cơ quan (chạy “motcua create_demo_ca” cho bản trình diễn).")
        )
    return signers.SimpleSigner.load(str(key), str(cert), ca_chain_files=(str(root),))


def sign_pdf(content: bytes, reason: str = "") -> tuple[bytes, str]:
    """Sign a PDF (PAdES baseline B) with the agency's certificate; returns (signed bytes, signer description)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = _signer()
    writer = IncrementalPdfFileWriter(io.BytesIO(content), strict=False)
    metadata = signers.PdfSignatureMetadata(
        field_name="ChuKySoCoQuan",
        reason=reason or None,
        location="Việt Nam",
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    out = signers.sign_pdf(writer, metadata, signer=signer)
    subject = signer.signing_cert.subject.human_friendly
    return out.getvalue(), subject[:500]


@dataclass
class Verification:
    intact: bool  # the signed bytes are unchanged and the signature matches them
    trusted: bool  # the certificate chains to the configured root
    whole_file: bool  # the signature covers the whole file (nothing added after signing)
    signer: str = ""
    signed_at: datetime.datetime | None = None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.intact and self.trusted and self.whole_file


def _padding_untouched(embedded) -> bool:
    """The signature value (/Contents) is the DER-encoded CMS object followed only by zero padding.

    The byte ranges a PDF signature covers leave out /Contents, so a change in its padding would otherwise go
    unnoticed; an issued file must be byte-for-byte what was signed.
    """
    contents = bytes(embedded.sig_object["/Contents"])
    if len(contents) < 2 or contents[0] != 0x30:
        return False
    first = contents[1]
    if first < 0x80:
        header, length = 2, first
    else:
        count = first & 0x7F
        header, length = 2 + count, int.from_bytes(contents[2 : 2 + count], "big")
    return not any(contents[header + length :])


def verify_pdf(content: bytes) -> Verification:
    """Check the signatures of a PDF against the configured trust root. Any damage gives `ok` False."""
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # noqa: BLE001 - a damaged file is "not intact", whatever the parser says
        return Verification(False, False, False, message=_("Tệp bị hỏng, không đọc được chữ ký số."))
    if not signatures:
        return Verification(False, False, False, message=_("Tệp không có chữ ký số."))
    _key, _cert, root = _paths()
    roots = [load_cert_from_pemder(str(root))] if root.exists() else []
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    try:
        status = validate_pdf_signature(signatures[-1], context)
    except Exception:  # noqa: BLE001
        return Verification(False, False, False, message=_("Chữ ký số không hợp lệ."))
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    result = Verification(
        intact=bool(status.intact and status.valid) and _padding_untouched(signatures[-1]),
        trusted=bool(status.trusted),
        whole_file=whole,
        signer=status.signing_cert.subject.human_friendly if status.signing_cert else "",
        signed_at=status.signer_reported_dt,
    )
    if not result.intact:
        result.message = _("Nội dung tệp đã bị thay đổi sau khi ký.")
    elif not whole:
        result.message = _("Tệp đã bị thêm nội dung sau khi ký.")
    elif not result.trusted:
        result.message = _("Chứng thư số không thuộc tổ chức cung cấp dịch vụ chứng thực được tin cậy.")
    else:
        result.message = _("Chữ ký số hợp lệ, tệp còn nguyên vẹn.")
    return result
