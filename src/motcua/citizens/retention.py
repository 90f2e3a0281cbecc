"""The retention rules of the records citizens own (see `motcua.privacy.retention`): drafts of online submissions
and the contact data of applicants with no citizen account. Registered at `CitizensConfig.ready()`."""

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Applicant, Dossier
from motcua.privacy.retention import Rule, in_batches

from .models import CitizenProfile, Submission, SubmissionFile

# --- draft online submissions ---------------------------------------------------------------------------------


def _stale_drafts(cutoff):
    return Submission.objects.filter(state=Submission.State.DRAFT, updated_at__lt=cutoff).order_by("pk")


def _delete_drafts(rows) -> dict:
    storage = SubmissionFile._meta.get_field("file").storage
    done = {}
    for submission in rows:
        names = [f.file.name for f in SubmissionFile.objects.filter(submission=submission) if f.file]
        pk = submission.pk
        submission.delete()
        # the rows are gone; the stored files follow once the deletion is committed
        transaction.on_commit(lambda names=names: [storage.delete(n) for n in names])
        done[pk] = {"files": len(names)}
    return done


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


CONTACT_FIELDS = ("phone", "email", "address", "date_of_birth")


def _blank_contacts(rows) -> dict:
    found = list(rows.values_list("pk", *CONTACT_FIELDS))
    done = {
        pk: {"fields": [f for f, v in zip(CONTACT_FIELDS, values, strict=True) if v]} for pk, *values in found
    }
    in_batches(
        rows.model, list(done), lambda batch: batch.update(phone="", email="", address="", date_of_birth=None)
    )
    return done


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
