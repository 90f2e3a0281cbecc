"""Collection reports and the reconciliation of gateway transactions against receipts.

Collections count the items of issued receipts (voided receipts are left out; approved refunds are shown in
their own column, on the day of the receipt they refund). Reconciliation lists every mismatch between the
payments a gateway handled and the receipts motcua issued for them; with `query_gateway` it also asks the
gateway (QUERY) about every payment whose state is not "paid" and lists those the gateway says were paid.
"""

import datetime
import io
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.models import Fee
from motcua.integrations.payment import GatewayError

from . import conf
from .models import Channel, FeeKind, FeeLine, Payment, PaymentMethod, Receipt, ReceiptItem, Refund
from .words import format_vnd

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

# Dimension → (ORM path of the grouping value, header)
DIMENSIONS = {
    "day": ("day", "Ngày"),
    "collector": ("receipt__collector__full_name", "Người thu"),
    "agency": ("receipt__book__agency__name", "Cơ quan thu"),
    "kind": ("kind", "Loại khoản thu"),
    "channel": ("receipt__channel", "Kênh thu"),
}
KIND_LABELS = dict(FeeKind.choices)
CHANNEL_LABELS = dict(Channel.choices)


def local_range(
    date_from: datetime.date, date_to: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=VIETNAM)
    end = datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=VIETNAM)
    return start, end


@dataclass
class CollectionRow:
    keys: tuple
    receipts: int
    service_fee: int
    admin_charge: int
    refunded: int

    @property
    def total(self) -> int:
        return self.service_fee + self.admin_charge

    @property
    def net(self) -> int:
        return self.total - self.refunded


def _label(dimension: str, value) -> str:
    if value is None or value == "":
        return _("Thu qua cổng thanh toán") if dimension == "collector" else "—"
    if dimension == "day":
        return value.strftime("%d/%m/%Y")
    if dimension == "kind":
        return str(KIND_LABELS.get(value, value))
    if dimension == "channel":
        return str(CHANNEL_LABELS.get(value, value))
    return str(value)


def collections(
    date_from: datetime.date, date_to: datetime.date, *, group_by=("day",), agencies=None
) -> list[CollectionRow]:
    """Collected amounts between two days (inclusive, Vietnam time), grouped by the given dimensions."""
    unknown = [d for d in group_by if d not in DIMENSIONS]
    if unknown or not group_by:
        raise ValueError(f"group_by must be some of {sorted(DIMENSIONS)}")
    if date_to < date_from:
        raise ValueError("date_to is before date_from")
    start, end = local_range(date_from, date_to)
    items = ReceiptItem.objects.filter(
        receipt__status=Receipt.Status.ISSUED, receipt__issued_at__gte=start, receipt__issued_at__lt=end
    ).annotate(day=TruncDate("receipt__issued_at", tzinfo=VIETNAM))
    if agencies is not None:
        items = items.filter(receipt__book__agency__in=agencies)
    paths = [DIMENSIONS[d][0] for d in group_by]
    grouped = (
        items.values(*paths)
        .annotate(
            receipts=Count("receipt", distinct=True),
            service_fee=Sum("amount", filter=Q(kind=FeeKind.SERVICE_FEE), default=0),
            admin_charge=Sum("amount", filter=Q(kind=FeeKind.ADMIN_CHARGE), default=0),
        )
        .order_by(*paths)
    )
    refunds = Refund.objects.filter(
        status=Refund.Status.APPROVED,
        receipt__status=Receipt.Status.ISSUED,
        receipt__issued_at__gte=start,
        receipt__issued_at__lt=end,
    ).annotate(day=TruncDate("receipt__issued_at", tzinfo=VIETNAM))
    if agencies is not None:
        refunds = refunds.filter(receipt__book__agency__in=agencies)
    refunded: dict[tuple, int] = {}
    if "kind" not in group_by:  # a refund is of a whole receipt, not of one kind of item
        # A refund reaches the same values through its receipt, so the receipt item's paths work unchanged.
        for row in refunds.values(*paths).annotate(total=Sum("amount")):
            refunded[tuple(row[p] for p in paths)] = row["total"]
    rows = []
    for row in grouped:
        key = tuple(row[p] for p in paths)
        rows.append(
            CollectionRow(
                keys=tuple(_label(d, v) for d, v in zip(group_by, key, strict=True)),
                receipts=row["receipts"],
                service_fee=row["service_fee"],
                admin_charge=row["admin_charge"],
                refunded=refunded.get(key, 0),
            )
        )
    return rows


