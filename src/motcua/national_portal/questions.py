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
- `pull_questions(connector, LayDanhSachHoiDapBoCoQuan)`: the agency's own Q&A as the portal lists it, with the
  same function (the service name is its parameter) and the same key: one `PortalQuestion` per HOIDAPID,
  whichever list brought it first. A new row becomes a recommendation already answered and published (through
  `feedback.services.record_published_answer`: no deadline, no assignment, so it shows in the public Q&A and
  never in the queue of questions to answer nor in the answer-timeliness figures), signed by the portal's system
  account, with the answer from the row or LayNoiDungTraLoiTheoCauHoi. `MADONVI` must be an agency's identity
  code; `MALINHVUC` (else `MATTHCDP`, through its procedure) a field of the catalog when given. Rows that cannot
  be mapped, or have no answer yet, are skipped, counted and explained in Vietnamese (`report.problems`), and
  read again on the next run. A known row is updated in place (text, answer, agency, field) when the portal's
  differs: re-pulling changes nothing otherwise. A row that is this system's own publication (DongBoHoiDap,
  same agency and text) is linked to it (`source = own`) instead of being stored twice; a row already known as
  a citizen's question is treated as in the citizens' pull (its answer taken when the portal has one).
  The sender's contact details are not stored for these rows (only a name): nobody has to be answered.
- `push_answers()`: answered recommendations that came from the portal are sent with DongBoKetQuaHoiDapGuiTuDVCQG
  (NGAYTRALOI as dd/MM/yyyy, as the contract shows), and marked sent when the portal says so.
- `publish_questions()`: local recommendations made public (answered, the sender consented, published) are sent
  with DongBoHoiDap (HOIDAPID = the local id, MaLinhVuc, NOIDUNG, MADONVI, TENDONVI: the fields the contract
  shows; no sender details), one per call, and marked sent when the portal answers error_code 0, so each is
  sent once; a refused one keeps the portal's reply and is tried again on the next run. Questions that came
  from the portal are not published back.
"""

import contextlib
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.system import system_account
from motcua.catalog.models import Field, Procedure
from motcua.feedback.models import Recommendation
from motcua.feedback.services import answer_recommendation, record_published_answer, send_recommendation
from motcua.integrations import national_portal as portal
from motcua.org.models import Agency

from .models import PortalQuestion, PublishedQuestion

TITLE_LIMIT = 120
SYSTEM_USERNAME = "he-thong-cong-dvcqg"
SYSTEM_FULL_NAME = "Cổng Dịch vụ công quốc gia"


@dataclass
class QuestionsReport:
    received: int = 0
    known: int = 0
    skipped: int = 0
    answered_on_portal: int = 0
    answer_lookups_refused: int = 0
    updated: int = 0
    # Why rows were skipped, in Vietnamese (the agency's Q&A: unmappable codes, no answer yet).
    problems: list[str] = dataclass_field(default_factory=list)


def system_actor():
    """The account that signs answers taken from the portal; it cannot log in (no usable password)."""
    return system_account(SYSTEM_USERNAME, SYSTEM_FULL_NAME)


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


def _portal_id(row: dict) -> str | None:
    """The row's HOIDAPID, or None for a row to skip (HOIDAPID ≤ 0 or not a number, TRANGTHAI 0)."""
    portal_id = str(row.get("HOIDAPID", "")).strip()
    try:
        if int(portal_id) <= 0:
            return None
    except ValueError:
        return None
    return None if str(row.get("TRANGTHAI", "1")).strip() == "0" else portal_id


def _title(content: str) -> str:
    title = " ".join(content.split())
    return title[: TITLE_LIMIT - 1] + "…" if len(title) > TITLE_LIMIT else title


