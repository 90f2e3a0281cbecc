"""The demo after 01/07/2025: a reception officer of xã Nhân Thắng receives a birth registration (1.001193) at the
commune's service point, the receipt names the commune, the commune's staff resolve it and the officer returns the
result; a province supervisor opens Biểu 06 for 2026 and sees the 5 new communes of former Gia Bình."""

import datetime
import io
import re

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from motcua.backoffice import demo_two_tier
from motcua.catalog import demo as catalog_demo
from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier
from motcua.org import demo as org_demo

COMMUNES = ["Xã Gia Bình", "Xã Nhân Thắng", "Xã Đại Lai", "Xã Cao Đức", "Xã Đông Cứu"]


@pytest.fixture
def two_tier_demo(transactional_db):
    if timezone.localdate() < demo_two_tier.EFFECTIVE:
        pytest.skip("the two-tier demo starts on 01/07/2025")
    org_demo.load()
    catalog_demo.load()
    demo_two_tier.load()


def log_in(page, username):
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(org_demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Thoát")).to_be_visible()


def log_out(page):
    page.get_by_role("button", name="Thoát").click()


def test_a_commune_officer_receives_a_birth_registration_and_the_supervisor_sees_the_5_communes(
    page, two_tier_demo, tmp_path
):
    before = set(Dossier.objects.values_list("pk", flat=True))
    log_in(page, "tiepnhan.nhanthang")
    page.get_by_role("link", name="Tiếp nhận hồ sơ").first.click()
    page.get_by_label("Tên hoặc mã thủ tục").fill("1.001193")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.get_by_role("link", name="Đăng ký khai sinh", exact=False).first.click()
    page.get_by_label("CCCD/CMND/Hộ chiếu hoặc Mã số thuế").fill("027190000556")
    page.get_by_label("Họ và tên / Tên tổ chức").fill("Ngô Thị Bích Ngọc")
    page.get_by_label("Số điện thoại", exact=True).fill("0912345679")
    page.get_by_label("Địa chỉ").fill("Thôn Ngăm Lương, xã Nhân Thắng, tỉnh Bắc Ninh")
    scan = tmp_path / "to-khai.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (200, 280), "white").save(buffer, format="JPEG")
    scan.write_bytes(buffer.getvalue())
    for document in Procedure.objects.get(code="1.001193").documents.all():
        page.locator(f"#id_doc_{document.pk}_scan").set_input_files(str(scan))
    page.get_by_role("button", name="Lưu hồ sơ").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Hồ sơ 000\.71\.99\.H06-"))).to_be_visible()

    dossier = Dossier.objects.exclude(pk__in=before).get()
    assert dossier.procedure_code == "1.001193" and dossier.regime == "2025"
    assert dossier.agency.identity_code == dossier.resolving_agency.identity_code == "000.71.99.H06"
    assert dossier.code.startswith("000.71.99.H06-")
    expect(page.get_by_role("heading", name=f"Hồ sơ {dossier.code}")).to_be_visible()

    # The receipt (form 01) names the commune that received it.
    link = page.get_by_role("link", name="In phiếu tiếp nhận")
    pdf = page.request.get(link.get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(pdf.body())).pages[0].extract_text().split())
    assert dossier.code in text and "Ngô Thị Bích Ngọc" in text
    assert "NHÂN THẮNG" in text.upper() and "TRUNG TÂM HÀNH CHÍNH CÔNG HUYỆN" not in text.upper()

    page.get_by_role("button", name="Xác nhận: Chuyển bước xử lý").click()
    expect(page.get_by_test_id("status")).to_have_text("Đang xử lý")
    log_out(page)
    for username in ("chuyenvien.nhanthang", "lanhdao.nhanthang", "vanthu.nhanthang"):
        log_in(page, username)
        page.goto("/ho-so/")
        page.get_by_role("link", name=dossier.code).click()
        page.get_by_role("button", name="Xác nhận: Chuyển bước xử lý").click()
        expect(page.get_by_text("Đã thực hiện")).to_be_visible()
        log_out(page)
    log_in(page, "tiepnhan.nhanthang")
    page.goto("/ho-so/?box=result_ready")
    page.get_by_role("link", name=dossier.code).click()
    page.get_by_role("button", name="Xác nhận: Trả kết quả").click()
    expect(page.get_by_test_id("status")).to_have_text("Đã trả kết quả")
    log_out(page)

    log_in(page, demo_two_tier.SUPERVISOR)
    today = timezone.localdate()
    page.goto("/thong-ke/")
    page.get_by_label("Từ ngày").fill(datetime.date(today.year, 1, 1).isoformat())
    page.get_by_label("Đến ngày").fill(today.isoformat())
    page.get_by_label("Thống kê theo").select_option(label="Cơ quan giải quyết")
    page.get_by_role("button", name="Xem báo cáo").click()
    table = page.locator("#bieu-06")
    for name in COMMUNES:
        expect(
            table.locator("tbody tr", has_text="Ủy ban nhân dân " + name[0].lower() + name[1:])
        ).to_be_visible()
    expect(table.locator("tbody tr", has_text="Trung tâm Hành chính công huyện")).to_have_count(0)
