"""Citizen accounts, online submission and its reception, online supplements and results, the public status.

Views call these functions; every rule of the citizen portal is here.
"""

import secrets
import string

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from motcua.catalog.models import OnlineLevel, Procedure
from motcua.documents.models import Document
from motcua.documents.services import receive_supplement as digitise_supplement
from motcua.dossiers import services as dossier_services
from motcua.dossiers.applicants import find_or_create_applicant
from motcua.dossiers.deadlines import promised
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import Channel, PortalStatus, ReturnMethod, State
from motcua.org.permissions import agencies_in_scope, has_role
from motcua.privacy import notice
from motcua.refcache import ReferenceCache
from motcua.workdays.services import get_calendar

from . import online_form
from .models import CitizenProfile, OnlineResult, Submission, SubmissionFile
from .uploads import check_upload, check_uploads

ONLINE_LEVELS = (OnlineLevel.FULL, OnlineLevel.PARTIAL)


# --- accounts ---------------------------------------------------------------------------------------------


def profile_of(user) -> CitizenProfile | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return CitizenProfile.objects.select_related("applicant").filter(user=user).first()


def _applicant_fields(data: dict) -> dict:
    return {
        "applicant_type": "citizen",
        "name": data.get("full_name", ""),
        "id_type": data.get("id_type") or "cccd",
        "id_number": data.get("id_number", ""),
        "date_of_birth": data.get("date_of_birth"),
        "address": data.get("address", ""),
        "phone": data.get("phone", ""),
        "email": data.get("email", ""),
    }


def _create_account(data: dict, password: str, created_by=None, counter_registered_portal=False):
    User = get_user_model()
    fields = _applicant_fields(data)
    if not fields["phone"]:
        raise ValidationError({"phone": _("Chưa nhập số điện thoại.")})
    try:
        with transaction.atomic():
            applicant = find_or_create_applicant(**fields)
            if User.objects.filter(username=applicant.id_number).exists():
                raise ValidationError({"id_number": _("Số giấy tờ này đã có tài khoản. Vui lòng đăng nhập.")})
            user = User(
                username=applicant.id_number,
                full_name=applicant.name,
                phone=applicant.phone,
                email=applicant.email,
            )
            validate_password(password, user)
            user.set_password(password)
            user.save()
            profile = CitizenProfile.objects.create(
                user=user,
                applicant=applicant,
                has_national_portal_account=bool(data.get("has_national_portal_account"))
                or counter_registered_portal,
                national_portal_registered_at_counter=counter_registered_portal,
                created_by=created_by,
                # An officer opening the account has the citizen's ID card in hand.
                identity_checked_by=CitizenProfile.IdentityCheck.COUNTER if created_by is not None else "",
            )
    except IntegrityError:
        raise ValidationError(
            {"id_number": _("Số giấy tờ này đã có tài khoản. Vui lòng đăng nhập.")}
        ) from None
    except ValidationError as exc:
        if hasattr(exc, "error_dict") or not exc.messages:
            raise
        raise ValidationError({"password": exc.messages}) from None
    return profile


def register_citizen(data: dict, password: str) -> CitizenProfile:
    """A citizen registers a local account; they log in with their ID number and password. They must have
    agreed to the personal-data notice (``data["consent"]``); the consent is recorded with the account."""
    notice.require(bool(data.get("consent")))
    with transaction.atomic():
        profile = _create_account(data, password)
        notice.record(notice.Purpose.REGISTRATION, user=profile.user, applicant=profile.applicant)
    return profile


def generate_password() -> str:
    alphabet = string.ascii_letters + string.digits
    while True:
        value = "".join(secrets.choice(alphabet) for _i in range(10))
        if any(c.isdigit() for c in value) and any(c.isalpha() for c in value):
            return value


def create_account_for_walk_in(officer, data: dict, registered_national_portal: bool = False):
    """A counter officer opens an account for a walk-in citizen; returns (profile, first password).

    The first password is shown once to hand to the citizen, who changes it after logging in.
    """
    if not has_role(officer, "reception_officer"):
        raise PermissionDenied(_("Chỉ cán bộ tiếp nhận mới tạo tài khoản cho công dân."))
    password = generate_password()
    profile = _create_account(
        data, password, created_by=officer, counter_registered_portal=registered_national_portal
    )
    return profile, password


