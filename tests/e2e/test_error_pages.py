"""A specialist is not offered counter intake; opened directly it answers with the house 403 page and its ways
back. An unknown address answers with the house 404 page. (Both are checked by axe-core like every page.)"""

import re

from playwright.sync_api import expect

from motcua.dossiers.tests.factories import ProcedureWithProcessFactory, StaffSet


def test_a_specialist_is_not_offered_intake_and_gets_the_house_pages(page, transactional_db):
    staff = StaffSet(ProcedureWithProcessFactory())
    staff.specialist.set_password("mat-khau-an-toan-1")
    staff.specialist.save()
    page.goto("/dang-nhap/?next=/ho-so/")
    page.get_by_label("Tên đăng nhập").fill(staff.specialist.username)
    page.get_by_label("Mật khẩu").fill("mat-khau-an-toan-1")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Thêm mới")).to_have_count(0)

    response = page.goto("/ho-so/tiep-nhan/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="Bạn không có quyền thực hiện thao tác này")).to_be_visible()
    expect(page.get_by_text("Chỉ cán bộ tiếp nhận mới tiếp nhận hồ sơ.")).to_be_visible()
    page.get_by_role("link", name="Quay lại trang trước").click()
    expect(page).to_have_url(re.compile(r"/ho-so/$"))

    response = page.goto("/khong-co-trang-nay/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Không tìm thấy trang hoặc hồ sơ bạn cần")).to_be_visible()
    page.get_by_role("link", name="Về trang chủ").click()
    expect(page).to_have_url(re.compile(r"//[^/]+/$"))
