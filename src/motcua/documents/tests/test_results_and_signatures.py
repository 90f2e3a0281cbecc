"""Results are digitised when issued, numbered from the agency's register, signed with the agency's certificate;
a signed result verifies and the same file with one byte changed does not."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from motcua.dossiers.tests.factories import make_dossier

from .. import services, signing
from ..models import DigitisationStatus, Document
from .factories import checked, pdf_bytes

pytestmark = pytest.mark.django_db


def test_a_generated_result_is_numbered_signed_and_verifies(staff, procedure, demo_ca):
    dossier = make_dossier(procedure, actor=staff.officer)
    result = services.register_result(
        dossier=dossier,
        actor=staff.clerk,
        content=pdf_bytes("Giấy chứng nhận"),
        signer_name="Hoàng Văn Lãnh Đạo",
        sign=True,
    )
    year = result.issued_on.year
    assert result.number == f"1/{year}/KQ-{procedure.resolving_agency.short_name}"
    assert result.kind == Document.Kind.RESULT and result.origin == Document.Origin.GENERATED
    assert result.signed and "DEMO" in result.signature_info
    assert result.issuing_body == procedure.resolving_agency.name
    dossier.refresh_from_db()
    assert dossier.digitisation.result_digitised
    assert dossier.digitisation.digitisation_status == DigitisationStatus.PARTIAL
    content = services.read_content(result)
    verification, document = services.verify_result_file(content)
    assert verification.ok and document == result
    second = services.register_result(
        dossier=make_dossier(procedure, actor=staff.officer),
        actor=staff.clerk,
        content=pdf_bytes(),
        signer_name="Lãnh đạo",
    )
    assert second.number == f"2/{year}/KQ-{procedure.resolving_agency.short_name}" and not second.signed


def test_one_changed_byte_anywhere_fails_verification(staff, procedure, demo_ca):
    result = services.register_result(
        dossier=make_dossier(procedure, actor=staff.officer),
        actor=staff.clerk,
        content=pdf_bytes("Kết quả"),
        signer_name="Lãnh đạo",
        sign=True,
    )
    content = services.read_content(result)
    assert signing.verify_pdf(content).ok
    for position in (len(content) // 10, len(content) // 2, len(content) - 30):
        changed = content[:position] + bytes([content[position] ^ 0x01]) + content[position + 1 :]
        verification, document = services.verify_result_file(changed)
        assert not verification.ok, position
        assert document is None
    # inside the signed byte ranges, the signature itself fails (not only the register lookup)
    body = content.index(b"stream") + 20
    changed = content[:body] + bytes([content[body] ^ 0x01]) + content[body + 1 :]
    assert not signing.verify_pdf(changed).intact


def test_a_scanned_result_keeps_its_given_number_and_dates(staff, procedure):
    dossier = make_dossier(procedure, actor=staff.officer)
    result = services.register_result(
        dossier=dossier,
        actor=staff.clerk,
        pages=[checked("kq.pdf", pdf_bytes(pages=2))],
        number="123/GCN-TP",
        signer_name="Trần Văn Ký",
        issued_on=datetime.date(2022, 11, 7),
        valid_until=datetime.date(2027, 11, 7),
    )
    assert (result.number, result.page_count, result.origin) == ("123/GCN-TP", 2, Document.Origin.SCANNED)
    assert result.valid_until == datetime.date(2027, 11, 7)


def test_bad_result_input_changes_nothing(staff, procedure):
    dossier = make_dossier(procedure, actor=staff.officer)
    with pytest.raises(ValidationError) as error:
        services.register_result(dossier=dossier, actor=staff.clerk, signer_name="")
    assert "signer_name" in error.value.message_dict and "file" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.register_result(
            dossier=dossier,
            actor=staff.clerk,
            content=pdf_bytes(),
            signer_name="A",
            issued_on=datetime.date(2022, 1, 10),
            valid_until=datetime.date(2022, 1, 1),
        )
    services.register_result(
        dossier=dossier, actor=staff.clerk, content=pdf_bytes(), signer_name="A", number="9/KQ"
    )
    with pytest.raises(ValidationError, match="đã có kết quả"):
        services.register_result(dossier=dossier, actor=staff.clerk, content=pdf_bytes(), signer_name="A")
    other = make_dossier(procedure, actor=staff.officer)
    with pytest.raises(ValidationError) as error:
        services.register_result(
            dossier=other, actor=staff.clerk, content=pdf_bytes(), signer_name="A", number="9/KQ"
        )
    assert "number" in error.value.message_dict
    assert Document.objects.filter(kind="result").count() == 1


def test_demo_ca_command_writes_a_demo_certificate_once(demo_ca, tmp_path, settings):
    from pathlib import Path

    from cryptography import x509
    from django.core.management import call_command

    cert = x509.load_pem_x509_certificate((Path(demo_ca) / "agency-cert.pem").read_bytes())
    assert "DEMO" in cert.subject.rfc4514_string()
    assert not (Path(demo_ca) / "ca-key.pem").exists()
    assert oct((Path(demo_ca) / "agency-key.pem").stat().st_mode & 0o777) == "0o600"
    assert b"BEGIN ENCRYPTED PRIVATE KEY" in (Path(demo_ca) / "agency-key.pem").read_bytes()
    before = (Path(demo_ca) / "agency-cert.pem").read_bytes()
    call_command("create_demo_ca")
    assert (Path(demo_ca) / "agency-cert.pem").read_bytes() == before
    # the CA's key is kept only encrypted (to issue the agencies' demo certificates)
    assert b"BEGIN ENCRYPTED PRIVATE KEY" in (Path(demo_ca) / "demo-ca-key.pem").read_bytes()
    assert oct((Path(demo_ca) / "demo-ca-key.pem").stat().st_mode & 0o777) == "0o600"


def test_demo_ca_command_issues_a_certificate_to_agencies_without_one(demo_ca):
    from django.core.management import call_command

    from motcua.org.tests.factories import AgencyFactory

    from ..models import AgencyCertificate

    agency = AgencyFactory()
    call_command("create_demo_ca", "--agencies")
    record = AgencyCertificate.objects.get(agency=agency)
    assert record.is_demo and "DEMO" in record.subject
    call_command("create_demo_ca", "--agencies")
    assert AgencyCertificate.objects.get(agency=agency).fingerprint == record.fingerprint
