"""A receipt as XML (biên lai điện tử), checked against the schema `data/bien-lai-dien-tu.xsd`, and signed with an
enveloped XML-DSig signature.

**Structure.** The tax authority publishes its e-invoice structure (Decision 1450/QĐ-TCT, amended by 1510/QĐ-TCT:
HDon / DLHDon / TTChung / NDHDon, signatures in DSCKS); no structure of its own for receipts of fees and charges
was found. The XML follows that layout with BLai for HDon; the names the schema marks [unverified] are ours.

**Signature.** XML-DSig (``signxml``, on lxml which pyHanko already brings): an enveloped signature over the whole
document (Reference URI="", transforms enveloped-signature + exclusive C14N, SHA-256, ECDSA or RSA after the key),
carrying the signing certificate, placed in ``DSCKS/DVThu`` as the invoice standard places the seller's. The key
is the collecting agency's own certificate when one is installed (documents → "Chứng thư số của cơ quan"), else
the deployment's certificate (MOTCUA_SIGNING_KEY / MOTCUA_SIGNING_CERT, the key protected by
MOTCUA_SIGNING_PASSPHRASE) — the same keys the documents app signs PDF results with.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import FeeKind, Receipt

SCHEMA_PATH = Path(__file__).parent / "data" / "bien-lai-dien-tu.xsd"
VERSION = "1.0.0"
DSIG = "http://www.w3.org/2000/09/xmldsig#"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
KIND_CODES = {FeeKind.SERVICE_FEE: "1", FeeKind.ADMIN_CHARGE: "2"}


@cache
def schema():
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))


def _sub(parent, tag: str, text=None):
    from lxml import etree

    element = etree.SubElement(parent, tag)
    if text is not None:
        element.text = str(text)
    return element


def receipt_element(receipt: Receipt):
    """The receipt as an lxml element tree (unsigned)."""
    from lxml import etree

    book = receipt.book
    agency = book.agency
    issued = timezone.localtime(receipt.issued_at)
    root = etree.Element("BLai")
    data = _sub(root, "DLBLai")
    data.set("Id", "DLBLai")
    common = _sub(data, "TTChung")
    _sub(common, "PBan", VERSION)
    _sub(common, "TBLai", _("Biên lai thu phí, lệ phí"))
    _sub(common, "KHMSBLai", book.template_no)
    _sub(common, "KHBLai", book.series)
    _sub(common, "SBLai", receipt.number_display)
    _sub(common, "NLap", issued.date().isoformat())
    _sub(common, "TDLap", issued.isoformat(timespec="seconds"))
    _sub(common, "DVTTe", "VND")
    _sub(common, "HTTToan", receipt.get_method_display())
    if receipt.dossier_code:
        _sub(common, "MHSo", receipt.dossier_code)
    if receipt.replaces_id:
        original = receipt.replaces
        related = _sub(common, "TTBLLQuan")
        _sub(related, "TCBLai", "1")
        _sub(related, "KHMSBLGoc", original.book.template_no)
        _sub(related, "KHBLGoc", original.book.series)
        _sub(related, "SBLGoc", original.number_display)
    content = _sub(data, "NDBLai")
    collector = _sub(content, "DVThu")
    _sub(collector, "Ten", agency.name)
    if book.tax_code:
        _sub(collector, "MST", book.tax_code)
    if agency.address:
        _sub(collector, "DChi", agency.address)
    payer = _sub(content, "NNop")
    _sub(payer, "Ten", receipt.payer_name)
    if receipt.payer_id_number:
        _sub(payer, "SGTo", receipt.payer_id_number)
    if receipt.payer_address:
        _sub(payer, "DChi", receipt.payer_address)
    lines = _sub(content, "DSKhoan")
    for index, item in enumerate(receipt.items.all(), start=1):
        line = _sub(lines, "Khoan")
        _sub(line, "STT", index)
        _sub(line, "LKhoan", KIND_CODES.get(item.kind, "2"))
        _sub(line, "Ten", item.description)
        _sub(line, "SLuong", item.quantity)
        _sub(line, "DGia", item.unit_amount)
        _sub(line, "ThTien", item.amount)
    total = _sub(content, "TToan")
    _sub(total, "TgTTTBSo", receipt.total)
    _sub(total, "TgTTTBChu", receipt.total_in_words)
    _sub(data, "MTCuu", receipt.verification_code)
    return root


def cancellation_element(receipt: Receipt, tax_code: str):
    """The notice that a receipt the tax authority accepted (under `tax_code`) was voided (unsigned)."""
    from lxml import etree

    book = receipt.book
    voided = timezone.localtime(receipt.voided_at or timezone.now())
    root = etree.Element("HBLai")
    data = _sub(root, "DLHBLai")
    data.set("Id", "DLHBLai")
    common = _sub(data, "TTChung")
    _sub(common, "PBan", VERSION)
    _sub(common, "TTBao", _("Thông báo hủy biên lai thu phí, lệ phí"))
    _sub(common, "NHuy", voided.date().isoformat())
    _sub(common, "TDHuy", voided.isoformat(timespec="seconds"))
    collector = _sub(data, "DVThu")
    _sub(collector, "Ten", book.agency.name)
    if book.tax_code:
        _sub(collector, "MST", book.tax_code)
    cancelled = _sub(data, "BLHuy")
    _sub(cancelled, "MCQT", tax_code)
    _sub(cancelled, "KHMSBLai", book.template_no)
    _sub(cancelled, "KHBLai", book.series)
    _sub(cancelled, "SBLai", receipt.number_display)
    _sub(cancelled, "NLap", timezone.localtime(receipt.issued_at).date().isoformat())
    _sub(cancelled, "TCTBao", "1")
    _sub(cancelled, "LDo", receipt.void_reason or _("Hủy biên lai"))
    return root


def validate(xml: bytes) -> None:
    """Check XML bytes against the receipt schema; ValidationError in Vietnamese naming the first problem."""
    from lxml import etree

    try:
        document = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as error:
        raise ValidationError(
            _("Dữ liệu biên lai không phải XML hợp lệ: %(error)s") % {"error": error}
        ) from None
    checker = schema()
    if not checker.validate(document):
        first = checker.error_log[0]
        raise ValidationError(
            _("Dữ liệu biên lai không đúng cấu trúc (dòng %(line)s): %(error)s")
            % {"line": first.line, "error": first.message}
        )


def receipt_xml(receipt: Receipt) -> bytes:
    """The receipt's XML (unsigned), checked against the schema."""
    from lxml import etree

    xml = etree.tostring(receipt_element(receipt), xml_declaration=True, encoding="UTF-8")
    validate(xml)
    return xml


