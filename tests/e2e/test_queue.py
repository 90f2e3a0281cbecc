"""A citizen takes a ticket at the kiosk; the hall display shows and announces the call; the reception officer
calls the ticket and receives the citizen's dossier from it; the citizen's phone follows the ticket, and later
the citizen finds that counter dossier on her own page."""

import time

import pytest
from playwright.sync_api import expect

from motcua.accounts.tests.factories import UserFactory
from motcua.citizens.models import CitizenProfile
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import ApplicantFactory, ProcedureWithProcessFactory, grant
from motcua.org.tests.factories import CenterFactory, CounterFactory
from motcua.tickets.models import Ticket
from motcua.tickets.tests.factories import TicketKindFactory

PASSWORD = "mat-khau-an-toan-1"
ID_NUMBER = "027190000555"

# The hall display's speech and the kiosk's printer are real browser calls; these notes only record them (the
# utterance is still handed to the browser's speech synthesis) so that the test can read what was announced.
RECORD_SPEECH = """
window.__spoken = [];
if (window.speechSynthesis) {
  const speak = window.speechSynthesis.speak.bind(window.speechSynthesis);
  window.speechSynthesis.speak = (u) => { window.__spoken.push(u.text + "|" + u.lang); speak(u); };
}
"""
RECORD_PRINT = "window.__printed = 0; window.print = () => { window.__printed += 1; };"


@pytest.fixture
def center(transactional_db):
    procedure = ProcedureWithProcessFactory(name="Đăng ký khai sinh (thử nghiệm)")
    agency = procedure.resolving_agency
    center = CenterFactory(name="Trung tâm Hành chính công huyện Thử nghiệm")
    center.agencies.add(agency)
    counter = CounterFactory(center=center, number=1, name="Quầy Tư pháp – Hộ tịch")
    counter.agencies.add(agency)
    TicketKindFactory(center=center, key="tu-phap", letter="A", label="Tư pháp – Hộ tịch", counters=[counter])
    officer = UserFactory(username="tiepnhan", full_name="Nguyễn Thị Hoa")
    grant(officer, "reception_officer", agency)
    # The citizen has an account whose identity number was checked at a counter earlier.
    citizen = UserFactory(username=ID_NUMBER, full_name="Ngô Thị Bích Ngọc")
    CitizenProfile.objects.create(
        user=citizen,
        applicant=ApplicantFactory(id_number=ID_NUMBER, name="Ngô Thị Bích Ngọc"),
        identity_checked_by=CitizenProfile.IdentityCheck.COUNTER,
    )
    return center


