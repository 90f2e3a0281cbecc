"""Citizens' questions sent through the portal (NATIONAL-PORTAL.md §6) become recommendations, and their answers go
back to the portal.

- `pull_questions()`: LayDanhSachHoiDapGuiTuDVCQG; rows with HOIDAPID ≤ 0 or TRANGTHAI 0 are skipped; each new
  HOIDAPID becomes one recommendation (through the feedback part's own rules), once; rows without a way to answer
  the sender (no phone or e-mail) or otherwise invalid are counted as skipped, not stored.
- The answer the portal already holds: a row that carries `NOIDUNGTRALOI` gives it; a row without it (the
  usual case, OpenCPS's `extractFAQResult`) is asked with LayNoiDungTraLoiTheoCauHoi `{cauhoiid: HOIDAPID}` →
  `result[{TRALOIID, NOIDUNGTRALOI}]`. Asked only for questions not answered here yet (new or known), so a
  question the portal answered (or answered on the portal by the agency) does not stay open locally: its
  recommendation is answered with the portal's text, signed by the account "Cổng Dịch vụ công quốc gia",
  not published again, and marked as already on the portal so the answer is not sent back. A refused
  look-up is counted and the pull goes on; an unreadable answer list is ignored.
- `push_answers()`: answered recommendations that came from the portal are sent with DongBoKetQuaHoiDapGuiTuDVCQG
  (NGAYTRALOI as dd/MM/yyyy, as the contract shows), and marked sent when the portal says so.
- `publish_questions()`: local recommendations made public (answered, the sender consented, published) are sent
  with DongBoHoiDap (HOIDAPID = the local id, MaLinhVuc, NOIDUNG, MADONVI, TENDONVI: the fields the contract
  shows; no sender details), one per call, and marked sent when the portal answers error_code 0, so each is
  sent once; a refused one keeps the portal's reply and is tried again on the next run. Questions that came
  from the portal are not published back.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from motcua.feedback.models import Recommendation
from motcua.feedback.services import answer_recommendation, send_recommendation
from motcua.integrations import national_portal as portal

from .models import PortalQuestion, PublishedQuestion

TITLE_LIMIT = 120
SYSTEM_USERNAME = "he-thong-cong-dvcqg"


@dataclass
class QuestionsReport:
    received: int = 0
    known: int = 0
    skipped: int = 0
    answered_on_portal: int = 0
    answer_lookups_refused: int = 0


def system_actor():
    """The account that signs answers taken from the portal; it cannot log in (no usable password)."""
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"full_name": "Cổng Dịch vụ công quốc gia", "is_superuser": True, "is_staff": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def portal_answers(connector, row: dict, portal_id: str, report: QuestionsReport) -> list[dict]:
    """The answers the portal holds for a question: from its row, else LayNoiDungTraLoiTheoCauHoi."""
    text = str(row.get("NOIDUNGTRALOI") or "").strip()
    if text:
        return [{"TRALOIID": str(row.get("TRALOIID") or ""), "NOIDUNGTRALOI": text}]
    reply = connector.call(portal.QUESTION_ANSWERS, {"cauhoiid": portal_id})
    if not reply.ok:
        report.answer_lookups_refused += 1
        return []
    return [
        {"TRALOIID": str(a.get("TRALOIID") or ""), "NOIDUNGTRALOI": str(a.get("NOIDUNGTRALOI") or "").strip()}
        for a in reply.result
        if isinstance(a, dict) and str(a.get("NOIDUNGTRALOI") or "").strip()
    ]


def take_portal_answer(connector, question: PortalQuestion, row: dict, report: QuestionsReport) -> None:
    """Answer the question's recommendation with the portal's answer, when the portal has one."""
    if question.recommendation.state == Recommendation.State.ANSWERED:
        return
    answers = portal_answers(connector, row, question.portal_id, report)
    if not answers:
        return
    with transaction.atomic():
        answer_recommendation(
            question.recommendation,
            answer="\n\n".join(a["NOIDUNGTRALOI"] for a in answers),
            by=system_actor(),
            publish=False,
        )
        question.portal_answer_id = ",".join(a["TRALOIID"] for a in answers if a["TRALOIID"])[:200]
        question.answer_sent_at = timezone.now()
        question.answer_reply = "LayNoiDungTraLoiTheoCauHoi"
        question.save(update_fields=["portal_answer_id", "answer_sent_at", "answer_reply"])
    report.answered_on_portal += 1


def pull_questions(connector) -> QuestionsReport:
    reply = connector.call(portal.QUESTIONS, {})
    if not reply.ok:
        raise portal.PortalError(reply.message, reply.raw)
    report = QuestionsReport()
    for row in reply.result:
        if not isinstance(row, dict):
            continue
        portal_id = str(row.get("HOIDAPID", "")).strip()
        try:
            if int(portal_id) <= 0 or str(row.get("TRANGTHAI", "1")) == "0":
                report.skipped += 1
                continue
        except ValueError:
            report.skipped += 1
            continue
        known = PortalQuestion.objects.select_related("recommendation").filter(portal_id=portal_id).first()
        if known is not None:
            report.known += 1
            take_portal_answer(connector, known, row, report)
            continue
        content = str(row.get("NOIDUNG") or "").strip()
        title = " ".join(content.split())
        if len(title) > TITLE_LIMIT:
            title = title[: TITLE_LIMIT - 1] + "…"
        try:
            with transaction.atomic():
                recommendation = send_recommendation(
                    sender_name=str(row.get("HOVATEN") or ""),
                    title=title,
                    content=content,
                    sender_phone=str(row.get("SODIENTHOAI") or ""),
                    sender_email=str(row.get("THUDIENTU") or ""),
                )
                question = PortalQuestion.objects.create(
                    recommendation=recommendation,
                    portal_id=portal_id,
                    agency_code=str(row.get("MADONVI") or ""),
                )
        except ValidationError:
            report.skipped += 1
            continue
        report.received += 1
        take_portal_answer(connector, question, row, report)
    return report


def answer_payload(question: PortalQuestion) -> dict:
    rec = question.recommendation
    answered_by = rec.answered_by
    return {
        "HOIDAPID": question.portal_id,
        "MADONVI": question.agency_code,
        "NGUOITRALOI": answered_by.get_full_name() if answered_by else "",
        "CHUCVUNGUOITRALOI": "",
        "NGAYTRALOI": timezone.localtime(rec.answered_at).strftime("%d/%m/%Y") if rec.answered_at else "",
        "NOIDUNGTRALOI": rec.answer,
    }


def push_answers(connector) -> int:
    """Send the answers not sent yet; returns how many the portal accepted."""
    sent = 0
    pending = PortalQuestion.objects.select_related("recommendation__answered_by").filter(
        answer_sent_at__isnull=True, recommendation__state=Recommendation.State.ANSWERED
    )
    for question in pending:
        reply = connector.call(portal.ANSWERS, {"data": [answer_payload(question)]})
        question.answer_reply = reply.raw[:2000]
        if reply.ok:
            question.answer_sent_at = timezone.now()
            sent += 1
        question.save(update_fields=["answer_reply", "answer_sent_at"])
    return sent


@dataclass
class PublicationReport:
    sent: int = 0
    refused: int = 0
    skipped: int = 0


def faq_payload(recommendation: Recommendation) -> dict | None:
    """One DongBoHoiDap row, or None when the agency that answered is not known (MADONVI is required)."""
    agency = recommendation.agency
    if agency is None:
        return None
    field_code = ""
    if recommendation.dossier_code:
        from motcua.dossiers.models import Dossier

        dossier = (
            Dossier.objects.select_related("procedure__field")
            .filter(code=recommendation.dossier_code)
            .first()
        )
        if dossier is not None and dossier.procedure.field_id:
            field_code = dossier.procedure.field.code
    return {
        "HOIDAPID": str(recommendation.pk),
        "MaLinhVuc": field_code,
        "NOIDUNG": recommendation.content,
        "MADONVI": agency.identity_code,
        "TENDONVI": agency.name,
    }


def publish_questions(connector) -> PublicationReport:
    """Send the public questions and answers the portal has not accepted yet (DongBoHoiDap)."""
    report = PublicationReport()
    pending = (
        Recommendation.objects.published()
        .filter(portal_question__isnull=True)
        .exclude(portal_publication__sent_at__isnull=False)
        .select_related("agency")
        .order_by("answered_at", "id")
    )
    for recommendation in pending:
        row = faq_payload(recommendation)
        if row is None:
            report.skipped += 1
            continue
        reply = connector.call(portal.FAQ, {"data": [row]})
        publication, _created = PublishedQuestion.objects.get_or_create(recommendation=recommendation)
        publication.reply = reply.raw[:2000]
        publication.attempted_at = timezone.now()
        if reply.ok:
            publication.sent_at = publication.attempted_at
            report.sent += 1
        else:
            report.refused += 1
        publication.save(update_fields=["reply", "attempted_at", "sent_at"])
    return report
