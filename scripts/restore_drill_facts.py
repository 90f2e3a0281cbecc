"""What the restore drill (scripts/restore_drill.sh) compares between the lost system and the restored one.

Run with the drill's environment (DATABASE_URL, MEDIA_ROOT or the object store's settings):

    python scripts/restore_drill_facts.py seed            the demo center without its statistics history, and a
                                                          scanned document (a stored PDF) on a few dossiers
    python scripts/restore_drill_facts.py state           row counts, the audit chain's head, every stored file
    python scripts/restore_drill_facts.py lookup CODE     the public status lookup of dossier CODE, as the API answers

Each prints one JSON document (sorted keys) on stdout, so that two runs compare with `diff`. `state` also fails
(exit status 1, a message on stderr) when a file a row points to is missing or does not have the row's SHA-256.
"""

import hashlib
import io
import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.db import connection, models  # noqa: E402


def fail(message: str) -> None:
    print(f"restore drill: {message}", file=sys.stderr)
    sys.exit(1)


def seed(count: int = 6) -> dict:
    """Load the demo center as `motcua load_demo` does, less the reports' history (thousands of dossiers, most
    of the time of load_demo), then store a one-page PDF, different for each, as a scanned document of the first
    `count` dossiers."""
    from django.db import transaction
    from pypdf import PdfWriter

    from motcua.audit.context import audit_context
    from motcua.backoffice.management.commands.load_demo import demo_loaders
    from motcua.documents import services as documents
    from motcua.documents.models import Document
    from motcua.dossiers.models import Dossier

    with transaction.atomic(), audit_context(actor=None, reason="Nạp dữ liệu mẫu"):
        for label, load in demo_loaders():
            if label != "reports":
                load()
    stored = []
    with audit_context(actor=None, reason="Diễn tập khôi phục: tài liệu mẫu"):
        for dossier in Dossier.objects.order_by("id")[:count]:
            writer = PdfWriter()
            writer.add_blank_page(width=595, height=842)
            writer.add_metadata({"/Title": f"Drill {dossier.code}"})
            buffer = io.BytesIO()
            writer.write(buffer)
            document = documents.store_pdf(
                dossier=dossier,
                title=f"Bản quét diễn tập {dossier.code}",
                content=buffer.getvalue(),
                origin=Document.Origin.SCANNED,
                pages=1,
            )
            stored.append(document.file.name)
    if not stored:
        fail("no dossier to attach documents to (was the demo loaded?)")
    return {"documents": stored}


def _table_counts() -> dict:
    tables = sorted(connection.introspection.table_names())
    counts = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _audit_head() -> dict:
    from motcua.audit.chain import verify

    verdict = verify()
    if not verdict.ok:
        fail(f"audit chain broken at row id {verdict.broken_id}: {verdict.problem}")
    return {"rows": verdict.checked, "head_seq": verdict.head_seq, "head_hash": verdict.head_hash}


def _sha256(storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _stored_files() -> tuple[dict, list[str]]:
    """{"app.Model.field": {file name: sha256}} for every row that points to a file, and the problems found."""
    files, problems = {}, []
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        has_sha = any(f.name == "sha256" for f in model._meta.concrete_fields)
        for field in fields:
            label = f"{model._meta.label}.{field.name}"
            columns = ["pk", field.name] + (["sha256"] if has_sha and field.name == "file" else [])
            rows = model._default_manager.exclude(**{field.name: ""}).order_by("pk").values_list(*columns)
            for row in rows:
                name = row[1]
                if not field.storage.exists(name):
                    problems.append(f"{label} row {row[0]}: file {name} is missing")
                    continue
                digest = _sha256(field.storage, name)
                if len(row) > 2 and row[2] and row[2] != digest:
                    problems.append(
                        f"{label} row {row[0]}: file {name} has SHA-256 {digest}, the row says {row[2]}"
                    )
                files.setdefault(label, {})[name] = digest
    return files, problems


def state() -> dict:
    files, problems = _stored_files()
    if problems:
        fail("stored files do not match their rows:\n  " + "\n  ".join(problems))
    return {"tables": _table_counts(), "audit": _audit_head(), "files": files}


def lookup(code: str) -> dict:
    """The public status lookup of `code` with its applicant's phone or ID number, through the served API."""
    from django.test import Client

    from motcua.dossiers.models import Dossier

    dossier = Dossier.objects.select_related("applicant").filter(code=code).first()
    if dossier is None:
        fail(f"dossier {code} not found")
    secret = {"phone": dossier.applicant.phone} if dossier.applicant.phone else {}
    if not secret:
        secret = {"id_number": dossier.applicant.id_number}
    response = Client(HTTP_HOST="localhost").post(
        "/api/v1/lookup", data=json.dumps({"code": code, **secret}), content_type="application/json"
    )
    if response.status_code != 200:
        fail(f"the public lookup of {code} answered HTTP {response.status_code}: {response.content[:300]!r}")
    return {"status": response.status_code, "answer": response.json()}


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in {"seed", "state", "lookup"} or (argv[0] == "lookup") != (len(argv) == 2):
        fail("usage: restore_drill_facts.py seed | state | lookup CODE")
    if argv[0] == "seed":
        result = seed()
    elif argv[0] == "state":
        result = state()
    else:
        result = lookup(argv[1])
    json.dump(result, sys.stdout, indent=1, sort_keys=True, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
