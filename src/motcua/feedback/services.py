"""Rules of satisfaction evaluations and of recommendations (kiến nghị, phản ánh)."""

import datetime

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.states import State
from motcua.workdays.services import get_calendar

from .indicators import ASKED, INDICATORS, OVERALL_CHOICES
from .models import Evaluation, Recommendation

EVALUABLE_STATES = (State.RESULT_READY, State.RETURNED)
TOKEN_SALT = "motcua.feedback.evaluation"
TOKEN_MAX_AGE = datetime.timedelta(days=90)


# --- evaluations ------------------------------------------------------------------------------------------


def evaluation_problem(dossier) -> str | None:
    """Why this dossier cannot be evaluated now, or None."""
    if dossier.state not in EVALUABLE_STATES:
        return _("Hồ sơ chưa có kết quả nên chưa thể đánh giá.")
    if Evaluation.objects.filter(dossier=dossier).exists():
        return _("Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần.")
    return None


def clean_points(raw: dict) -> dict[int, int]:
    """Points per indicator the citizen answers (1-6) from form input; each must have an allowed value.
    Answers given for 7-9 are ignored: those come from the records (`record_points`)."""
    points, missing = {}, []
    for number, _label, choices in INDICATORS:
        if number not in ASKED:
            continue
        value = raw.get(number, raw.get(str(number), raw.get(f"indicator_{number}")))
        try:
            value = int(value)
        except (TypeError, ValueError):
            missing.append(number)
            continue
        if value not in choices:
            missing.append(number)
            continue
        points[number] = value
    if missing:
        raise ValidationError(
            {
                "indicators": _("Chưa chọn mức đánh giá hợp lệ cho chỉ số: %(numbers)s.")
                % {"numbers": ", ".join(str(n) for n in missing)}
            }
        )
    return points


def record_points(dossier, now: datetime.datetime | None = None) -> dict[int, int]:
    """Indicators 7-9 of a dossier's evaluation, from the records (see `indicators.RECORD_RULES`)."""
    from motcua.catalog.models import Procedure
    from motcua.dossiers.deadlines import by_date
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.states import StepOutcome

    now = now or timezone.now()
    agency = dossier.resolving_agency_id
    # 7: the result against the legal due date, and any recommendation about this dossier.
    outcome = by_date(dossier.finished_at or now, dossier.due_at)
    complained = bool(dossier.code) and Recommendation.objects.filter(dossier_code=dossier.code).exists()
    seven = 0 if complained or outcome == StepOutcome.LATE else 2 if outcome == StepOutcome.EARLY else 1
    # 8: the agency's recommendations with an answer deadline in the last 12 months.
    since = now - datetime.timedelta(days=365)
    recs = Recommendation.objects.filter(agency_id=agency, due_at__gte=since, due_at__lte=now)
    counted = recs.filter(Q(answered_at__isnull=False) | Q(due_at__lt=now))
    total = counted.count()
    on_time = counted.filter(answered_at__isnull=False, answered_at__lte=F("due_at")).count()
    if total == 0 or on_time == total:
        eight = 2
    elif on_time * 100 >= 90 * total:
        eight = 1
    else:
        eight = 0
    # 9: the agency's online services over the last 12 months.
    procedures = Procedure.objects.published().filter(resolving_agency_id=agency)
    proc_total = procedures.count()
    proc_online = procedures.filter(online_level__in=("full", "partial")).count()
    dossiers = Dossier.objects.filter(
        resolving_agency_id=agency, received_at__gte=since, received_at__lte=now
    )
    counts = dossiers.aggregate(
        total=Count("pk"),
        online=Count("pk", filter=Q(channel="online")),
        late_online=Count(
            "pk", filter=Q(channel="online", finished_at__isnull=False, finished_at__gt=F("due_at"))
        ),
    )
    online_share = (counts["online"] * 100 / counts["total"]) if counts["total"] else 0
    proc_share = (proc_online * 100 / proc_total) if proc_total else 0
    if proc_share >= 20 and online_share >= 30 and not counts["late_online"]:
        nine = 2
    elif online_share >= 15:
        nine = 1
    else:
        nine = 0
    return {7: seven, 8: eight, 9: nine}


