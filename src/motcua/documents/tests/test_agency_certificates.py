"""One signing certificate per agency: a result is signed with the certificate of the agency that issues it, the
key is stored encrypted with the deployment's passphrase (never with the uploaded file's password), the admin
uploads a PKCS#12 file, the demo issues one per agency, and verification names the signing agency."""

import datetime
import io
from pathlib import Path

import pytest
import time_machine
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from motcua.accounts.tests.factories import UserFactory
from motcua.dossiers.tests.factories import ProcedureWithProcessFactory, StaffSet, make_dossier
from motcua.org.tests.factories import AgencyFactory

from .. import services, signing
from ..models import AgencyCertificate, Document, ResultNumberCounter
from .factories import pdf_bytes

pytestmark = pytest.mark.django_db


def issue_result(procedure, staff, text="Giấy chứng nhận"):
    return services.register_result(
        dossier=make_dossier(procedure, actor=staff.officer),
        actor=staff.clerk,
        content=pdf_bytes(text),
        signer_name="Lãnh đạo cơ quan",
        sign=True,
    )


def p12_file(organisation="Phòng Tư pháp", password="mat-khau-tep", ca=None, days=365):
    """A PKCS#12 file as an agency's token would export it: key, certificate and the issuing CA."""
    ca_key, ca_cert = ca or signing._demo_ca()
    until = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=days)
    key, cert = signing._issue(ca_key, ca_cert, organisation, until)
    encryption = serialization.BestAvailableEncryption(password.encode())
    return pkcs12.serialize_key_and_certificates(b"token", key, cert, [ca_cert], encryption), cert


def test_two_agencies_results_are_signed_by_different_certificates_and_both_verify(client, settings):
    justice = ProcedureWithProcessFactory(resolving_agency=AgencyFactory(name="Phòng Tư pháp"))
    economy = ProcedureWithProcessFactory(resolving_agency=AgencyFactory(name="Phòng Kinh tế và Hạ tầng"))
    first = signing.issue_demo_certificate(justice.resolving_agency)
    second = signing.issue_demo_certificate(economy.resolving_agency)
    assert first.fingerprint != second.fingerprint
    results = [issue_result(justice, StaffSet(justice)), issue_result(economy, StaffSet(economy))]
    for result, procedure, record in zip(results, (justice, economy), (first, second), strict=True):
        verification, document = services.verify_result_file(services.read_content(result))
        assert verification.ok and document == result
        assert verification.fingerprint == record.fingerprint
        assert verification.agency == procedure.resolving_agency
        assert procedure.resolving_agency.name in result.signature_info
    # the public check page names the agency that signed
    with results[1].file.open("rb") as handle:
        response = client.post(
            reverse("documents:verify"), {"file": SimpleUploadedFile("kq.pdf", handle.read())}
        )
    page = response.content.decode()
    assert 'data-testid="signer-agency">Phòng Kinh tế và Hạ tầng<' in page
    assert "chứng thư trình diễn" in page


def test_an_agency_without_a_certificate_gets_a_clear_message_and_nothing_is_stored(media_root):
    procedure = ProcedureWithProcessFactory(resolving_agency=AgencyFactory(name="Phòng Văn hóa và Thông tin"))
    staff = StaffSet(procedure)
    dossier = make_dossier(procedure, actor=staff.officer)
    assert not signing.is_configured()
    with pytest.raises(ValidationError) as excinfo:
        services.register_result(
            dossier=dossier, actor=staff.clerk, content=pdf_bytes(), signer_name="Lãnh đạo", sign=True
        )
    message = excinfo.value.messages[0]
    assert message.startswith("Phòng Văn hóa và Thông tin chưa có chứng thư số để ký số.")
    assert "Chứng thư số của cơ quan" in message
    assert not Document.objects.filter(kind=Document.Kind.RESULT).exists()
    assert not ResultNumberCounter.objects.filter(last_number__gt=0).exists()  # the number was not used up
    assert not list(Path(media_root).rglob("*.pdf"))


def test_the_screen_shows_the_missing_certificate_message(client):
    procedure = ProcedureWithProcessFactory(resolving_agency=AgencyFactory(name="Phòng Nội vụ"))
    staff = StaffSet(procedure)
    dossier = make_dossier(procedure, actor=staff.officer)
    client.force_login(staff.clerk)
    response = client.post(
        reverse("documents:dossier", args=[dossier.code]),
        {"signer_name": "Lãnh đạo", "sign": "on", "generate": "1"},
    )
    assert response.status_code == 200
    assert "Phòng Nội vụ chưa có chứng thư số để ký số." in response.content.decode()


