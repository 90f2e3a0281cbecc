"""How long each kind of personal data is kept (Decree 13/2023/NĐ-CP Art. 9(5) and Art. 16: data is deleted or
anonymised once its purpose is over), and what happens after: one rule per kind of record.

| key | what | after (default) | then |
|---|---|---|---|
| ``draft_submissions`` | online drafts a citizen started and never submitted (form data and uploaded files) | 180 days without change | deleted, files too |
| ``applicant_contacts`` | phone, e-mail, address and date of birth of an applicant with no citizen account and no dossier open or changed in the period | 5 years | blanked (name and ID number stay: they identify the archived dossiers) |
| ``recommendation_contacts`` | name, phone and e-mail of the sender of an answered recommendation (kiến nghị) | 3 years after the answer | replaced by "Ẩn danh" / blanked |
| ``access_log`` | the log of staff reads of personal data | 5 years | deleted |

Dossiers, their history and their documents are archival records kept under the archives law, not by these rules.
Each rule is written by the part that owns its records (``citizens/retention.py``, ``feedback/retention.py``, the
access log here) and registered with `register()` from that part's ``AppConfig.ready()``.
A deployment changes a period with ``MOTCUA_RETENTION_DAYS = {"draft_submissions": 90, ...}``.
`motcua purge_personal_data --dry-run` lists what would be purged; without ``--dry-run`` the rules are applied.

Every purged record gets one row in the change history (`audit.AuditEntry`), in the transaction of its rule:
"delete" or "update" (anonymised) of that record, with the rule, its period, what was erased (field names, the
number of files) and the number of records the rule purged in that run — never the erased values, nor a name
(the row's label is the kind of record and its number).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Rule:
    key: str
    label: str
    default_days: int
    action: str  # "delete" or "anonymise"
    find: Callable[[datetime.datetime], models.QuerySet]
    apply: Callable[[models.QuerySet], dict]  # purged key -> what was erased (no values)
    describe: Callable[[models.Model], str]
    order: int = 100  # the place of the rule in every listing (the table above)

    @property
    def days(self) -> int:
        overrides = getattr(settings, "MOTCUA_RETENTION_DAYS", None) or {}
        return int(overrides.get(self.key, self.default_days))

    def cutoff(self, now: datetime.datetime) -> datetime.datetime:
        return now - datetime.timedelta(days=self.days)


# --- the access log itself -------------------------------------------------------------------------------------


def _old_access_rows(cutoff):
    from .models import PersonalDataAccess

    return PersonalDataAccess.objects.filter(at__lt=cutoff).order_by("pk")


def _delete_rows(rows) -> dict:
    done = {pk: {} for pk in rows.values_list("pk", flat=True)}
    in_batches(rows.model, list(done), lambda batch: batch.delete())
    return done


BATCH = 500


def in_batches(model, pks: list, apply) -> None:
    """Apply `apply` to the rows of `model` with these keys, a bounded number of keys per statement."""
    for start in range(0, len(pks), BATCH):
        apply(model._default_manager.filter(pk__in=pks[start : start + BATCH]))


def _write_history(rule: "Rule", model, done: dict) -> None:
    """One change-history row per purged record: the kind of record and its number, the rule and what was
    erased (field names, number of files) — no personal data."""
    from django.contrib.contenttypes.models import ContentType

    from motcua.audit.context import current
    from motcua.audit.models import AuditEntry

    if not done:
        return
    state = current()
    actor = state.actor if getattr(state.actor, "is_authenticated", False) else None
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    kind = str(model._meta.verbose_name)
    action = AuditEntry.Action.DELETE if rule.action == "delete" else AuditEntry.Action.UPDATE
    reason = _("Thời hạn lưu giữ dữ liệu cá nhân đã hết (quy tắc %(key)s, %(days)d ngày)") % {
        "key": rule.key,
        "days": rule.days,
    }
    for pk, details in done.items():
        AuditEntry.objects.create(
            action=action,
            content_type=content_type,
            object_id=str(pk)[:64],
            object_repr=f"{kind} #{pk}"[:255],
            actor=actor,
            actor_name=(actor.get_username() if actor else "")[:255],
            reason=str(reason),
            request_path=state.request_path,
            before=None,
            after={
                "retention_rule": rule.key,
                "retention_days": rule.days,
                "purge": rule.action,
                "records_in_run": len(done),
                **details,
            },
        )


_rules: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    """Add (or replace, by key) a retention rule; call it from the owning part's AppConfig.ready()."""
    _rules[rule.key] = rule
    return rule


def rules() -> list[Rule]:
    """Every registered rule, in the order of the table above."""
    return sorted(_rules.values(), key=lambda rule: (rule.order, rule.key))


ACCESS_LOG = Rule(
    "access_log",
    _("Nhật ký xem dữ liệu cá nhân"),
    5 * 365,
    "delete",
    _old_access_rows,
    _delete_rows,
    lambda r: f"#{r.pk} {r.username} → {r.applicant_name} ({timezone.localtime(r.at):%d/%m/%Y})",
    order=40,
)


def due(now: datetime.datetime | None = None) -> list[tuple[Rule, models.QuerySet]]:
    """Each rule with the records it would purge at `now`."""
    now = now or timezone.now()
    return [(rule, rule.find(rule.cutoff(now))) for rule in rules()]


def purge(now: datetime.datetime | None = None) -> dict[str, int]:
    """Apply every rule (one transaction each, with its change history); the number of records purged per
    rule."""
    counts = {}
    for rule, rows in due(now):
        with transaction.atomic():
            done = rule.apply(rows)
            _write_history(rule, rows.model, done)
        counts[rule.key] = len(done)
    return counts
