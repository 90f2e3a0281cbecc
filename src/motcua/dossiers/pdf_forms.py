"""The printed forms of a dossier as PDF: Mẫu 01–06 of Circular 01/2018/TT-VPCP (regime 2018).

01 receipt and appointment, 02 supplement request, 03 refusal, 04 apology and new appointment, 05 process-control
slip, 06 tracking ledger (an agency's dossiers over a period). Under the 2025 regime (Circular 03/2025/TT-VPCP)
the same content is printed with that circular's numbers and titles (04 → apology and extension request,
05 → 06, 06 → 07); the API keeps the 2018 numbers. The 2025 set adds Mẫu 05 "Thông báo dừng giải quyết hồ sơ"
for a dossier whose resolution was stopped (status 8), under the key `stop_notice` (`FORMS_2025`); a dossier of
the 2018 regime has no such form (its refusal is printed on Mẫu 03). Field lists follow REFERENCE §3.1–3.2.

Layout: A4, Decree 30/2020 header block, Liberation Serif (Times metrics), a QR code leading to the public
lookup page of the dossier.
"""

import datetime

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, Spacer, Table, TableStyle

from motcua import public_url
from motcua.printing.document import (
    PAGE_WIDTH,
    escape,
    grid_table,
    motto_header,
    qr_drawing,
    render_pdf,
    styles,
)
from motcua.workdays.services import get_calendar

from .deadlines import deadlines as dossier_deadlines
from .models import CounterGuidance, Dossier, DossierEvent
from .regimes import regime_for
from .states import PortalStatus, ReturnMethod, State, StepOutcome

FORMS = ("01", "02", "03", "04", "05", "06")
STOP_NOTICE = "stop_notice"
# Forms of the 2025 set only, printed for dossiers under that regime.
FORMS_2025 = (STOP_NOTICE,)
ALL_FORMS = FORMS + FORMS_2025
LOOKUP_PATH = "/tra-cuu-ho-so/"

TITLES_2018 = {
    "01": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "02": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    "03": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    "04": "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
    "05": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
    "06": "SỔ THEO DÕI HỒ SƠ",
}
TITLES_2025 = {
    **TITLES_2018,
    "04": "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
    STOP_NOTICE: "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
}
NUMBERS_2025 = {"01": "01", "02": "02", "03": "03", "04": "04", "05": "06", "06": "07", STOP_NOTICE: "05"}
BASIS = {
    "2018": "Ban hành kèm theo Thông tư số 01/2018/TT-VPCP ngày 23/11/2018 của Văn phòng Chính phủ",
    "2025": "Ban hành kèm theo Thông tư số 03/2025/TT-VPCP của Văn phòng Chính phủ",
}
# Thanh Hóa prints this title for the guidance given before reception (REFERENCE §3.1), on Mẫu 02's number.
GUIDANCE_TITLE = "PHIẾU HƯỚNG DẪN HOÀN THIỆN HỒ SƠ"
UNIT_PREFIXES = ("Thành phố ", "Thị trấn ", "Thị xã ", "Huyện ", "Tỉnh ", "Phường ", "Xã ", "Quận ")


class FormNotApplicable(Exception):
    """The dossier's history has nothing for this form to print (e.g. Mẫu 02 without a supplement request)."""


# --- wording helpers ----------------------------------------------------------------------------------------


def day_text(value: datetime.datetime | datetime.date | None) -> str:
    if value is None:
        return "..../..../......"
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return f"{value:%d/%m/%Y}"


def instant_text(value: datetime.datetime | None) -> str:
    """ "10 giờ 05 phút, ngày 05/11/2022"."""
    if value is None:
        return _("Không có ngày hẹn trả cụ thể theo quy định")
    local = timezone.localtime(value)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"


def place_name(unit) -> str:
    name = unit.name if unit is not None else ""
    for prefix in UNIT_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def authority_lines(agency) -> tuple[str, str]:
    """(parent authority, issuing unit) for the header: "UBND HUYỆN GIA BÌNH" above the agency's name."""
    unit = agency.unit
    if agency.kind == "peoples_committee" and unit.parent_id:
        parent = f"UBND {unit.parent.name}"
    else:
        parent = f"UBND {unit.name}"
    return parent, agency.name


