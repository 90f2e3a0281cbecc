"""How long each kind of personal data is kept (Decree 13/2023/NĐ-CP Art. 9(5) and Art. 16: data is deleted or
anonymised once its purpose is over), and what happens after: one rule per kind of record.

| key | what | after (default) | then |
|---|---|---|---|
| ``draft_submissions`` | online drafts a citizen started and never submitted (form data and uploaded files) | 180 days without change | deleted, files too |
| ``applicant_contacts`` | phone, e-mail, address and date of birth of an applicant with no citizen account and no dossier open or changed in the period | 5 years | blanked (name and ID number stay: they identify the archived dossiers) |
| ``recommendation_contacts`` | name, phone and e-mail of the sender of an answered recommendation (kiến nghị) | 3 years after the answer | replaced by "Ẩn danh" / blanked |
| ``access_log`` | the log of staff reads of personal data | 5 years | deleted |

Dossiers, their history and their documents are archival records kept under the archives law, not by these rules.
A deployment changes a period with ``MOTCUA_RETENTION_DAYS = {"draft_submissions": 90, ...}``.
`motcua purge_personal_data --dry-run` lists what would be purged; without ``--dry-run`` the rules are applied.
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
    apply: Callable[[models.QuerySet], int]
    describe: Callable[[models.Model], str]

    @property
    def days(self) -> int:
        overrides = getattr(settings, "MOTCUA_RETENTION_DAYS", None) or {}
        return int(overrides.get(self.key, self.default_days))

    def cutoff(self, now: datetime.datetime) -> datetime.datetime:
        return now - datetime.timedelta(days=self.days)


# --- draft online submissions ---------------------------------------------------------------------------------


def _stale_drafts(cutoff):
    from motcua.citizens.models import Submission

    return Submission.objects.filter(state=Submission.State.DRAFT, updated_at__lt=cutoff).order_by("pk")


def _delete_drafts(rows) -> int:
    from motcua.citizens.models import SubmissionFile

    storage = SubmissionFile._meta.get_field("file").storage
    count = 0
    for submission in rows:
        names = [f.file.name for f in SubmissionFile.objects.filter(submission=submission) if f.file]
        submission.delete()
        # the rows are gone; the stored files follow once the deletion is committed
        transaction.on_commit(lambda names=names: [storage.delete(n) for n in names])
        count += 1
    return count


# --- applicants' contact data ---------------------------------------------------------------------------------

CLOSED_STATES = ("withdrawn", "rejected", "stopped", "returned")


def _idle_applicants(cutoff):
    from motcua.citizens.models import CitizenProfile
    from motcua.dossiers.models import Applicant, Dossier

    active = Dossier.objects.filter(models.Q(updated_at__gte=cutoff) | ~models.Q(state__in=CLOSED_STATES))
    return (
        Applicant.objects.filter(updated_at__lt=cutoff)
        .exclude(models.Exists(CitizenProfile.objects.filter(applicant=models.OuterRef("pk"))))
        .exclude(models.Exists(active.filter(applicant=models.OuterRef("pk"))))
        .exclude(models.Exists(active.filter(submitter=models.OuterRef("pk"))))
        .exclude(phone="", email="", address="", date_of_birth__isnull=True)
        .order_by("pk")
    )


def _blank_contacts(rows) -> int:
    return rows.update(phone="", email="", address="", date_of_birth=None)


# --- recommendations' senders ---------------------------------------------------------------------------------

ANONYMOUS = "Ẩn danh"


def _old_recommendations(cutoff):
    from motcua.feedback.models import Recommendation

    return (
        Recommendation.objects.filter(answered_at__lt=cutoff)
        .exclude(sender_name=ANONYMOUS, sender_phone="", sender_email="")
        .order_by("pk")
    )


def _anonymise_senders(rows) -> int:
    return rows.update(sender_name=ANONYMOUS, sender_phone="", sender_email="")


# --- the access log itself -------------------------------------------------------------------------------------


def _old_access_rows(cutoff):
    from .models import PersonalDataAccess

    return PersonalDataAccess.objects.filter(at__lt=cutoff).order_by("pk")


def _delete_rows(rows) -> int:
    return rows.delete()[0]


RULES = (
    Rule(
        "draft_submissions",
        _("Hồ sơ trực tuyến lưu nháp nhưng không nộp"),
        180,
        "delete",
        _stale_drafts,
        _delete_drafts,
        lambda s: f"#{s.pk} {s.procedure_id} (lưu lúc {timezone.localtime(s.updated_at):%d/%m/%Y})",
    ),
    Rule(
        "applicant_contacts",
        _("Thông tin liên hệ của người nộp không còn hồ sơ đang giải quyết"),
        5 * 365,
        "anonymise",
        _idle_applicants,
        _blank_contacts,
        lambda a: f"#{a.pk} {a.name}",
    ),
    Rule(
        "recommendation_contacts",
        _("Thông tin người gửi kiến nghị đã được trả lời"),
        3 * 365,
        "anonymise",
        _old_recommendations,
        _anonymise_senders,
        lambda r: f"#{r.pk} {r.sender_name}",
    ),
    Rule(
        "access_log",
        _("Nhật ký xem dữ liệu cá nhân"),
        5 * 365,
        "delete",
        _old_access_rows,
        _delete_rows,
        lambda r: f"#{r.pk} {r.username} → {r.applicant_name} ({timezone.localtime(r.at):%d/%m/%Y})",
    ),
)


def due(now: datetime.datetime | None = None) -> list[tuple[Rule, models.QuerySet]]:
    """Each rule with the records it would purge at `now`."""
    now = now or timezone.now()
    return [(rule, rule.find(rule.cutoff(now))) for rule in RULES]


def purge(now: datetime.datetime | None = None) -> dict[str, int]:
    """Apply every rule (one transaction each); the number of records purged per rule."""
    done = {}
    for rule, rows in due(now):
        with transaction.atomic():
            done[rule.key] = rule.apply(rows)
    return done
