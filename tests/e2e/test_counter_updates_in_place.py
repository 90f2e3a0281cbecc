"""The counter page shows a ticket taken after it was opened without reloading, and the officer can pause it."""

import pytest
from playwright.sync_api import expect

from motcua.accounts.tests.factories import UserFactory
from motcua.dossiers.tests.factories import grant
from motcua.org.tests.factories import CenterFactory, CounterFactory
from motcua.tickets import services
from motcua.tickets.tests.factories import TicketKindFactory

PASSWORD = "mat-khau-an-toan-1"


@pytest.fixture
def desk(transactional_db, settings):
    settings.MOTCUA_COUNTER_REFRESH_SECONDS = 1
    center = CenterFactory(name="Trung tâm Hành chính công huyện Thử nghiệm")
    counter = CounterFactory(center=center, number=1, name="Quầy Tư pháp – Hộ tịch")
    kind = TicketKindFactory(
        center=center, key="tu-phap", letter="A", label="Tư pháp – Hộ tịch", counters=[counter]
    )
    officer = UserFactory(username="tiepnhan", full_name="Nguyễn Thị Hoa")
    grant(officer, "reception_officer", center.agency)
    return counter, kind


def test_a_new_ticket_appears_in_the_waiting_list_without_a_reload(page, desk):
    counter, kind = desk
    page.goto(f"/dang-nhap/?next=/xep-hang/quay/{counter.pk}/")
    page.get_by_label("Tên đăng nhập").fill("tiepnhan")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Đang chờ (0)")).to_be_visible()
    page.evaluate("() => { window.stillTheSamePage = true; }")

    services.issue(kind)
    expect(page.get_by_role("heading", name="Đang chờ (1)")).to_be_visible(timeout=8_000)
    expect(page.get_by_role("cell", name="A001")).to_be_visible()
    assert page.evaluate("() => window.stillTheSamePage === true")

    pause = page.get_by_role("button", name="Tạm dừng tự cập nhật")
    pause.click()
    expect(pause).to_have_attribute("aria-pressed", "true")
    services.issue(kind)
    page.wait_for_timeout(2_500)
    expect(page.get_by_role("heading", name="Đang chờ (1)")).to_be_visible()
    pause.click()
    expect(page.get_by_role("heading", name="Đang chờ (2)")).to_be_visible(timeout=8_000)