def online_payment_counts(date_from: datetime.date, date_to: datetime.date, *, agencies=None) -> dict:
    """Online payment per resolving agency (Decision 766 group 4), over the dossiers received in the period.

    {agency id: {"fee_procedures": published procedures of the agency with a fee or charge in the catalog,
    "procedures_paid_online": those with at least one dossier of the period paid online, "fee_dossiers":
    dossiers of the period that owe a fee or charge (a fee line above 0 đồng), "paid_online": those with an
    issued online receipt}}. `agencies` (ids; None = all) limits the rows.
    """
    from motcua.catalog.models import Procedure
    from motcua.dossiers.models import Dossier

    start, end = local_range(date_from, date_to)
    dossiers = (
        Dossier.objects.filter(received_at__gte=start, received_at__lt=end)
        .annotate(
            owes=Exists(FeeLine.objects.filter(dossier=OuterRef("pk"), amount__gt=0)),
            online=Exists(
                Receipt.objects.filter(
                    dossier=OuterRef("pk"), status=Receipt.Status.ISSUED, method=PaymentMethod.ONLINE
                )
            ),
        )
        .filter(owes=True)
    )
    procedures = Procedure.objects.published().filter(Exists(Fee.objects.filter(procedure=OuterRef("pk"))))
    if agencies is not None:
        dossiers = dossiers.filter(resolving_agency__in=list(agencies))
        procedures = procedures.filter(resolving_agency__in=list(agencies))
    result: dict[int, dict] = {}

    def entry(pk):
        return result.setdefault(
            pk, {"fee_procedures": 0, "procedures_paid_online": 0, "fee_dossiers": 0, "paid_online": 0}
        )

    for row in procedures.values("resolving_agency").annotate(n=Count("pk")).order_by():
        entry(row["resolving_agency"])["fee_procedures"] = row["n"]
    for row in (
        dossiers.values("resolving_agency", "procedure")
        .annotate(total=Count("pk"), online_count=Count("pk", filter=Q(online=True)))
        .order_by()
    ):
        e = entry(row["resolving_agency"])
        e["fee_dossiers"] += row["total"]
        e["paid_online"] += row["online_count"]
        e["procedures_paid_online"] += 1 if row["online_count"] else 0
    return result


@dataclass
class Mismatch:
    kind: str
    message: str
    payment: Payment | None = None
    receipt: Receipt | None = None

    @property
    def label(self) -> str:
        return str(MISMATCH_LABELS.get(self.kind, self.kind))


MISMATCH_LABELS = {
    "paid_without_receipt": gettext_lazy("Đã thanh toán nhưng chưa có biên lai"),
    "receipt_without_payment": gettext_lazy("Biên lai trực tuyến không có giao dịch thành công"),
    "amount_mismatch": gettext_lazy("Số tiền biên lai khác số tiền giao dịch"),
    "duplicate_receipts": gettext_lazy("Một giao dịch có nhiều biên lai"),
    "paid_twice": gettext_lazy("Hồ sơ nộp tiền hai lần (tại quầy và trực tuyến)"),
    "gateway_says_paid": gettext_lazy("Cổng thanh toán báo đã thanh toán nhưng hệ thống chưa ghi nhận"),
    "gateway_unreachable": gettext_lazy("Không tra vấn được cổng thanh toán"),
}


