import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_an_english_browser_still_gets_vietnamese_screens(client):
    html = client.get("/dang-nhap/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Đăng nhập" in html
    assert 'lang="vi"' in html


def test_english_is_what_the_person_chooses_in_the_language_menu(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/dang-nhap/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get("/dang-nhap/").content.decode()
    assert 'lang="en"' in html
    assert "Log in" in html


def test_an_unknown_language_cookie_falls_back_to_vietnamese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert 'lang="vi"' in client.get("/dang-nhap/").content.decode()