def test_without_its_own_certificate_an_agency_signs_with_the_deployment_certificate(
    staff, procedure, demo_ca
):
    result = issue_result(procedure, staff)
    verification, document = services.verify_result_file(services.read_content(result))
    assert verification.ok and document == result
    assert verification.agency is None
    assert verification.organisation == "Trung tâm Hành chính công (DEMO)"


def test_an_agency_certificate_takes_precedence_over_the_deployment_one(staff, procedure, demo_ca):
    record = signing.issue_demo_certificate(procedure.resolving_agency)
    verification, _document = services.verify_result_file(
        services.read_content(issue_result(procedure, staff))
    )
    assert verification.ok and verification.fingerprint == record.fingerprint


def test_the_admin_uploads_a_pkcs12_whose_key_is_kept_encrypted_with_the_deployment_passphrase(
    client, settings, media_root, staff, procedure
):
    settings.MOTCUA_SIGNING_PASSPHRASE = "cum-tu-bao-ve-khoa-cua-trien-khai"
    data, cert = p12_file(organisation=procedure.resolving_agency.name)
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.post(
        reverse("admin:documents_agencycertificate_add"),
        {
            "agency": procedure.resolving_agency.pk,
            "upload": SimpleUploadedFile("token.p12", data),
            "password": "mat-khau-tep",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    record = AgencyCertificate.objects.get(agency=procedure.resolving_agency)
    assert record.fingerprint == signing.fingerprint(cert) and record.installed_by == admin
    assert not record.is_demo
    # stored in the signing folder, outside the media files, readable by the server's user only
    stored = Path(settings.MOTCUA_SIGNING_DIR) / "agencies" / record.bundle.name
    assert stored.exists() and oct(stored.stat().st_mode & 0o777) == "0o600"
    assert not list(Path(media_root).rglob("*.p12"))
    content = stored.read_bytes()
    for wrong in (b"mat-khau-tep", None):
        with pytest.raises(ValueError):
            pkcs12.load_key_and_certificates(content, wrong)
    key, _cert, _chain = pkcs12.load_key_and_certificates(content, b"cum-tu-bao-ve-khoa-cua-trien-khai")
    assert key is not None
    # the agency's results are now signed with it
    verification, _document = services.verify_result_file(
        services.read_content(issue_result(procedure, staff))
    )
    assert verification.ok and verification.agency == procedure.resolving_agency


def test_replacing_an_agency_certificate_deletes_the_old_key_after_the_change(
    django_capture_on_commit_callbacks, settings
):
    agency = AgencyFactory()
    old = signing.issue_demo_certificate(agency)
    old_file = Path(settings.MOTCUA_SIGNING_DIR) / "agencies" / old.bundle.name
    with django_capture_on_commit_callbacks(execute=True):
        new = signing.issue_demo_certificate(agency)
    assert new.pk == old.pk and new.fingerprint != old.fingerprint
    assert not old_file.exists()
    assert (Path(settings.MOTCUA_SIGNING_DIR) / "agencies" / new.bundle.name).exists()


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("wrong-password", "sai mật khẩu hoặc tệp không phải chứng thư số"),
        ("not-pkcs12", "sai mật khẩu hoặc tệp không phải chứng thư số"),
        ("untrusted", "không do tổ chức chứng thực được tin cậy cấp"),
        ("expired", "đã hết hạn ngày"),
    ],
)
def test_the_admin_refuses_a_file_that_cannot_sign_and_stores_nothing(
    client, settings, tmp_path, case, message
):
    agency = AgencyFactory()
    data, _cert = p12_file()
    password = "mat-khau-tep"
    if case == "wrong-password":
        password = "sai"
    elif case == "not-pkcs12":
        data = pdf_bytes()
    elif case == "untrusted":
        from cryptography import x509

        other = signing.create_demo_ca(tmp_path / "other-ca", organisation="Tổ chức chứng thực lạ")
        ca_key = serialization.load_pem_private_key(
            (other / "demo-ca-key.pem").read_bytes(), signing.passphrase()
        )
        ca_cert = x509.load_pem_x509_certificate((other / "ca-cert.pem").read_bytes())
        data, _cert = p12_file(ca=(ca_key, ca_cert))
    elif case == "expired":
        data, _cert = p12_file(days=1)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    later = datetime.timedelta(days=3 if case == "expired" else 0)
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + later, tick=True):
        response = client.post(
            reverse("admin:documents_agencycertificate_add"),
            {"agency": agency.pk, "upload": SimpleUploadedFile("token.p12", data), "password": password},
        )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AgencyCertificate.objects.exists()
    assert not (Path(settings.MOTCUA_SIGNING_DIR) / "agencies").exists() or not any(
        (Path(settings.MOTCUA_SIGNING_DIR) / "agencies").iterdir()
    )


