"""Applicant services: find an applicant again by identity, or create one; check a submitter.

from motcua.dossiers.applicants import find_or_create_applicant, check_submitter

owner = find_or_create_applicant(applicant_type="citizen", name="Nguyễn Văn An", id_type="cccd",
                                 id_number="027090000001", phone="0912 345 678")
submitter = find_or_create_applicant(name="Trần Thị Bình", id_type="cccd", id_number="027190000002")
check_submitter(owner, submitter)   # raises ValidationError when the submitter cannot act for the owner
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .models import Applicant

FIELDS = {
    "applicant_type",
    "name",
    "id_type",
    "id_number",
    "date_of_birth",
    "address",
    "phone",
    "email",
    "tax_code",
    "representative",
}
# Details a later visit may refresh (the identity itself never changes).
REFRESHABLE = ("name", "date_of_birth", "address", "phone", "email", "representative")


class ConcurrentApplicant(IntegrityError):
    """Another transaction created the same identity while this one was creating it (only without a savepoint:
    the caller's transaction is spoilt and the caller runs it again, when the identity is found)."""


def find_or_create_applicant(*, savepoint: bool = True, **fields) -> Applicant:
    """Return the applicant with this identity, creating it, or refreshing its contact details.

    The input is normalised and validated first; bad input raises ValidationError (Vietnamese messages) and
    changes nothing. Empty values never overwrite stored ones.

    Inside a caller's transaction the work is a savepoint: an error leaves the caller's transaction usable, and
    a concurrent creation of the same identity is read again. A caller whose transaction always ends on an error
    here passes `savepoint=False` (two statements fewer); a concurrent creation then raises
    `ConcurrentApplicant` and the caller runs its whole transaction again.
    """
    unknown = set(fields) - FIELDS
    if unknown:
        raise ValidationError(_("Trường không hợp lệ: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    candidate = Applicant(**{k: ("" if v is None and k != "date_of_birth" else v) for k, v in fields.items()})
    candidate.full_clean(validate_unique=False, validate_constraints=False)
    for _attempt in range(2):
        try:
            with transaction.atomic(savepoint=savepoint):
                existing = (
                    Applicant.objects.select_for_update()
                    .filter(id_type=candidate.id_type, id_number=candidate.id_number)
                    .first()
                )
                if existing is None:
                    candidate.save()
                    return candidate
                if existing.applicant_type != candidate.applicant_type:
                    raise ValidationError(
                        {"id_number": _("Số giấy tờ này đã được đăng ký cho một chủ hồ sơ khác loại.")}
                    )
                changed = [
                    name
                    for name in REFRESHABLE
                    if getattr(candidate, name) not in ("", None)
                    and getattr(candidate, name) != getattr(existing, name)
                ]
                if changed:
                    for name in changed:
                        setattr(existing, name, getattr(candidate, name))
                    existing.save(update_fields=[*changed, "updated_at"])
                return existing
        except IntegrityError as exc:
            if not savepoint:
                raise ConcurrentApplicant(*exc.args) from exc
            # Another request created the same identity between our read and our insert: read it again.
            candidate.pk = None
            continue
    raise ValidationError(_("Không lưu được thông tin chủ hồ sơ, vui lòng thử lại."))


def check_submitter(applicant: Applicant, submitter: Applicant | None) -> bool:
    """Validate the person who submits for `applicant`; return True when they act on someone's behalf.

    The submitter (người nộp hồ sơ) must be a person: an organisation submits through a person.
    """
    is_organisation = applicant.applicant_type == Applicant.Type.ORGANISATION
    if submitter is None:
        if is_organisation:
            raise ValidationError({"submitter": _("Hồ sơ của tổ chức cần ghi rõ người nộp hồ sơ (cá nhân).")})
        return False
    if submitter.applicant_type != Applicant.Type.CITIZEN:
        raise ValidationError({"submitter": _("Người nộp hồ sơ phải là cá nhân.")})
    return submitter.pk != applicant.pk
