"""A citizen registers, submits a household-business registration online with uploads, is asked for a supplement,
supplements, the dossier is received and resolved, the citizen downloads the result and evaluates the service."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from motcua.catalog.tests.factories import ProcedureFormFieldFactory
from motcua.citizens.tests.factories import PDF, online_procedure
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import StaffSet
from motcua.feedback.models import Evaluation

STAFF_PASSWORD = "mat-khau-an-toan-1"


@pytest.fixture
def household_business(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_OUTBOX_DIR = tmp_path / "outbox"
    procedure = online_procedure(
        "full", documents=("Giấy đề nghị đăng ký hộ kinh doanh", "Bản sao CCCD của chủ hộ")
    )
    ProcedureFormFieldFactory(
        procedure=procedure, key="ten_ho_kinh_doanh", label="Tên hộ kinh doanh", is_required=True
    )
    ProcedureFormFieldFactory(
        procedure=procedure,
        key="ngay_bat_dau",
        label="Ngày bắt đầu kinh doanh",
        kind="date",
        is_required=True,
    )
    staff = StaffSet(procedure)
    staff.officer.username = "tiepnhan.e2e"
    staff.officer.save()
    return procedure, staff


def pdf_file(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(PDF)
    return str(path)


def staff_login(browser, live_server, username):
    context = browser.new_context(locale="vi-VN", base_url=live_server.url, timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(10_000)
    officer = context.new_page()
    officer.goto("/dang-nhap/")
    officer.get_by_label("Tên đăng nhập").fill(username)
    officer.get_by_label("Mật khẩu").fill(STAFF_PASSWORD)
    officer.get_by_role("button", name="Đăng nhập").click()
    return officer


def test_citizen_submits_online_supplements_downloads_the_result_and_evaluates(
    page, browser, live_server, household_business, tmp_path
):
    procedure, staff = household_business

    # 1. register
    page.goto("/cong-dan/dang-ky/")
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Hoa")
    page.get_by_label("Số CCCD / CMND / hộ chiếu").fill("027190000123")
    page.get_by_label("Số điện thoại").fill("0912345678")
    page.get_by_label("Thư điện tử").fill("hoa@example.vn")
    page.get_by_label("Tôi đã có tài khoản Cổng Dịch vụ công quốc gia").check()
    page.locator("#id_password").fill("Hoa-mat-khau-2026")
    page.get_by_label("Nhập lại mật khẩu").fill("Hoa-mat-khau-2026")
    expect(page.get_by_role("heading", name="Thông báo xử lý dữ liệu cá nhân")).to_be_visible()
    page.get_by_label("Tôi đã đọc Thông báo xử lý dữ liệu cá nhân").check()
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.get_by_role("heading", name="Quản lý hồ sơ cá nhân")).to_be_visible()

    # 2. find the procedure and start; save a draft with one file, come back later, submit
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    page.get_by_label("Tìm thủ tục").fill("ho kinh doanh")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.get_by_role("button", name="Nộp trực tuyến: Đăng ký thành lập hộ kinh doanh").click()
    page.get_by_label("Nội dung yêu cầu giải quyết").fill("Mở cửa hàng tạp hóa tại xã Đại Bái")
    # the procedure's own form (fields from the catalog): a wrong date is refused with a clear message
    page.get_by_label("Tên hộ kinh doanh").fill("Hộ kinh doanh Tạp hóa Đại Bái")
    page.get_by_label("Ngày bắt đầu kinh doanh").fill("31/02/2026")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_text("“Ngày bắt đầu kinh doanh”: ngày không hợp lệ")).to_be_visible()
    page.get_by_label("Ngày bắt đầu kinh doanh").fill("02/03/2026")
    page.get_by_label("Tệp cho: Giấy đề nghị đăng ký hộ kinh doanh").set_input_files(
        pdf_file(tmp_path, "giay-de-nghi.pdf")
    )
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_text("Đã lưu nháp")).to_be_visible()
    page.goto("/cong-dan/")
    page.get_by_role("link", name="Đăng ký thành lập hộ kinh doanh").click()
    expect(page.get_by_text("giay-de-nghi.pdf")).to_be_visible()
    page.get_by_label("Tệp cho: Bản sao CCCD của chủ hộ").set_input_files(pdf_file(tmp_path, "cccd.pdf"))
    page.get_by_label("Tôi đã đọc Thông báo xử lý dữ liệu cá nhân").check()
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.get_by_role("heading", name="Đăng ký hồ sơ thành công")).to_be_visible()
    dossier = Dossier.objects.get()
    assert dossier.status == 1

    # 3. the reception officer asks for a supplement
    officer = staff_login(browser, live_server, "tiepnhan.e2e")
    officer.goto("/mot-cua/truc-tuyen/")
    officer.get_by_role("link", name="Xem chi tiết").click()
    expect(officer.get_by_test_id("form-answers")).to_contain_text("Hộ kinh doanh Tạp hóa Đại Bái")
    expect(officer.get_by_test_id("form-answers")).to_contain_text("02/03/2026")
    officer.get_by_label("Giấy tờ cần bổ sung, hoàn thiện (mỗi dòng một giấy tờ)").fill(
        "Bản sao CCCD có chứng thực"
    )
    officer.get_by_role("button", name="Gửi yêu cầu bổ sung").click()
    expect(officer.get_by_text("Đã gửi yêu cầu bổ sung cho công dân.")).to_be_visible()

    # 4. the citizen supplements online
    page.get_by_role("link", name="Xem hồ sơ").click()
    expect(page.locator("#dossier-status")).to_have_text("Yêu cầu bổ sung giấy tờ")
    page.get_by_label("Bản sao CCCD có chứng thực").set_input_files(pdf_file(tmp_path, "cccd-chung-thuc.pdf"))
    page.get_by_role("button", name="Gửi bổ sung").click()
    expect(page.get_by_text("Đã gửi giấy tờ bổ sung")).to_be_visible()
    expect(page.locator("#dossier-status")).to_have_text("Mới đăng ký")

    # 5. received at the counter, then resolved through the process
    officer.reload()
    officer.get_by_role("button", name="Tiếp nhận", exact=True).click()
    expect(officer.get_by_text("Đã tiếp nhận hồ sơ, mã hồ sơ")).to_be_visible()
    dossier.refresh_from_db()
    assert dossier.status == 2 and dossier.code
    while dossier.state != "result_ready":
        dossier = dossier_services.advance(
            dossier, staff.for_role(dossier.current_step.role), note="Đủ điều kiện"
        )

    # 6. the result is delivered online and the citizen downloads it
    officer.reload()
    officer.get_by_label("Tệp kết quả đã ký số (PDF)").set_input_files(
        pdf_file(tmp_path, "giay-chung-nhan.pdf")
    )
    officer.get_by_role("button", name="Trả kết quả").click()
    expect(officer.get_by_text("Đã trả kết quả trực tuyến cho công dân.")).to_be_visible()
    page.reload()
    expect(page.locator("#dossier-status")).to_have_text("Đã trả kết quả")
    expect(page.locator("#dossier-code")).to_have_text(dossier.code)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải kết quả (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"ket-qua-{dossier.code}.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF-")

    # 7. the citizen evaluates the service
    page.get_by_role("link", name="Đánh giá hài lòng").click()
    for number in range(1, 7):  # 7-9 come from the records, the citizen is not asked them
        page.locator(f'input[name="indicator_{number}"][value="2"]').check()
    assert page.locator('input[name="indicator_7"]').count() == 0
    page.get_by_label("Rất hài lòng").check()
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_role("heading", name="Cảm ơn ông/bà đã đánh giá.")).to_be_visible()
    evaluation = Evaluation.objects.get(dossier=dossier)
    from_records = evaluation.indicator_7 + evaluation.indicator_8 + evaluation.indicator_9
    assert evaluation.total_points == 12 + from_records and evaluation.channel == "portal"
