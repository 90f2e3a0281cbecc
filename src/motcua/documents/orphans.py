"""Stored files that no document points to (left by a transaction that rolled back after writing its file)."""

import datetime

from django.utils import timezone

from .models import Document

PREFIX = "documents"


def _walk(storage, folder: str):
    directories, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for directory in directories:
        yield from _walk(storage, f"{folder}/{directory}")


def find_orphans(older_than: datetime.timedelta = datetime.timedelta(hours=24)) -> list[str]:
    """Names under the documents prefix that no row references and that were written more than `older_than` ago
    (younger files may belong to a transaction still running)."""
    storage = Document._meta.get_field("file").storage
    try:
        names = list(_walk(storage, PREFIX))
    except FileNotFoundError:
        return []
    if not names:
        return []
    referenced = set(Document.objects.filter(file__in=names).values_list("file", flat=True))
    cutoff = timezone.now() - older_than
    orphans = []
    for name in names:
        if name in referenced:
            continue
        try:
            modified = storage.get_modified_time(name)
        except (OSError, NotImplementedError):
            modified = None
        if modified is None or modified <= cutoff:
            orphans.append(name)
    return orphans


def cleanup(
    older_than: datetime.timedelta = datetime.timedelta(hours=24), dry_run: bool = False
) -> list[str]:
    storage = Document._meta.get_field("file").storage
    orphans = find_orphans(older_than)
    if not dry_run:
        for name in orphans:
            if not Document.objects.filter(file=name).exists():
                storage.delete(name)
    return orphans