def submit_evaluation(dossier, *, points: dict, overall: str, channel: str, comment: str = "") -> Evaluation:
    """Record the evaluation of a dossier that has its result; one per dossier."""
    if channel not in Evaluation.Channel.values:
        raise ValidationError({"channel": _("Kênh đánh giá không hợp lệ.")})
    cleaned = clean_points(points)
    cleaned.update(record_points(dossier))
    if overall not in dict(OVERALL_CHOICES):
        raise ValidationError({"overall": _("Chưa chọn mức hài lòng chung.")})
    comment = (comment or "").strip()[:4000]
    problem = evaluation_problem(dossier)
    if problem:
        raise ValidationError(problem)
    try:
        with transaction.atomic():
            return Evaluation.objects.create(
                dossier=dossier,
                agency=dossier.resolving_agency,
                channel=channel,
                total_points=sum(cleaned.values()),
                overall=overall,
                comment=comment,
                **{f"indicator_{n}": v for n, v in cleaned.items()},
            )
    except IntegrityError:
        raise ValidationError(_("Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần.")) from None


def evaluation_token(dossier) -> str:
    return signing.dumps({"d": dossier.pk}, salt=TOKEN_SALT, compress=True)


def dossier_from_token(token: str):
    """The dossier an evaluation link was sent for, or None for a bad or expired link."""
    from motcua.dossiers.models import Dossier

    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    return Dossier.objects.select_related("procedure", "resolving_agency").filter(pk=data.get("d")).first()


def evaluation_link(dossier) -> str:
    from django.urls import reverse

    path = reverse("feedback:evaluate_link", kwargs={"token": evaluation_token(dossier)})
    return getattr(settings, "MOTCUA_PUBLIC_URL", "").rstrip("/") + path


def aggregate(date_from: datetime.date, date_to: datetime.date, agency=None, agencies=None) -> dict:
    """Evaluations per resolving agency in a period: counts, average points per indicator, overall answers.

    `agencies` (ids or agencies; None = all) limits the rows and the total to those agencies."""
    qs = Evaluation.objects.filter(created_at__date__gte=date_from, created_at__date__lte=date_to)
    if agency is not None:
        qs = qs.filter(agency=agency)
    if agencies is not None:
        qs = qs.filter(agency__in=list(agencies))
    aggregates = {f"avg_{n}": Avg(f"indicator_{n}") for n, _l, _c in INDICATORS}
    aggregates.update(
        count=Count("id"),
        avg_total=Avg("total_points"),
        very_satisfied=Count("id", filter=Q(overall="very_satisfied")),
        satisfied=Count("id", filter=Q(overall="satisfied")),
        dissatisfied=Count("id", filter=Q(overall="dissatisfied")),
    )
    rows = list(
        qs.values("agency", "agency__name").annotate(**aggregates).order_by("-avg_total", "agency__name")
    )
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
        row["averages"] = [round(row[f"avg_{n}"] or 0, 2) for n, _l, _c in INDICATORS]
        row["avg_total"] = round(row["avg_total"] or 0, 2)
        row["satisfied_rate"] = (
            round(100 * (row["very_satisfied"] + row["satisfied"]) / row["count"], 1) if row["count"] else 0
        )
    total = qs.aggregate(**aggregates)
    total["averages"] = [round(total[f"avg_{n}"] or 0, 2) for n, _l, _c in INDICATORS]
    total["avg_total"] = round(total["avg_total"] or 0, 2)
    return {"from": date_from, "to": date_to, "rows": rows, "total": total}


# --- recommendations --------------------------------------------------------------------------------------


def answer_timeliness(date_from: datetime.date, date_to: datetime.date, agencies=None) -> dict:
    """Recommendations answered on time, per handling agency, for a period (dates in local time).

    - answered: answered on a date in [from, to] (and given an answer deadline);
    - on time: of those, answered at or before the deadline;
    - overdue: not answered by the end of `to` although the deadline passed before then.
    Returns {agency id: {"answered", "on_time", "overdue"}}; `agencies` (ids; None = all) limits the rows.
    """
    tz = timezone.get_current_timezone()
    end = datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    qs = Recommendation.objects.filter(agency__isnull=False, due_at__isnull=False)
    if agencies is not None:
        qs = qs.filter(agency__in=list(agencies))
    answered = Q(answered_at__date__gte=date_from, answered_at__date__lte=date_to)
    overdue = Q(due_at__lt=end) & (Q(answered_at__isnull=True) | Q(answered_at__gte=end))
    rows = (
        qs.filter(answered | overdue)
        .values("agency")
        .annotate(
            answered=Count("id", filter=answered),
            on_time=Count("id", filter=answered & Q(answered_at__lte=F("due_at"))),
            overdue=Count("id", filter=overdue),
        )
        .order_by("agency")
    )
    return {row.pop("agency"): row for row in rows}


