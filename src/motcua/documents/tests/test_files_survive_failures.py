"""A file is never lost if a transaction fails half-way: deletions happen only after the commit."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from motcua.dossiers.tests.factories import make_dossier

from .. import services
from ..models import Document
from .factories import pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def stored(root) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()]


def test_a_deletion_rolled_back_keeps_the_file_and_a_committed_one_removes_it(staff, procedure, media_root):
    document = services.store_pdf(
        dossier=make_dossier(procedure, actor=staff.officer),
        title="Tờ khai",
        content=pdf_bytes(),
        origin="scanned",
    )
    path, pk = Path(media_root) / document.file.name, document.pk
    with pytest.raises(RuntimeError), transaction.atomic():
        services.delete_document(document)
        raise RuntimeError("failure half-way")
    assert Document.objects.filter(pk=pk).exists() and path.exists()
    services.delete_document(Document.objects.get(pk=pk))
    assert not Document.objects.exists() and not path.exists()


def test_a_file_still_used_by_a_reuse_is_not_deleted(staff, procedure, media_root):
    source = services.store_pdf(
        dossier=make_dossier(procedure, actor=staff.officer),
        title="Giấy chứng nhận",
        content=pdf_bytes(),
        origin="generated",
        kind="result",
    )
    later = make_dossier(procedure, actor=staff.officer, applicant=source.applicant)
    copy = services.reuse_document(dossier=later, source=source)
    with pytest.raises(ValidationError):
        services.delete_document(source)
    services.delete_document(copy)
    assert (Path(media_root) / source.file.name).exists()
    assert Document.objects.filter(pk=source.pk).exists()
