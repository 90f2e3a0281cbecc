"""The retention rules of the records citizens own (see `motcua.privacy.retention`): drafts of online submissions
and the contact data of applicants with no citizen account. Registered at `CitizensConfig.ready()`."""

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Applicant, Dossier
from motcua.privacy.retention import Rule

from .models import CitizenProfile, Submission, SubmissionFile

# --- draft online submissions ---------------------------------------------------------------------------------


def _stale_drafts(cutoff):
    return Submission.objects.filter(state=Submission.State.DRAFT, updated_at__lt=cutoff).order_by("pk")


def _delete_drafts(rows) -> int:
    storage = SubmissionFile._meta.get_field("file").storage
    count = 0
    for submission in rows:
        names = [f.file.name for f in SubmissionFile.objects.filter(submission=submission) if f.file]
        submission.delete()
        # the rows are gone; the stored files follow once the deletion is committed
        transaction.on_commit(lambda names=names: [storage.delete(n) for n in names])
        count += 1
    return count


DRAFT_SUBMISSIONS = Rule(
    "draft_submissions",
    _("Hồ sơ trực tuyến lưu nháp nhưng không nộp"),
    180,
    "delete",
    _stale_drafts,
    _delete_drafts,
    lambda s: f"#{s.pk} {s.procedure_id} (lưu lúc {timezone.localtime(s.updated_at):%d/%m/%Y})",
    order=10,
)


# --- applicants' contact data ---------------------------------------------------------------------------------

CLOSED_STATES = ("withdrawn", "rejected", "stopped", "returned")


def _idle_applicants(cutoff):
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


APPLICANT_CONTACTS = Rule(
    "applicant_contacts",
    _("Thông tin liên hệ của người nộp không còn hồ sơ đang giải quyết"),
    5 * 365,
    "anonymise",
    _idle_applicants,
    _blank_contacts,
    lambda a: f"#{a.pk} {a.name}",
    order=20,
)