# --- signing ---------------------------------------------------------------------------------------------------


@dataclass
class SigningKey:
    key: object  # a `cryptography` private key
    certificate: object  # a `cryptography` x509.Certificate
    chain: list


def signing_key(agency=None) -> SigningKey:
    """The agency's installed certificate, else the deployment's; ValidationError in Vietnamese when neither
    can be opened."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    from motcua.documents import signing
    from motcua.documents.models import AgencyCertificate

    record = AgencyCertificate.objects.filter(agency=agency).first() if agency is not None else None
    if record is not None:
        if not record.is_current:
            raise ValidationError(
                _("Chứng thư số của %(agency)s đã hết hiệu lực; cần cài chứng thư số mới để ký biên lai.")
                % {"agency": agency.name}
            )
        try:
            with record.bundle.open("rb") as handle:
                loaded = pkcs12.load_pkcs12(handle.read(), signing.passphrase())
        except (OSError, ValueError) as exc:
            raise ValidationError(
                _(
                    "Không mở được khóa ký số của %(agency)s (mật khẩu MOTCUA_SIGNING_PASSPHRASE đã thay đổi "
                    "hoặc tệp khóa bị mất)."
                )
                % {"agency": agency.name}
            ) from exc
        return SigningKey(
            loaded.key, loaded.cert.certificate, [c.certificate for c in loaded.additional_certs]
        )
    if not signing.is_configured():
        raise ValidationError(
            _(
                "Chưa có chứng thư số để ký biên lai điện tử: cài chứng thư số của cơ quan thu hoặc cấu hình "
                "chứng thư số của hệ thống."
            )
        )
    key_path, cert_path, root_path = signing._paths()
    data = key_path.read_bytes()
    try:
        key = serialization.load_pem_private_key(
            data, signing.passphrase() if b"ENCRYPTED" in data[:100] else None
        )
    except (ValueError, TypeError) as exc:
        raise ValidationError(
            _(
                "Không mở được khóa ký số của hệ thống (mật khẩu MOTCUA_SIGNING_PASSPHRASE đã thay đổi hoặc tệp "
                "khóa bị hỏng)."
            )
        ) from exc
    certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
    return SigningKey(key, certificate, signing.trust_roots())


def sign(xml: bytes, agency=None) -> bytes:
    """Sign receipt XML (enveloped XML-DSig in DSCKS/DVThu); the result is checked against the schema."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from lxml import etree
    from signxml import DigestAlgorithm, SignatureMethod, XMLSigner, methods

    validate(xml)
    material = signing_key(agency)
    document = etree.fromstring(xml)
    for old in document.findall("DSCKS"):
        document.remove(old)
    holder = etree.SubElement(etree.SubElement(document, "DSCKS"), "DVThu")
    placeholder = etree.SubElement(holder, f"{{{DSIG}}}Signature", nsmap={"ds": DSIG})
    placeholder.set("Id", "placeholder")
    algorithm = (
        SignatureMethod.ECDSA_SHA256
        if isinstance(material.key, ec.EllipticCurvePrivateKey)
        else SignatureMethod.RSA_SHA256
    )
    signer = XMLSigner(
        method=methods.enveloped,
        signature_algorithm=algorithm,
        digest_algorithm=DigestAlgorithm.SHA256,
        c14n_algorithm=EXC_C14N,
    )
    signer.namespaces = {"ds": DSIG}
    pem = material.certificate.public_bytes(serialization.Encoding.PEM).decode()
    signed = signer.sign(document, key=material.key, cert=[pem])  # root has no Id: Reference URI=""
    out = etree.tostring(signed, xml_declaration=True, encoding="UTF-8")
    validate(out)
    return out