def update_profile(profile: CitizenProfile, data: dict) -> CitizenProfile:
    """Contacts and the national-portal flag; the identity (ID number, name) stays as registered."""
    applicant = profile.applicant
    fields = {
        "applicant_type": "citizen",
        "name": applicant.name,
        "id_type": applicant.id_type,
        "id_number": applicant.id_number,
        "date_of_birth": data.get("date_of_birth") or applicant.date_of_birth,
        "address": data.get("address", ""),
        "phone": data.get("phone", ""),
        "email": data.get("email", ""),
    }
    if not fields["phone"]:
        raise ValidationError({"phone": _("Chưa nhập số điện thoại.")})
    with transaction.atomic():
        applicant = find_or_create_applicant(**fields)
        profile.has_national_portal_account = bool(data.get("has_national_portal_account"))
        profile.save(update_fields=["has_national_portal_account"])
        user = profile.user
        user.phone, user.email = applicant.phone, applicant.email
        user.save(update_fields=["phone", "email"])
    return profile


def _identity_number(identity: dict) -> str:
    from motcua.dossiers import identity as identity_rules

    id_number = identity_rules.normalize_id_number("cccd", identity.get("id_number", ""))
    try:
        identity_rules.validate_id_number("cccd", id_number)
    except ValidationError:
        raise ValidationError(_("Nhà cung cấp đăng nhập không trả về số định danh cá nhân hợp lệ.")) from None
    return id_number


def _external_profile(id_number: str) -> CitizenProfile | None:
    profile = (
        CitizenProfile.objects.select_related("user", "applicant").filter(user__username=id_number).first()
    )
    if profile is None and get_user_model().objects.filter(username=id_number).exists():
        raise ValidationError(_("Số định danh này đang dùng cho một tài khoản cán bộ; không đăng nhập được."))
    if profile is not None and not profile.user.is_active:
        raise ValidationError(_("Tài khoản đã bị khóa."))
    return profile


def external_login_needs_consent(identity: dict) -> bool:
    """Must the citizen identified by a provider first agree to the personal-data notice (Decree 13/2023 Art. 11)?
    Yes on the first login (no account yet) and for an account without a standing consent. Raises
    ValidationError (Vietnamese) when the identity cannot log in at all."""
    profile = _external_profile(_identity_number(identity))
    return profile is None or not notice.has_account_consent(profile.user)


def login_with_identity(identity: dict, *, consent: bool = False, provider: str = ""):
    """The account of a citizen identified by an external provider (VNeID, the national portal), created on
    first login once the citizen has agreed to the personal-data notice (`consent`; recorded). Such a citizen
    has a National Public Service Portal account by definition. The identity level the provider vouches for
    (``identity["identity_level"]``: 1 or 2) is recorded at every login; level 2 checks the identity number."""
    User = get_user_model()
    id_number = _identity_number(identity)
    profile = _external_profile(id_number)
    needs_consent = profile is None or not notice.has_account_consent(profile.user)
    if needs_consent and not consent:
        notice.require(False)
    try:
        level = max(0, min(int(identity.get("identity_level") or 0), CitizenProfile.IdentityLevel.LEVEL_2))
    except (TypeError, ValueError):
        level = 0
    with transaction.atomic():
        if profile is None:
            applicant = find_or_create_applicant(
                **_applicant_fields({**identity, "id_number": id_number, "id_type": "cccd"})
            )
            user = User(
                username=id_number, full_name=applicant.name, phone=applicant.phone, email=applicant.email
            )
            user.set_unusable_password()
            user.save()
            profile = CitizenProfile(user=user, applicant=applicant)
        profile.has_national_portal_account = True
        profile.identity_level = level
        profile.identity_provider = provider[:40]
        profile.identity_level_at = timezone.now()
        if level >= CitizenProfile.IdentityLevel.LEVEL_2 and not profile.identity_checked_by:
            profile.identity_checked_by = CitizenProfile.IdentityCheck.PROVIDER
        profile.save()
        if needs_consent:
            notice.record(
                notice.Purpose.EXTERNAL_LOGIN,
                user=profile.user,
                applicant=profile.applicant,
                reference=provider,
            )
    return profile.user


# --- the citizen's own personal data (Decree 13/2023 Art. 9, 14, 16; ASVS V8.3.2) -----------------------------


def _moment(value):
    return timezone.localtime(value).isoformat() if value else None


def _account_export(user, profile: CitizenProfile) -> dict:
    """The account's part of the export: the login, contact details and how the identity was checked."""
    return {
        "username": user.username,
        "full_name": user.full_name,
        "phone": user.phone,
        "email": user.email,
        "date_joined": _moment(user.date_joined),
        "last_login": _moment(user.last_login),
        "has_national_portal_account": profile.has_national_portal_account,
        "identity_checked_by": profile.identity_checked_by,
        "identity_level": profile.identity_level,
        "identity_provider": profile.identity_provider,
        "identity_level_at": _moment(profile.identity_level_at),
        "created_at": _moment(profile.created_at),
    }


