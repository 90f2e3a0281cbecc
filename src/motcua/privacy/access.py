"""Who read which applicant's personal data: one row per staff page view, file download or API read.

Called by the views and API endpoints that show an applicant's identity or contact data to staff (the dossier
page, the printed forms, the online-submission review, staff file downloads, the dossier API; the lists that show
applicants' names or phone numbers, one row per applicant shown, through `record_list`; and the recommendation
page that shows its sender's contacts, through `record_recommendation`). Citizens reading
their own data and the public lookup (which shows no personal data) are not logged. Rows are kept for the period of
the retention rule ``access_log`` (`motcua.privacy.retention`) and shown to supervisors (`views.access_list`).
"""

from django.db.models import Q, QuerySet

from .models import PersonalDataAccess

Channel = PersonalDataAccess.Channel


def record(user, *, dossier=None, applicant=None, channel: str = Channel.PAGE, what: str = "") -> None:
    """Log that `user` read the personal data of `applicant` (default: the dossier's applicant)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return
    if applicant is None and dossier is not None:
        applicant = dossier.applicant
    if applicant is None:
        return
    _row(user, dossier, applicant, channel, what).save()


def _row(user, dossier, applicant, channel, what) -> PersonalDataAccess:
    return PersonalDataAccess(
        user=user,
        username=user.get_username()[:150],
        applicant=applicant,
        applicant_name=(applicant.name or "")[:255],
        dossier=dossier,
        dossier_code=getattr(dossier, "code", "") or "",
        agency_id=getattr(dossier, "agency_id", None),
        channel=channel,
        what=what[:200],
    )


def record_list(user, dossiers, *, what: str) -> None:
    """Log that `user` saw a list showing the applicants of `dossiers` (names, phone numbers): one row per
    dossier shown, written by one INSERT. The dossiers should come with their applicant loaded."""
    if user is None or not getattr(user, "is_authenticated", False):
        return
    rows = [
        _row(user, dossier, dossier.applicant, Channel.PAGE, what)
        for dossier in dossiers
        if dossier.applicant_id is not None
    ]
    if rows:
        PersonalDataAccess.objects.bulk_create(rows)


def record_recommendation(user, recommendation, *, what: str) -> None:
    """Log that `user` read the sender's name and contacts of a recommendation (phản ánh, kiến nghị). The sender
    is not an applicant: the row carries the sender's name, the dossier code the sender gave, and the agency."""
    if user is None or not getattr(user, "is_authenticated", False):
        return
    PersonalDataAccess.objects.create(
        user=user,
        username=user.get_username()[:150],
        applicant_name=(recommendation.sender_name or "")[:255],
        dossier_code=(recommendation.dossier_code or "")[:40],
        agency_id=recommendation.agency_id,
        channel=Channel.PAGE,
        what=f"{what} {recommendation.reference}"[:200],
    )


def visible_to(user) -> QuerySet[PersonalDataAccess]:
    """The rows a supervisor may read: a superuser all; others those of dossiers of agencies in their scope and
    the rows about no dossier."""
    from motcua.org.permissions import agency_ids_in_scope

    rows = PersonalDataAccess.objects.all()
    if user.is_superuser:
        return rows
    return rows.filter(Q(agency_id__in=agency_ids_in_scope(user)) | Q(agency_id__isnull=True))
