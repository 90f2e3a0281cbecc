"""Collections per day, collector, agency, fee type and channel; reconciliation; Excel export."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from motcua.org.tests.factories import AgencyFactory
from motcua.payments.models import FeeKind, Payment, PaymentMethod, Receipt
from motcua.payments.receipts import Item, decide_refund, issue_receipt, request_refund, void_receipt
from motcua.payments.reports import collections, reconcile, to_excel

from .factories import PaymentFactory, ReceiptBookFactory, cashier, leader

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
DAY1, DAY2 = datetime.date(2026, 11, 2), datetime.date(2026, 11, 3)


def at(day, hour):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=VN)


@pytest.fixture
def data():
    tp, tnmt = AgencyFactory(name="Phòng Tư pháp"), AgencyFactory(name="Phòng Tài nguyên và Môi trường")
    book_tp, book_tnmt = ReceiptBookFactory(agency=tp), ReceiptBookFactory(agency=tnmt)
    hoa, nam = cashier(tp, full_name="Trần Thị Hoa"), cashier(tnmt, full_name="Lê Văn Nam")
    both = [Item(FeeKind.SERVICE_FEE, "Phí", 10_000), Item(FeeKind.ADMIN_CHARGE, "Lệ phí", 20_000)]
    issue_receipt(book_tp, items=both, payer_name="A", method="cash", collector=hoa, issued_at=at(DAY1, 8))
    # 23:30 on day 1 in Vietnam is still day 1 although it is day 1 16:30 UTC
    issue_receipt(
        book_tp,
        items=both,
        payer_name="B",
        method="card",
        terminal_reference="P1",
        collector=hoa,
        issued_at=at(DAY1, 23),
    )
    third = issue_receipt(
        book_tnmt, items=both[1:], payer_name="C", method="cash", collector=nam, issued_at=at(DAY2, 9)
    )
    wrong = issue_receipt(
        book_tnmt, items=both[1:], payer_name="D", method="cash", collector=nam, issued_at=at(DAY2, 10)
    )
    void_receipt(wrong, by=nam, reason="Thu nhầm")  # voided receipts are not collections
    refund = request_refund(third, by=nam, amount=5_000, reason="Thu thừa")
    decide_refund(refund, by=leader(tnmt), approve=True, note="Đồng ý")
    return tp, tnmt


def as_table(rows):
    return [(*r.keys, r.receipts, r.service_fee, r.admin_charge, r.total, r.refunded, r.net) for r in rows]


def test_collections_per_day_leave_out_voided_receipts_and_show_refunds(data):
    assert as_table(collections(DAY1, DAY2)) == [
        ("02/11/2026", 2, 20_000, 40_000, 60_000, 0, 60_000),
        ("03/11/2026", 1, 0, 20_000, 20_000, 5_000, 15_000),
    ]


def test_collections_per_collector_agency_kind_and_channel(data):
    assert as_table(collections(DAY1, DAY2, group_by=("collector",))) == [
        ("Lê Văn Nam", 1, 0, 20_000, 20_000, 5_000, 15_000),
        ("Trần Thị Hoa", 2, 20_000, 40_000, 60_000, 0, 60_000),
    ]
    by_agency = {r.keys: r.total for r in collections(DAY1, DAY2, group_by=("agency",))}
    assert by_agency == {("Phòng Tài nguyên và Môi trường",): 20_000, ("Phòng Tư pháp",): 60_000}
    by_kind = {r.keys: r.total for r in collections(DAY1, DAY2, group_by=("kind",))}
    assert by_kind == {("Lệ phí",): 60_000, ("Phí",): 20_000}
    by_channel = {r.keys: r.receipts for r in collections(DAY1, DAY2, group_by=("channel", "agency"))}
    assert by_channel == {("Tại quầy", "Phòng Tài nguyên và Môi trường"): 1, ("Tại quầy", "Phòng Tư pháp"): 2}


def test_collections_are_limited_to_the_agencies_and_days_asked(data):
    tp, _ = data
    assert [r.total for r in collections(DAY1, DAY2, agencies=[tp])] == [60_000]
    assert collections(DAY2, DAY2, agencies=[tp]) == []
    with pytest.raises(ValueError):
        collections(DAY2, DAY1)
    with pytest.raises(ValueError):
        collections(DAY1, DAY2, group_by=("colour",))


def test_reconciliation_lists_every_mismatch():
    book = ReceiptBookFactory()
    today = datetime.date.today()
    paid_no_receipt = PaymentFactory(agency=book.agency, status=Payment.Status.SUCCEEDED, transaction_id="T1")
    failed = PaymentFactory(agency=book.agency, status=Payment.Status.FAILED)
    ok = PaymentFactory(agency=book.agency, status=Payment.Status.SUCCEEDED, amount=30_000)
    twice = PaymentFactory(agency=book.agency, status=Payment.Status.SUCCEEDED, amount=30_000)
    online = {"method": PaymentMethod.ONLINE, "payer_name": "A"}
    item = [Item(FeeKind.ADMIN_CHARGE, "Lệ phí", 30_000)]
    issue_receipt(book, items=item, payment=ok, **online)
    issue_receipt(book, items=item, payment=twice, **online)
    issue_receipt(book, items=item, payment=twice, **online)
    issue_receipt(book, items=item, payment=failed, **online)
    short = PaymentFactory(agency=book.agency, status=Payment.Status.SUCCEEDED, amount=50_000)
    issue_receipt(book, items=item, payment=short, **online)
    found = {(m.kind, (m.payment or m.receipt.payment).pk) for m in reconcile(today, today)}
    assert found == {
        ("paid_without_receipt", paid_no_receipt.pk),
        ("duplicate_receipts", twice.pk),
        ("receipt_without_payment", failed.pk),
        ("amount_mismatch", short.pk),
    }


def test_reconciliation_asks_the_gateway_about_payments_it_thinks_unpaid(payment_sandbox):
    from motcua.payments.online import start_online_payment

    book = ReceiptBookFactory()
    payment = start_online_payment(
        agency=book.agency,
        items=[{"kind": "admin_charge", "description": "Lệ phí", "unit_amount": 9_000}],
        payer_name="A",
    )
    payment_sandbox.app.settle(payment.reference, "success", deliver=False)  # the callback was lost
    today = datetime.date.today()
    assert reconcile(today, today) == []
    assert [m.kind for m in reconcile(today, today, query_gateway=True)] == ["gateway_says_paid"]
    assert Payment.objects.get().status == Payment.Status.PENDING  # reconciliation reports, it does not act


def test_the_excel_export_has_the_collections_and_the_mismatches(data):
    rows = collections(DAY1, DAY2, group_by=("day", "collector"))
    mismatches = reconcile(DAY1, DAY2)
    workbook = load_workbook(
        io.BytesIO(to_excel(rows, ("day", "collector"), mismatches, date_from=DAY1, date_to=DAY2))
    )
    sheet = workbook["Tổng hợp thu"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1] == ["Từ ngày 02/11/2026 đến ngày 03/11/2026"] + [None] * 7
    assert values[3][:3] == ["Ngày", "Người thu", "Số biên lai"]
    assert values[4] == ["02/11/2026", "Trần Thị Hoa", 2, 20_000, 40_000, 60_000, 0, 60_000]
    assert values[-1] == ["Tổng cộng", None, 3, 20_000, 60_000, 80_000, 5_000, 75_000]
    assert workbook["Đối soát"]["B2"].value == "Không có chênh lệch."


def test_the_report_screen_and_its_excel_download(client, data):
    tp, _ = data
    client.force_login(leader(tp))
    url = reverse("payments:report")
    page = client.get(url, {"tu": "02/11/2026", "den": "03/11/2026", "nhom": ["day"]}).content.decode()
    assert "60.000 đ" in page and "Không có chênh lệch" in page
    assert "15.000 đ" not in page  # the other agency's collections are out of this leader's scope
    bad = client.get(url, {"tu": "2026-11-02"}).content.decode()
    assert "dd/mm/yyyy" in bad
    download = client.get(url, {"tu": "02/11/2026", "den": "03/11/2026", "xlsx": "1"})
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(download.content))["Tổng hợp thu"]["A5"].value == "02/11/2026"


def test_people_without_a_fee_role_cannot_see_the_report(client):
    from motcua.accounts.tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(reverse("payments:report")).status_code == 403
    assert Receipt.objects.count() == 0