def _applicant_export(applicant) -> dict:
    """The applicant record's part of the export: name, identity document, birth date and contact details."""
    return {
        "name": applicant.name,
        "id_type": applicant.id_type,
        "id_number": applicant.id_number,
        "date_of_birth": applicant.date_of_birth.isoformat() if applicant.date_of_birth else None,
        "address": applicant.address,
        "phone": applicant.phone,
        "email": applicant.email,
    }


def _consents_export(user) -> list[dict]:
    """The consents the account gave (and withdrew), oldest first."""
    from motcua.privacy.models import Consent

    return [
        {
            "purpose": c.purpose,
            "notice_version": c.notice_version,
            "given_at": _moment(c.given_at),
            "withdrawn_at": _moment(c.withdrawn_at),
        }
        for c in Consent.objects.filter(user=user).order_by("given_at", "id")
    ]


def _submissions_export(user) -> list[dict]:
    """The account's online submissions, drafts included, with their answers and the files' descriptions."""
    submissions = (
        Submission.objects.filter(user=user).select_related("procedure", "dossier").prefetch_related("files")
    )
    return [
        {
            "procedure": s.procedure.code,
            "procedure_name": s.procedure.name,
            "state": s.state,
            "summary": s.summary,
            "form_data": s.form_data,
            "form_answers": s.form_answers,
            "return_method": s.return_method,
            "created_at": _moment(s.created_at),
            "submitted_at": _moment(s.submitted_at),
            "dossier": s.dossier.code if s.dossier_id else None,
            "files": [
                {"title": f.title, "name": f.original_name, "size": f.size, "sha256": f.sha256}
                for f in s.files.all()
            ],
        }
        for s in submissions
    ]


def _dossiers_export(user) -> list[dict]:
    """The dossiers filed under the account or its verified identity, with their dates."""
    return [
        {
            "code": d.code,
            "procedure": d.procedure.code,
            "procedure_name": d.procedure.name,
            "channel": d.channel,
            "state": d.state,
            "submitted_at": _moment(d.submitted_at),
            "received_at": _moment(d.received_at),
            "due_at": _moment(d.due_at),
            "returned_at": _moment(d.returned_at),
        }
        for d in my_dossiers(user)
    ]


def _staff_reads_export(applicant) -> list[dict]:
    """Who among the staff read the applicant's personal data: when, from which agency, what and how."""
    from motcua.privacy.models import PersonalDataAccess

    return [
        {
            "at": _moment(a.at),
            "by": a.username,
            "agency": a.agency.name if a.agency_id else "",
            "channel": a.channel,
            "what": a.what,
            "dossier": a.dossier_code,
        }
        for a in PersonalDataAccess.objects.filter(applicant=applicant).select_related("agency")
    ]


def personal_data_export(user) -> dict:
    """Everything the system holds about the citizen of this account, as JSON-ready data: the account, the
    applicant record, the consents, the online submissions (drafts included), the dossiers filed under the
    account or the verified identity, and who among the staff read their data."""
    profile = _require_profile(user)
    applicant = profile.applicant
    return {
        "exported_at": _moment(timezone.now()),
        "account": _account_export(user, profile),
        "applicant": _applicant_export(applicant),
        "consents": _consents_export(user),
        "online_submissions": _submissions_export(user),
        "dossiers": _dossiers_export(user),
        "staff_reads": _staff_reads_export(applicant),
    }


def close_account(user) -> None:
    """The citizen withdraws consent and closes the account. Deleted: the drafts never submitted (with their
    files), the citizen profile, and the user account (or, when submitted dossiers still refer to it, its name,
    contacts and login, leaving an inactive placeholder). Kept, as the law requires: the submitted dossiers with
    their applicant record (archives), fee records, the audit trail, the staff-read log and the consent rows,
    now marked withdrawn. The applicant record goes too when nothing else refers to it."""
    from django.db.models import ProtectedError, RestrictedError

    profile = _require_profile(user)
    applicant = profile.applicant
    with transaction.atomic():
        drafts = Submission.objects.filter(user=user, state=Submission.State.DRAFT)
        names = set(SubmissionFile.objects.filter(submission__in=drafts).values_list("file", flat=True))
        names -= set(Document.objects.filter(file__in=names).values_list("file", flat=True))  # shared: kept
        SubmissionFile.objects.filter(submission__in=drafts).delete()
        drafts.delete()
        notice.withdraw(user)
        profile.delete()
        if not applicant.citizen_profiles.exists():
            try:
                with transaction.atomic():
                    applicant.delete()
            except (ProtectedError, RestrictedError):
                pass  # the submitted dossiers keep it (see the retention rules for its contacts)
        # The account goes last: the audit trail names it as the actor of the deletions above.
        try:
            with transaction.atomic():
                user.delete()
        except (ProtectedError, RestrictedError):
            user.username = f"da-xoa-{user.pk}"
            user.full_name = user.first_name = user.last_name = ""
            user.phone = user.email = ""
            user.is_active = False
            user.set_unusable_password()
            user.save()

        def remove_files():
            from django.core.files.storage import default_storage

            for name in names:
                if name:
                    default_storage.delete(name)

        transaction.on_commit(remove_files)