def wait_until(page, expression: str, seconds: float = 8.0) -> None:
    """Poll a page's state from outside (page.evaluate goes through the DevTools protocol): Playwright's
    wait_for_function evaluates a string inside the page, which the Content-Security-Policy forbids."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {seconds} s: {expression}")
        page.wait_for_timeout(100)


def test_a_ticket_from_the_kiosk_is_called_announced_and_becomes_a_dossier(browser, live_server, center):
    def new_page(script=""):
        context = browser.new_context(
            locale="vi-VN", base_url=live_server.url, timezone_id="Asia/Ho_Chi_Minh"
        )
        context.set_default_timeout(10_000)
        if script:
            context.add_init_script(script)
        return context.new_page()

    # The hall display is open before anyone arrives.
    hall = new_page(RECORD_SPEECH)
    hall.goto("/xep-hang/man-hinh/")
    expect(hall.get_by_role("heading", name="SỐ ĐANG GỌI")).to_be_visible()
    expect(hall.get_by_text("Chưa gọi số nào.")).to_be_visible()

    # The citizen, who is pregnant, takes a ticket at the kiosk; it prints.
    kiosk = new_page(RECORD_PRINT)
    kiosk.goto("/xep-hang/")
    kiosk.get_by_label("Phụ nữ mang thai").check()
    kiosk.get_by_role("button", name="Tư pháp – Hộ tịch").click()
    expect(kiosk.get_by_test_id("ticket-number")).to_have_text("A001")
    expect(kiosk.get_by_text("Ưu tiên: Phụ nữ mang thai")).to_be_visible()
    expect(kiosk.get_by_role("img", name="Mã QR theo dõi lượt gọi")).to_be_visible()
    wait_until(kiosk, "window.__printed === 1")
    ticket = Ticket.objects.get()

    # She follows the queue on her phone (the QR code's address).
    phone = new_page()
    phone.set_viewport_size({"width": 360, "height": 740})
    phone.goto(f"/xep-hang/so/{ticket.public_id}/")
    expect(phone.get_by_text("Số người chờ trước ông/bà: 0")).to_be_visible()
    expect(hall.locator("[data-field=waiting]")).to_have_text("1", timeout=8_000)

    # The reception officer calls the next ticket at counter 1.
    officer = new_page()
    officer.goto("/dang-nhap/")
    officer.get_by_label("Tên đăng nhập").fill("tiepnhan")
    officer.get_by_label("Mật khẩu").fill(PASSWORD)
    officer.get_by_role("button", name="Đăng nhập").click()
    officer.get_by_role("link", name="Gọi số tại quầy").click()
    officer.get_by_role("button", name="Gọi số tiếp theo").click()
    expect(officer.get_by_test_id("current-ticket")).to_have_text("A001")

    # The hall shows and announces the call; the phone says where to go; nobody reloaded a page.
    expect(hall.get_by_role("row", name="A001 1")).to_be_visible(timeout=8_000)
    expect(hall.get_by_role("status")).to_have_text("Mời số A001 đến quầy số 1")
    wait_until(hall, "window.__spoken.includes('Mời số A001 đến quầy số 1|vi-VN')")
    expect(phone.get_by_text("Mời ông/bà đến quầy số 1")).to_be_visible(timeout=10_000)

    # "Gọi lại" announces it once more.
    officer.get_by_role("button", name="Gọi lại", exact=True).click()
    wait_until(hall, "window.__spoken.filter(t => t.startsWith('Mời số A001 đến quầy số 1')).length === 2")

    # She hands over her papers: the officer receives the dossier from the called ticket.
    officer.get_by_role("link", name="Tiếp nhận hồ sơ cho số A001").click()
    officer.get_by_label("Tên hoặc mã thủ tục").fill("khai sinh")
    officer.get_by_role("button", name="Tìm kiếm").click()
    officer.get_by_role("link", name="Đăng ký khai sinh (thử nghiệm)", exact=False).click()
    officer.get_by_label("CCCD/CMND/Hộ chiếu hoặc Mã số thuế").fill(ID_NUMBER)
    officer.get_by_label("Họ và tên / Tên tổ chức").fill("Ngô Thị Bích Ngọc")
    officer.get_by_label("Số điện thoại", exact=True).fill("0912345678")
    officer.get_by_label("Địa chỉ").fill("Thôn Bùi Xá, xã Đại Bái")
    officer.get_by_role("button", name="Lưu hồ sơ").click()
    dossier = Dossier.objects.get()
    expect(officer.get_by_role("heading", name=f"Hồ sơ {dossier.code}")).to_be_visible()
    assert list(ticket.dossiers.all()) == [dossier]

    officer.goto("/xep-hang/quay/")
    expect(officer.get_by_role("link", name=dossier.code)).to_be_visible()
    # The next call finishes her ticket: nobody else waits.
    officer.get_by_role("button", name="Gọi số tiếp theo").click()
    expect(officer.get_by_text("Không còn ai chờ các dịch vụ của quầy này.")).to_be_visible()
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.SERVED
    expect(hall.get_by_text("Chưa gọi số nào.")).to_be_visible(timeout=8_000)

    # Later, on her phone, the citizen logs in and finds the dossier received at the counter on her page.
    phone.goto("/cong-dan/dang-nhap/")
    phone.get_by_label("Số CCCD / CMND / hộ chiếu").fill(ID_NUMBER)
    phone.get_by_label("Mật khẩu").fill(PASSWORD)
    phone.get_by_role("button", name="Đăng nhập").click()
    phone.get_by_role("link", name=dossier.code).click()
    expect(phone.get_by_text("Đăng ký khai sinh (thử nghiệm)").first).to_be_visible()
    expect(phone.get_by_text("Trực tiếp").first).to_be_visible()
    for page in (hall, kiosk, phone, officer):
        page.context.close()
