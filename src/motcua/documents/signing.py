"""Signed electronic results: PAdES signatures with the certificate of the agency that issues the result
(pyHanko), and their verification.

**One certificate per agency.** Each agency's certificate, its chain and its private key are one PKCS#12 bundle
(`models.AgencyCertificate`), uploaded in the admin (the bundle's own password is used once to open it and never
kept) and stored through `models.signing_storage()` — the storage named "signing" in STORAGES, or the folder
`MOTCUA_SIGNING_DIR/agencies` — re-encrypted with the deployment's passphrase `MOTCUA_SIGNING_PASSPHRASE` (from
the environment; when it is empty a passphrase derived from SECRET_KEY is used, so a production deployment sets
its own and keeps it: changing it, or SECRET_KEY without it, makes the stored keys unreadable until they are
uploaded again). A result is signed with the certificate of its resolving agency.

**An agency without a certificate** signs with the deployment's certificate when one is configured (files named
by `MOTCUA_SIGNING_KEY`, `MOTCUA_SIGNING_CERT`; by default `agency-key.pem` and `agency-cert.pem` in
`MOTCUA_SIGNING_DIR`; the key PEM either encrypted with the passphrase or plain): a center that signs on behalf of the agencies it serves keeps working, and the
verification names the organisation of the certificate that really signed. With neither, signing is refused with
a Vietnamese message naming the agency; nothing is stored.

**Trust.** Signatures verify against the certificates of `MOTCUA_SIGNING_TRUST_ROOT` (one PEM file, which may hold
several root certificates; by default `ca-cert.pem` in MOTCUA_SIGNING_DIR). An uploaded certificate must chain to
one of them, or it is refused (a signature nobody can verify is worse than none).

**Demo.** `motcua create_demo_ca` (and `load_demo`) generate a DEMO certificate authority (its key kept in
MOTCUA_SIGNING_DIR, encrypted with the passphrase, so that more demo certificates can be issued), a DEMO
deployment certificate, and `load_demo` one DEMO certificate per agency; every DEMO name says it has no legal
value. A real deployment uploads the certificates its CA issued (e.g. exported from the agency's token).
"""

import datetime
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

DEMO_MARK = "DEMO - KHONG CO GIA TRI PHAP LY"
DEMO_CA_KEY = "demo-ca-key.pem"


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
    """Is the deployment's certificate (the fallback for agencies without their own) configured?"""
    return all(p.exists() for p in _paths())


def passphrase() -> bytes:
    """The passphrase that encrypts the stored private keys (see the module's documentation)."""
    value = getattr(settings, "MOTCUA_SIGNING_PASSPHRASE", "") or ""
    if not value:
        value = salted_hmac("motcua.documents.signing", "private keys", algorithm="sha256").hexdigest()
    return value.encode()


def fingerprint(certificate) -> str:
    """SHA-256 of the certificate's DER encoding (a `cryptography` or `asn1crypto` certificate)."""
    from cryptography.hazmat.primitives import serialization

    der = (
        certificate.public_bytes(serialization.Encoding.DER)
        if hasattr(certificate, "public_bytes")
        else certificate.dump()
    )
    return hashlib.sha256(der).hexdigest()


# --- the demo certificate authority ------------------------------------------------------------------------


def _fit(text: str, limit: int = 64) -> str:
    """`text` cut to at most `limit` bytes of UTF-8 (the length limit of a certificate's name attributes)."""
    text = " ".join(text.split())
    while len(text.encode()) > limit:
        text = text[:-1]
    return text.rstrip()


def _name(organisation: str, common: str):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, _fit(organisation)),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, DEMO_MARK),
            x509.NameAttribute(NameOID.COMMON_NAME, _fit(common)),
        ]
    )


