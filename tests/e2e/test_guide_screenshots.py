"""Takes the user guides' pictures (src/motcua/backoffice/guides/img/) on the real screens, so that the guides stay true to
them: a reception officer's day at the counter, and a citizen's visit to the portal. The list of pictures is
tests/guide_screenshots.py; this test fails if one of them was not taken. The pictures replace those of
src/motcua/backoffice/guides/img/ only with MOTCUA_UPDATE_GUIDES=1 (then commit them); otherwise they go to a temporary folder, so
a test run leaves the checkout as it was."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from motcua.accounts.tests.factories import UserFactory
from motcua.citizens.models import CitizenProfile
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import (
    ApplicantFactory,
    ProcedureWithProcessFactory,
    StaffSet,
    grant,
    make_dossier,
)
from motcua.org.tests.factories import CenterFactory, CounterFactory
from motcua.tickets import services as queue
from motcua.tickets.tests.factories import TicketKindFactory

from ..guide_screenshots import BACK_OFFICE, FRONT_OFFICE, IMAGES, SCREENSHOTS

PASSWORD = "mat-khau-an-toan-1"
ID_NUMBER = "027190000555"


@pytest.fixture
def center(transactional_db):
    procedure = ProcedureWithProcessFactory(name="Đăng ký khai sinh")
    agency = procedure.resolving_agency
    agency.name = "Phòng Tư pháp huyện Gia Bình"
    agency.save()
    center = CenterFactory(
        name="Trung tâm Phục vụ hành chính công huyện Gia Bình",
        address="Số 1 đường Nguyễn Văn Cừ, thị trấn Gia Bình",
        phone="0222 3 670 670",
    )
    center.agencies.add(agency)
    counter = CounterFactory(center=center, number=1, name="Quầy Tư pháp – Hộ tịch")
    counter.agencies.add(agency)
    kind = TicketKindFactory(
        center=center, key="tu-phap", letter="A", label="Tư pháp – Hộ tịch", counters=[counter]
    )
    officer = UserFactory(username="tiepnhan", full_name="Nguyễn Thị Hoa")
    grant(officer, "reception_officer", agency)
    citizen = UserFactory(username=ID_NUMBER, full_name="Ngô Thị Bích Ngọc")
    CitizenProfile.objects.create(
        user=citizen,
        applicant=ApplicantFactory(id_number=ID_NUMBER, name="Ngô Thị Bích Ngọc"),
        identity_checked_by=CitizenProfile.IdentityCheck.COUNTER,
    )
    return kind


@pytest.fixture
def pictures(tmp_path) -> Path:
    return IMAGES if os.environ.get("MOTCUA_UPDATE_GUIDES") == "1" else tmp_path


def shoot(page, name: str, taken: set, **options) -> None:
    assert name in SCREENSHOTS, f"{name} is not in tests/guide_screenshots.py"
    page.screenshot(path=str(taken.folder / name), animations="disabled", **options)
    taken.add(name)


class Taken(set):
    """The names of the pictures taken, and the folder they went to."""

    def __init__(self, folder: Path):
        super().__init__()
        self.folder = folder


def test_the_guides_pictures_are_taken_on_the_real_screens(page, center, pictures):
    pictures.mkdir(parents=True, exist_ok=True)
    taken = Taken(pictures)
    page.set_viewport_size({"width": 1280, "height": 800})

    # The reception officer logs in and opens the counter page; a citizen has taken ticket A001.
    page.goto("/dang-nhap/")
    shoot(page, "can-bo-dang-nhap.png", taken)
    page.get_by_label("Tên đăng nhập").fill("tiepnhan")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("link", name="Gọi số tại quầy")).to_be_visible()
    shoot(page, "can-bo-trang-chu.png", taken)
    queue.issue(center)
    page.get_by_role("link", name="Gọi số tại quầy").click()
    expect(page.get_by_role("heading", name="Đang chờ (1)")).to_be_visible()
    shoot(page, "quay-dang-cho.png", taken)
    page.get_by_role("button", name="Gọi số tiếp theo").click()
    expect(page.get_by_test_id("current-ticket")).to_have_text("A001")
    shoot(page, "quay-dang-phuc-vu.png", taken)

    # She receives the citizen's dossier from the ticket.
    page.get_by_role("link", name="Tiếp nhận hồ sơ cho số A001").click()
    page.get_by_label("Tên hoặc mã thủ tục").fill("khai sinh")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.get_by_role("link", name="Đăng ký khai sinh", exact=False).click()
    page.get_by_label("CCCD/CMND/Hộ chiếu hoặc Mã số thuế").fill(ID_NUMBER)
    page.get_by_label("Họ và tên / Tên tổ chức").fill("Ngô Thị Bích Ngọc")
    page.get_by_label("Số điện thoại", exact=True).fill("0912345678")
    page.get_by_label("Địa chỉ").fill("Thôn Bùi Xá, xã Đại Bái")
    shoot(page, "tiep-nhan-ho-so.png", taken)
    page.get_by_role("button", name="Lưu hồ sơ").click()
    dossier = Dossier.objects.get()
    expect(page.get_by_role("heading", name=f"Hồ sơ {dossier.code}")).to_be_visible()
    shoot(page, "ho-so-da-tiep-nhan.png", taken)
    page.goto("/ho-so/in-hang-loat/")
    expect(page.get_by_role("heading", name="In hàng loạt")).to_be_visible()
    shoot(page, "in-hang-loat.png", taken)
    page.get_by_role("button", name="Thoát").click()

    # The citizen visits the portal, on a computer and on a phone, looks the dossier up and opens her page.
    page.goto("/")
    shoot(page, "cong-dan-trang-chu.png", taken)
    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    shoot(page, "cong-dan-trang-chu-dien-thoai.png", taken)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/tra-cuu-ho-so/")
    shoot(page, "cong-dan-tra-cuu.png", taken)
    page.goto("/cong-dan/dang-nhap/")
    page.get_by_label("Số CCCD / CMND / hộ chiếu").fill(ID_NUMBER)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("link", name=dossier.code)).to_be_visible()
    shoot(page, "cong-dan-ho-so-cua-toi.png", taken)

    assert taken == set(FRONT_OFFICE), f"not taken: {sorted(set(FRONT_OFFICE) - taken)}"


def log_in(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Công việc của tôi")).to_be_visible()


def test_the_back_office_guides_pictures_are_taken_on_the_real_screens(page, transactional_db, pictures):
    pictures.mkdir(parents=True, exist_ok=True)
    taken = Taken(pictures)
    page.set_viewport_size({"width": 1280, "height": 800})
    procedure = ProcedureWithProcessFactory(name="Đăng ký khai sinh")
    agency = procedure.resolving_agency
    agency.name = "Phòng Tư pháp huyện Gia Bình"
    agency.save()
    staff = StaffSet(procedure)
    for user, username in (
        (staff.officer, "tiepnhan"),
        (staff.specialist, "chuyenvien"),
        (staff.leader, "lanhdao"),
        (staff.clerk, "vanthu"),
    ):
        user.username = username
        user.save()
    supervisor = UserFactory(username="giamsat", full_name="Trần Văn Giám Sát")
    grant(supervisor, "supervisor", agency)
    UserFactory(username="quantri", full_name="Vũ Thị Quản Trị", is_superuser=True, is_staff=True)
    dossier = make_dossier(
        procedure, actor=staff.officer, applicant=ApplicantFactory(name="Ngô Thị Bích Ngọc")
    )
    while dossier.current_step.role != "specialist":
        dossier = dossier_services.advance(dossier, staff.for_role(dossier.current_step.role))

    log_in(page, "chuyenvien")
    shoot(page, "chuyen-vien-trang-chu.png", taken)
    page.goto(f"/ho-so/{dossier.code}/")
    expect(page.get_by_role("heading", name=f"Hồ sơ {dossier.code}")).to_be_visible()
    shoot(page, "chuyen-vien-ho-so.png", taken)
    log_in(page, "lanhdao")
    shoot(page, "lanh-dao-trang-chu.png", taken)
    log_in(page, "vanthu")
    shoot(page, "van-thu-trang-chu.png", taken)
    log_in(page, "giamsat")
    page.goto("/theo-doi/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    shoot(page, "giam-sat-theo-doi.png", taken)
    log_in(page, "quantri")
    shoot(page, "quan-tri-trang-chu.png", taken)

    assert taken == set(BACK_OFFICE), f"not taken: {sorted(set(BACK_OFFICE) - taken)}"
