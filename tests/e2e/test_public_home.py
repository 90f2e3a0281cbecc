"""The public home page at desktop width and on a 360 px phone: the center, the search box, the tiles and the
year's figures (axe-core checks both widths, see conftest)."""

from playwright.sync_api import expect

from motcua.catalog.tests.factories import ProcedureFactory
from motcua.org.tests.factories import CenterFactory


def _center():
    return CenterFactory(
        name="Trung tâm Phục vụ hành chính công tỉnh Thử", address="12 Đường Lê Lợi", phone="0237 3 855 855"
    )


def test_visitor_finds_the_center_searches_and_reads_the_figures_at_desktop_width(page, transactional_db):
    _center()
    ProcedureFactory(code="1.001193", name="Đăng ký khai sinh")
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto("/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Trung tâm Phục vụ hành chính công tỉnh Thử")
    expect(page.get_by_text("12 Đường Lê Lợi")).to_be_visible()
    expect(page.get_by_role("link", name="0237 3 855 855")).to_be_visible()
    for tile in ("Nộp hồ sơ trực tuyến", "Tra cứu hồ sơ", "Thanh toán phí, lệ phí", "Phản ánh, kiến nghị"):
        expect(page.locator(".home-tiles").get_by_role("link", name=tile)).to_be_visible()
    expect(page.locator("[data-figure=on-time]")).to_contain_text("Tỷ lệ đúng hạn")
    expect(page.get_by_text("(Trước hạn + Đúng hạn) / Đã giải quyết × 100%")).to_be_visible()

    page.get_by_label("Tìm thủ tục hành chính").fill("dang ky khai sinh")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page.get_by_role("link", name="Đăng ký khai sinh")).to_be_visible()


def test_the_home_page_fits_a_360_px_phone(page, transactional_db):
    _center()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/")

    expect(page.get_by_label("Tìm thủ tục hành chính")).to_be_visible()
    expect(page.locator(".home-tiles").get_by_role("link", name="Tra cứu hồ sơ")).to_be_visible()
    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    search_box = page.get_by_label("Tìm thủ tục hành chính").bounding_box()
    assert search_box["x"] >= 0 and search_box["x"] + search_box["width"] <= 360
