"""Exports of the resolution report: Excel in the layout of Biểu số 06/VPCP/KSTT, and CSV.

The columns are defined once (`COLUMNS`) and read from the same dictionary the API answers, so the file and
the JSON cannot disagree.
"""

import csv
import io
from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from .resolution import RATES, ResolutionReport

# (group header or None, column header, path in the row dictionary)
COLUMNS = [
    (gettext_lazy("Số hồ sơ nhận giải quyết"), gettext_lazy("Tổng số"), ("received", "total")),
    (
        gettext_lazy("Số hồ sơ nhận giải quyết"),
        gettext_lazy("Kỳ trước chuyển qua"),
        ("received", "carried_over"),
    ),
    (gettext_lazy("Số hồ sơ nhận giải quyết"), gettext_lazy("Mới tiếp nhận"), ("received", "new")),
    (gettext_lazy("Số hồ sơ nhận giải quyết"), gettext_lazy("Trực tuyến"), ("received", "online")),
    (
        gettext_lazy("Số hồ sơ nhận giải quyết"),
        gettext_lazy("Trực tiếp, bưu chính"),
        ("received", "direct_postal"),
    ),
    (gettext_lazy("Số hồ sơ đã giải quyết"), gettext_lazy("Tổng số"), ("resolved", "total")),
    (gettext_lazy("Số hồ sơ đã giải quyết"), gettext_lazy("Trước hạn"), ("resolved", "early")),
    (gettext_lazy("Số hồ sơ đã giải quyết"), gettext_lazy("Đúng hạn"), ("resolved", "on_time")),
    (gettext_lazy("Số hồ sơ đã giải quyết"), gettext_lazy("Quá hạn"), ("resolved", "late")),
    (gettext_lazy("Số hồ sơ đang giải quyết"), gettext_lazy("Tổng số"), ("in_progress", "total")),
    (gettext_lazy("Số hồ sơ đang giải quyết"), gettext_lazy("Trong hạn"), ("in_progress", "within_deadline")),
    (gettext_lazy("Số hồ sơ đang giải quyết"), gettext_lazy("Quá hạn"), ("in_progress", "overdue")),
    (None, gettext_lazy("Trong đó tạm dừng (chờ bổ sung, nghĩa vụ tài chính)"), ("paused",)),
    (None, gettext_lazy("Yêu cầu bổ sung"), ("supplement_requested",)),
    (None, gettext_lazy("Từ chối giải quyết"), ("refused",)),
    (None, gettext_lazy("Rút hồ sơ"), ("withdrawn",)),
    (
        None,
        gettext_lazy("Tỷ lệ trước hạn, đúng hạn / đã giải quyết (%)"),
        ("rates", "on_time_of_resolved"),
    ),
    (
        None,
        gettext_lazy("Tỷ lệ trước hạn, đúng hạn / tổng số tiếp nhận (%)"),
        ("rates", "on_time_of_received"),
    ),
]


def value_at(row: dict, path: tuple):
    for part in path:
        row = row[part]
    return row


def title_lines(report: ResolutionReport) -> list[str]:
    unit = report.unit.name if report.unit else _("Toàn bộ đơn vị")
    return [
        _("Biểu số 06/VPCP/KSTT"),
        _(
            "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT THỦ TỤC "
            "HÀNH CHÍNH"
        ),
        _("Kỳ báo cáo: từ ngày %(from)s đến ngày %(to)s")
        % {
            "from": report.date_from.strftime("%d/%m/%Y"),
            "to": report.date_to.strftime("%d/%m/%Y"),
        },
        _("Đơn vị: %(unit)s. Đơn vị tính: hồ sơ.") % {"unit": unit}
        + (
            " " + _("Cơ quan, đơn vị đã sắp xếp được cộng vào cơ quan, đơn vị kế thừa.")
            if report.reorganised == "successors"
            else ""
        ),
    ]


def formula_lines() -> list[str]:
    return [f"{label}: {formula}" for label, formula in RATES.values()]


FIRST_DATA_COLUMN = 3  # A = STT, B = the group label


class _Look(NamedTuple):
    """The fonts, alignment and border of the Biểu 06 sheet."""

    bold: Font
    normal: Font
    center: Alignment
    box: Border


