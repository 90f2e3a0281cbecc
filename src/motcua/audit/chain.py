"""The hash chain that makes the audit trail tamper-evident.

Every audit row carries:
- `content_hash`: SHA-256 of the row's own content (`content_of`), computed by the application when it writes
  the row;
- `chain_seq`: its place in the chain (1, 2, 3, … with no gap);
- `prev_hash`: the `chain_hash` of the row before it ("" for the first row);
- `chain_hash`: SHA-256 of `prev_hash + content_hash`.

Changing a row's content breaks its `content_hash`; deleting a row leaves a gap in `chain_seq` and a `prev_hash`
that no longer matches; rewriting the whole tail after a change means recomputing every later hash, which the
head printed by `motcua verify_audit` (kept elsewhere, e.g. in the operations log) exposes.

Where the link is made:
- PostgreSQL: a deferred constraint trigger (`audit_entry_seal`, see migration 0003) links each row when its
  transaction commits, under a transaction-scoped advisory lock (`LOCK_KEY`), so two writers never chain to the
  same previous row and the lock is held only for the commit itself, not for the whole transaction of the
  change (an intake does not wait for another intake's audit rows).
- SQLite (one writer at a time): `link_before_insert` links the row in Python as it is written.

`verify()` walks the chain in order and reports the first broken link.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, router

# The advisory lock that serialises the linking on PostgreSQL (an arbitrary constant: "audit" in ASCII).
LOCK_KEY = 0x6175646974

CONTENT_FIELDS = (
    "created_at",
    "action",
    "content_type_id",
    "object_id",
    "object_repr",
    "agency_id",
    "actor_id",
    "actor_name",
    "reason",
    "request_path",
    "before",
    "after",
)


def normalize_json(value):
    """A JSON value as it reads back from the database (Decimal and dates become strings)."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _instant(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        value = value.astimezone(datetime.UTC)
    return value.isoformat()


def content_of(entry) -> str:
    """The canonical text of a row's content (every field but the id and the chain fields)."""
    values = []
    for name in CONTENT_FIELDS:
        value = getattr(entry, name)
        if name == "created_at":
            value = _instant(value)
        elif name in ("content_type_id", "agency_id", "actor_id"):
            value = None if value is None else str(value)
        values.append(value)
    return json.dumps(
        values, sort_keys=True, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder
    )


def content_hash(entry) -> str:
    return hashlib.sha256(content_of(entry).encode("utf-8")).hexdigest()


def link_hash(prev_hash: str, content: str) -> str:
    """The chain hash of a row: SHA-256 of the previous row's chain hash followed by its content hash (hex)."""
    return hashlib.sha256((prev_hash + content).encode("utf-8")).hexdigest()


def links_in_database(model) -> bool:
    """Whether the database links the rows itself (PostgreSQL's trigger) rather than the application."""
    return connections[router.db_for_write(model)].vendor == "postgresql"


def link_before_insert(entry) -> None:
    """Fill the content hash, and (where the database does not link rows itself) the chain fields, of a row
    about to be inserted."""
    entry.before = normalize_json(entry.before)
    entry.after = normalize_json(entry.after)
    entry.content_hash = content_hash(entry)
    model = type(entry)
    if links_in_database(model):
        return
    last = (
        model._base_manager.filter(chain_seq__isnull=False)
        .order_by("-chain_seq")
        .values("chain_seq", "chain_hash")
        .first()
    )
    entry.chain_seq = (last["chain_seq"] if last else 0) + 1
    entry.prev_hash = last["chain_hash"] if last else ""
    entry.chain_hash = link_hash(entry.prev_hash, entry.content_hash)


@dataclass
class Verdict:
    checked: int = 0
    head_seq: int = 0
    head_hash: str = ""
    broken_seq: int | None = None
    broken_id: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def verify(chunk_size: int = 2000) -> Verdict:
    """Walk the whole chain in order; stop at the first broken link."""
    from .models import AuditEntry

    verdict = Verdict()
    unlinked = AuditEntry.objects.filter(chain_seq__isnull=True).order_by("id").first()
    expected_seq, prev = 1, ""
    rows = AuditEntry.objects.filter(chain_seq__isnull=False).order_by("chain_seq").iterator(chunk_size)
    for row in rows:
        problem = ""
        if row.chain_seq != expected_seq:
            problem = f"missing rows {expected_seq} to {row.chain_seq - 1} before this one"
        elif row.prev_hash != prev:
            problem = "its previous-row hash does not match the row before it"
        elif row.content_hash != content_hash(row):
            problem = "its content was changed after it was written"
        elif row.chain_hash != link_hash(row.prev_hash, row.content_hash):
            problem = "its chain hash does not match its previous-row and content hashes"
        if problem:
            verdict.broken_seq, verdict.broken_id, verdict.problem = row.chain_seq, row.pk, problem
            return verdict
        verdict.checked += 1
        verdict.head_seq, verdict.head_hash = row.chain_seq, row.chain_hash
        expected_seq, prev = row.chain_seq + 1, row.chain_hash
    if unlinked is not None:
        verdict.broken_id, verdict.problem = unlinked.pk, "a committed row was never linked into the chain"
    return verdict
