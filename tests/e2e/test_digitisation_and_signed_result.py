"""An officer scans two components into a dossier at intake; the clerk issues the signed result; the citizen
later sees it in their electronic data store, downloads it, and the check page says it is intact and names the
agency whose certificate signed it."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from motcua.catalog.tests.factories import RequiredDocumentFactory
from motcua.citizens.tests.factories import CitizenProfileFactory
from motcua.documents import services, signing
from motcua.documents.models import Document
from motcua.documents.tests.factories import pdf_bytes
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import ProcedureWithProcessFactory, StaffSet

PASSWORD = "mat-khau-an-toan-1"


@pytest.fixture
def counter(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_SIGNING_DIR = str(tmp_path / "signing")
    signing.create_demo_ca()
    procedure = ProcedureWithProcessFactory(
        name="Đăng ký thành lập hộ kinh doanh", result_type="Giấy chứng nhận đăng ký hộ kinh doanh"
    )
    first = RequiredDocumentFactory(
        procedure=procedure, name="Giấy đề nghị đăng ký hộ kinh doanh", position=1
    )
    second = RequiredDocumentFactory(procedure=procedure, name="Bản sao CCCD của chủ hộ", position=2)
    staff = StaffSet(procedure)
    signing.issue_demo_certificate(procedure.resolving_agency)  # the resolving agency signs with its own
    citizen = CitizenProfileFactory()
    return procedure, staff, citizen, (first, second)


def login(browser, live_server, path, username):
    context = browser.new_context(locale="vi-VN", base_url=live_server.url, timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(path)
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    return page


def test_officer_scans_two_components_and_the_citizen_downloads_the_signed_result(
    browser, live_server, counter, tmp_path
):
    procedure, staff, citizen, (first, second) = counter
    pages = []
    for n in (1, 2):
        path = tmp_path / f"trang-{n}.jpg"
        buffer = io.BytesIO()
        Image.new("RGB", (200, 280), "white").save(buffer, format="JPEG")
        path.write_bytes(buffer.getvalue())
        pages.append(str(path))
    idcard = tmp_path / "cccd.pdf"
    idcard.write_bytes(pdf_bytes("CCCD"))

    # 1. the reception officer receives the dossier and scans both components (two pages into one PDF)
    officer = login(browser, live_server, "/dang-nhap/", staff.officer.username)
    officer.goto(f"/ho-so/tiep-nhan/?procedure={procedure.code}")
    applicant = citizen.applicant
    officer.get_by_label("CCCD/CMND/Hộ chiếu hoặc Mã số thuế").fill(applicant.id_number)
    officer.get_by_label("Họ và tên / Tên tổ chức").fill(applicant.name)
    officer.get_by_label("Số điện thoại", exact=True).fill(applicant.phone)
    officer.locator(f"#id_doc_{first.pk}_scan").set_input_files(pages)
    officer.locator(f"#id_doc_{second.pk}_scan").set_input_files(str(idcard))
    officer.get_by_role("button", name="Lưu hồ sơ").click()
    expect(officer.get_by_text("Đã tiếp nhận hồ sơ")).to_be_visible()
    dossier = Dossier.objects.get()
    scans = Document.objects.filter(dossier=dossier, origin="scanned").order_by("required_document__position")
    assert [d.page_count for d in scans] == [2, 1]
    officer.goto(f"/ho-so/{dossier.code}/so-hoa/")
    expect(officer.get_by_test_id("digitisation-status")).to_have_text("Đã số hóa thành phần hồ sơ")

    # 2. the clerk issues the result, produced by the system and signed with the agency's (demo) certificate
    clerk = login(browser, live_server, "/dang-nhap/", staff.clerk.username)
    clerk.goto(f"/ho-so/{dossier.code}/so-hoa/")
    clerk.get_by_label("Người ký").fill("Hoàng Văn Lãnh Đạo")
    clerk.get_by_role("button", name="Tạo kết quả PDF từ hệ thống").click()
    expect(clerk.get_by_test_id("digitisation-status")).to_have_text("Đã số hóa thành phần và kết quả")
    result = Document.objects.get(dossier=dossier, kind="result")
    assert result.signed

    # 3. the citizen finds it in their data store, downloads it, and checks it
    page = login(browser, live_server, "/cong-dan/dang-nhap/", citizen.user.username)
    page.goto("/cong-dan/kho-du-lieu/")
    link = page.get_by_role("link", name="Giấy chứng nhận đăng ký hộ kinh doanh")
    expect(link).to_be_visible()
    expect(page.get_by_text("đã ký số").first).to_be_visible()
    with page.expect_download() as download_info:
        link.click()
    downloaded = tmp_path / "ket-qua.pdf"
    download_info.value.save_as(downloaded)
    assert downloaded.read_bytes() == services.read_content(result)
    page.goto("/kiem-tra-ket-qua/")
    page.get_by_label("Tệp kết quả (PDF)").set_input_files(str(downloaded))
    page.get_by_role("button", name="Kiểm tra").click()
    expect(page.get_by_test_id("verify-outcome")).to_contain_text("Tệp còn nguyên vẹn")
    expect(page.get_by_test_id("signer-agency")).to_have_text(procedure.resolving_agency.name)


def test_officer_scans_the_supplied_documents_and_the_dossier_resumes(
    browser, live_server, counter, tmp_path
):
    from motcua.dossiers import services as dossier_services
    from motcua.dossiers.tests.factories import make_dossier

    procedure, staff, citizen, _documents = counter
    dossier = make_dossier(procedure, actor=staff.officer, applicant=citizen.applicant)
    dossier_services.request_supplement(dossier, staff.officer, ["Bản sao hợp đồng thuê nhà"])
    pages = []
    for n in (1, 2):
        path = tmp_path / f"hop-dong-{n}.png"
        buffer = io.BytesIO()
        Image.new("RGB", (200, 280), "white").save(buffer, format="PNG")
        path.write_bytes(buffer.getvalue())
        pages.append(str(path))

    officer = login(browser, live_server, "/dang-nhap/", staff.officer.username)
    officer.goto(f"/ho-so/{dossier.code}/so-hoa/")
    officer.get_by_role("link", name="Tiếp nhận hồ sơ bổ sung").click()
    officer.get_by_label("Bản sao hợp đồng thuê nhà").set_input_files(pages)
    officer.get_by_role("button", name="Lưu giấy tờ bổ sung và tiếp tục xử lý").click()
    expect(officer.get_by_text("Đã số hóa 1 giấy tờ bổ sung")).to_be_visible()
    expect(
        officer.get_by_role("cell", name="Bản sao hợp đồng thuê nhà (2 trang)", exact=False)
    ).to_be_visible()
    document = Document.objects.get(dossier=dossier, kind="supplement")
    assert document.page_count == 2 and document.digitised_by == staff.officer