def _look() -> _Look:
    """Times New Roman 11, bold or not; centred wrapped headers; thin borders on every side."""
    thin = Side(style="thin")
    return _Look(
        bold=Font(bold=True, name="Times New Roman", size=11),
        normal=Font(name="Times New Roman", size=11),
        center=Alignment(horizontal="center", vertical="center", wrap_text=True),
        box=Border(left=thin, right=thin, top=thin, bottom=thin),
    )


def _write_title(ws, report: ResolutionReport, last_col: int, look: _Look) -> None:
    """The title block: one merged line per title line, the form number on the left."""
    lines = title_lines(report)
    for i, text in enumerate(lines, start=1):
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=last_col)
        cell = ws.cell(row=i, column=1, value=text)
        cell.font = look.bold if i <= 2 else look.normal
        cell.alignment = Alignment(horizontal="left" if i == 1 else "center", wrap_text=True)
    ws.row_dimensions[2].height = 32


def _write_header(ws, report: ResolutionReport, last_col: int, look: _Look, top: int, sub: int, numbers: int):
    """The two header rows (groups over their columns, lone columns over both) and the row of column numbers."""
    # STT and the group label span both header rows.
    for col, text in ((1, _("STT")), (2, report.group_label)):
        ws.merge_cells(start_row=top, start_column=col, end_row=sub, end_column=col)
        ws.cell(row=top, column=col, value=text)
    col = FIRST_DATA_COLUMN
    while col <= last_col:
        group, header, _path = COLUMNS[col - FIRST_DATA_COLUMN]
        if group is None:
            ws.merge_cells(start_row=top, start_column=col, end_row=sub, end_column=col)
            ws.cell(row=top, column=col, value=str(header))
            col += 1
            continue
        span = [c for c in COLUMNS if c[0] == group]
        ws.merge_cells(start_row=top, start_column=col, end_row=top, end_column=col + len(span) - 1)
        ws.cell(row=top, column=col, value=str(group))
        for offset, (_g, h, _p) in enumerate(span):
            ws.cell(row=sub, column=col + offset, value=str(h))
        col += len(span)
    for c in range(1, last_col + 1):
        ws.cell(row=numbers, column=c, value=f"({c})")
        for r in (top, sub, numbers):
            cell = ws.cell(row=r, column=c)
            cell.font = look.bold if r != numbers else look.normal
            cell.alignment = look.center
            cell.border = look.box
    ws.row_dimensions[sub].height = 60


def _write_rows(ws, data: dict, last_col: int, look: _Look, r: int) -> int:
    """One numbered row per group from row `r`, then the bold total; returns the total's row."""
    for index, row in enumerate(data["rows"], start=1):
        values = [index, row["label"]] + [value_at(row, c[2]) for c in COLUMNS]
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.border = look.box
            cell.font = look.normal
        r += 1
    ws.cell(row=r, column=1, value="")
    ws.cell(row=r, column=2, value=_("Tổng cộng"))
    for c, column in enumerate(COLUMNS, start=FIRST_DATA_COLUMN):
        ws.cell(row=r, column=c, value=value_at(data["total"], column[2]))
    for c in range(1, last_col + 1):
        ws.cell(row=r, column=c).font = look.bold
        ws.cell(row=r, column=c).border = look.box
    return r


def _write_notes(ws, last_col: int, look: _Look, r: int) -> None:
    """From row `r`: how the rates are computed, and when the sheet was made."""
    ws.cell(row=r, column=1, value=_("Cách tính:")).font = look.bold
    for line in formula_lines():
        r += 1
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=last_col)
        ws.cell(row=r, column=1, value=line).font = look.normal
    r += 1
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=last_col)
    ws.cell(
        row=r,
        column=1,
        value=_("Lập lúc %(at)s từ lịch sử xử lý hồ sơ.")
        % {"at": timezone.localtime().strftime("%H:%M %d/%m/%Y")},
    ).font = look.normal