def pull_questions(connector, service: str = portal.QUESTIONS) -> QuestionsReport:
    """Read one Q&A list of §6 and upsert it by HOIDAPID.

    `service` is LayDanhSachHoiDapGuiTuDVCQG (citizens' questions, the default) or LayDanhSachHoiDapBoCoQuan (the
    agency's own Q&A as the portal lists it). A HOIDAPID is stored once whichever list brings it: a question
    known from one list is not created again from the other.
    """
    receive = {portal.QUESTIONS: _receive_citizen_question, portal.AGENCY_QUESTIONS: _receive_agency_question}
    if service not in receive:
        raise ValueError(service)
    reply = connector.call(service, {})
    if not reply.ok:
        raise portal.PortalError(reply.message, reply.raw)
    report = QuestionsReport()
    rows = []
    for row in reply.result:
        if not isinstance(row, dict):
            continue
        portal_id = _portal_id(row)
        if portal_id is None:
            report.skipped += 1
            continue
        rows.append((row, portal_id))
    # What is known already, in one query (in batches where the database limits parameters).
    stored = PortalQuestion.objects.select_related("recommendation").in_bulk(
        {portal_id for _row, portal_id in rows}, field_name="portal_id"
    )
    cache: dict = {}  # codes looked up once per pull (agencies, fields, procedures, the system account)
    for row, portal_id in rows:
        known = stored.get(portal_id)
        if known is not None and known.source == PortalQuestion.Source.CITIZEN:
            report.known += 1
            take_portal_answer(connector, known, row, report)
            continue
        receive[service](connector, row, portal_id, known, report, cache)
    return report