def registration_stats(date_from=None, date_to=None) -> dict:
    """Citizen accounts and how many have a National Public Service Portal account (registration rate)."""
    qs = CitizenProfile.objects.all()
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    total = qs.count()
    with_portal = qs.filter(has_national_portal_account=True).count()
    return {
        "accounts": total,
        "self_registered": qs.filter(created_by__isnull=True).count(),
        "created_at_counter": qs.filter(created_by__isnull=False).count(),
        "with_national_portal": with_portal,
        "registered_at_counter": qs.filter(national_portal_registered_at_counter=True).count(),
        "rate": round(100 * with_portal / total, 1) if total else 0.0,
    }


# --- online submission ------------------------------------------------------------------------------------


def online_procedures(q: str = ""):
    """Published procedures that can be submitted online (toàn trình or một phần), searched like the catalog."""
    from motcua.catalog.search import ProcedureFilters, search_procedures

    q = (q or "").strip()[:200]
    return search_procedures(ProcedureFilters(q=q)).filter(online_level__in=ONLINE_LEVELS)


def return_methods_for(procedure: Procedure) -> list[tuple[str, str]]:
    """Toàn trình: the result comes online (or by post). Một phần: at the counter (or by post)."""
    if procedure.online_level == OnlineLevel.FULL:
        allowed = (ReturnMethod.ONLINE, ReturnMethod.POST)
    else:
        allowed = (ReturnMethod.COUNTER, ReturnMethod.POST)
    return [(value, ReturnMethod(value).label) for value in allowed]


def _require_profile(user) -> CitizenProfile:
    profile = profile_of(user)
    if profile is None:
        raise PermissionDenied(_("Chức năng này dành cho tài khoản công dân."))
    return profile


def start_submission(user, procedure: Procedure) -> Submission:
    """A new draft for an online-enabled procedure."""
    _require_profile(user)
    if procedure.status != Procedure.Status.PUBLISHED or procedure.online_level not in ONLINE_LEVELS:
        raise ValidationError(_("Thủ tục này chưa cung cấp dịch vụ công trực tuyến; vui lòng nộp tại quầy."))
    return Submission.objects.create(
        user=user, procedure=procedure, return_method=return_methods_for(procedure)[0][0]
    )


def own_submission(user, pk) -> Submission:
    """The citizen's own submission, or Submission.DoesNotExist (same as a submission that does not exist)."""
    return Submission.objects.select_related("procedure", "dossier", "procedure__resolving_agency").get(
        pk=pk, user=user
    )


def required_documents(submission: Submission):
    return list(submission.procedure.documents.order_by("position", "id"))


def _store(submission, checked, *, title, required_document=None):
    return SubmissionFile.objects.create(
        submission=submission,
        required_document=required_document,
        title=title[:500],
        purpose=SubmissionFile.Purpose.INITIAL,
        file=checked.as_content_file(),
        original_name=checked.original_name[:200],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
    )


def form_fields(procedure: Procedure) -> list:
    """The fields of the procedure's online form, as the catalog defines them, in order."""
    return list(procedure.form_fields.order_by("position", "id"))


