"""Each demo account logs in through the browser and lands on its own role's home page."""

import pytest
from playwright.sync_api import expect

from motcua.org import demo

HOMES = [
    ("tiepnhan", "Nguyễn Thị Hoa (demo)", "Cán bộ tiếp nhận"),
    ("chuyenvien.tp", "Trần Văn Minh (demo)", "Chuyên viên"),
    ("lanhdao.tp", "Lê Văn Hùng (demo)", "Lãnh đạo"),
    ("vanthu", "Phạm Thị Lan (demo)", "Văn thư"),
    ("giamdoc", "Hoàng Văn Nam (demo)", "Giám đốc trung tâm, giám sát"),
    ("admin", "Vũ Thị Quản Trị (demo)", "Quản trị hệ thống"),
]


@pytest.fixture
def demo_center(transactional_db):
    demo.load()


def test_every_demo_role_logs_in_and_sees_its_own_home(page, demo_center):
    for username, full_name, role in HOMES:
        page.goto("/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(demo.DEMO_PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()

        expect(page.get_by_text(f"Xin chào {full_name}")).to_be_visible()
        expect(page.get_by_role("heading", name=role, exact=True, level=2)).to_be_visible()
        expect(page.get_by_role("link", name="Cơ quan trong phạm vi công tác")).to_be_visible()
        audit_link = page.get_by_role("link", name="Nhật ký thay đổi")
        if username in {"giamdoc", "admin"}:
            expect(audit_link).to_be_visible()
        else:
            expect(audit_link).to_have_count(0)
        page.get_by_role("button", name="Thoát").click()
        expect(page.get_by_role("link", name="Cán bộ đăng nhập")).to_be_visible()


def test_specialist_opens_their_agency_but_not_another(page, demo_center):
    from motcua.org.models import Agency

    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("chuyenvien.tp")
    page.get_by_label("Mật khẩu").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("link", name="Cơ quan trong phạm vi công tác").click()
    page.get_by_role("link", name="Phòng Tư pháp").click()
    expect(page.get_by_role("heading", name="Phòng Tư pháp", level=1)).to_be_visible()

    other = Agency.objects.get(short_name="TNMT")
    response = page.goto(f"/co-quan/{other.pk}/")
    assert response.status == 404


def test_phone_sized_screen_shows_the_home_without_sideways_scrolling(browser, live_server, demo_center):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, locale="vi-VN"
    )
    page = context.new_page()
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("tiepnhan")
    page.get_by_label("Mật khẩu").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Cán bộ tiếp nhận", exact=True)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.get_by_role("button", name="Tăng tương phản").click()
    assert page.evaluate("document.documentElement.classList.contains('high-contrast')")
    context.close()


COMMUNE_HOMES = [
    ("tiepnhan.nhanthang", "Nguyễn Thị Tiếp Nhận – Xã Nhân Thắng (demo)", "Cán bộ tiếp nhận"),
    ("chuyenvien.nhanthang", "Trần Văn Chuyên Viên – Xã Nhân Thắng (demo)", "Chuyên viên"),
    ("lanhdao.caoduc", "Lê Văn Lãnh Đạo – Xã Cao Đức (demo)", "Lãnh đạo"),
    ("giamsat.tinh", "Đinh Thị Giám Sát – tỉnh Bắc Ninh (demo)", "Giám đốc trung tâm, giám sát"),
]


@pytest.fixture
def demo_after_july_2025(transactional_db):
    from django.utils import timezone

    from motcua.backoffice import demo_two_tier
    from motcua.catalog import demo as catalog_demo

    if timezone.localdate() < demo_two_tier.EFFECTIVE:
        pytest.skip("the two-tier demo starts on 01/07/2025")
    demo.load()
    catalog_demo.load()
    demo_two_tier.load(receive_today=False)


def test_the_commune_staff_of_the_two_tier_demo_log_in_to_their_own_home(page, demo_after_july_2025):
    for username, full_name, role in COMMUNE_HOMES:
        page.goto("/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(demo.DEMO_PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page.get_by_text(f"Xin chào {full_name}")).to_be_visible()
        expect(page.get_by_role("heading", name=role, exact=True, level=2)).to_be_visible()
        page.get_by_role("button", name="Thoát").click()
        expect(page.get_by_role("link", name="Cán bộ đăng nhập")).to_be_visible()