def _issue(ca_key, ca_cert, organisation: str, until: datetime.datetime):
    """A new EC P-256 key and a signing certificate for `organisation`, issued by the demo CA."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID

    now = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=5)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(organisation, organisation))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(min(until, ca_cert.not_valid_after_utc))
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
    return key, cert


def create_demo_ca(
    directory: Path | None = None, organisation: str = "Trung tâm Hành chính công (DEMO)"
) -> Path:
    """Generate a demo CA and the deployment's signing certificate issued by it, valid for two years.

    Writes ca-cert.pem, agency-cert.pem, and the keys encrypted with the passphrase (mode 600): agency-key.pem,
    and demo-ca-key.pem to issue the agencies' demo certificates.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    directory = Path(directory or signing_dir())
    directory.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=5)
    until = now + datetime.timedelta(days=730)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name(organisation, "motcua DEMO Root CA")
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
    key, cert = _issue(ca_key, ca_cert, organisation, until)
    (directory / "ca-cert.pem").write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    (directory / "agency-cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    for name, private in (("agency-key.pem", key), (DEMO_CA_KEY, ca_key)):
        path = directory / name
        path.write_bytes(
            private.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.BestAvailableEncryption(passphrase()),
            )
        )
        path.chmod(0o600)
    return directory


def _demo_ca():
    """The demo CA (key, certificate), created first if this deployment has none (or lost its key)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    directory = signing_dir()
    key_path, cert_path = directory / DEMO_CA_KEY, directory / "ca-cert.pem"
    if not (key_path.exists() and cert_path.exists()):
        create_demo_ca(directory)
    try:
        ca_key = serialization.load_pem_private_key(key_path.read_bytes(), passphrase())
    except (ValueError, TypeError):
        create_demo_ca(directory)
        ca_key = serialization.load_pem_private_key(key_path.read_bytes(), passphrase())
    return ca_key, x509.load_pem_x509_certificate(cert_path.read_bytes())


def issue_demo_certificate(agency, actor=None):
    """Issue a DEMO certificate for `agency` from the demo CA and install it (replacing its certificate)."""
    ca_key, ca_cert = _demo_ca()
    until = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=730)
    key, cert = _issue(ca_key, ca_cert, f"{agency.name} (DEMO)", until)
    return install_certificate(agency, Bundle(key, cert, [ca_cert]), actor=actor, is_demo=True)


def issue_missing_demo_certificates() -> list:
    """Issue a DEMO certificate to every agency that has no certificate (in the order of their ids)."""
    from motcua.org.models import Agency

    from .models import AgencyCertificate

    have = AgencyCertificate.objects.values_list("agency_id", flat=True)
    return [
        issue_demo_certificate(agency) for agency in Agency.objects.exclude(pk__in=list(have)).order_by("pk")
    ]


# --- agencies' certificates ------------------------------------------------------------------------------------


@dataclass
class Bundle:
    key: object  # a `cryptography` private key
    certificate: object  # a `cryptography` x509.Certificate
    chain: list  # issuing certificates (intermediates, possibly the root)


def trust_roots() -> list:
    """The trusted root certificates (`cryptography` objects) of MOTCUA_SIGNING_TRUST_ROOT."""
    from cryptography import x509

    root = _paths()[2]
    if not root.exists():
        return []
    try:
        return x509.load_pem_x509_certificates(root.read_bytes())
    except ValueError:
        return []


def _issued_by(certificate, issuer) -> bool:
    try:
        certificate.verify_directly_issued_by(issuer)
    except Exception:  # noqa: BLE001 - InvalidSignature, unsupported key types: not issued by it
        return False
    return True


def chains_to_trust_root(certificate, chain: list) -> bool:
    """Does `certificate` chain (through `chain`) to one of the trusted roots?"""
    roots = trust_roots()
    root_prints = {fingerprint(r) for r in roots}
    current = certificate
    for _depth in range(8):
        if fingerprint(current) in root_prints:
            return True
        if any(_issued_by(current, root) for root in roots):
            return True
        parent = next(
            (c for c in chain if c.subject == current.issuer and c is not current and _issued_by(current, c)),
            None,
        )
        if parent is None or parent is current:
            return False
        current = parent
    return False


def read_pkcs12(data: bytes, password: str) -> Bundle:
    """Open an uploaded PKCS#12 file (.p12/.pfx) and check it can sign results; ValidationError otherwise."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    if not data:
        raise ValidationError(_("Tệp chứng thư số rỗng."))
    try:
        loaded = pkcs12.load_pkcs12(data, (password or "").encode() or None)
    except (ValueError, TypeError) as exc:
        raise ValidationError(
            _("Không mở được tệp PKCS#12: sai mật khẩu hoặc tệp không phải chứng thư số (.p12, .pfx).")
        ) from exc
    if loaded.key is None or loaded.cert is None:
        raise ValidationError(_("Tệp PKCS#12 phải chứa cả khóa bí mật và chứng thư số của cơ quan."))
    certificate = loaded.cert.certificate
    chain = [c.certificate for c in loaded.additional_certs]
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    if loaded.key.public_key().public_bytes(
        serialization.Encoding.DER, spki
    ) != certificate.public_key().public_bytes(serialization.Encoding.DER, spki):
        raise ValidationError(_("Khóa bí mật không khớp với chứng thư số trong tệp."))
    now = datetime.datetime.now(datetime.UTC)
    if certificate.not_valid_after_utc < now:
        raise ValidationError(
            _("Chứng thư số đã hết hạn ngày %(day)s.")
            % {"day": timezone.localtime(certificate.not_valid_after_utc).strftime("%d/%m/%Y")}
        )
    if certificate.not_valid_before_utc > now:
        raise ValidationError(
            _("Chứng thư số chỉ có hiệu lực từ ngày %(day)s.")
            % {"day": timezone.localtime(certificate.not_valid_before_utc).strftime("%d/%m/%Y")}
        )
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    if usage is not None and not (usage.digital_signature or usage.content_commitment):
        raise ValidationError(_("Chứng thư số này không được cấp để ký số (thiếu mục đích “ký số”)."))
    if not chains_to_trust_root(certificate, chain):
        raise ValidationError(
            _(
                "Chứng thư số không do tổ chức chứng thực được tin cậy cấp: thêm chứng thư gốc của tổ chức "
                "cấp vào tệp MOTCUA_SIGNING_TRUST_ROOT trước khi tải lên."
            )
        )
    return Bundle(loaded.key, certificate, chain)