def save_draft(
    submission: Submission,
    user,
    *,
    summary: str,
    return_method: str,
    uploads: dict,
    form_data=None,
) -> Submission:
    """Save the draft: the form fields and one file per required document (`uploads`: document id -> file).

    `form_data` (the posted values, e.g. request.POST) fills the procedure's online form; a draft may leave
    required fields empty, but a value in the wrong format is refused. Every file and value is checked first; if
    any is refused, nothing is saved and the errors come back keyed by document id ("doc_<id>") or form input
    ("f_<key>") (ValidationError with an error dict).
    """
    if submission.user_id != user.pk:
        raise PermissionDenied
    if submission.state != Submission.State.DRAFT:
        raise ValidationError(_("Hồ sơ đã nộp, không sửa được bản nháp."))
    errors = {}
    if return_method not in dict(return_methods_for(submission.procedure)):
        errors["return_method"] = _("Hình thức nhận kết quả không phù hợp với thủ tục này.")
    summary = " ".join((summary or "").split())
    if len(summary) > 500:
        errors["summary"] = _("Nội dung yêu cầu dài quá 500 ký tự.")
    documents = {str(d.pk): d for d in required_documents(submission)}
    unknown = [key for key in uploads if str(key) not in documents]
    if unknown:
        errors["documents"] = _("Có tệp gửi cho thành phần hồ sơ không thuộc thủ tục này.")
    fields = form_fields(submission.procedure)
    form = None
    if fields and form_data is not None:
        form = online_form.procedure_form(fields, data=form_data)
        if not form.is_valid():
            errors.update({name: list(messages) for name, messages in form.errors.items()})
    checked, file_errors = check_uploads({str(k): v for k, v in uploads.items()})
    errors.update({f"doc_{k}": v for k, v in file_errors.items()})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        submission.summary = summary
        submission.return_method = return_method
        if form is not None:
            submission.form_data = online_form.stored_values(fields, form.cleaned_data)
        submission.save()
        for key, item in checked.items():
            document = documents[key]
            old = list(
                submission.files.filter(required_document=document, purpose=SubmissionFile.Purpose.INITIAL)
            )
            _store(submission, item, title=document.name, required_document=document)
            for row in old:
                name = row.file.name
                row.delete()
                transaction.on_commit(lambda name=name: SubmissionFile.file.field.storage.delete(name))
    return submission


def missing_documents(submission: Submission) -> list:
    have = set(
        submission.files.filter(purpose=SubmissionFile.Purpose.INITIAL).values_list(
            "required_document", flat=True
        )
    )
    return [d for d in required_documents(submission) if d.is_required and d.pk not in have]


def _refuse_incomplete(submission: Submission) -> list:
    """Refuse a draft missing a required file or answer; returns the procedure's form fields."""
    errors = {}
    missing = missing_documents(submission)
    if missing:
        errors["__all__"] = [
            _("Còn thiếu tệp cho các thành phần hồ sơ bắt buộc: %(names)s.")
            % {"names": "; ".join(d.name for d in missing)}
        ]
    fields = form_fields(submission.procedure)
    errors.update(
        {
            name: [message]
            for name, message in online_form.missing_required(fields, submission.form_data).items()
        }
    )
    if errors:
        raise ValidationError(errors)
    return fields


def _dossier_documents(submission: Submission) -> list[dict]:
    """The dossier's components: each required document the draft has a file for, with its counts and file."""
    files = {
        f.required_document_id: f for f in submission.files.filter(purpose=SubmissionFile.Purpose.INITIAL)
    }
    return [
        {
            "name": document.name,
            "original_count": document.original_count,
            "copy_count": document.copy_count,
            "file": files[document.pk].file.name,
        }
        for document in required_documents(submission)
        if document.pk in files
    ]


def submit(submission: Submission, user, *, consent: bool) -> Dossier:
    """Submit the draft: the dossier enters "Mới đăng ký" (status 1) and waits for the reception officer.
    The citizen must agree to the personal-data notice shown on the form (`consent`); it is recorded."""
    if submission.user_id != user.pk:
        raise PermissionDenied
    profile = _require_profile(user)
    notice.require(consent)
    if submission.state != Submission.State.DRAFT:
        raise ValidationError(_("Hồ sơ này đã được nộp."))
    submission.refresh_from_db(fields=["form_data"])
    fields = _refuse_incomplete(submission)
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        if submission.state != Submission.State.DRAFT:
            raise ValidationError(_("Hồ sơ này đã được nộp."))
        submission.form_answers = online_form.answers(fields, submission.form_data)
        documents = _dossier_documents(submission)
        dossier = dossier_services.submit_online(
            procedure=submission.procedure,
            applicant=profile.applicant,
            return_method=submission.return_method,
            summary=submission.summary,
            documents=documents,
        )
        submission.state = Submission.State.SUBMITTED
        submission.dossier = dossier
        submission.submitted_at = timezone.now()
        submission.save()
        notice.record(
            notice.Purpose.ONLINE_SUBMISSION,
            user=user,
            applicant=profile.applicant,
            reference=f"submission:{submission.pk}",
        )
    return dossier


