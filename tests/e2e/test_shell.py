import re

from playwright.sync_api import expect

from motcua.accounts.tests.factories import UserFactory


def test_staff_member_logs_in_and_out_in_vietnamese(page, transactional_db):
    UserFactory(username="canbo", full_name="Nguyễn Thị Hoa", password="mat-khau-an-toan-1")

    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("canbo")
    page.get_by_label("Mật khẩu").fill("mat-khau-an-toan-1")
    page.get_by_role("button", name="Đăng nhập").click()

    expect(page.get_by_text("Xin chào Nguyễn Thị Hoa")).to_be_visible()
    page.get_by_role("button", name="Thoát").click()
    expect(page.get_by_role("link", name="Đăng nhập", exact=True)).to_be_visible()
    assert re.search(r"/$", page.url)