@dataclass
class XmlVerification:
    intact: bool
    trusted: bool
    signer: str = ""
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.intact and self.trusted


def verify(xml: bytes) -> XmlVerification:
    """Check the signature of signed receipt XML and that its certificate chains to the trusted roots."""
    from cryptography import x509
    from lxml import etree
    from signxml import XMLVerifier
    from signxml.exceptions import InvalidInput, InvalidSignature

    from motcua.documents import signing

    try:
        document = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
        found = document.find(f"DSCKS/DVThu/{{{DSIG}}}Signature/{{{DSIG}}}KeyInfo//{{{DSIG}}}X509Certificate")
    except etree.XMLSyntaxError:
        return XmlVerification(False, False, message=_("Dữ liệu biên lai không phải XML hợp lệ."))
    if found is None:
        return XmlVerification(False, False, message=_("Biên lai không có chữ ký số."))
    pem = "-----BEGIN CERTIFICATE-----\n" + "".join(found.text.split()) + "\n-----END CERTIFICATE-----\n"
    try:
        certificate = x509.load_pem_x509_certificate(pem.encode())
        XMLVerifier().verify(xml, x509_cert=pem, expect_references=1)
    except (InvalidSignature, InvalidInput, ValueError):
        return XmlVerification(
            False, False, message=_("Chữ ký số không hợp lệ: dữ liệu đã bị thay đổi sau khi ký.")
        )
    trusted = signing.chains_to_trust_root(certificate, signing.trust_roots())
    subject = certificate.subject.rfc4514_string()
    if not trusted:
        return XmlVerification(
            True, False, subject, _("Chứng thư số không thuộc tổ chức chứng thực được tin cậy.")
        )
    return XmlVerification(True, True, subject, _("Chữ ký số hợp lệ, dữ liệu còn nguyên vẹn."))


def signed_receipt_xml(receipt: Receipt) -> bytes:
    """The receipt's XML signed with its collecting agency's certificate (or the deployment's)."""
    return sign(receipt_xml(receipt), agency=receipt.book.agency)


def cancellation_xml(receipt: Receipt, tax_code: str) -> bytes:
    """The cancellation notice's XML (unsigned), checked against the schema."""
    from lxml import etree

    xml = etree.tostring(cancellation_element(receipt, tax_code), xml_declaration=True, encoding="UTF-8")
    validate(xml)
    return xml


def signed_cancellation_xml(receipt: Receipt, tax_code: str) -> bytes:
    """The cancellation notice signed like the receipt (enveloped XML-DSig in DSCKS/DVThu)."""
    return sign(cancellation_xml(receipt, tax_code), agency=receipt.book.agency)