def supplement_online(submission: Submission, user, *, uploads: dict, note: str = "") -> Dossier:
    """The citizen sends the requested documents online; the dossier resumes (the clock too, if it had started).

    `uploads`: item index (as in `dossier.supplement_items`) -> file. At least one file; all are checked first.
    """
    if submission.user_id != user.pk:
        raise PermissionDenied
    dossier = submission.dossier
    if dossier is None or dossier.state != State.PAUSED_SUPPLEMENT:
        raise ValidationError(_("Hồ sơ không ở trạng thái chờ bổ sung."))
    items = list(dossier.supplement_items or [])
    uploads = {str(k): v for k, v in uploads.items() if v}
    if not uploads:
        raise ValidationError({"files": _("Chưa chọn tệp giấy tờ bổ sung nào.")})
    if any(not k.isdigit() or int(k) >= len(items) for k in uploads):
        raise ValidationError({"files": _("Tệp bổ sung không khớp với nội dung yêu cầu bổ sung.")})
    checked, errors = check_uploads(uploads)
    if errors:
        raise ValidationError({f"item_{k}": v for k, v in errors.items()})
    note = (note or "").strip()[:2000]
    keys = sorted(checked, key=int)
    with transaction.atomic():
        # The same digitisation as a supplement received at the counter (one document per item, marked
        # "Bổ sung", images converted to PDF); the citizen's list of files points at the stored documents.
        dossier, documents = digitise_supplement(
            dossier,
            user,
            [(items[int(key)], [checked[key]]) for key in keys],
            note=note or _("Công dân bổ sung hồ sơ trực tuyến"),
            origin=Document.Origin.UPLOADED,
            as_applicant=True,
        )
        for key, document in zip(keys, documents, strict=True):
            SubmissionFile.objects.create(
                submission=submission,
                required_document=document.required_document,
                title=document.title,
                purpose=SubmissionFile.Purpose.SUPPLEMENT,
                file=document.file.name,
                original_name=checked[key].original_name[:200],
                content_type=document.content_type,
                size=document.size,
                sha256=document.sha256,
            )
    return dossier


def citizen_dossiers(user):
    return Submission.objects.filter(user=user).select_related("procedure", "dossier").order_by("-updated_at")


def _my_dossiers_query(user):
    profile = _require_profile(user)
    mine = Q(online_submission__user=user)
    applicant = profile.applicant
    if profile.identity_verified and applicant.id_number:
        same_person = {"applicant_type": applicant.applicant_type, "id_number": applicant.id_number}
        mine |= Q(**{f"applicant__{k}": v for k, v in same_person.items()})
        mine |= Q(**{f"submitter__{k}": v for k, v in same_person.items()})
    return Dossier.objects.filter(mine).distinct()


def my_dossiers(user) -> list[Dossier]:
    """Every dossier of the citizen, whatever the channel, newest first: those submitted through this account,
    and, when the account's identity is verified (a level-2 electronic identity, or the number checked at the
    counter),
    every dossier whose applicant or submitter has that number (received at the counter, by post, on the
    national portal). A number typed at self-registration opens only the account's own submissions."""
    return list(
        _my_dossiers_query(user)
        .select_related("procedure", "online_submission")
        .order_by("-submitted_at", "-id")
    )


def my_dossier(user, code: str) -> Dossier:
    """One of `my_dossiers` by its code, or Dossier.DoesNotExist (same as a code that does not exist)."""
    return _my_dossiers_query(user).select_related("procedure", "online_submission").get(code=code)


# --- reception of online submissions (staff) --------------------------------------------------------------


def online_inbox(user):
    """Online submissions waiting for reception (or for the citizen's supplement) at the user's agencies."""
    agencies = agencies_in_scope(user, None if user.is_superuser else "reception_officer")
    return (
        Dossier.objects.filter(channel=Channel.ONLINE, agency__in=agencies)
        .filter(
            Q(state=State.ONLINE_PENDING)
            | Q(state=State.PAUSED_SUPPLEMENT, paused_state=State.ONLINE_PENDING)
            | Q(state=State.RESULT_READY, return_method=ReturnMethod.ONLINE)
        )
        .select_related("procedure", "applicant", "agency")
        .order_by("submitted_at", "id")
    )


def staff_dossier(user, pk) -> Dossier:
    dossier = Dossier.objects.select_related("procedure", "applicant", "agency", "resolving_agency").get(
        pk=pk, channel=Channel.ONLINE
    )
    if not dossier_services.can_see(user, dossier):
        raise Dossier.DoesNotExist
    return dossier


def submission_files(dossier: Dossier):
    return SubmissionFile.objects.filter(submission__dossier=dossier).order_by("uploaded_at", "id")


def deliver_result_online(dossier: Dossier, user, uploaded) -> OnlineResult:
    """Toàn trình: publish the result PDF for the citizen and record that the result is returned (status 10)."""
    if dossier.state != State.RESULT_READY:
        raise ValidationError(_("Hồ sơ chưa có kết quả để trả."))
    if dossier.return_method != ReturnMethod.ONLINE:
        raise ValidationError(_("Công dân không đăng ký nhận kết quả trực tuyến."))
    checked = check_upload(uploaded)
    if checked.content_type != "application/pdf":
        raise ValidationError(_("Kết quả trả trực tuyến phải là tệp PDF (đã ký số)."))
    with transaction.atomic():
        result = OnlineResult(
            dossier=dossier,
            original_name=checked.original_name[:200],
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=user,
        )
        result.file.save(checked.stored_name(), checked.as_content_file(), save=False)
        stored = result.file.name
        try:
            result.save()
            dossier_services.return_result(dossier, user, note=_("Trả kết quả trực tuyến"))
        except Exception:
            OnlineResult.file.field.storage.delete(stored)
            raise
    return result


