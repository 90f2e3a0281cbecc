"""Documents stored in an S3-compatible object store (a real SeaweedFS server on localhost): digitised at the
counter, signed, downloaded, verified, re-used and cleaned up through the same storage API."""

import datetime

import pytest

from motcua.catalog.tests.factories import RequiredDocumentFactory
from motcua.dossiers.tests.factories import ApplicantFactory, make_dossier

from .. import services
from ..models import Document
from ..orphans import cleanup, find_orphans
from .factories import checked, image_bytes, pdf_bytes
from .s3server import BUCKET, SeaweedS3

# The S3 server checks the time in each request's signature against the machine's clock.
pytestmark = [pytest.mark.django_db, pytest.mark.real_clock]


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    server = SeaweedS3(tmp_path_factory.mktemp("seaweedfs"))
    yield server
    server.stop()


@pytest.fixture
def s3_storage(s3, settings):
    settings.STORAGES = {**settings.STORAGES, "default": s3.storage_settings()}
    return s3


def keys(s3) -> set[str]:
    return {o["Key"] for o in s3.client().list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_documents_go_to_the_object_store_and_come_back_intact(s3_storage, staff, procedure, demo_ca, client):
    required = RequiredDocumentFactory(procedure=procedure, name="Tờ khai", must_digitise=True)
    applicant = ApplicantFactory()
    dossier = make_dossier(
        procedure,
        actor=staff.officer,
        applicant=applicant,
        documents=[
            {
                "name": "Tờ khai",
                "required_document": required.pk,
                "pages": [checked("1.jpg", image_bytes()), checked("2.pdf", pdf_bytes())],
            }
        ],
    )
    scan = Document.objects.get(dossier=dossier)
    assert scan.file.name in keys(s3_storage)
    content = services.read_content(scan)
    assert scan.page_count == 2 and __import__("hashlib").sha256(content).hexdigest() == scan.sha256
    result = services.register_result(
        dossier=dossier, actor=staff.clerk, content=pdf_bytes("Kết quả"), signer_name="Lãnh đạo", sign=True
    )
    signed = services.read_content(result)
    verification, found = services.verify_result_file(signed)
    assert verification.ok and found == result
    client.force_login(staff.clerk)
    response = client.get(f"/giay-to/{result.pk}/tai-ve/")
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == signed


def test_orphans_in_the_object_store_are_found_and_removed(s3_storage, staff, procedure):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    kept = services.store_pdf(
        dossier=make_dossier(procedure, actor=staff.officer),
        title="Giữ lại",
        content=pdf_bytes(),
        origin="scanned",
    )
    orphan = default_storage.save("documents/zz/orphan-left-by-a-rollback.pdf", ContentFile(pdf_bytes()))
    assert orphan in find_orphans(datetime.timedelta(0))
    assert kept.file.name not in find_orphans(datetime.timedelta(0))
    assert orphan not in find_orphans(
        datetime.timedelta(hours=1)
    )  # too young: may belong to a running upload
    cleanup(datetime.timedelta(0))
    names = keys(s3_storage)
    assert orphan not in names and kept.file.name in names


def test_an_agencys_key_bundle_goes_to_the_signing_storage_when_one_is_configured(
    s3, settings, staff, procedure
):
    from pathlib import Path

    from cryptography.hazmat.primitives.serialization import pkcs12

    from .. import signing

    settings.STORAGES = {**settings.STORAGES, "signing": s3.storage_settings()}
    record = signing.issue_demo_certificate(procedure.resolving_agency)
    assert record.bundle.name in keys(s3)  # in the object store...
    assert not (Path(settings.MOTCUA_SIGNING_DIR) / "agencies").exists()  # ...not in the local folder
    stored = s3.client().get_object(Bucket=BUCKET, Key=record.bundle.name)["Body"].read()
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(stored, None)  # encrypted
    result = services.register_result(
        dossier=make_dossier(procedure, actor=staff.officer),
        actor=staff.clerk,
        content=pdf_bytes("Kết quả"),
        signer_name="Lãnh đạo",
        sign=True,
    )
    verification, found = services.verify_result_file(services.read_content(result))
    assert verification.ok and found == result and verification.agency == procedure.resolving_agency