def _in_period(date_from, date_to, agencies):
    """The payments created and the online receipts issued in the period, for the given agencies if any."""
    start, end = local_range(date_from, date_to)
    payments = Payment.objects.filter(created_at__gte=start, created_at__lt=end).select_related("agency")
    online_receipts = Receipt.objects.filter(
        method=PaymentMethod.ONLINE, issued_at__gte=start, issued_at__lt=end
    ).select_related("book", "payment")
    if agencies is not None:
        payments = payments.filter(agency__in=agencies)
        online_receipts = online_receipts.filter(book__agency__in=agencies)
    return payments, online_receipts


def _succeeded_payment_mismatches(payment, issued) -> list[Mismatch]:
    """A succeeded payment without a receipt, also paid at the counter, or with more than one valid receipt."""
    mismatches: list[Mismatch] = []
    if not issued:
        mismatches.append(
            Mismatch(
                "paid_without_receipt",
                _("Giao dịch %(ref)s (%(amount)s) đã thanh toán nhưng chưa có biên lai.")
                % {"ref": payment.reference, "amount": format_vnd(payment.amount)},
                payment=payment,
            )
        )
    counter_paid = payment.fee_lines.exclude(receipt=None).exclude(receipt__payment=payment)
    if counter_paid.exists():
        mismatches.append(
            Mismatch(
                "paid_twice",
                _(
                    "Hồ sơ %(code)s đã thu tại quầy và cũng thanh toán trực tuyến (%(ref)s); cần hoàn phí một lần."
                )
                % {"code": payment.dossier_code, "ref": payment.reference},
                payment=payment,
            )
        )
    if len(issued) > 1:
        mismatches.append(
            Mismatch(
                "duplicate_receipts",
                _("Giao dịch %(ref)s có %(n)s biên lai còn hiệu lực.")
                % {"ref": payment.reference, "n": len(issued)},
                payment=payment,
            )
        )
    return mismatches


def _gateway_mismatches(payment) -> list[Mismatch]:
    """An unfinished payment the gateway cannot be asked about, or that the gateway reports as paid."""
    try:
        result = conf.get_gateway(payment.gateway).query(payment.reference, payment.created_at)
    except (GatewayError, KeyError) as error:
        return [
            Mismatch(
                "gateway_unreachable",
                _("Không tra vấn được giao dịch %(ref)s: %(error)s")
                % {"ref": payment.reference, "error": error},
                payment=payment,
            )
        ]
    if result.state == "succeeded":
        return [
            Mismatch(
                "gateway_says_paid",
                _("Cổng thanh toán báo giao dịch %(ref)s đã thanh toán; hệ thống ghi “%(status)s”.")
                % {"ref": payment.reference, "status": payment.get_status_display()},
                payment=payment,
            )
        ]
    return []


def _receipt_mismatches(receipt) -> list[Mismatch]:
    """A valid online receipt without a succeeded payment, or for another amount than its payment."""
    if receipt.status != Receipt.Status.ISSUED:
        return []
    payment = receipt.payment
    if payment is None or payment.status != Payment.Status.SUCCEEDED:
        return [
            Mismatch(
                "receipt_without_payment",
                _("Biên lai %(series)s số %(number)s không gắn với giao dịch thành công.")
                % {"series": receipt.book.series, "number": receipt.number_display},
                receipt=receipt,
            )
        ]
    if receipt.total != payment.amount:
        return [
            Mismatch(
                "amount_mismatch",
                _("Biên lai %(series)s số %(number)s ghi %(receipt)s, giao dịch %(ref)s là %(payment)s.")
                % {
                    "series": receipt.book.series,
                    "number": receipt.number_display,
                    "receipt": format_vnd(receipt.total),
                    "ref": payment.reference,
                    "payment": format_vnd(payment.amount),
                },
                payment=payment,
                receipt=receipt,
            )
        ]
    return []


