"""A receipt as XML in the documented structure, validated against the schema, signed with XML-DSig and
verified twice: by the verifier and by an independent check written here with lxml and cryptography only."""

import base64
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from lxml import etree

from motcua.payments import ereceipts
from motcua.payments.models import FeeKind, PaymentMethod
from motcua.payments.receipts import issue_receipt

from .factories import ReceiptBookFactory, cashier

pytestmark = pytest.mark.django_db
DS = "{http://www.w3.org/2000/09/xmldsig#}"


@pytest.fixture
def receipt():
    book = ReceiptBookFactory(
        template_no="01BLP0-001", series="KT-26E", tax_code="2300123456", agency__name="Phòng Tư pháp"
    )
    return issue_receipt(
        book,
        items=[
            {
                "kind": FeeKind.ADMIN_CHARGE,
                "description": "Lệ phí chứng thực",
                "unit_amount": 10_000,
                "quantity": 3,
            },
            {"kind": FeeKind.SERVICE_FEE, "description": "Phí sao y", "unit_amount": 2_000},
        ],
        payer_name="Nguyễn Thị Hoa",
        payer_id_number="027195800021",
        method=PaymentMethod.CASH,
        collector=cashier(book.agency),
        dossier_code="000.00.13.H06-261204-0001",
    )


def test_the_xml_carries_the_receipt_and_validates_against_the_schema(receipt):
    xml = ereceipts.receipt_xml(receipt)
    root = etree.fromstring(xml)
    common = root.find("DLBLai/TTChung")
    assert (common.findtext("KHMSBLai"), common.findtext("KHBLai"), common.findtext("SBLai")) == (
        "01BLP0-001",
        "KT-26E",
        "0000001",
    )
    content = root.find("DLBLai/NDBLai")
    assert content.findtext("DVThu/Ten") == "Phòng Tư pháp"
    assert content.findtext("DVThu/MST") == "2300123456"
    assert content.findtext("NNop/Ten") == "Nguyễn Thị Hoa"
    assert [(k.findtext("LKhoan"), k.findtext("ThTien")) for k in content.findall("DSKhoan/Khoan")] == [
        ("2", "30000"),
        ("1", "2000"),
    ]
    assert content.findtext("TToan/TgTTTBSo") == "32000"
    assert content.findtext("TToan/TgTTTBChu").startswith("Ba mươi hai nghìn")


@pytest.mark.parametrize(
    "break_it, words",
    [
        (lambda root: root.find("DLBLai/TTChung/KHBLai").__setattr__("text", "KT26E"), "KHBLai"),
        (lambda root: root.find("DLBLai/TTChung/SBLai").__setattr__("text", "12"), "SBLai"),
        (lambda root: root.find("DLBLai/NDBLai").remove(root.find("DLBLai/NDBLai/NNop")), "NNop"),
        (lambda root: root.find("DLBLai/NDBLai/TToan/TgTTTBSo").__setattr__("text", "-5"), "TgTTTBSo"),
    ],
)
def test_xml_that_breaks_the_schema_is_refused_in_vietnamese(receipt, break_it, words):
    root = ereceipts.receipt_element(receipt)
    break_it(root)
    with pytest.raises(ValidationError) as refused:
        ereceipts.validate(etree.tostring(root))
    assert "không đúng cấu trúc" in refused.value.messages[0] and words in refused.value.messages[0]


def test_a_receipt_with_a_broken_series_cannot_become_xml(receipt):
    receipt.book.series = "KT 26E"  # a book from before the rules, never re-checked
    with pytest.raises(ValidationError, match="không đúng cấu trúc"):
        ereceipts.receipt_xml(receipt)


def independent_check(xml: bytes) -> bool:
    """XML-DSig verified without signxml: digest of the document minus its signature (exclusive C14N), then the
    ECDSA signature of the canonical SignedInfo with the certificate's public key."""
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, utils

    root = etree.fromstring(xml)
    signature = root.find(f"DSCKS/DVThu/{DS}Signature")
    signed_info = signature.find(f"{DS}SignedInfo")
    reference = signed_info.find(f"{DS}Reference")
    assert reference.get("URI") == ""
    transforms = [t.get("Algorithm") for t in reference.findall(f"{DS}Transforms/{DS}Transform")]
    assert transforms == [
        "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
        "http://www.w3.org/2001/10/xml-exc-c14n#",
    ]
    copy = etree.fromstring(xml)
    node = copy.find(f"DSCKS/DVThu/{DS}Signature")
    node.getparent().remove(node)
    digest = base64.b64encode(
        hashlib.sha256(etree.tostring(copy, method="c14n", exclusive=True)).digest()
    ).decode()
    if digest != reference.findtext(f"{DS}DigestValue").strip():
        return False
    certificate = x509.load_der_x509_certificate(
        base64.b64decode(signature.findtext(f"{DS}KeyInfo/{DS}X509Data/{DS}X509Certificate"))
    )
    raw = base64.b64decode(signature.findtext(f"{DS}SignatureValue"))
    half = len(raw) // 2
    der = utils.encode_dss_signature(int.from_bytes(raw[:half], "big"), int.from_bytes(raw[half:], "big"))
    try:
        certificate.public_key().verify(
            der, etree.tostring(signed_info, method="c14n", exclusive=True), ec.ECDSA(hashes.SHA256())
        )
    except InvalidSignature:
        return False
    return True


def test_the_signed_xml_validates_and_its_signature_verifies_with_another_tool(demo_ca, receipt):
    signed = ereceipts.signed_receipt_xml(receipt)
    ereceipts.validate(signed)
    checked = ereceipts.verify(signed)
    assert checked.ok and "DEMO" in checked.signer
    assert independent_check(signed)


def test_a_changed_amount_breaks_the_signature_for_both_checks(demo_ca, receipt):
    signed = ereceipts.signed_receipt_xml(receipt)
    forged = signed.replace(b"<TgTTTBSo>32000</TgTTTBSo>", b"<TgTTTBSo>3200</TgTTTBSo>")
    assert forged != signed
    checked = ereceipts.verify(forged)
    assert not checked.ok and "đã bị thay đổi" in checked.message
    assert not independent_check(forged)


def test_without_any_certificate_signing_is_refused_in_vietnamese(settings, tmp_path, receipt):
    settings.MOTCUA_SIGNING_DIR = str(tmp_path / "empty")
    with pytest.raises(ValidationError, match="Chưa có chứng thư số"):
        ereceipts.signed_receipt_xml(receipt)


def test_an_unsigned_document_does_not_verify(receipt):
    checked = ereceipts.verify(ereceipts.receipt_xml(receipt))
    assert not checked.ok and "không có chữ ký số" in checked.message


def test_staff_of_the_agency_download_the_signed_xml_and_others_get_404(client, demo_ca, receipt):
    from motcua.org.tests.factories import AgencyFactory

    url = reverse("payments:receipt_xml", args=[receipt.pk])
    client.force_login(receipt.collector)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    assert "KT-26E-0000001.xml" in response["Content-Disposition"]
    assert ereceipts.verify(response.content).ok
    client.force_login(cashier(AgencyFactory()))
    assert client.get(url).status_code == 404


def test_an_agency_with_its_own_certificate_signs_its_receipts_with_it(demo_ca, receipt):
    from motcua.documents import signing

    signing.issue_demo_certificate(receipt.book.agency)
    signed = ereceipts.signed_receipt_xml(receipt)
    checked = ereceipts.verify(signed)
    assert checked.ok and "Phòng Tư pháp" in checked.signer
    assert independent_check(signed)
