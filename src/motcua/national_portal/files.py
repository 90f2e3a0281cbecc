"""Signed, absolute download links for the files the portal fetches (TaiLieuNop, DanhSachGiayToKetQua).

A link names one file by kind and id and carries a signature made with SECRET_KEY, so it cannot be guessed or
altered; files are always served as attachments, never inline.
"""

from django.apps import apps
from django.core import signing
from django.urls import reverse

from . import conf

SALT = "motcua.national_portal.files"
KINDS = ("document", "submission", "result")


def download_url(kind: str, pk: int) -> str:
    token = signing.dumps([kind, pk], salt=SALT, compress=True)
    return conf.public_url() + reverse("national_portal:file", args=[token])


def resolve(token: str):
    """The FieldFile a token names and a download name, or None for a bad token or a missing file."""
    try:
        kind, pk = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if kind == "document":
        from motcua.dossiers.models import DossierDocument

        row = DossierDocument.objects.filter(pk=pk).first()
        return (row.file, row.file.name.rsplit("/", 1)[-1]) if row and row.file else None
    if kind in ("submission", "result") and apps.is_installed("motcua.citizens"):
        from motcua.citizens.models import OnlineResult, SubmissionFile

        model = SubmissionFile if kind == "submission" else OnlineResult
        row = model.objects.filter(pk=pk).first()
        return (row.file, row.original_name) if row and row.file else None
    return None