def mark_result_downloaded(result: OnlineResult) -> None:
    if result.downloaded_at is None:
        OnlineResult.objects.filter(pk=result.pk, downloaded_at__isnull=True).update(
            downloaded_at=timezone.now()
        )


# --- what the citizen reads -------------------------------------------------------------------------------


def _local(value):
    return date_format(timezone.localtime(value), "d/m/Y H:i") if value else ""


# procedure id -> the names of its components brought as originals, for the notification texts (reference data,
# see motcua.refcache; the catalog clears it when a required document is saved or deleted in this process).
_originals = ReferenceCache("originals to bring")


def what_to_bring(dossier: Dossier) -> str:
    """Một phần, or a result returned at the counter: which originals to bring, where and from when."""
    if dossier.return_method == ReturnMethod.ONLINE:
        return ""
    originals = _originals.get(
        dossier.procedure_id,
        lambda: list(
            dossier.procedure.documents.filter(original_count__gt=0)
            .order_by("position", "id")
            .values_list("name", flat=True)
        ),
    )
    when = _local(promised(dossier.due_at, dossier.appointment_at)[1])
    place = _("Bộ phận Tiếp nhận và Trả kết quả — %(agency)s") % {"agency": dossier.agency.name}
    if dossier.return_method == ReturnMethod.POST:
        text = _("Kết quả sẽ được gửi qua dịch vụ bưu chính công ích đến địa chỉ của ông/bà.")
        if originals:
            text += " " + _("Ông/bà nộp bản chính các giấy tờ sau qua bưu chính: %(docs)s.") % {
                "docs": "; ".join(originals)
            }
        return text
    text = _("Ông/bà đến %(place)s để nhận kết quả") % {"place": place}
    if when:
        text += _(" từ %(when)s") % {"when": when}
    text += "."
    if originals:
        text += " " + _("Mang theo bản chính các giấy tờ sau để đối chiếu: %(docs)s.") % {
            "docs": "; ".join(originals)
        }
    return text


def waiting_for(dossier: Dossier) -> str:
    state = dossier.state
    if state == State.ONLINE_PENDING:
        return _("Chờ Bộ phận Một cửa (%(agency)s) kiểm tra và tiếp nhận hồ sơ.") % {
            "agency": dossier.agency.name
        }
    if state == State.PAUSED_SUPPLEMENT:
        return _("Chờ ông/bà bổ sung: %(items)s.") % {"items": "; ".join(dossier.supplement_items or [])}
    if state == State.PAUSED_FINANCIAL:
        return _("Chờ ông/bà thực hiện nghĩa vụ tài chính (nộp phí, lệ phí, thuế).")
    if state in (State.RECEIVED, State.IN_STEP):
        agency = dossier.current_agency or dossier.resolving_agency
        if dossier.current_step_id:
            return _("%(agency)s đang xử lý: %(step)s.") % {
                "agency": agency.name,
                "step": dossier.current_step.name,
            }
        return _("%(agency)s đang xử lý.") % {"agency": agency.name}
    if state == State.RESULT_READY:
        if dossier.return_method == ReturnMethod.ONLINE:
            return _("Đã có kết quả, đang chờ trả kết quả trực tuyến.")
        return _("Đã có kết quả, chờ ông/bà đến nhận.")
    return ""


def time_left(dossier: Dossier, now=None) -> tuple[str, bool]:
    """("Còn 2 ngày 3 giờ" | "Quá hạn 1 ngày" | ..., is_overdue) against the appointment promised."""
    now = now or timezone.now()
    _legal, due = promised(dossier.due_at, dossier.appointment_at)
    if due is None or dossier.state in (
        State.ONLINE_PENDING,
        State.RETURNED,
        State.REJECTED,
        State.WITHDRAWN,
        State.STOPPED,
    ):
        return "", False
    if dossier.state in (State.PAUSED_SUPPLEMENT, State.PAUSED_FINANCIAL):
        return _("Tạm dừng tính thời gian trong khi chờ ông/bà"), False
    if dossier.state == State.RESULT_READY:
        end = dossier.finished_at or now
        if end > due:
            return _("Có kết quả sau ngày hẹn"), True
        return _("Có kết quả đúng hẹn"), False
    text = get_calendar().describe_remaining(now, due)
    return text, now > due