def install_certificate(agency, bundle: Bundle, *, actor=None, is_demo: bool = False):
    """Store the bundle (encrypted with the passphrase) as the agency's signing certificate, replacing any
    previous one (whose file is deleted once the change has committed)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12
    from django.core.files.base import ContentFile
    from django.db import transaction

    from .models import AgencyCertificate

    data = pkcs12.serialize_key_and_certificates(
        name=(agency.short_name or agency.identity_code or "agency").encode()[:60],
        key=bundle.key,
        cert=bundle.certificate,
        cas=bundle.chain or None,
        encryption_algorithm=serialization.BestAvailableEncryption(passphrase()),
    )
    certificate = bundle.certificate
    fields = {
        "subject": certificate.subject.rfc4514_string()[:500],
        "issuer": certificate.issuer.rfc4514_string()[:500],
        "serial_number": format(certificate.serial_number, "X")[:80],
        "fingerprint": fingerprint(certificate),
        "valid_from": certificate.not_valid_before_utc,
        "valid_until": certificate.not_valid_after_utc,
        "is_demo": is_demo,
        "installed_by": actor if getattr(actor, "pk", None) else None,
        "installed_at": timezone.now(),
    }
    with transaction.atomic():
        record = AgencyCertificate.objects.select_for_update().filter(agency=agency).first()
        if record is not None and record.fingerprint == fields["fingerprint"]:
            raise ValidationError(_("Chứng thư số này đã được cài cho cơ quan."))
        old_name = record.bundle.name if record is not None else ""
        record = record or AgencyCertificate(agency=agency)
        for name, value in fields.items():
            setattr(record, name, value)
        record.bundle.save("bundle.p12", ContentFile(data), save=False)
        try:
            record.save()
        except Exception:
            record.bundle.storage.delete(record.bundle.name)
            raise
        if old_name:
            storage = record.bundle.storage
            transaction.on_commit(lambda: storage.delete(old_name))
    return record


def agency_signer(agency):
    """(pyHanko signer, agency certificate record) for an agency's own certificate, or None if it has none."""
    from pyhanko.sign import signers

    from .models import AgencyCertificate

    record = AgencyCertificate.objects.filter(agency=agency).first() if agency is not None else None
    if record is None:
        return None
    if not record.is_current:
        raise ValidationError(
            _(
                "Chứng thư số của %(agency)s hết hiệu lực ngày %(day)s; cần cài chứng thư số mới để ký kết quả."
            )
            % {"agency": agency.name, "day": timezone.localtime(record.valid_until).strftime("%d/%m/%Y")}
        )
    try:
        with record.bundle.open("rb") as handle:
            data = handle.read()
        signer = signers.SimpleSigner.load_pkcs12_data(data, other_certs=[], passphrase=passphrase())
    except (OSError, ValueError) as exc:
        raise ValidationError(
            _(
                "Không mở được khóa ký số của %(agency)s (mật khẩu bảo vệ khóa MOTCUA_SIGNING_PASSPHRASE đã "
                "thay đổi hoặc tệp khóa bị mất); cần tải lên lại chứng thư số của cơ quan."
            )
            % {"agency": agency.name}
        ) from exc
    return signer, record


