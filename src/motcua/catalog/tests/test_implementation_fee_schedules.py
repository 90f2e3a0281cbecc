"""An implementing agency's own fee schedule as data: the Excel sheet "Phí, lệ phí riêng" (round trip, and a bad
row refused with a Vietnamese message while nothing is imported), the admin, the API and the public page."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook

from motcua.catalog.models import Fee, ProcedureImplementation
from motcua.catalog.spreadsheet import FEES_SHEET, IMPLEMENTATION_FEES_SHEET, export_catalog, import_catalog
from motcua.dossiers.tests.two_tier import TwoTierProvince

from .factories import FeeFactory

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def land():
    with time_machine.travel(datetime.datetime(2026, 2, 10, 9, 30, tzinfo=HCM), tick=False):
        land = TwoTierProvince()
        FeeFactory(procedure=land.procedure, position=1, description="Lệ phí chung", amount=8_000)
        land.own = ProcedureImplementation.objects.get(procedure=land.procedure, agency=land.b)
        FeeFactory(
            procedure=land.procedure,
            implementation=land.own,
            position=1,
            description="Lệ phí riêng của xã Bình",
            amount=5_000,
            online_amount=2_000,
        )
        yield land


def schedule(land):
    return sorted(
        (f.implementation.agency.identity_code if f.implementation_id else "", f.description, f.amount)
        for f in Fee.objects.filter(procedure=land.procedure).select_related("implementation__agency")
    )


def with_rows(content: bytes, rows) -> io.BytesIO:
    book = load_workbook(io.BytesIO(content))
    for row in rows:
        book[IMPLEMENTATION_FEES_SHEET].append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def test_the_own_schedules_have_their_own_sheet_and_round_trip(land):
    content = export_catalog()
    book = load_workbook(io.BytesIO(content))
    own_rows = [r for r in book[IMPLEMENTATION_FEES_SHEET].iter_rows(min_row=2, values_only=True)]
    assert [(r[0], r[1], r[2], r[5], r[6]) for r in own_rows] == [
        ("1.001193", land.b.identity_code, "01/07/2025", "Lệ phí riêng của xã Bình", 5000)
    ]
    assert [r[3] for r in book[FEES_SHEET].iter_rows(min_row=2, values_only=True)] == ["Lệ phí chung"]
    before = schedule(land)
    Fee.objects.filter(implementation__isnull=False).delete()
    report = import_catalog(io.BytesIO(content))
    assert report.ok, report.summary()
    assert schedule(land) == before
    again = import_catalog(io.BytesIO(export_catalog()))
    assert again.ok and again.unchanged == again.counts()["unchanged"] and schedule(land) == before


def test_an_own_schedule_row_for_another_agency_gives_it_that_schedule(land):
    content = with_rows(
        export_catalog(), [["1.001193", land.a.identity_code, None, 1, "Lệ phí", "Lệ phí riêng xã An", 1000]]
    )
    report = import_catalog(content)
    assert report.ok, report.summary()
    assert ("T0101" not in str(schedule(land))) and (
        land.a.identity_code,
        "Lệ phí riêng xã An",
        1000,
    ) in schedule(land)


def test_bad_own_fee_rows_are_reported_each_in_vietnamese_and_nothing_is_imported(land):
    before = schedule(land)
    content = with_rows(
        export_catalog(),
        [
            ["1.001193", land.a.identity_code, None, None, "Lệ phí", "Đúng", 1000],  # good, but not imported
            ["1.001193", land.b.identity_code, "01/07/2025", None, "Lệ phí", "Âm", -5],
            ["1.001193", land.c.identity_code, "01/01/2024", None, "Lệ phí", "Không có dòng thực hiện", 1000],
            ["9.999999", land.b.identity_code, None, None, "Lệ phí", "Thủ tục lạ", 1000],
            ["1.001193", land.b.identity_code, "01/07/2025", None, "Thuế", "Loại lạ", 1000],
            [
                "1.001193",
                land.b.identity_code,
                "01/07/2025",
                None,
                "Lệ phí",
                "Trực tuyến đắt hơn",
                1000,
                None,
                None,
                2000,
            ],
            ["1.001193", "000.99.99.X99", None, None, "Lệ phí", "Cơ quan lạ", 1000],
        ],
    )
    report = import_catalog(content)
    assert not report.ok
    errors = [e for e in report.errors if e.sheet == IMPLEMENTATION_FEES_SHEET]
    assert [e.row for e in errors] == [4, 5, 6, 7, 8, 9]
    text = [str(e) for e in errors]
    assert "Mức thu (đồng): phải là số nguyên không âm." in text[0]
    assert "không thực hiện thủ tục 1.001193 từ ngày 01/01/2024" in text[1]
    assert "Mã thủ tục 9.999999 không có trong danh mục." in text[2]
    assert "giá trị “Thuế” không hợp lệ" in text[3]
    assert "Mức thu trực tuyến không được cao hơn mức thu chung." in text[4]
    assert "không tìm thấy cơ quan" in text[5]
    assert all(t.startswith(f"Trang “{IMPLEMENTATION_FEES_SHEET}”, dòng ") for t in text)
    assert schedule(land) == before


def test_the_api_gives_each_agency_its_own_schedule_or_null(client, land):
    with time_machine.travel(datetime.datetime(2026, 2, 10, 9, 30, tzinfo=HCM), tick=False):
        data = client.get("/api/v1/procedures/1.001193").json()
    assert [f["description"] for f in data["fees"]] == ["Lệ phí chung"]
    own = {a["code"]: a["own_fees"] for a in data["agencies"]}
    assert own[land.a.identity_code] is None
    assert [(f["description"], f["amount"], f["online_amount"]) for f in own[land.b.identity_code]] == [
        ("Lệ phí riêng của xã Bình", 5000, 2000)
    ]


def test_the_public_page_shows_the_own_schedule_next_to_its_agency(client, land):
    with time_machine.travel(datetime.datetime(2026, 2, 10, 9, 30, tzinfo=HCM), tick=False):
        page = client.get("/thu-tuc/1.001193/").content.decode()
    b_item = page[page.index(land.b.name) :]
    b_item = b_item[: b_item.index("</li>")]
    assert "Lệ phí riêng của xã Bình" in b_item and "5.000" in b_item
    a_item = page[page.index(land.a.name) :]
    assert "Lệ phí riêng" not in a_item[: a_item.index("</li>")]


def test_the_admin_edits_an_agencys_own_schedule_on_its_implementation(client, land):
    client.force_login(land.superuser)
    url = f"/admin/catalog/procedureimplementation/{land.own.pk}/change/"
    page = client.get(url).content.decode()
    assert "Lệ phí riêng của xã Bình" in page
    own_fee = land.own.fees.get()
    data = {
        "procedure": land.procedure.pk,
        "agency": land.b.pk,
        "level": "commune",
        "valid_from": "01/07/2025",
        "fees-TOTAL_FORMS": "2",
        "fees-INITIAL_FORMS": "1",
        "fees-MIN_NUM_FORMS": "0",
        "fees-MAX_NUM_FORMS": "1000",
        "fees-0-id": own_fee.pk,
        "fees-0-implementation": land.own.pk,
        "fees-0-position": "1",
        "fees-0-kind": "admin_charge",
        "fees-0-description": "Lệ phí riêng của xã Bình",
        "fees-0-amount": "6000",
        "fees-0-basis": "fixed",
        "fees-1-implementation": land.own.pk,
        "fees-1-position": "2",
        "fees-1-kind": "service_fee",
        "fees-1-description": "Phí sao riêng",
        "fees-1-amount": "1000",
        "fees-1-basis": "per_copy",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert [(f.description, f.amount, f.procedure_id) for f in land.own.fees.order_by("position")] == [
        ("Lệ phí riêng của xã Bình", 6000, land.procedure.pk),
        ("Phí sao riêng", 1000, land.procedure.pk),
    ]
    procedure_page = client.get(f"/admin/catalog/procedure/{land.procedure.pk}/change/").content.decode()
    assert "Phí sao riêng" not in procedure_page  # the procedure's inline shows its own schedule only