def test_a_changed_passphrase_gives_a_clear_message_instead_of_a_signature(staff, procedure, settings):
    settings.MOTCUA_SIGNING_PASSPHRASE = "cum-tu-cu"
    signing.issue_demo_certificate(procedure.resolving_agency)
    settings.MOTCUA_SIGNING_PASSPHRASE = "cum-tu-moi"
    with pytest.raises(ValidationError) as excinfo:
        issue_result(procedure, staff)
    assert "Không mở được khóa ký số của" in excinfo.value.messages[0]
    assert not Document.objects.filter(kind=Document.Kind.RESULT).exists()


def test_the_demo_issues_one_certificate_per_agency_once():
    from .. import demo

    agencies = [AgencyFactory() for _ in range(3)]
    # a long Vietnamese name is more than the 64 bytes a certificate's name attribute may hold
    agencies.append(
        AgencyFactory(name="Ủy ban nhân dân xã Đông Cứu, huyện Gia Bình, tỉnh Bắc Ninh (bộ phận một cửa)")
    )
    demo.load()
    records = {r.agency_id: r for r in AgencyCertificate.objects.all()}
    assert set(records) >= {a.pk for a in agencies}
    assert all(r.is_demo and "DEMO" in r.subject for r in records.values())
    assert len({r.fingerprint for r in records.values()}) == len(records)
    demo.load()
    assert {r.agency_id: r.fingerprint for r in AgencyCertificate.objects.all()} == {
        k: r.fingerprint for k, r in records.items()
    }


def test_a_receipt_is_signed_with_the_receiving_agencys_certificate(client):
    procedure = ProcedureWithProcessFactory(resolving_agency=AgencyFactory(name="Phòng Tư pháp"))
    staff = StaffSet(procedure)
    record = signing.issue_demo_certificate(procedure.resolving_agency)
    dossier = make_dossier(procedure, actor=staff.officer)
    assert dossier.agency == procedure.resolving_agency
    client.force_login(staff.officer)
    page = client.get(reverse("documents:dossier", args=[dossier.code])).content.decode()
    url = reverse("documents:signed_receipt", args=[dossier.code])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    verification = signing.verify_pdf(response.content)
    assert verification.ok and verification.fingerprint == record.fingerprint
    assert dossier.code in PdfReader(io.BytesIO(response.content)).metadata.title


def test_a_receipt_without_any_certificate_gives_the_message(client):
    procedure = ProcedureWithProcessFactory(resolving_agency=AgencyFactory(name="Phòng Y tế"))
    staff = StaffSet(procedure)
    dossier = make_dossier(procedure, actor=staff.officer)
    client.force_login(staff.officer)
    response = client.get(reverse("documents:signed_receipt", args=[dossier.code]), follow=True)
    assert "Phòng Y tế chưa có chứng thư số để ký số." in response.content.decode()


def test_the_admin_lists_a_certificate_and_replaces_it_with_a_new_upload(
    client, django_capture_on_commit_callbacks
):
    agency = AgencyFactory(name="Phòng Giáo dục và Đào tạo")
    old = signing.issue_demo_certificate(agency)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    listing = client.get(reverse("admin:documents_agencycertificate_changelist")).content.decode()
    assert "Phòng Giáo dục và Đào tạo" in listing
    change = reverse("admin:documents_agencycertificate_change", args=[old.pk])
    assert old.fingerprint in client.get(change).content.decode()
    data, cert = p12_file(organisation=agency.name)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            change, {"upload": SimpleUploadedFile("moi.p12", data), "password": "mat-khau-tep"}
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    record = AgencyCertificate.objects.get(agency=agency)
    assert record.pk == old.pk and record.fingerprint == signing.fingerprint(cert) and not record.is_demo
    assert not record.bundle.storage.exists(old.bundle.name)


def test_the_deployment_key_may_be_plain_or_encrypted_with_the_passphrase(
    staff, procedure, demo_ca, settings
):
    key_path = Path(demo_ca) / "agency-key.pem"
    key = serialization.load_pem_private_key(key_path.read_bytes(), signing.passphrase())
    settings.MOTCUA_SIGNING_PASSPHRASE = "mot-cum-tu-khac"
    with pytest.raises(ValidationError) as excinfo:
        issue_result(procedure, staff)
    assert "Không mở được khóa ký số của hệ thống" in excinfo.value.messages[0]
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    verification, _document = services.verify_result_file(
        services.read_content(issue_result(procedure, staff))
    )
    assert verification.ok and verification.agency is None