def _deployment_signer():
    """The deployment certificate's signer; its key file may be encrypted with the passphrase (the demo's is)."""
    from pyhanko.sign import signers

    key, cert, root = _paths()
    encrypted = b"ENCRYPTED" in key.read_bytes()[:100]
    signer = signers.SimpleSigner.load(
        str(key), str(cert), ca_chain_files=(str(root),), key_passphrase=passphrase() if encrypted else None
    )
    if signer is None:
        raise ValidationError(
            _(
                "Không mở được khóa ký số của hệ thống (mật khẩu bảo vệ khóa MOTCUA_SIGNING_PASSPHRASE đã thay "
                "đổi hoặc tệp khóa bị hỏng)."
            )
        )
    return signer


def _signer(agency=None):
    found = agency_signer(agency) if agency is not None else None
    if found is not None:
        return found[0]
    if is_configured():
        return _deployment_signer()
    if agency is not None:
        raise ValidationError(
            _(
                "%(agency)s chưa có chứng thư số để ký số. Quản trị hệ thống cần tải lên chứng thư số của cơ "
                "quan (tệp PKCS#12) trong trang quản trị, mục “Chứng thư số của cơ quan”."
            )
            % {"agency": agency.name}
        )
    raise ImproperlyConfigured(
        _("Chưa cấu hình chứng thư số của cơ quan (chạy “motcua create_demo_ca” cho bản trình diễn).")
    )


def sign_pdf(content: bytes, reason: str = "", agency=None) -> tuple[bytes, str]:
    """Sign a PDF (PAdES baseline B) with the certificate of `agency` (or the deployment's, see the module's
    documentation); returns (signed bytes, signer description)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = _signer(agency)
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
    organisation: str = ""  # the O= of the signing certificate
    fingerprint: str = ""  # SHA-256 of the signing certificate (traced to its agency by `services`)
    agency: object = None  # the Agency whose installed certificate signed, when known

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
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
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
    roots = [asn1_x509.Certificate.load(r.public_bytes(serialization.Encoding.DER)) for r in trust_roots()]
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
    if status.signing_cert is not None:
        result.fingerprint = fingerprint(status.signing_cert)
        result.organisation = status.signing_cert.subject.native.get("organization_name", "") or ""
    if not result.intact:
        result.message = _("Nội dung tệp đã bị thay đổi sau khi ký.")
    elif not whole:
        result.message = _("Tệp đã bị thêm nội dung sau khi ký.")
    elif not result.trusted:
        result.message = _("Chứng thư số không thuộc tổ chức cung cấp dịch vụ chứng thực được tin cậy.")
    else:
        result.message = _("Chữ ký số hợp lệ, tệp còn nguyên vẹn.")
    return result
