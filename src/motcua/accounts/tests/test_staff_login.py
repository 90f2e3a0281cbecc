import pytest

from motcua.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_wrong_password_is_refused_with_a_vietnamese_message(client):
    UserFactory(username="canbo", password="mat-khau-an-toan-1")
    response = client.post("/dang-nhap/", {"username": "canbo", "password": "sai"})

    assert response.status_code == 200
    assert "mật khẩu chính xác" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_staff_log_in_and_out(client):
    UserFactory(username="canbo", full_name="Nguyễn Thị Hoa", password="mat-khau-an-toan-1")
    response = client.post(
        "/dang-nhap/", {"username": "canbo", "password": "mat-khau-an-toan-1"}, follow=True
    )
    assert "Xin chào Nguyễn Thị Hoa" in response.content.decode()
    response = client.post("/dang-xuat/", follow=True)
    assert "Xin chào" not in response.content.decode()


def test_password_change_pages_are_vietnamese_and_refuse_a_bad_old_password(client):
    user = UserFactory(username="canbo", password="mat-khau-an-toan-1")
    client.force_login(user)
    page = client.get("/doi-mat-khau/").content.decode()
    assert "Mật khẩu cũ" in page and "Đổi mật khẩu" in page

    response = client.post(
        "/doi-mat-khau/",
        {
            "old_password": "sai",
            "new_password1": "Mot-mat-khau-moi-2025",
            "new_password2": "Mot-mat-khau-moi-2025",
        },
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password("mat-khau-an-toan-1")

    response = client.post(
        "/doi-mat-khau/",
        {
            "old_password": "mat-khau-an-toan-1",
            "new_password1": "Mot-mat-khau-moi-2025",
            "new_password2": "Mot-mat-khau-moi-2025",
        },
        follow=True,
    )
    assert "Đã đổi mật khẩu" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("Mot-mat-khau-moi-2025")
