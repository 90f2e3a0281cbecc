"""A reception officer receives a dossier and prints form 01; the specialist appraises, the leader approves,
the clerk issues, and the officer returns the result."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from motcua.accounts.tests.factories import UserFactory
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import ProcedureWithProcessFactory, grant

PASSWORD = "mat-khau-an-toan-1"


@pytest.fixture
def office(transactional_db):
    procedure = ProcedureWithProcessFactory(name="Đăng ký khai sinh (thử nghiệm)")
    agency = procedure.resolving_agency
    people = {}
    for username, full_name, role in [
        ("tiepnhan", "Nguyễn Thị Hoa", "reception_officer"),
        ("chuyenvien", "Trần Văn Minh", "specialist"),
        ("lanhdao", "Lê Văn Hùng", "leader"),
        ("vanthu", "Phạm Thị Lan", "clerk"),
    ]:
        people[username] = UserFactory(username=username, full_name=full_name)
        grant(people[username], role, agency)
    return procedure


def log_in(page, username):
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Thoát")).to_be_visible()


def log_out(page):
    page.get_by_role("button", name="Thoát").click()


def advance_from_inbox(page, code, confirm="Xác nhận: Chuyển bước xử lý"):
    page.goto("/ho-so/")
    page.get_by_role("link", name=code).click()
    page.get_by_role("button", name=confirm).click()
    expect(page.get_by_text("Đã thực hiện")).to_be_visible()


def test_dossier_goes_from_the_counter_through_the_agency_and_back(page, office):
    log_in(page, "tiepnhan")
    page.get_by_role("link", name="Tiếp nhận hồ sơ").first.click()
    page.get_by_label("Tên hoặc mã thủ tục").fill("khai sinh")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.get_by_role("link", name="Đăng ký khai sinh (thử nghiệm)", exact=False).click()
    page.get_by_label("CCCD/CMND/Hộ chiếu hoặc Mã số thuế").fill("027190000555")
    page.get_by_label("Họ và tên / Tên tổ chức").fill("Ngô Thị Bích Ngọc")
    page.get_by_label("Số điện thoại", exact=True).fill("0912345678")
    page.get_by_label("Địa chỉ").fill("Thôn Bùi Xá, xã Đại Bái")
    page.get_by_role("button", name="Lưu hồ sơ").click()

    dossier = Dossier.objects.get()
    expect(page.get_by_role("heading", name=f"Hồ sơ {dossier.code}")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("Được tiếp nhận")

    # Print form 01: the link opens the PDF; fetch it with the officer's session and read it back.
    link = page.get_by_role("link", name="In phiếu tiếp nhận")
    pdf = page.request.get(link.get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(pdf.body())).pages[0].extract_text().split())
    assert dossier.code in text and "Ngô Thị Bích Ngọc" in text

    page.get_by_role("button", name="Xác nhận: Chuyển bước xử lý").click()
    expect(page.get_by_test_id("status")).to_have_text("Đang xử lý")
    log_out(page)

    for username in ("chuyenvien", "lanhdao", "vanthu"):
        log_in(page, username)
        advance_from_inbox(page, dossier.code)
        log_out(page)

    log_in(page, "tiepnhan")
    page.goto("/ho-so/?box=result_ready")
    page.get_by_role("link", name=dossier.code).click()
    expect(page.get_by_test_id("status")).to_have_text("Đã xử lý xong")
    page.get_by_role("button", name="Xác nhận: Trả kết quả").click()
    expect(page.get_by_test_id("status")).to_have_text("Đã trả kết quả")
    expect(page.get_by_role("row").last).to_contain_text("Nguyễn Thị Hoa")
    expect(page.get_by_role("row").last).to_contain_text("Trả kết quả")
    dossier.refresh_from_db()
    assert dossier.status == 10
    assert [e.actor.username for e in dossier.events.order_by("at", "id")] == [
        "tiepnhan",
        "tiepnhan",
        "chuyenvien",
        "lanhdao",
        "vanthu",
        "tiepnhan",
    ]