def _receive_citizen_question(connector, row, portal_id, known, report: QuestionsReport, cache: dict) -> None:
    if known is not None:  # listed as the agency's Q&A first: already public and answered
        report.known += 1
        return
    content = str(row.get("NOIDUNG") or "").strip()
    try:
        with transaction.atomic():
            recommendation = send_recommendation(
                sender_name=str(row.get("HOVATEN") or ""),
                title=_title(content),
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
        return
    except IntegrityError:  # another pull stored it meanwhile
        report.known += 1
        return
    report.received += 1
    take_portal_answer(connector, question, row, report)


def _cached(cache: dict, key: tuple, find):
    if key not in cache:
        cache[key] = find()
    return cache[key]


def _agency_and_field(row: dict, portal_id: str, report: QuestionsReport, cache: dict):
    """(agency, field) of an agency Q&A row, or None after noting why it cannot be mapped."""
    code = str(row.get("MADONVI") or "").strip().upper()
    agency = (
        _cached(cache, ("agency", code), lambda: Agency.objects.filter(identity_code=code).first())
        if code
        else None
    )
    if agency is None:
        report.problems.append(
            _("Câu hỏi %(id)s: mã đơn vị “%(code)s” không tương ứng với cơ quan nào của hệ thống.")
            % {"id": portal_id, "code": code}
        )
        return None
    field_code = str(row.get("MALINHVUC") or "").strip()
    procedure_code = str(row.get("MATTHCDP") or "").strip()
    field = None
    if field_code:
        field = _cached(cache, ("field", field_code), lambda: Field.objects.filter(code=field_code).first())
        if field is None:
            report.problems.append(
                _("Câu hỏi %(id)s: mã lĩnh vực “%(code)s” không có trong danh mục.")
                % {"id": portal_id, "code": field_code}
            )
            return None
    elif procedure_code:
        procedure = _cached(
            cache,
            ("procedure", procedure_code),
            lambda: Procedure.objects.select_related("field").filter(code=procedure_code).first(),
        )
        if procedure is None:
            report.problems.append(
                _("Câu hỏi %(id)s: mã thủ tục “%(code)s” không có trong danh mục.")
                % {"id": portal_id, "code": procedure_code}
            )
            return None
        field = procedure.field
    return agency, field


def _own_publication(agency, content: str):
    """The local Q&A this system published with DongBoHoiDap that the portal lists back (same agency, same text)."""
    wanted = " ".join(content.split())
    candidates = (
        Recommendation.objects.published()
        .filter(agency=agency, portal_publication__sent_at__isnull=False, portal_question__isnull=True)
        .only("id", "content")
    )
    return next((r for r in candidates if " ".join(r.content.split()) == wanted), None)


def _link_own_publication(agency, field, content: str, portal_id: str) -> bool:
    """Link the row to the local Q&A this system published itself, if it is one; True when it is."""
    own = _own_publication(agency, content) if content else None
    if own is None:
        return False
    with contextlib.suppress(IntegrityError), transaction.atomic():  # stored meanwhile: known
        PortalQuestion.objects.create(
            recommendation=own,
            portal_id=portal_id,
            agency_code=agency.identity_code,
            source=PortalQuestion.Source.OWN,
            field=field,
        )
    return True


def _known_answers(row: dict, known) -> list[dict]:
    """A known question's answers: the one the row carries, else the one stored (no look-up on every run)."""
    text = str(row.get("NOIDUNGTRALOI") or "").strip()
    answers = [{"TRALOIID": str(row.get("TRALOIID") or ""), "NOIDUNGTRALOI": text}] if text else []
    if not answers:
        answers = [{"TRALOIID": known.portal_answer_id, "NOIDUNGTRALOI": known.recommendation.answer}]
    return answers


def _is_unchanged(known, agency, field, content: str, answer: str, answer_id: str) -> bool:
    """Whether the known question already holds this agency, field, text, answer and answer ids."""
    rec = known.recommendation
    same = (rec.agency_id, rec.title, rec.content, rec.answer) == (
        agency.pk,
        _title(content),
        content,
        answer,
    )
    kept = (known.agency_code, known.field_id, known.portal_answer_id)
    return same and kept == (agency.identity_code, field.pk if field else None, answer_id)


def _store_agency_question(
    row, portal_id, known, agency, field, content, answer, answer_id, report: QuestionsReport, cache: dict
) -> None:
    """Record the published answer (new, or the known one updated) with its portal link and count the outcome."""
    try:
        with transaction.atomic():
            recommendation, changed = record_published_answer(
                agency=agency,
                title=_title(content),
                content=content,
                answer=answer,
                by=_cached(cache, ("actor",), system_actor),
                sender_name=str(row.get("HOVATEN") or ""),
                recommendation=known.recommendation if known else None,
            )
            if known is None:
                PortalQuestion.objects.create(
                    recommendation=recommendation,
                    portal_id=portal_id,
                    agency_code=agency.identity_code,
                    source=PortalQuestion.Source.AGENCY,
                    field=field,
                    portal_answer_id=answer_id,
                )
                report.received += 1
                return
            stored = {"agency_code": agency.identity_code, "field": field, "portal_answer_id": answer_id}
            stale = [name for name, value in stored.items() if getattr(known, name) != value]
            for name in stale:
                setattr(known, name, stored[name])
            if stale:
                known.save(update_fields=stale)
    except ValidationError as error:
        report.skipped += 1
        report.problems.append(
            _("Câu hỏi %(id)s: %(reason)s") % {"id": portal_id, "reason": " ".join(error.messages)}
        )
        return
    except IntegrityError:  # another pull stored it meanwhile
        report.known += 1
        return
    if changed or stale:
        report.updated += 1
    else:
        report.known += 1


def _receive_agency_question(connector, row, portal_id, known, report: QuestionsReport, cache: dict) -> None:
    """One row of the agency's Q&A: created answered and published, or brought up to date (upsert)."""
    if known is not None and known.source == PortalQuestion.Source.OWN:
        report.known += 1
        return
    mapped = _agency_and_field(row, portal_id, report, cache)
    if mapped is None:
        report.skipped += 1
        return
    agency, field = mapped
    content = str(row.get("NOIDUNG") or "").strip()
    if known is None:
        if _link_own_publication(agency, field, content, portal_id):
            report.known += 1
            return
        answers = portal_answers(connector, row, portal_id, report)
    else:
        answers = _known_answers(row, known)
    answer = "\n\n".join(a["NOIDUNGTRALOI"] for a in answers)
    answer_id = ",".join(a["TRALOIID"] for a in answers if a["TRALOIID"])[:200]
    if not answer:
        report.skipped += 1
        report.problems.append(_("Câu hỏi %(id)s: Cổng chưa có câu trả lời.") % {"id": portal_id})
        return
    if known is not None and _is_unchanged(known, agency, field, content, answer, answer_id):
        report.known += 1  # unchanged: nothing written, nothing locked
        return
    _store_agency_question(row, portal_id, known, agency, field, content, answer, answer_id, report, cache)


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
        source=PortalQuestion.Source.CITIZEN,
        answer_sent_at__isnull=True,
        recommendation__state=Recommendation.State.ANSWERED,
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
