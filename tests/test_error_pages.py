"""Error pages in production mode (DEBUG off): the house pages for 400, 403, 404 and 500, in Vietnamese and in
English, each with a way back; and actions a person may not take are not offered in the first place."""

import pytest
from django.test import Client
from django.urls import include, path

from motcua.dossiers.tests.factories import ProcedureWithProcessFactory, StaffSet

pytestmark = pytest.mark.django_db


def broken_view(request):
    raise RuntimeError("a bug in a view")


# The project's URLs plus one view that fails, to see the 500 page.
urlpatterns = [path("loi-thu/", broken_view), path("", include("motcua.urls"))]


def in_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


def assert_house_page(body: str, heading: str):
    assert heading in body
    assert 'class="topbar"' in body and 'id="main"' in body  # the house shell, not Django's bare page
    assert 'href="/"' in body  # a way back to the home page


def test_a_specialist_opening_counter_intake_gets_the_house_403_page_with_the_reason(client, settings):
    assert settings.DEBUG is False
    staff = StaffSet(ProcedureWithProcessFactory())
    client.force_login(staff.specialist)

    response = client.get("/ho-so/tiep-nhan/")

    assert response.status_code == 403
    body = response.content.decode()
    assert_house_page(body, "Bạn không có quyền thực hiện thao tác này")
    assert "Chỉ cán bộ tiếp nhận mới tiếp nhận hồ sơ." in body
    assert "Forbidden" not in body


def test_the_403_page_speaks_english_when_english_was_chosen(client):
    staff = StaffSet(ProcedureWithProcessFactory())
    client.force_login(staff.specialist)
    in_english(client)

    body = client.get("/ho-so/tiep-nhan/").content.decode()

    assert "You are not allowed to do this" in body and 'lang="en"' in body
    assert "Back to home" in body


def test_a_specialist_is_not_offered_the_add_button_a_reception_officer_has(client):
    staff = StaffSet(ProcedureWithProcessFactory())
    client.force_login(staff.specialist)
    assert "Thêm mới" not in client.get("/ho-so/").content.decode()
    client.force_login(staff.officer)
    assert "Thêm mới" in client.get("/ho-so/").content.decode()


def test_an_unknown_address_gets_the_house_404_page(client):
    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    body = response.content.decode()
    assert_house_page(body, "Không tìm thấy trang hoặc hồ sơ bạn cần")
    assert "/khong-co-trang-nay/" in body
    assert "Resolver404" not in body and "Not Found" not in body


def test_the_404_page_speaks_english_when_english_was_chosen(client):
    in_english(client)
    body = client.get("/khong-co-trang-nay/").content.decode()
    assert "The page or dossier you are looking for was not found" in body


@pytest.mark.urls(__name__)
def test_a_failing_view_gets_the_house_500_page_without_details():
    client = Client(raise_request_exception=False)

    response = client.get("/loi-thu/")

    assert response.status_code == 500
    body = response.content.decode()
    assert_house_page(body, "Hệ thống đang gặp sự cố")
    assert "RuntimeError" not in body and "a bug in a view" not in body and "Server Error" not in body


@pytest.mark.urls(__name__)
def test_the_500_page_speaks_english_when_english_was_chosen():
    client = Client(raise_request_exception=False)
    in_english(client)
    body = client.get("/loi-thu/").content.decode()
    assert "The system has run into a problem" in body


def test_a_request_for_a_foreign_host_gets_the_house_400_page(client):
    response = client.get("/", HTTP_HOST="may-chu-la.example")

    assert response.status_code == 400
    assert_house_page(response.content.decode(), "Hệ thống không hiểu yêu cầu này")


def test_an_expired_form_gets_the_house_page_that_says_so():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/dang-nhap/", {"username": "a", "password": "b"})

    assert response.status_code == 403
    assert_house_page(response.content.decode(), "Biểu mẫu đã hết hạn, vui lòng gửi lại")
