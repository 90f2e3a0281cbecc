"""A citizen with a self-registered account (identity number not checked) has a dossier received for them at
the counter; their page shows it only once their identity number is checked, here by logging in through the
National Public Service Portal, and then it opens from their page."""

import re

from playwright.sync_api import expect

from motcua.accounts.tests.factories import UserFactory
from motcua.citizens.models import CitizenProfile
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import ApplicantFactory, ProcedureWithProcessFactory, grant
from motcua.national_portal.simulator import SimulatorServer

PASSWORD = "mat-khau-an-toan-1"
ID_NUMBER = "027090999902"  # the simulator's VNeID level-2 citizen, Trần Thị Định Danh


def log_in(page, username):
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_a_counter_dossier_shows_on_the_citizens_page_once_their_identity_is_checked(
    browser, live_server, transactional_db, settings
):
    simulator = SimulatorServer(port=0).start()
    contexts = []

    def new_page():
        context = browser.new_context(
            locale="vi-VN", base_url=live_server.url, timezone_id="Asia/Ho_Chi_Minh"
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    try:
        settings.MOTCUA_LOGIN_PROVIDERS = {
            "vneid": {
                "plugin": "vneid",
                "server_url": simulator.url,
                "client_id": "motcua-simulator",
                "client_secret": "simulator-client-secret",
            }
        }
        procedure = ProcedureWithProcessFactory(name="Đăng ký khai sinh (thử nghiệm)")
        officer = UserFactory(username="tiepnhan", full_name="Nguyễn Thị Hoa")
        grant(officer, "reception_officer", procedure.resolving_agency)
        # The citizen registered on the portal by themselves: the number they typed is not checked.
        citizen = UserFactory(username=ID_NUMBER, full_name="Trần Thị Định Danh")
        CitizenProfile.objects.create(
            user=citizen, applicant=ApplicantFactory(id_number=ID_NUMBER, name="Trần Thị Định Danh")
        )

        # At the counter, the officer receives the citizen's paper dossier.
        desk = new_page()
        log_in(desk, "tiepnhan")
        desk.goto("/ho-so/tiep-nhan/")
        desk.get_by_label("Tên hoặc mã thủ tục").fill("khai sinh")
        desk.get_by_role("button", name="Tìm kiếm").click()
        desk.get_by_role("link", name="Đăng ký khai sinh (thử nghiệm)", exact=False).click()
        desk.get_by_label("CCCD/CMND/Hộ chiếu hoặc Mã số thuế").fill(ID_NUMBER)
        desk.get_by_label("Họ và tên / Tên tổ chức").fill("Trần Thị Định Danh")
        desk.get_by_label("Số điện thoại", exact=True).fill("0912345678")
        desk.get_by_label("Địa chỉ").fill("Thôn Bùi Xá, xã Đại Bái")
        desk.get_by_role("button", name="Lưu hồ sơ").click()
        dossier = Dossier.objects.get()
        expect(desk.get_by_role("heading", name=f"Hồ sơ {dossier.code}")).to_be_visible()

        # With the unchecked number, the citizen's page does not show it, and says how to see it.
        phone = new_page()
        phone.goto("/cong-dan/dang-nhap/")
        phone.get_by_label("Số CCCD / CMND / hộ chiếu").fill(ID_NUMBER)
        phone.get_by_label("Mật khẩu").fill(PASSWORD)
        phone.get_by_role("button", name="Đăng nhập").click()
        expect(phone).to_have_url(re.compile(r"/cong-dan/$"))
        expect(phone.get_by_text("Để xem cả hồ sơ nộp tại quầy")).to_be_visible()
        expect(phone.get_by_role("link", name=dossier.code)).to_have_count(0)
        phone.get_by_role("button", name="Thoát").click()

        # Later, the citizen logs in with VNeID (identity level 2): the provider vouches for the number.
        phone.goto("/cong-dan/dang-nhap/")
        phone.get_by_role("link", name="Đăng nhập bằng tài khoản định danh điện tử VNeID").click()
        phone.get_by_role("button", name="Trần Thị Định Danh (công dân, định danh VNeID mức 2)").click()
        # The first login through a provider asks consent to the personal-data notice (Decree 13/2023).
        phone.get_by_label(re.compile("Tôi đã đọc Thông báo xử lý dữ liệu cá nhân")).check()
        phone.get_by_role("button", name="Đồng ý và tiếp tục").click()
        expect(phone).to_have_url(re.compile(r"/cong-dan/$"))
        expect(phone.get_by_text("Để xem cả hồ sơ nộp tại quầy")).to_have_count(0)
        phone.get_by_role("link", name=dossier.code).click()
        expect(phone.get_by_text(dossier.code).first).to_be_visible()
        expect(phone.get_by_text("Đăng ký khai sinh (thử nghiệm)").first).to_be_visible()
        expect(phone.get_by_text("Trực tiếp").first).to_be_visible()
    finally:
        for context in contexts:
            context.close()
        simulator.stop()