def _advance_sentence(event, data) -> str:
    """A step was finished: the result is ready, or the dossier moved from one named step to the next."""
    if event.to_state == State.RESULT_READY:
        return _("Đã có kết quả giải quyết.")
    if event.step_name and event.next_step_name:
        return _("Hoàn thành “%(step)s”, chuyển sang “%(next)s”.") % {
            "step": event.step_name,
            "next": event.next_step_name,
        }
    return _("Chuyển bước xử lý.")


def _apology_sentence(event, data) -> str:
    """The apology letter, with the new appointment (local time) when the event recorded one."""
    new = data.get("new_appointment_at")
    when = ""
    if new:
        from django.utils.dateparse import parse_datetime

        parsed = parse_datetime(new)
        when = _local(parsed) if parsed else ""
    return _("Thư xin lỗi, hẹn lại ngày trả kết quả: %(when)s.") % {"when": when}


# The sentence of each action in a citizen's timeline, from the event and its data.
_EVENT_SENTENCES = {
    "submit_online": lambda event, data: _("Nộp hồ sơ trực tuyến."),
    "receive": lambda event, data: _("Hồ sơ được tiếp nhận."),
    "refuse_intake": lambda event, data: (
        _("Hồ sơ không được tiếp nhận. Lý do: %(reason)s") % {"reason": event.note}
    ),
    "request_supplement": lambda event, data: (
        _("Yêu cầu bổ sung: %(items)s.") % {"items": "; ".join(data.get("items") or [])}
    ),
    "supplement": lambda event, data: _("Đã bổ sung hồ sơ."),
    "advance": _advance_sentence,
    "send_back": lambda event, data: _("Chuyển lại bước trước để xử lý lại."),
    "assign": lambda event, data: _("Phân công cán bộ xử lý."),
    "request_financial_obligation": lambda event, data: _("Yêu cầu thực hiện nghĩa vụ tài chính."),
    "fulfil_financial_obligation": lambda event, data: _("Đã thực hiện nghĩa vụ tài chính."),
    "apologize": _apology_sentence,
    "refuse": lambda event, data: (
        _("Trả lại hồ sơ, không giải quyết. Lý do: %(reason)s") % {"reason": event.note}
    ),
    "withdraw": lambda event, data: _("Rút hồ sơ theo yêu cầu của công dân."),
    "return_result": lambda event, data: _("Đã trả kết quả."),
}


def _event_sentence(event) -> str:
    """What a citizen reads for one event of their dossier's timeline (the bare action when it has no sentence)."""
    sentence = _EVENT_SENTENCES.get(event.action)
    if sentence is None:
        return str(event.action)
    return sentence(event, event.data or {})


_STATUS_RELATIONS = ("agency", "current_agency", "resolving_agency", "current_step")


def _load_status_relations(dossier: Dossier) -> None:
    """Fetch the agencies and the step the status sentences name in one query (instead of one each)."""
    wanted = [name for name in _STATUS_RELATIONS if getattr(dossier, f"{name}_id") is not None]
    wanted = [name for name in wanted if not Dossier._meta.get_field(name).is_cached(dossier)]
    if not wanted:
        return
    related = (
        Dossier.objects.select_related(*wanted)
        .only("pk", *(f"{name}__name" for name in wanted))
        .order_by()
        .get(pk=dossier.pk)
    )
    for name in wanted:
        Dossier._meta.get_field(name).set_cached_value(dossier, getattr(related, name))


def public_status(dossier: Dossier, now=None) -> dict:
    """What a citizen reads about their dossier: no staff names, plain Vietnamese."""
    _load_status_relations(dossier)
    remaining, overdue = time_left(dossier, now)
    events = (
        dossier.events.select_related("agency")
        .only(
            "dossier",
            "at",
            "action",
            "note",
            "data",
            "to_state",
            "step_name",
            "next_step_name",
            "agency__name",
        )
        .order_by("at", "id")
    )
    return {
        "code": dossier.code or "",
        "procedure": dossier.procedure.name,
        "status": dossier.status,
        "status_label": PortalStatus(dossier.status).label,
        "received_at": dossier.received_at,
        "appointment_at": promised(dossier.due_at, dossier.appointment_at)[1],
        "returned_at": dossier.returned_at,
        "waiting_for": waiting_for(dossier),
        "remaining": remaining,
        "overdue": overdue,
        "bring": what_to_bring(dossier)
        if dossier.state in (State.RECEIVED, State.IN_STEP, State.RESULT_READY)
        else "",
        "timeline": [
            {"at": e.at, "text": _event_sentence(e), "agency": e.agency.name if e.agency_id else ""}
            for e in events
        ],
    }