def to_xlsx(report: ResolutionReport) -> bytes:
    data = report.as_dict()
    wb = Workbook()
    ws = wb.active
    ws.title = _("Biểu 06")
    last_col = FIRST_DATA_COLUMN + len(COLUMNS) - 1
    look = _look()
    _write_title(ws, report, last_col, look)
    top, sub, numbers = 6, 7, 8
    _write_header(ws, report, last_col, look, top, sub, numbers)
    total_row = _write_rows(ws, data, last_col, look, numbers + 1)
    _write_notes(ws, last_col, look, total_row + 2)

    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 42
    for c in range(FIRST_DATA_COLUMN, last_col + 1):
        ws.column_dimensions[get_column_letter(c)].width = 12
    ws.freeze_panes = ws.cell(row=numbers + 1, column=FIRST_DATA_COLUMN)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


DATA_START_ROW = 9  # first data row of the Excel sheet (after the title block and the three header rows)


def to_csv(report: ResolutionReport) -> str:
    data = report.as_dict()
    out = io.StringIO()
    out.write("\ufeff")  # so that spreadsheet programs read UTF-8
    writer = csv.writer(out)
    writer.writerow([_("Mã"), report.group_label] + [f"{g} - {h}" if g else str(h) for g, h, _p in COLUMNS])
    for row in data["rows"]:
        writer.writerow([row["key"], row["label"]] + [_csv(value_at(row, c[2])) for c in COLUMNS])
    writer.writerow(["", _("Tổng cộng")] + [_csv(value_at(data["total"], c[2])) for c in COLUMNS])
    return out.getvalue()


def _csv(value):
    return "" if value is None else value


def _pdf_number(value) -> str:
    """A figure as printed in the PDF: blank for None, one decimal with a comma, thousands with dots."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return f"{value:,}".replace(",", ".")


def _pdf_header(report: ResolutionReport, p, head):
    """The two header rows of the PDF table and their spans (same layout as the Excel sheet)."""
    header_top = [p(_("STT"), head), p(report.group_label, head)]
    header_sub = ["", ""]
    spans = [("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1))]
    col = 2
    seen = set()
    for index, (group, header, _path) in enumerate(COLUMNS):
        if group is None:
            header_top.append(p(str(header), head))
            header_sub.append("")
            spans.append(("SPAN", (col + index, 0), (col + index, 1)))
            continue
        header_sub.append(p(str(header), head))
        if group in seen:
            header_top.append("")
            continue
        seen.add(group)
        width = sum(1 for c in COLUMNS if c[0] == group)
        header_top.append(p(str(group), head))
        spans.append(("SPAN", (col + index, 0), (col + index + width - 1, 0)))
    return header_top, header_sub, spans


def _pdf_story(report: ResolutionReport, table, base) -> tuple[list, str]:
    """The title block, the table and the formulas, and the document's title."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    from motcua.printing.document import escape

    lines = title_lines(report)
    story = [
        Paragraph(escape(lines[0]), base["small"]),
        Paragraph(escape(lines[1]), base["title"]),
        Paragraph(escape(lines[2]), base["italic_center"]),
        Paragraph(escape(lines[3]), base["small_center"]),
        Spacer(1, 4 * mm),
        table,
        Spacer(1, 3 * mm),
    ]
    story += [Paragraph(escape(line), base["small"]) for line in formula_lines()]
    return story, lines[0]


