import re

from playwright.sync_api import expect

from motcua.accounts.tests.factories import UserFactory
from motcua.dossiers.tests.factories import ProcedureWithProcessFactory
from motcua.national_portal.simulator import SimulatorServer
from motcua.national_portal.tests.factories import citizen_with_an_online_dossier


def test_citizen_logs_in_through_the_portal_identity_server_and_sees_their_dossiers(
    page, transactional_db, settings
):
    simulator = SimulatorServer(port=0).start()
    try:
        settings.MOTCUA_LOGIN_PROVIDERS = {
            "dvcqg": {
                "plugin": "national_portal",
                "label": "Đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia",
                "server_url": simulator.url,
                "client_id": "motcua-simulator",
                "client_secret": "simulator-client-secret",
            }
        }
        officer = UserFactory(username="quantri", is_superuser=True, is_staff=True, full_name="Quản trị")
        procedure = ProcedureWithProcessFactory(name="Cấp bản sao trích lục hộ tịch")
        _user, dossier = citizen_with_an_online_dossier(procedure, officer, "027090999901")

        page.goto("/cong-dan/dang-nhap/")
        page.get_by_role("link", name="Đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia").click()
        expect(page.get_by_role("heading", name="Đăng nhập thử nghiệm")).to_be_visible()
        page.get_by_role("button", name="Nguyễn Văn Thử (công dân)").click()

        # The first login through a provider asks consent to the personal-data notice (Decree 13/2023).
        expect(page.get_by_role("heading", name="Thông báo xử lý dữ liệu cá nhân")).to_be_visible()
        page.get_by_label(re.compile("Tôi đã đọc Thông báo xử lý dữ liệu cá nhân")).check()
        page.get_by_role("button", name="Đồng ý và tiếp tục").click()

        expect(page).to_have_url(re.compile(r"/cong-dan/$"))
        expect(page.get_by_role("link", name=dossier.code)).to_be_visible()
        expect(page.get_by_text("Cấp bản sao trích lục hộ tịch").first).to_be_visible()
    finally:
        simulator.stop()