def reconcile(
    date_from: datetime.date, date_to: datetime.date, *, agencies=None, query_gateway: bool = False
) -> list[Mismatch]:
    """Every mismatch between online payments created in the period and the receipts issued for them."""
    payments, online_receipts = _in_period(date_from, date_to, agencies)
    mismatches: list[Mismatch] = []
    for payment in payments.prefetch_related("receipts"):
        issued = [r for r in payment.receipts.all() if r.status == Receipt.Status.ISSUED]
        if payment.status == Payment.Status.SUCCEEDED:
            mismatches.extend(_succeeded_payment_mismatches(payment, issued))
        elif query_gateway:
            mismatches.extend(_gateway_mismatches(payment))
    for receipt in online_receipts:
        mismatches.extend(_receipt_mismatches(receipt))
    return mismatches


def _fill_collection_sheet(sheet, rows: list[CollectionRow], group_by, *, date_from, date_to, title) -> None:
    """Sheet "Tổng hợp thu": title, period, headers, one line per group, the totals, money formats and widths."""
    from openpyxl.styles import Font

    sheet.title = "Tổng hợp thu"
    sheet.append([title or "BÁO CÁO THU PHÍ, LỆ PHÍ"])
    sheet.append([f"Từ ngày {date_from:%d/%m/%Y} đến ngày {date_to:%d/%m/%Y}"])
    sheet.append([])
    headers = [DIMENSIONS[d][1] for d in group_by] + [
        "Số biên lai",
        "Phí (đồng)",
        "Lệ phí (đồng)",
        "Tổng thu (đồng)",
        "Đã hoàn (đồng)",
        "Thực thu (đồng)",
    ]
    sheet.append(headers)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    sheet["A1"].font = Font(bold=True, size=13)
    for row in rows:
        sheet.append(
            [*row.keys, row.receipts, row.service_fee, row.admin_charge, row.total, row.refunded, row.net]
        )
    sheet.append(_totals_line(rows, group_by))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    money_columns = range(len(group_by) + 2, len(headers) + 1)
    for row_cells in sheet.iter_rows(min_row=5):
        for cell in row_cells:
            if cell.column in money_columns:
                cell.number_format = "#,##0"
    for index, _header in enumerate(headers, start=1):
        sheet.column_dimensions[sheet.cell(row=4, column=index).column_letter].width = 20


def _totals_line(rows: list[CollectionRow], group_by) -> list:
    """The "Tổng cộng" line: blank group columns, then the sum of every count and amount."""
    totals = ["Tổng cộng"] + [""] * (len(group_by) - 1)
    totals += [
        sum(r.receipts for r in rows),
        sum(r.service_fee for r in rows),
        sum(r.admin_charge for r in rows),
        sum(r.total for r in rows),
        sum(r.refunded for r in rows),
        sum(r.net for r in rows),
    ]
    return totals


def _fill_mismatch_sheet(check, mismatches: list[Mismatch]) -> None:
    """Sheet "Đối soát": one line per mismatch (kind, description, reference, receipt), or "no mismatch"."""
    from openpyxl.styles import Font

    check.append(["Loại chênh lệch", "Mô tả", "Mã tham chiếu", "Ký hiệu – số biên lai"])
    for cell in check[1]:
        cell.font = Font(bold=True)
    for m in mismatches:
        check.append(
            [
                str(MISMATCH_LABELS.get(m.kind, m.kind)),
                m.message,
                m.payment.reference if m.payment else "",
                f"{m.receipt.book.series} – {m.receipt.number_display}" if m.receipt else "",
            ]
        )
    if not mismatches:
        check.append(["", "Không có chênh lệch."])
    check.column_dimensions["A"].width = 45
    check.column_dimensions["B"].width = 80


def to_excel(
    rows: list[CollectionRow], group_by, mismatches: list[Mismatch], *, date_from, date_to, title=""
) -> bytes:
    """The report as an .xlsx workbook: sheet "Tổng hợp thu" and sheet "Đối soát"."""
    from openpyxl import Workbook

    workbook = Workbook()
    _fill_collection_sheet(workbook.active, rows, group_by, date_from=date_from, date_to=date_to, title=title)
    _fill_mismatch_sheet(workbook.create_sheet("Đối soát"), mismatches)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