def answer_days() -> int:
    return int(getattr(settings, "MOTCUA_RECOMMENDATION_ANSWER_DAYS", 10))


def send_recommendation(
    *,
    sender_name: str,
    title: str,
    content: str,
    sender_phone: str = "",
    sender_email: str = "",
    dossier_code: str = "",
    kind: str = Recommendation.Kind.RECOMMENDATION,
    consent_publish: bool = False,
) -> Recommendation:
    """Anyone may send a recommendation; a dossier code is optional and never checked publicly."""
    from motcua.dossiers import identity

    errors = {}
    sender_name = " ".join((sender_name or "").split())
    title = " ".join((title or "").split())
    content = (content or "").strip()
    if not sender_name:
        errors["sender_name"] = _("Chưa nhập họ và tên người gửi.")
    if not title:
        errors["title"] = _("Chưa nhập tiêu đề.")
    if len(title) > 300:
        errors["title"] = _("Tiêu đề dài quá 300 ký tự.")
    if not content:
        errors["content"] = _("Chưa nhập nội dung kiến nghị, phản ánh.")
    if len(content) > 10000:
        errors["content"] = _("Nội dung dài quá 10.000 ký tự.")
    if kind not in Recommendation.Kind.values:
        errors["kind"] = _("Loại kiến nghị không hợp lệ.")
    sender_phone = (sender_phone or "").strip()
    if sender_phone:
        try:
            sender_phone = identity.normalize_phone(sender_phone)
            identity.validate_phone(sender_phone)
        except ValidationError as exc:
            errors["sender_phone"] = exc.messages[0]
    sender_email = (sender_email or "").strip().lower()
    if sender_email:
        from django.core.validators import validate_email

        try:
            validate_email(sender_email)
        except ValidationError:
            errors["sender_email"] = _("Địa chỉ thư điện tử không hợp lệ.")
    if not sender_phone and not sender_email:
        errors.setdefault("sender_phone", _("Cần số điện thoại hoặc thư điện tử để nhận trả lời."))
    dossier_code = "".join((dossier_code or "").split())[:40]
    if errors:
        raise ValidationError(errors)
    return Recommendation.objects.create(
        kind=kind,
        sender_name=sender_name,
        sender_phone=sender_phone,
        sender_email=sender_email,
        dossier_code=dossier_code,
        title=title,
        content=content,
        consent_publish=bool(consent_publish),
    )


def can_manage_recommendations(user) -> bool:
    from motcua.org.permissions import has_role

    return has_role(user, "supervisor") or has_role(user, "administrator")


def can_read_recommendations(user) -> bool:
    """May the user read recommendations (staff who handle them: the center's supervisors and administrators,
    leaders, specialists and clerks)? Which ones: `recommendation_agency_ids`."""
    from motcua.org.permissions import has_role

    return bool(
        user.is_authenticated
        and (
            can_manage_recommendations(user)
            or any(has_role(user, role) for role in ("leader", "specialist", "clerk"))
        )
    )


def recommendation_agency_ids(user) -> set[int] | None:
    """Agencies whose recommendations the user reads: None (every one, the unassigned included) for the center's
    supervisors and administrators, else the agencies in the user's scope."""
    from motcua.org.permissions import agency_ids_in_scope

    if can_manage_recommendations(user):
        return None
    return agency_ids_in_scope(user)


def can_answer(user, recommendation: Recommendation) -> bool:
    from motcua.org.permissions import has_role

    if can_manage_recommendations(user):
        return True
    if recommendation.agency_id is None:
        return False
    return any(
        has_role(user, role, agency=recommendation.agency) for role in ("leader", "specialist", "clerk")
    )


