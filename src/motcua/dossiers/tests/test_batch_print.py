"""Batch printing: the day's receipts of a counter (Mẫu 01, one PDF) and an agency's tracking book (Mẫu 06)."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pypdf import PdfReader

from motcua.dossiers import services
from motcua.org.tests.factories import AgencyFactory, CounterFactory
from motcua.privacy.models import PersonalDataAccess

from .factories import ApplicantFactory, ProcedureWithProcessFactory, StaffSet

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
URL = "/ho-so/in-hang-loat/"


def pages_of(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def _intake(procedure, officer, when, name, channel="counter"):
    with time_machine.travel(when, tick=False):
        return services.intake(
            procedure=procedure, applicant=ApplicantFactory(name=name), actor=officer, channel=channel
        )


@pytest.fixture
def desk(procedure, staff):
    """Counter 1 receives for the procedure's agency. Mon 07/11/2022: two counter dossiers and one by post;
    Tue 08/11: one more. Another agency's dossier on Monday is not the counter's."""
    counter = CounterFactory(number=1, name="Quầy Tư pháp")
    counter.agencies.add(staff.receiving)
    day = datetime.datetime(2022, 11, 7, 8, 0, tzinfo=HCM)
    first = _intake(procedure, staff.officer, day.replace(hour=9), "Nguyễn Văn Một")
    second = _intake(procedure, staff.officer, day.replace(hour=14), "Trần Thị Hai")
    postal = _intake(procedure, staff.officer, day.replace(hour=10), "Lê Bưu Điện", channel="postal")
    tuesday = _intake(procedure, staff.officer, day.replace(day=8, hour=9), "Phạm Thứ Ba")
    other_procedure = ProcedureWithProcessFactory(resolving_agency=AgencyFactory(name="Phòng Khác"))
    other = _intake(
        other_procedure, StaffSet(other_procedure).officer, day.replace(hour=9), "Hoàng Người Khác"
    )
    return {
        "counter": counter,
        "first": first,
        "second": second,
        "postal": postal,
        "tuesday": tuesday,
        "other": other,
    }


def test_the_days_receipts_come_as_one_pdf_one_receipt_a_page_in_the_order_received(client, staff, desk):
    client.force_login(staff.officer)
    response = client.get(
        URL, {"in": "phieu-tiep-nhan", "phieu-counter": desk["counter"].pk, "phieu-day": "2022-11-07"}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = pages_of(response.content)
    assert len(pages) == 2
    assert desk["first"].code in pages[0] and "Nguyễn Văn Một" in pages[0]
    assert desk["second"].code in pages[1] and "Trần Thị Hai" in pages[1]
    for page in pages:
        assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in page
    text = " ".join(pages)
    for left_out in ("postal", "tuesday", "other"):
        assert desk[left_out].code not in text
    assert PersonalDataAccess.objects.filter(user=staff.officer).count() == 2


def test_a_day_typed_as_dd_mm_yyyy_is_understood(client, staff, desk):
    client.force_login(staff.officer)
    response = client.get(
        URL, {"in": "phieu-tiep-nhan", "phieu-counter": desk["counter"].pk, "phieu-day": "08/11/2022"}
    )
    [page] = pages_of(response.content)
    assert desk["tuesday"].code in page


def test_a_day_without_dossiers_says_so_in_vietnamese(client, staff, desk):
    client.force_login(staff.officer)
    response = client.get(
        URL, {"in": "phieu-tiep-nhan", "phieu-counter": desk["counter"].pk, "phieu-day": "2022-11-09"}
    )
    assert response.status_code == 400
    assert "Quầy 1. Quầy Tư pháp không tiếp nhận hồ sơ nào ngày 09/11/2022." in response.content.decode()


def test_a_counter_out_of_scope_or_a_bad_day_is_refused_with_a_reason(client, staff, desk):
    elsewhere = CounterFactory(number=9)
    elsewhere.agencies.add(desk["other"].agency)
    client.force_login(staff.officer)
    response = client.get(
        URL, {"in": "phieu-tiep-nhan", "phieu-counter": elsewhere.pk, "phieu-day": "2022-11-07"}
    )
    assert response.status_code == 400
    assert "Quầy không có hoặc không thuộc phạm vi." in response.content.decode()
    response = client.get(
        URL, {"in": "phieu-tiep-nhan", "phieu-counter": desk["counter"].pk, "phieu-day": "31/02/2022"}
    )
    assert response.status_code == 400 and "Nhập một ngày hợp lệ." in response.content.decode()
    assert not PersonalDataAccess.objects.exists()


def test_the_tracking_book_lists_the_agencys_dossiers_of_the_period(client, staff, desk):
    client.force_login(staff.officer)
    response = client.get(
        URL,
        {
            "in": "so-theo-doi",
            "so-agency": staff.receiving.pk,
            "so-date_from": "2022-11-01",
            "so-date_to": "2022-11-07",
        },
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(pages_of(response.content))
    assert "SỔ THEO DÕI HỒ SƠ" in text
    assert "Từ ngày 01/11/2022 đến ngày 07/11/2022" in text
    for included in ("first", "second", "postal"):
        assert desk[included].code in text
    assert desk["tuesday"].code not in text and desk["other"].code not in text
    assert text.index(desk["first"].code) < text.index(desk["postal"].code) < text.index(desk["second"].code)


def test_a_period_that_ends_before_it_starts_is_refused(client, staff, desk):
    client.force_login(staff.officer)
    response = client.get(
        URL,
        {
            "in": "so-theo-doi",
            "so-agency": staff.receiving.pk,
            "so-date_from": "2022-11-07",
            "so-date_to": "2022-11-01",
        },
    )
    assert response.status_code == 400
    assert "Ngày kết thúc phải bằng hoặc sau ngày bắt đầu." in response.content.decode()


def test_the_page_offers_both_prints_to_a_reception_officer_only(client, staff, desk):
    client.force_login(staff.officer)
    html = client.get(URL).content.decode()
    assert "Giấy tiếp nhận hồ sơ trong ngày (Mẫu 01)" in html and "Sổ theo dõi hồ sơ (Mẫu 06)" in html
    counter = desk["counter"]
    assert (
        f'<option value="{counter.pk}" selected>1. Quầy Tư pháp</option>' in html
    )  # the officer's only counter
    assert 'placeholder="dd/mm/yyyy"' in html
    client.force_login(staff.specialist)
    assert client.get(URL).status_code == 403


def test_the_reception_officers_home_links_to_batch_printing(client, staff):
    client.force_login(staff.officer)
    assert f'href="{URL}"' in client.get("/").content.decode()
