"""The staff calendar page."""

import pytest
from django.urls import reverse

from motcua.accounts.tests.factories import UserFactory

from .factories import CalendarOverrideFactory, ProvinceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(username="canbo"))
    return client


def test_page_requires_login(client):
    response = client.get(reverse("workdays:year"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_page_shows_holidays_and_swaps_of_the_year(staff_client):
    response = staff_client.get(reverse("workdays:year"), {"nam": "2026"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lịch làm việc năm 2026" in html
    assert 'class="day-holiday" data-date="17/02/2026"' in html
    assert 'class="day-swapped_working_day" data-date="22/08/2026"' in html
    assert 'class="day-weekend" data-date="23/08/2026"' in html
    assert "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)" in html
    assert "07:00–11:30, 13:30–17:00" in html


def test_page_shows_an_override_with_its_decision(staff_client):
    CalendarOverrideFactory()
    html = staff_client.get(reverse("workdays:year"), {"nam": "2025"}).content.decode()
    assert 'class="day-override_day_off" data-date="02/01/2025"' in html
    assert "Quyết định số 01/QĐ-UBND" in html


def test_page_for_a_province_shows_its_own_overrides(staff_client):
    province = ProvinceFactory()
    CalendarOverrideFactory(province=province, name="Nghỉ riêng của tỉnh")
    national = staff_client.get(reverse("workdays:year"), {"nam": "2025"}).content.decode()
    local = staff_client.get(reverse("workdays:year"), {"nam": "2025", "tinh": "27"}).content.decode()
    assert "Nghỉ riêng của tỉnh" not in national
    assert "Nghỉ riêng của tỉnh" in local


@pytest.mark.parametrize(
    ("params", "message"),
    [({"nam": "abc"}, "4 chữ số"), ({"nam": "2099"}, "nằm ngoài lịch"), ({"tinh": "99"}, "Không có tỉnh")],
)
def test_page_refuses_bad_input_with_a_vietnamese_message(staff_client, params, message):
    response = staff_client.get(reverse("workdays:year"), params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_only_administrators_see_the_link_to_add_an_override(client):
    client.force_login(UserFactory(username="canbo2"))
    assert "Thêm điều chỉnh lịch" not in client.get(reverse("workdays:year")).content.decode()
    client.force_login(UserFactory(username="quantri", is_staff=True, is_superuser=True))
    assert "Thêm điều chỉnh lịch" in client.get(reverse("workdays:year")).content.decode()


def test_calculator_on_the_page_gives_the_due_instant(staff_client):
    # The worked example: received Fri 25/04/2025 10:00, 3 working days -> Tue 29/04/2025 10:00.
    response = staff_client.get(
        reverse("workdays:year"),
        {"nam": "2025", "tiep_nhan": "25/04/2025 10:00", "thoi_han": "3", "don_vi": "working_days"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "Hạn giải quyết: <strong>10:00 29/04/2025</strong> (Thứ Ba); bắt đầu tính từ 10:00 25/04/2025, 24 giờ làm việc."
        in html
    )


def test_calculator_counts_from_the_next_working_slot(staff_client):
    # Received Friday 17:30: counting starts at 07:00 on the swapped working Saturday 26/04/2025.
    html = staff_client.get(
        reverse("workdays:year"),
        {"tiep_nhan": "25/04/2025 17:30", "thoi_han": "0,5", "don_vi": "working_days"},
    ).content.decode()
    assert (
        "<strong>11:00 26/04/2025</strong> (Thứ Bảy); bắt đầu tính từ 07:00 26/04/2025, 4 giờ làm việc."
        in html
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"tiep_nhan": "32/04/2025 10:00", "thoi_han": "3", "don_vi": "working_days"}, "dd/mm/yyyy hh:mm"),
        ({"tiep_nhan": "25/04/2025 10:00", "thoi_han": "-3", "don_vi": "working_days"}, "không được âm"),
        (
            {"tiep_nhan": "25/04/2025 10:00", "thoi_han": "3", "don_vi": "weeks"},
            "Đơn vị thời hạn «weeks» không hợp lệ",
        ),
    ],
)
def test_calculator_refuses_bad_input_in_vietnamese(staff_client, params, message):
    response = staff_client.get(reverse("workdays:year"), params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Hạn giải quyết:" not in response.content.decode()