def assign_recommendation(recommendation: Recommendation, *, agency, by, days: int | None = None):
    """The center assigns the recommendation to an agency, which must answer within `days` working days."""
    if not can_manage_recommendations(by):
        raise PermissionError(_("Chỉ lãnh đạo Trung tâm hoặc quản trị mới giao xử lý kiến nghị."))
    if agency is None:
        raise ValidationError({"agency": _("Chưa chọn cơ quan xử lý.")})
    days = answer_days() if days in (None, "") else int(days)
    if days < 1 or days > 60:
        raise ValidationError({"days": _("Thời hạn trả lời phải từ 1 đến 60 ngày làm việc.")})
    with transaction.atomic():
        rec = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        if rec.state == Recommendation.State.ANSWERED:
            raise ValidationError(_("Kiến nghị này đã được trả lời."))
        now = timezone.now()
        rec.agency = agency
        rec.assigned_at = now
        rec.assigned_by = by
        rec.due_at = get_calendar().add(now, days, "working_days")
        rec.state = Recommendation.State.ASSIGNED
        rec.save()
    return rec


def answer_recommendation(recommendation: Recommendation, *, answer: str, by, publish: bool = True):
    """Answer; the answer is published only when the sender agreed to it."""
    if not can_answer(by, recommendation):
        raise PermissionError(_("Bạn không có quyền trả lời kiến nghị này."))
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Chưa nhập nội dung trả lời.")})
    with transaction.atomic():
        rec = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        if rec.state == Recommendation.State.ANSWERED:
            raise ValidationError(_("Kiến nghị này đã được trả lời."))
        rec.answer = answer
        rec.answered_at = timezone.now()
        rec.answered_by = by
        rec.state = Recommendation.State.ANSWERED
        rec.published = bool(publish and rec.consent_publish)
        rec.save()
    return rec


def record_published_answer(
    *,
    agency,
    title: str,
    content: str,
    answer: str,
    by,
    sender_name: str = "",
    recommendation: Recommendation | None = None,
) -> tuple[Recommendation, bool]:
    """A question and its answer already made public by an agency elsewhere (its Q&A on the National Public
    Service Portal): stored answered and published, with no deadline and no assignment, so it shows in the
    public Q&A and never in the queue of questions to answer nor in the answer-timeliness figures.

    Given `recommendation` (one recorded this way before), its text, answer and agency are brought up to date.
    Returns (recommendation, whether anything was written). Raises ValidationError (nothing written) for an
    empty title, content or answer, or no agency.
    """
    errors = {}
    title = " ".join((title or "").split())
    content = (content or "").strip()
    answer = (answer or "").strip()
    sender_name = " ".join((sender_name or "").split())[:200] or _(
        "Người hỏi trên Cổng Dịch vụ công quốc gia"
    )
    if agency is None:
        errors["agency"] = _("Chưa có cơ quan trả lời.")
    if not title:
        errors["title"] = _("Chưa nhập tiêu đề.")
    elif len(title) > 300:
        errors["title"] = _("Tiêu đề dài quá 300 ký tự.")
    if not content:
        errors["content"] = _("Chưa nhập nội dung câu hỏi.")
    elif len(content) > 10000:
        errors["content"] = _("Nội dung dài quá 10.000 ký tự.")
    if not answer:
        errors["answer"] = _("Chưa có nội dung trả lời.")
    if errors:
        raise ValidationError(errors)
    values = {"agency": agency, "title": title, "content": content, "answer": answer}
    if recommendation is None:
        now = timezone.now()
        rec = Recommendation.objects.create(
            sender_name=sender_name,
            consent_publish=True,
            published=True,
            state=Recommendation.State.ANSWERED,
            answered_at=now,
            answered_by=by,
            created_at=now,
            **values,
        )
        return rec, True
    with transaction.atomic():
        rec = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        changed = [name for name, value in values.items() if getattr(rec, name) != value]
        if not changed:
            return rec, False
        for name in changed:
            setattr(rec, name, values[name])
        rec.save(update_fields=changed)
    return rec, True


def recommendations_for(user):
    """The recommendations a staff member works on: all for the center's supervisors, else their agencies'."""
    qs = Recommendation.objects.select_related("agency")
    ids = recommendation_agency_ids(user)
    return qs if ids is None else qs.filter(agency_id__in=ids)
