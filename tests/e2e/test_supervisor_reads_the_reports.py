"""A supervisor opens the statistics, picks a period, reads the figures and downloads Biểu 06 and the indicators
as Excel files, which open with openpyxl and hold the numbers shown on the page."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from motcua.accounts.tests.factories import UserFactory
from motcua.catalog.tests.factories import FieldFactory
from motcua.dossiers.tests.factories import grant
from motcua.org.tests.factories import AdminLevelFactory, AdminUnitFactory
from motcua.reports.tests.factories import (
    DistrictAgencyFactory,
    History,
    ProcedureWithProcessFactory,
    SuperuserFactory,
    at,
)

PASSWORD = "mat-khau-an-toan-1"


@pytest.fixture
def november(transactional_db):
    """Phòng X: four dossiers received in November 2022 (one online), three resolved (one late), one open; one
    dossier received in October and one in December are outside the period."""
    district = AdminUnitFactory(code="99263", name="Huyện Thử", level=AdminLevelFactory(code="district"))
    x = DistrictAgencyFactory(name="Phòng X", unit=district)
    procedure = ProcedureWithProcessFactory(
        resolving_agency=x, field=FieldFactory(name="Hộ tịch", code="ht-e2e")
    )
    actor = SuperuserFactory()
    History(procedure, actor, at(2022, 11, 1, 9)).resolve(at(2022, 11, 2, 9))  # early
    History(procedure, actor, at(2022, 11, 2, 14)).resolve(at(2022, 11, 7, 16))  # on time (due 07/11 14:00)
    History(procedure, actor, at(2022, 11, 8, 9), channel="online").resolve(at(2022, 11, 21, 9))  # late
    History(procedure, actor, at(2022, 11, 29, 9))  # in progress within the deadline
    History(procedure, actor, at(2022, 10, 3, 9)).resolve(at(2022, 10, 4, 9))
    History(procedure, actor, at(2022, 12, 5, 9))
    supervisor = UserFactory(username="giamsat", full_name="Trần Văn Giám Sát")
    grant(supervisor, "supervisor", x)
    return supervisor


def test_a_supervisor_reads_the_report_of_a_period_and_downloads_the_excel(page, november):
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(november.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    page.goto("/thong-ke/")
    page.get_by_label("Từ ngày").fill("2022-11-01")
    page.get_by_label("Đến ngày").fill("2022-11-30")
    page.get_by_label("Thống kê theo").select_option(label="Cơ quan giải quyết")
    page.get_by_role("button", name="Xem báo cáo").click()

    table = page.locator("#bieu-06")
    row = table.locator("tbody tr", has_text="Phòng X")
    expect(row).to_be_visible()
    # received 4 (new 4, online 1, direct 3); resolved 3 (early 1, on time 1, late 1); in progress 1 (within).
    cells = row.locator("td")
    expect(cells.nth(1)).to_have_text("4")
    expect(cells.nth(4)).to_have_text("1")
    expect(cells.nth(6)).to_have_text("3")
    expect(cells.nth(9)).to_have_text("1")
    expect(page.get_by_text("66,7%").first).to_be_visible()  # (1 + 1) / 3 resolved

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải Excel").click()
    download = download_info.value
    assert download.suggested_filename == "bieu-06_20221101-20221130.xlsx"
    sheet = load_workbook(io.BytesIO(download.path().read_bytes())).active
    data = [r for r in sheet.iter_rows(min_row=9, values_only=True) if r[1] == "Phòng X"]
    assert len(data) == 1
    # STT, label, received total, carried over, new, online, direct/postal, resolved total, early, on time, late
    assert data[0][2:11] == (4, 0, 4, 1, 3, 3, 1, 1, 1)

    page.get_by_role(
        "link", name="Chỉ tiêu khác: trực tuyến, “5 tại chỗ”, phí, hài lòng, số hóa, chỉ số Quyết định 766"
    ).click()
    expect(page.get_by_role("heading", name="Chỉ tiêu giải quyết thủ tục hành chính")).to_be_visible()
    expect(page.locator("#ket-qua")).to_contain_text("66,7%")
    expect(page.locator("#phi-le-phi")).to_contain_text("Phí + Lệ phí")
    expect(page.locator("#chi-so-766")).to_contain_text("Phòng X")
    expect(page.locator("svg.chart").first).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải Excel").click()
    book = load_workbook(io.BytesIO(download_info.value.path().read_bytes()))
    values = {r[1]: r[2] for r in book["Chỉ tiêu"].iter_rows(min_row=5, values_only=True)}
    assert values["Tổng số hồ sơ tiếp nhận (kể cả kỳ trước chuyển qua)"] == 4
    assert values["Tỷ lệ giải quyết trước hạn và đúng hạn trên số đã giải quyết"] == 66.7