def lookup_url(dossier: Dossier) -> str:
    return public_url.absolute(f"{LOOKUP_PATH}?code={dossier.code}")


def _p(text: str, style: str = "body"):
    return Paragraph(text, styles()[style])


def _form_label(form: str, regime: str) -> str:
    number = NUMBERS_2025[form] if regime == "2025" else form
    return f"Mẫu số {number}"


def _title(form: str, regime: str) -> str:
    return (TITLES_2025 if regime == "2025" else TITLES_2018)[form]


def _head(dossier: Dossier, form: str, day, agency=None) -> list:
    """Form number and basis (top right), the Decree 30 header block, and the title."""
    agency = agency or dossier.agency
    parent, unit = authority_lines(agency)
    regime = regime_of(dossier)
    st = styles()
    return [
        Paragraph(f"<b>{_form_label(form, regime)}</b><br/><i>({BASIS[regime]})</i>", st["small"]),
        Spacer(1, 3 * mm),
        motto_header(parent, unit, place=place_name(agency.unit), day=day),
        Spacer(1, 6 * mm),
        _p(f"<b>{_title(form, regime)}</b>", "title"),
    ]


def _code_and_qr(dossier: Dossier) -> Table:
    st = styles()
    left = [
        Paragraph(f"<b>Mã hồ sơ: {escape(dossier.code)}</b>", st["center"]),
        Paragraph(
            escape(
                _("Tra cứu tình trạng hồ sơ: quét mã QR hoặc truy cập %(url)s với mã hồ sơ và số điện thoại.")
                % {"url": lookup_url(dossier).split("?")[0]}
            ),
            st["italic_center"],
        ),
    ]
    table = Table(
        [[left, qr_drawing(lookup_url(dossier), 24 * mm)]], colWidths=[PAGE_WIDTH - 28 * mm, 28 * mm]
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return table


def _applicant_lines(dossier: Dossier, lead: str) -> list:
    a = dossier.applicant
    id_label = _("Mã số thuế") if a.applicant_type == "organisation" else _("Số CCCD/CMND/Hộ chiếu")
    lines = [
        _p(f"{escape(lead)} <b>{escape(a.name)}</b>"),
        _p(f"{id_label}: {escape(a.id_number)}"),
        _p(f"{_('Địa chỉ')}: {escape(a.address) or '...'}"),
        _p(
            f"{_('Số điện thoại')}: {escape(a.phone) or '...'}"
            + (f"    {_('Email')}: {escape(a.email)}" if a.email else "")
        ),
    ]
    if dossier.submitter_id:
        s = dossier.submitter
        lines.append(_p(f"{_('Người nộp hồ sơ')}: {escape(s.name)} ({escape(s.id_number)})"))
    lines.append(_p(f"{_('Nội dung yêu cầu giải quyết')}: {escape(dossier.procedure.name)}"))
    return lines


def _signatures(left_title: str, right_title: str, right_name: str = "", left_name: str = "") -> Table:
    st = styles()

    def block(title, name):
        return [
            Paragraph(f"<b>{escape(title)}</b>", st["center"]),
            Paragraph(_("(Ký và ghi rõ họ tên)"), st["italic_center"]),
            Spacer(1, 18 * mm),
            Paragraph(f"<b>{escape(name)}</b>", st["center"]),
        ]

    table = Table(
        [[block(left_title, left_name), block(right_title, right_name)]], colWidths=[PAGE_WIDTH / 2] * 2
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _last_event(dossier: Dossier, *actions) -> DossierEvent | None:
    return (
        dossier.events.filter(action__in=actions)
        .select_related("actor", "agency")
        .order_by("-at", "-id")
        .first()
    )


def _deadlines(dossier: Dossier, cal=None):
    """The dossier's labelled deadlines (`deadlines.deadlines`): every form prints its instants from there."""
    return dossier_deadlines(dossier, cal=cal)


def _receiver_name(dossier: Dossier) -> str:
    return dossier.received_by.get_full_name() if dossier.received_by_id else ""


# --- the forms ----------------------------------------------------------------------------------------------


def form_01(dossier: Dossier) -> list:
    st = styles()
    dl = _deadlines(dossier)
    story = _head(dossier, "01", timezone.localdate(dossier.received_at) if dossier.received_at else None)
    story += [_code_and_qr(dossier), Spacer(1, 2 * mm)]
    story += _applicant_lines(dossier, _("%(agency)s tiếp nhận hồ sơ của:") % {"agency": dossier.agency.name})
    story.append(_p(_("1. Thành phần hồ sơ nộp gồm:")))
    rows = [
        [
            Paragraph("TT", st["cell_head"]),
            Paragraph(_("Tên giấy tờ"), st["cell_head"]),
            Paragraph(_("Bản chính"), st["cell_head"]),
            Paragraph(_("Bản sao"), st["cell_head"]),
        ]
    ]
    for i, doc in enumerate(dossier.documents.all(), start=1):
        rows.append(
            [
                Paragraph(str(i), st["cell_center"]),
                Paragraph(escape(doc.name), st["cell"]),
                Paragraph(str(doc.original_count), st["cell_center"]),
                Paragraph(str(doc.copy_count), st["cell_center"]),
            ]
        )
    if len(rows) == 1:
        rows.append([Paragraph("", st["cell"]), Paragraph(_("(Không kê khai)"), st["cell"]), "", ""])
    story.append(grid_table(rows, [12 * mm, PAGE_WIDTH - 62 * mm, 25 * mm, 25 * mm]))
    method = ReturnMethod(dossier.return_method).label
    story += [
        _p(_("2. Số lượng hồ sơ: %(n)02d bộ") % {"n": dossier.set_count}),
        _p(
            _("3. Thời gian giải quyết hồ sơ theo quy định là: %(limit)s")
            % {"limit": dossier.procedure.time_limit_display(dossier.channel)}
        ),
        _p(_("4. Thời gian nhận hồ sơ: %(at)s") % {"at": instant_text(dossier.received_at)}),
        _p(
            _("5. Thời gian trả kết quả giải quyết hồ sơ: %(at)s") % {"at": instant_text(dl.appointment.at)}
            + (
                _(" (hạn theo quy định: ngày %(due)s)") % {"due": day_text(dl.legal.at)}
                if dl.appointment.at and dl.legal.at and dl.appointment.at != dl.legal.at
                else ""
            )
        ),
        # The method reads "Tại Bộ phận…", "Qua dịch vụ bưu chính…", "Trực tuyến": no "tại:" before it.
        _p(_("6. Đăng ký nhận kết quả: %(method)s") % {"method": method}),
        Spacer(1, 6 * mm),
        _signatures(_("NGƯỜI NỘP HỒ SƠ"), _("NGƯỜI TIẾP NHẬN HỒ SƠ"), _receiver_name(dossier)),
    ]
    return story


def form_02(dossier: Dossier) -> list:
    event = _last_event(dossier, "request_supplement")
    if event is None:
        raise FormNotApplicable(_("Hồ sơ chưa có yêu cầu bổ sung nên không có Mẫu 02."))
    story = _head(dossier, "02", timezone.localdate(event.at))
    story += [_code_and_qr(dossier), Spacer(1, 2 * mm)]
    story += _applicant_lines(dossier, _("%(agency)s tiếp nhận hồ sơ của:") % {"agency": dossier.agency.name})
    if event.data.get("at_reception"):
        # Guidance before reception: the dossier was not received yet and has no appointment.
        story.append(_p(_("Ngày nộp hồ sơ: %(day)s.") % {"day": day_text(dossier.submitted_at)}))
    else:
        story.append(
            _p(
                _("Ngày tiếp nhận: %(day)s; ngày hẹn trả kết quả: %(due)s.")
                % {"day": day_text(dossier.received_at), "due": day_text(_deadlines(dossier).appointment.at)}
            )
        )
    story.append(_p(_("Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau (hướng dẫn một lần, đầy đủ):")))
    for i, item in enumerate(event.data.get("items", []), start=1):
        story.append(_p(f"{i}. {escape(item)}"))
    if event.note:
        story.append(_p(_("Lý do: %(note)s") % {"note": escape(event.note)}))
    officer = event.actor
    contact = ""
    if officer is not None:
        contact = officer.get_full_name() + (
            ", " + _("số điện thoại") + f" {officer.phone}" if officer.phone else ""
        )
    story.append(
        _p(
            _(
                "Thời gian giải quyết tạm dừng kể từ ngày yêu cầu bổ sung và tiếp tục khi nhận đủ hồ sơ bổ sung. "
                "Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, Ông/Bà liên hệ %(contact)s để được hướng dẫn."
            )
            % {"contact": escape(contact) or "..."}
        )
    )
    story += [
        Spacer(1, 6 * mm),
        _signatures("", _("NGƯỜI HƯỚNG DẪN"), officer.get_full_name() if officer else ""),
    ]
    return story


def _guidance_head(guidance: CounterGuidance) -> list:
    """Mẫu 02's header for guidance given at the counter without receiving: no dossier, so no code."""
    agency = guidance.agency
    parent, unit = authority_lines(agency)
    regime = regime_for(agency, timezone.localdate(guidance.at))
    regime = regime if regime in BASIS else "2018"
    st = styles()
    return [
        Paragraph(f"<b>{_form_label('02', regime)}</b><br/><i>({BASIS[regime]})</i>", st["small"]),
        Spacer(1, 3 * mm),
        motto_header(parent, unit, place=place_name(agency.unit), day=timezone.localdate(guidance.at)),
        Spacer(1, 6 * mm),
        _p(f"<b>{GUIDANCE_TITLE}</b>", "title"),
    ]


def guidance_story(guidance: CounterGuidance) -> list:
    a = guidance.applicant
    story = _guidance_head(guidance)
    story += [
        _p(
            _("%(agency)s hướng dẫn Ông/Bà <b>%(name)s</b> hoàn thiện hồ sơ (hồ sơ chưa được tiếp nhận).")
            % {"agency": escape(guidance.agency.name), "name": escape(a.name)}
        ),
        _p(_("Số CCCD/CMND/Hộ chiếu") + f": {escape(a.id_number)}"),
        _p(_("Số điện thoại") + f": {escape(a.phone) or '...'}"),
        _p(
            _("Nội dung yêu cầu giải quyết")
            + f": {escape(guidance.procedure.name)} ("
            + _("mã thủ tục")
            + f" {escape(guidance.procedure.code)})"
        ),
        _p(_("Thời điểm hướng dẫn: %(at)s") % {"at": instant_text(guidance.at)}),
        _p(_("Hồ sơ cần bổ sung, hoàn thiện những nội dung sau (hướng dẫn một lần, đầy đủ):")),
    ]
    for i, item in enumerate(guidance.items, start=1):
        story.append(_p(f"{i}. {escape(item)}"))
    if guidance.note:
        story.append(_p(_("Ghi chú: %(note)s") % {"note": escape(guidance.note)}))
    story.append(
        _p(
            _(
                "Hồ sơ chưa được tiếp nhận nên chưa có mã hồ sơ và chưa tính thời hạn giải quyết. Khi hoàn thiện "
                "đủ các nội dung trên, Ông/Bà nộp lại hồ sơ tại Bộ phận tiếp nhận và trả kết quả."
            )
        )
    )
    story += [Spacer(1, 6 * mm), _signatures("", _("NGƯỜI HƯỚNG DẪN"), guidance.officer_name)]
    return story


def render_guidance(guidance: CounterGuidance) -> bytes:
    """The PDF of the guidance slip given at the counter without receiving (Mẫu 02, no dossier code)."""
    with translation.override("vi"):
        return render_pdf(guidance_story(guidance), title=f"{GUIDANCE_TITLE.capitalize()} — {guidance.pk}")


def form_03(dossier: Dossier) -> list:
    event = _last_event(dossier, "refuse_intake", "refuse")
    if event is None:
        raise FormNotApplicable(_("Hồ sơ không bị từ chối nên không có Mẫu 03."))
    story = _head(dossier, "03", timezone.localdate(event.at))
    story += [_code_and_qr(dossier), Spacer(1, 2 * mm)]
    story += _applicant_lines(dossier, _("%(agency)s tiếp nhận hồ sơ của:") % {"agency": dossier.agency.name})
    if dossier.received_at:
        story.append(
            _p(
                _("Ngày tiếp nhận: %(day)s; hạn giải quyết theo quy định: %(due)s.")
                % {"day": day_text(dossier.received_at), "due": day_text(_deadlines(dossier).legal.at)}
            )
        )
    story.append(
        _p(
            _(
                "Sau khi xem xét, đối chiếu với quy định hiện hành, %(agency)s từ chối tiếp nhận, giải quyết "
                "hồ sơ này với lý do cụ thể như sau:"
            )
            % {"agency": escape(event.agency.name if event.agency_id else dossier.agency.name)}
        )
    )
    story.append(_p(f"<b>{escape(event.note or dossier.closing_reason)}</b>"))
    story.append(_p(_("Xin thông báo để Ông/Bà được biết và thực hiện.")))
    story += [
        Spacer(1, 6 * mm),
        _signatures(
            "", _("NGƯỜI TỪ CHỐI"), event.actor.get_full_name() if event.actor_id else event.actor_name
        ),
    ]
    return story


def form_04(dossier: Dossier) -> list:
    event = _last_event(dossier, "apologize")
    if event is None:
        raise FormNotApplicable(_("Hồ sơ chưa có phiếu xin lỗi nên không có Mẫu 04."))
    previous = event.data.get("previous_appointment_at")
    dl = _deadlines(dossier)
    previous = datetime.datetime.fromisoformat(previous) if previous else dl.legal.at
    new = datetime.datetime.fromisoformat(event.data["new_appointment_at"])
    agency = event.agency if event.agency_id else dossier.resolving_agency
    story = _head(dossier, "04", timezone.localdate(event.at), agency=agency)
    story += [_code_and_qr(dossier), Spacer(1, 2 * mm)]
    a = dossier.applicant
    story += [
        _p(_("Kính gửi") + f": <b>{escape(a.name)}</b>", "center"),
        _p(
            _(
                "Ngày %(received)s, %(agency)s tiếp nhận giải quyết hồ sơ của Ông/Bà: %(procedure)s; "
                "mã hồ sơ %(code)s; hẹn trả kết quả ngày %(due)s."
            )
            % {
                "received": day_text(dossier.received_at),
                "agency": escape(dossier.agency.name),
                "procedure": escape(dossier.procedure.name),
                "code": escape(dossier.code),
                "due": day_text(previous),
            }
        ),
        _p(
            _(
                "Tuy nhiên đến nay, %(agency)s chưa trả kết quả giải quyết hồ sơ cho Ông/Bà đúng hạn. Lý do: %(reason)s"
            )
            % {"agency": escape(agency.name), "reason": escape(event.note)}
        ),
        _p(
            _(
                "Sự chậm trễ này đã gây phiền hà, tốn kém chi phí đi lại của Ông/Bà. %(agency)s thành thật xin "
                "lỗi Ông/Bà và hẹn lại ngày trả kết quả vào: <b>%(new)s</b>."
            )
            % {"agency": escape(agency.name), "new": instant_text(new)}
        ),
        _p(_("Hạn giải quyết theo quy định: %(due)s.") % {"due": day_text(dl.legal.at)}),
        Spacer(1, 6 * mm),
        _signatures("", _("THỦ TRƯỞNG CƠ QUAN"), event.actor_name),
    ]
    return story


def _handover_rows(dossier: Dossier) -> list[list]:
    st = styles()
    rows = [
        [
            Paragraph(_("TÊN CƠ QUAN"), st["cell_head"]),
            Paragraph(_("THỜI GIAN GIAO, NHẬN HỒ SƠ"), st["cell_head"]),
            Paragraph(_("KẾT QUẢ GIẢI QUYẾT HỒ SƠ (Trước hạn/đúng hạn/quá hạn)"), st["cell_head"]),
            Paragraph(_("GHI CHÚ"), st["cell_head"]),
        ]
    ]
    events = dossier.events.select_related("agency", "handed_to").order_by("at", "id")
    for i, e in enumerate(events, start=1):
        handed = e.handed_to.get_full_name() if e.handed_to_id else (e.next_step_name or "")
        what = f"{i}. {escape(e.step_name or e.action)}"
        giver, receiver = _("Người giao"), _("Người nhận / bước tiếp")
        when = f"{what}<br/>{instant_text(e.at)}<br/>{giver}: {escape(e.actor_name)}" + (
            f"<br/>{receiver}: {escape(handed)}" if handed else ""
        )
        result = StepOutcome(e.step_outcome).label if e.step_outcome else ""
        if e.step_due_at:
            result = f"{result}<br/>(" + _("hạn") + f" {day_text(e.step_due_at)})"
        note = escape(e.note[:200]) if e.note else (_("Đã xử lý") if e.step_outcome else "")
        rows.append(
            [
                Paragraph(escape(e.agency.name if e.agency_id else ""), st["cell"]),
                Paragraph(when, st["cell"]),
                Paragraph(result, st["cell_center"]),
                Paragraph(note, st["cell"]),
            ]
        )
    return rows


def form_05(dossier: Dossier) -> list:
    dl = _deadlines(dossier)
    story = _head(dossier, "05", timezone.localdate(dossier.received_at) if dossier.received_at else None)
    story += [_code_and_qr(dossier), Spacer(1, 2 * mm)]
    a = dossier.applicant
    story += [
        _p(
            _("Tên tổ chức, cá nhân")
            + f": <b>{escape(a.name)}</b>    "
            + _("Số điện thoại")
            + f": {escape(a.phone)}"
        ),
        _p(f"{_('Thủ tục')}: {escape(dossier.procedure.name)}"),
        _p(_("Thời gian nhận hồ sơ") + f": {instant_text(dossier.received_at)}"),
        _p(_("Thời gian trả kết quả giải quyết hồ sơ") + f": {instant_text(dl.appointment.at)}"),
        _p(_("Hạn giải quyết theo quy định") + f": {day_text(dl.legal.at)}"),
        Spacer(1, 2 * mm),
        grid_table(_handover_rows(dossier), [35 * mm, 60 * mm, 35 * mm, PAGE_WIDTH - 130 * mm]),
    ]
    return story


def form_06(dossier: Dossier, date_from=None, date_to=None) -> list:
    """The tracking book of the dossier's receiving agency, for the month of its reception by default."""
    received = timezone.localdate(dossier.received_at) if dossier.received_at else timezone.localdate()
    date_from = date_from or received.replace(day=1)
    if date_to is None:
        next_month = (date_from.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        date_to = next_month - datetime.timedelta(days=1)
    return tracking_book(dossier.agency, date_from, date_to, regime_of(dossier))


BOOK_ROWS = 1000


def tracking_book(agency, date_from: datetime.date, date_to: datetime.date, regime: str) -> list:
    """Mẫu 06 (2018; Mẫu 07 of the 2025 set): every dossier `agency` received from `date_from` to `date_to`
    (local days, both included), in the order received; at most BOOK_ROWS rows."""
    st = styles()
    parent, unit = authority_lines(agency)
    story = [
        Paragraph(f"<b>{_form_label('06', regime)}</b><br/><i>({BASIS[regime]})</i>", st["small"]),
        Paragraph(f"{escape(parent.upper())}<br/><b>{escape(unit.upper())}</b>", st["small"]),
        _p(f"<b>{_title('06', regime)}</b>", "title"),
        _p(
            _("Từ ngày %(start)s đến ngày %(end)s")
            % {"start": day_text(date_from), "end": day_text(date_to)},
            "italic_center",
        ),
        Spacer(1, 3 * mm),
    ]
    heads = [
        "TT",
        _("Mã hồ sơ"),
        _("Tên TTHC"),
        _("Số lượng hồ sơ (bộ)"),
        _("Tên cá nhân, tổ chức"),
        _("Địa chỉ, số điện thoại"),
        _("Cơ quan chủ trì giải quyết"),
        _("Nhận hồ sơ"),
        _("Hẹn trả kết quả"),
        _("Trả kết quả"),
        _("Ghi chú"),
    ]
    head = ParagraphStyle("ledger_head", parent=st["cell_head"], fontSize=9, leading=11)
    cell = ParagraphStyle("ledger", parent=st["cell"], fontSize=9, leading=11)
    center = ParagraphStyle("ledger_center", parent=st["cell_center"], fontSize=9, leading=11)
    rows = [[Paragraph(h, head) for h in heads]]
    cal = get_calendar()
    start = timezone.make_aware(datetime.datetime.combine(date_from, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min)
    )
    dossiers = (
        Dossier.objects.filter(agency=agency, received_at__gte=start, received_at__lt=end)
        .select_related("procedure", "applicant", "resolving_agency")
        .order_by("received_at", "id")[:BOOK_ROWS]
    )
    for i, d in enumerate(dossiers, start=1):
        rows.append(
            [
                Paragraph(str(i), center),
                Paragraph(escape(d.code), cell),
                Paragraph(escape(d.procedure.name), cell),
                Paragraph(str(d.set_count), center),
                Paragraph(escape(d.applicant.name), cell),
                Paragraph(f"{escape(d.applicant.address)}<br/>{escape(d.applicant.phone)}", cell),
                Paragraph(escape(d.resolving_agency.name), cell),
                Paragraph(day_text(d.received_at), center),
                Paragraph(day_text(_deadlines(d, cal).appointment.at), center),
                Paragraph(day_text(d.returned_at) if d.returned_at else "", center),
                Paragraph(escape(PortalStatus(d.status).label), cell),
            ]
        )
    width = A4[1] - 46 * mm
    fixed = [8, 44, 0, 13, 28, 34, 26, 19, 19, 19, 22]
    fixed[2] = width / mm - sum(fixed)
    story.append(grid_table(rows, [w * mm for w in fixed]))
    return story


def form_stop_notice(dossier: Dossier) -> list:
    """Mẫu 05 of the 2025 set: the notice that the resolution of the dossier is stopped, with the reason."""
    if regime_of(dossier) != "2025":
        raise FormNotApplicable(
            _("Thông báo dừng giải quyết hồ sơ chỉ có trong bộ mẫu năm 2025; hồ sơ này in Mẫu 03.")
        )
    event = _last_event(dossier, "refuse")
    if event is None:
        raise FormNotApplicable(_("Hồ sơ không bị dừng giải quyết nên không có thông báo dừng giải quyết."))
    agency = event.agency if event.agency_id else dossier.resolving_agency
    story = _head(dossier, STOP_NOTICE, timezone.localdate(event.at), agency=agency)
    story += [_code_and_qr(dossier), Spacer(1, 2 * mm)]
    story += _applicant_lines(dossier, _("Kính gửi: Ông/Bà"))
    story.append(
        _p(
            _("Ngày tiếp nhận hồ sơ: %(day)s; hạn giải quyết theo quy định: %(due)s.")
            % {"day": day_text(dossier.received_at), "due": day_text(_deadlines(dossier).legal.at)}
        )
    )
    story.append(
        _p(
            _("Ngày %(day)s, %(agency)s dừng giải quyết hồ sơ nêu trên với lý do cụ thể như sau:")
            % {"day": day_text(event.at), "agency": escape(agency.name)}
        )
    )
    story.append(_p(f"<b>{escape(event.note or dossier.closing_reason)}</b>"))
    story.append(
        _p(
            _(
                "Hồ sơ và các giấy tờ đã nộp được trả lại tại nơi tiếp nhận. Xin thông báo để Ông/Bà được biết "
                "và thực hiện."
            )
        )
    )
    story += [
        Spacer(1, 6 * mm),
        _signatures(
            "",
            _("THỦ TRƯỞNG CƠ QUAN GIẢI QUYẾT"),
            event.actor.get_full_name() if event.actor_id else event.actor_name,
        ),
    ]
    return story


def regime_of(dossier: Dossier) -> str:
    """The regime of the forms the dossier prints (`regimes.forms_regime`: the 2018 forms until the province
    adopted the 2025 ones)."""
    from .regimes import forms_regime

    regime = forms_regime(dossier)
    return regime if regime in BASIS else "2018"


def form_title(form: str, dossier: Dossier) -> str:
    return _title(form, regime_of(dossier))


def forms_for(dossier: Dossier) -> tuple[str, ...]:
    """The keys of the forms of the dossier's regime (the 2018 numbers, plus the 2025-only forms)."""
    return ALL_FORMS if regime_of(dossier) == "2025" else FORMS


def available_forms(dossier: Dossier) -> list[str]:
    """The keys of the forms of the dossier's regime that apply to it now: the supplement guidance once items
    were asked for (also given at reception), the refusal once rejected or stopped, the apology once one was
    made, the stop notice once stopped."""
    available = []
    for form in forms_for(dossier):
        if form == "02" and not dossier.supplement_items:
            continue
        if form == "03" and dossier.state not in (State.REJECTED, State.STOPPED):
            continue
        if form == "04" and dossier.apology_count == 0:
            continue
        if form == STOP_NOTICE and dossier.state != State.STOPPED:
            continue
        available.append(form)
    return available


def render_form(dossier: Dossier, form: str, *, user=None, date_from=None, date_to=None) -> bytes:
    """The PDF of form `form` ("01"…"06", or "stop_notice" of the 2025 set) for `dossier`."""
    # The forms are legal documents in Vietnamese, whatever language the user reads the screens in.
    with translation.override("vi"):
        return _render(dossier, form, date_from, date_to)


def _render(dossier: Dossier, form: str, date_from, date_to) -> bytes:
    builders = {
        "01": form_01,
        "02": form_02,
        "03": form_03,
        "04": form_04,
        "05": form_05,
        STOP_NOTICE: form_stop_notice,
    }
    if form == "06":
        story = form_06(dossier, date_from, date_to)
    elif form in builders:
        story = builders[form](dossier)  # raises FormNotApplicable first when the form does not apply
    else:
        raise KeyError(form)
    title = f"{_title(form, regime_of(dossier)).capitalize()} — {dossier.code}"
    return render_pdf(story, title=title, landscape=form == "06")


# --- batch printing ------------------------------------------------------------------------------------------


def receipts_pdf(dossiers, *, title: str) -> bytes:
    """Mẫu 01 of each dossier, one after the other, each from a new page: one PDF to print a day's receipts."""
    with translation.override("vi"):
        story = []
        for dossier in dossiers:
            if story:
                story.append(PageBreak())
            story += form_01(dossier)
        if not story:
            story.append(_p(_("Không có hồ sơ nào.")))
        return render_pdf(story, title=title)


def tracking_book_pdf(agency, date_from: datetime.date, date_to: datetime.date) -> bytes:
    """The tracking book (Mẫu 06) of `agency` for a period, with the numbers of the regime in force at its end."""
    from .regimes import regime_for

    with translation.override("vi"):
        regime = regime_for(agency, date_to)
        regime = regime if regime in BASIS else "2018"
        story = tracking_book(agency, date_from, date_to, regime)
        title = f"{_title('06', regime).capitalize()} — {agency.name}"
        return render_pdf(story, title=title, landscape=True)
