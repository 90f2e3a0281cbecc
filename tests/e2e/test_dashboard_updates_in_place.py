"""The monitoring dashboard updates its figures without reloading the page, and the supervisor can pause it."""

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
def justice_office(transactional_db, settings):
    settings.MOTCUA_MONITORING_REFRESH_SECONDS = 1
    demo.load()
    procedure = ProcedureWithProcessFactory(
        resolving_agency=Agency.objects.get(short_name="TP"), name="Chứng thực bản sao từ bản chính"
    )
    return procedure


def overdue_dossier(procedure):
    admin = User.objects.get(username="admin")
    received = timezone.now() - datetime.timedelta(days=60)
    dossier = services.intake(
        procedure=procedure, applicant=ApplicantFactory(), actor=admin, received_at=received
    )
    return services.advance(dossier, admin, to_user=User.objects.get(username="chuyenvien.tp"))


def test_the_figures_update_in_place_and_pause_on_request(page, justice_office):
    overdue_dossier(justice_office)
    page.goto("/dang-nhap/?next=/theo-doi/")
    page.get_by_label("Tên đăng nhập").fill("giamdoc")
    page.get_by_label("Mật khẩu").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    overdue_cell = page.locator("table.due-counts tr", has_text="Phòng Tư pháp").locator(
        'td[data-state="overdue"]'
    )
    expect(overdue_cell).to_have_text("1")
    page.evaluate("() => { window.stillTheSamePage = true; }")

    overdue_dossier(justice_office)
    expect(overdue_cell).to_have_text("2", timeout=8_000)
    assert page.evaluate("() => window.stillTheSamePage === true")  # updated without a reload

    pause = page.get_by_role("button", name="Tạm dừng tự cập nhật")
    pause.click()
    expect(pause).to_have_attribute("aria-pressed", "true")
    overdue_dossier(justice_office)
    page.wait_for_timeout(3_000)
    expect(overdue_cell).to_have_text("2")

    pause.click()
    expect(pause).to_have_attribute("aria-pressed", "false")
    expect(overdue_cell).to_have_text("3", timeout=8_000)
    assert page.evaluate("() => window.stillTheSamePage === true")
