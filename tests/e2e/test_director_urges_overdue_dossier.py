"""The center director sees an overdue dossier of an agency on the monitoring dashboard and urges its holder;
the holder sees the reminder in their notifications."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from motcua.accounts.models import User
from motcua.dossiers import services
from motcua.dossiers.tests.factories import ApplicantFactory, ProcedureWithProcessFactory
from motcua.org import demo
from motcua.org.models import Agency


@pytest.fixture
def overdue_dossier(transactional_db):
    demo.load()
    admin = User.objects.get(username="admin")
    specialist = User.objects.get(username="chuyenvien.tp")
    procedure = ProcedureWithProcessFactory(
        resolving_agency=Agency.objects.get(short_name="TP"), name="Chứng thực bản sao từ bản chính"
    )
    received = timezone.now() - datetime.timedelta(days=60)
    dossier = services.intake(
        procedure=procedure, applicant=ApplicantFactory(), actor=admin, received_at=received
    )
    return services.advance(dossier, admin, to_user=specialist)


def login(page, username):
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_director_urges_and_holder_sees_it(page, overdue_dossier):
    code = overdue_dossier.code
    login(page, "giamdoc")
    page.get_by_role("link", name="Theo dõi hồ sơ tới hạn, quá hạn").click()
    expect(page.get_by_role("heading", name="Theo dõi hồ sơ tới hạn, quá hạn", level=1)).to_be_visible()
    row = page.locator("table.due-counts tr", has_text="Phòng Tư pháp")
    overdue_cell = row.locator('td[data-state="overdue"]')
    expect(overdue_cell).to_have_text("1")
    overdue_cell.get_by_role("link").click()

    listed = page.locator(f'tr[data-code="{code}"]')
    expect(listed).to_be_visible()
    expect(listed).to_contain_text("Quá hạn")
    expect(listed).to_contain_text("Trần Văn Minh (demo)")
    listed.get_by_label("Ý kiến đôn đốc").fill("Đề nghị hoàn thành trong ngày")
    listed.get_by_role("button", name="Đôn đốc").click()
    expect(page.get_by_role("status").filter(has_text=f"Đã đôn đốc hồ sơ {code}")).to_be_visible()
    page.get_by_role("button", name="Thoát").click()

    login(page, "chuyenvien.tp")
    page.get_by_role("link", name="Thông báo").click()
    notice = page.locator(".notifications li").first
    expect(notice).to_contain_text(f"Đôn đốc hồ sơ {code}")
    expect(notice).to_contain_text("Đề nghị hoàn thành trong ngày")
    expect(notice).to_contain_text("Hoàng Văn Nam (demo)")
