from playwright.sync_api import expect

from motcua.accounts.tests.factories import UserFactory
from motcua.workdays.tests.factories import CalendarOverrideFactory


def test_staff_member_browses_the_years_working_calendar(page, transactional_db):
    UserFactory(username="canbo", full_name="Nguyễn Thị Hoa", password="mat-khau-an-toan-1")
    CalendarOverrideFactory(name="Nghỉ thêm sau Tết Dương lịch")  # 02/01/2025

    page.goto("/lich-lam-viec/?nam=2026")
    page.get_by_label("Tên đăng nhập").fill("canbo")
    page.get_by_label("Mật khẩu").fill("mat-khau-an-toan-1")
    page.get_by_role("button", name="Đăng nhập").click()

    expect(page.get_by_role("heading", name="Lịch làm việc năm 2026")).to_be_visible()
    saturday = page.locator('td[data-date="22/08/2026"]')
    expect(saturday).to_have_class("day-swapped_working_day")
    expect(saturday).to_have_attribute(
        "title", "22/08/2026 — Làm việc bù (hoán đổi): Làm việc bù cho ngày nghỉ 31/08/2026"
    )
    expect(page.get_by_role("cell", name="Ngày Giỗ Tổ Hùng Vương (nghỉ bù)")).to_be_visible()

    page.get_by_role("link", name="« Năm trước").click()
    expect(page.get_by_role("heading", name="Lịch làm việc năm 2025")).to_be_visible()
    expect(page.locator('td[data-date="02/01/2025"]')).to_have_class("day-override_day_off")
    expect(page.get_by_role("cell", name="Nghỉ thêm sau Tết Dương lịch")).to_be_visible()

    page.get_by_label("Năm", exact=True).fill("2024")
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_role("heading", name="Lịch làm việc năm 2024")).to_be_visible()
    expect(page.locator('td[data-date="04/05/2024"]')).to_have_class("day-swapped_working_day")

    # A year typed into the address bar outside the calendar gets a clear message.
    page.goto("/lich-lam-viec/?nam=2099")
    expect(page.get_by_role("alert")).to_contain_text("Năm 2099 nằm ngoài lịch làm việc")


def test_administrator_adds_an_extra_day_off_and_due_dates_follow(page, transactional_db):
    UserFactory(
        username="quantri",
        full_name="Trần Văn Quản",
        password="mat-khau-an-toan-1",
        is_staff=True,
        is_superuser=True,
    )

    page.goto("/lich-lam-viec/?nam=2025")
    page.get_by_label("Tên đăng nhập").fill("quantri")
    page.get_by_label("Mật khẩu").fill("mat-khau-an-toan-1")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator('td[data-date="02/01/2025"]')).to_have_class("day-working")

    page.get_by_role("link", name="Thêm điều chỉnh lịch").click()
    page.locator("#id_date").fill("02/01/2025")
    page.locator("#id_kind").select_option("day_off")
    page.locator("#id_name").fill("Nghỉ thêm sau Tết Dương lịch")
    page.locator("#id_legal_reference").fill("Quyết định số 01/QĐ-UBND ngày 20/12/2024")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("Nghỉ thêm sau Tết Dương lịch")

    page.goto("/lich-lam-viec/?nam=2025")
    expect(page.locator('td[data-date="02/01/2025"]')).to_have_class("day-override_day_off")
    expect(page.get_by_role("cell", name="Quyết định số 01/QĐ-UBND ngày 20/12/2024")).to_be_visible()

    from motcua.workdays.services import get_calendar

    assert (
        get_calendar().add("2024-12-31 10:00", 1, "working_days").isoformat() == "2025-01-03T10:00:00+07:00"
    )