def to_pdf(report: ResolutionReport) -> bytes:
    """Biểu 06 on landscape A4 in the printing toolkit's serif (every diacritic), same cells as the Excel."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph

    from motcua.printing.document import escape, grid_table, render_pdf, styles

    base = styles()
    small = ParagraphStyle("r06", parent=base["cell_center"], fontSize=7, leading=8.5)
    small_left = ParagraphStyle("r06l", parent=small, alignment=0)
    head = ParagraphStyle("r06h", parent=base["cell_head"], fontSize=7, leading=8.5)
    data = report.as_dict()

    def p(text, style=small):
        return Paragraph(escape("" if text is None else text), style)

    header_top, header_sub, spans = _pdf_header(report, p, head)
    rows = [header_top, header_sub]
    for i, row in enumerate(data["rows"], start=1):
        rows.append(
            [p(i), p(row["label"], small_left)] + [p(_pdf_number(value_at(row, c[2]))) for c in COLUMNS]
        )
    rows.append(
        ["", p(_("Tổng cộng"), head)] + [p(_pdf_number(value_at(data["total"], c[2])), head) for c in COLUMNS]
    )
    widths = [8 * mm, 50 * mm] + [10.8 * mm] * len(COLUMNS)
    table = grid_table(rows, widths, header_rows=2)
    table.setStyle(spans)
    story, title = _pdf_story(report, table, base)
    return render_pdf(story, title=title, landscape=True)


def _pct(value):
    """A percentage (Decimal or None) as a number for the sheet (96.4), or None."""
    return float(value) if value is not None else None


def _resolution_result_rows(total: dict) -> list[tuple[str, str, object, str]]:
    """The indicators of resolution results: received, on time, late, and the two on-time rates."""
    rates = {key: (str(label), str(formula)) for key, (label, formula) in RATES.items()}
    result = _("Kết quả giải quyết")
    return [
        (result, _("Tổng số hồ sơ tiếp nhận (kể cả kỳ trước chuyển qua)"), total["received"]["total"], ""),
        (
            result,
            _("Giải quyết trước hạn, đúng hạn"),
            total["resolved"]["early"] + total["resolved"]["on_time"],
            "",
        ),
        (result, _("Giải quyết quá hạn"), total["resolved"]["late"], ""),
        (
            result,
            *rates["on_time_of_resolved"][:1],
            total["rates"]["on_time_of_resolved"],
            rates["on_time_of_resolved"][1],
        ),
        (
            result,
            *rates["on_time_of_received"][:1],
            total["rates"]["on_time_of_received"],
            rates["on_time_of_received"][1],
        ),
    ]


def _online_and_spot_rows(online: dict, spot: dict) -> list[tuple[str, str, object, str]]:
    """The indicators of online dossiers and of the "5 tại chỗ" procedures."""
    return [
        (_("Hồ sơ trực tuyến"), _("Hồ sơ tiếp nhận trực tuyến"), online["online"], ""),
        (
            _("Hồ sơ trực tuyến"),
            _("Tỷ lệ hồ sơ trực tuyến"),
            _pct(online["share"]),
            _("Trực tuyến / Mới tiếp nhận × 100%"),
        ),
        (_("“5 tại chỗ”"), _("Thủ tục được phê duyệt"), spot["approved"], ""),
        (_("“5 tại chỗ”"), _("Thủ tục đã phát sinh hồ sơ"), spot["with_dossiers"], ""),
        (
            _("“5 tại chỗ”"),
            _("Tỷ lệ thủ tục đã phát sinh hồ sơ"),
            _pct(spot["with_dossiers_share"]),
            _("Thủ tục đã phát sinh hồ sơ / Thủ tục được phê duyệt × 100%"),
        ),
    ]


def _fee_rows(fees: dict, f: dict) -> list[tuple[str, str, object, str]]:
    """The indicators of fees and charges collected (`f`: the figures' labels and formulas)."""
    return [
        (_("Phí, lệ phí"), _("Số biên lai"), fees["receipts"], ""),
        (_("Phí, lệ phí"), _("Phí (đồng)"), fees["service_fee"], ""),
        (_("Phí, lệ phí"), _("Lệ phí (đồng)"), fees["admin_charge"], ""),
        (_("Phí, lệ phí"), _("Đã hoàn (đồng)"), fees["refunded"], ""),
        (
            _("Phí, lệ phí"),
            _("%(figure)s (đồng)") % {"figure": f["fees_net"][0]},
            fees["net"],
            f["fees_net"][1],
        ),
        (_("Phí, lệ phí"), f["fees_online_share"][0], _pct(fees["online_share"]), f["fees_online_share"][1]),
    ]


def _satisfaction_and_recommendation_rows(
    sat: dict, rec: dict, f: dict
) -> list[tuple[str, str, object, str]]:
    """The indicators of citizens' satisfaction and of the answers to their recommendations."""
    return [
        (_("Mức độ hài lòng"), _("Số phiếu đánh giá"), sat["count"], ""),
        (
            _("Mức độ hài lòng"),
            f["satisfaction_average"][0],
            _pct(sat["average"]),
            f["satisfaction_average"][1],
        ),
        (
            _("Mức độ hài lòng"),
            f["satisfaction_rate"][0],
            _pct(sat["satisfied_share"]),
            f["satisfaction_rate"][1],
        ),
        (_("Kiến nghị, phản ánh"), _("Đã trả lời trong kỳ"), rec["answered"], ""),
        (_("Kiến nghị, phản ánh"), _("Trả lời đúng hạn"), rec["on_time"], ""),
        (_("Kiến nghị, phản ánh"), _("Quá hạn chưa trả lời đến cuối kỳ"), rec["overdue"], ""),
        (
            _("Kiến nghị, phản ánh"),
            f["recommendations_on_time"][0],
            _pct(rec["on_time_share"]),
            f["recommendations_on_time"][1],
        ),
    ]


def _digitisation_and_account_rows(dig: dict, acc: dict, f: dict) -> list[tuple[str, str, object, str]]:
    """The indicators of digitisation and of citizens' national portal accounts."""
    return [
        (
            _("Số hóa"),
            f["digitised_components"][0],
            _pct(dig["digitised_components"]),
            f["digitised_components"][1],
        ),
        (_("Số hóa"), f["digitised_results"][0], _pct(dig["digitised_results"]), f["digitised_results"][1]),
        (_("Số hóa"), f["reused_components"][0], _pct(dig["reused_components"]), f["reused_components"][1]),
        (_("Tài khoản Cổng Dịch vụ công quốc gia"), _("Tài khoản công dân"), acc["accounts"], ""),
        (
            _("Tài khoản Cổng Dịch vụ công quốc gia"),
            _("Có tài khoản Cổng Dịch vụ công quốc gia"),
            acc["with_national_portal"],
            "",
        ),
        (
            _("Tài khoản Cổng Dịch vụ công quốc gia"),
            f["portal_accounts"][0],
            _pct(acc["share"]),
            f["portal_accounts"][1],
        ),
    ]


def indicator_rows(data: dict) -> list[tuple[str, str, object, str]]:
    """The indicators page as (section, figure, value, formula) rows; percentages as numbers (96.4)."""
    from .figures import FORMULAS

    other = data["other"]
    f = {key: (str(label), str(formula)) for key, (label, formula) in FORMULAS.items()}
    return [
        *_resolution_result_rows(data["report"]["total"]),
        *_online_and_spot_rows(data["online"], data["spot"]),
        *_fee_rows(other["fees"], f),
        *_satisfaction_and_recommendation_rows(other["satisfaction"], other["recommendations"], f),
        *_digitisation_and_account_rows(other["digitisation"], other["portal_accounts"], f),
    ]


def indicators_to_xlsx(data: dict) -> bytes:
    """The indicators page as a workbook: sheet "Chỉ tiêu" (figure, value, formula) and sheet "Chỉ số 766"."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Chỉ tiêu")
    bold = Font(bold=True, name="Times New Roman", size=11)
    unit = data["unit"].name if data["unit"] else _("Toàn bộ đơn vị")
    ws.append([_("CHỈ TIÊU GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH")])
    ws.append(
        [
            _("Kỳ báo cáo: từ ngày %(from)s đến ngày %(to)s")
            % {"from": data["date_from"].strftime("%d/%m/%Y"), "to": data["date_to"].strftime("%d/%m/%Y")}
            + ". "
            + _("Đơn vị: %(unit)s.") % {"unit": unit}
        ]
    )
    ws.append([])
    ws.append([_("Nhóm"), _("Chỉ tiêu"), _("Giá trị"), _("Cách tính")])
    for cell in ws[4]:
        cell.font = bold
    ws["A1"].font = bold
    for section, label, value, text in indicator_rows(data):
        ws.append([str(section), str(label), value, str(text)])
    for letter, width in (("A", 30), ("B", 60), ("C", 16), ("D", 90)):
        ws.column_dimensions[letter].width = width

    index = data["index"]
    sheet = wb.create_sheet(_("Chỉ số 766"))
    groups = [g.key for g in index["groups"]]
    sheet.append(
        [_("Xếp hạng"), _("Cơ quan")]
        + [f"{g.label} ({g.max_points:g})" for g in index["groups"]]
        + [_("Tổng điểm"), _("Điểm tối đa có dữ liệu"), _("Tỷ lệ đạt (%)")]
    )
    for cell in sheet[1]:
        cell.font = bold
    for u in index["units"]:
        sheet.append(
            [u.rank, u.agency]
            + [float(u.groups[g]) if u.groups.get(g) is not None else None for g in groups]
            + [float(u.points), float(u.available), float(u.share) if u.share is not None else None]
        )
    sheet.column_dimensions["B"].width = 45
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
