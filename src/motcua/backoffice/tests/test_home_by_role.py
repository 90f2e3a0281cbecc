import pytest

from motcua import menu
from motcua.accounts.models import User
from motcua.accounts.tests.factories import UserFactory
from motcua.org import demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    demo.load()


@pytest.mark.parametrize(
    ("username", "heading", "absent"),
    [
        ("tiepnhan", "Cán bộ tiếp nhận", "Nhật ký thay đổi"),
        ("chuyenvien.tp", "Chuyên viên", "Nhật ký thay đổi"),
        ("lanhdao.tp", "Lãnh đạo", "Quản trị danh mục"),
        ("vanthu", "Văn thư", "Nhật ký thay đổi"),
        ("giamdoc", "Giám đốc trung tâm, giám sát", "Quản trị danh mục"),
        ("admin", "Quản trị hệ thống", None),
    ],
)
def test_each_role_sees_its_own_home(client, loaded, username, heading, absent):
    client.force_login(User.objects.get(username=username))
    page = client.get("/").content.decode()

    assert f">{heading}</h2>" in page
    assert "Cơ quan trong phạm vi công tác" in page
    assert "Đổi mật khẩu" in page
    if absent:
        assert absent not in page


def test_supervisor_and_admin_get_the_audit_trail_and_admin_gets_master_data(client, loaded):
    client.force_login(User.objects.get(username="giamdoc"))
    assert 'href="/nhat-ky-thay-doi/"' in client.get("/").content.decode()
    client.force_login(User.objects.get(username="admin"))
    page = client.get("/").content.decode()
    assert 'href="/admin/"' in page and 'href="/nhat-ky-thay-doi/"' in page


def test_an_account_without_assignment_is_told_so(client):
    client.force_login(UserFactory())
    assert "chưa được phân công vai trò nào" in client.get("/").content.decode()


def test_visitors_see_the_public_face_and_a_login_link(client):
    page = client.get("/").content.decode()
    assert "Trung tâm Hành chính công" in page and 'href="/dang-nhap/"' in page


def test_other_apps_add_entries_and_entries_without_a_page_are_never_shown(client, loaded):
    menu.register(
        "test.inbox",
        "Mới tiếp nhận",
        "org:agency_list",
        query="trang-thai=moi",
        roles=("reception_officer",),
        group="Tiếp nhận hồ sơ",
        count=lambda user: 7,
    )
    menu.register("test.dead", "Chưa có trang", "dossiers:does-not-exist", roles=("reception_officer",))
    try:
        client.force_login(User.objects.get(username="tiepnhan"))
        page = client.get("/").content.decode()
        assert 'href="/co-quan/?trang-thai=moi"' in page and "Tiếp nhận hồ sơ" in page
        assert '<span class="badge" aria-label="7 hồ sơ">7</span>' in page
        assert "Chưa có trang" not in page
        client.force_login(User.objects.get(username="chuyenvien.tp"))
        assert "Mới tiếp nhận" not in client.get("/").content.decode()
    finally:
        menu.unregister("test.inbox")
        menu.unregister("test.dead")


def test_every_link_on_every_demo_home_page_opens(client, loaded):
    import re

    for username, *_rest in demo.DEMO_USERS:
        client.force_login(User.objects.get(username=username))
        page = client.get("/").content.decode()
        links = {href for href in re.findall(r'href="(/[^"]*)"', page) if not href.startswith("/static/")}
        assert len(links) > 1, (username, links)  # the home page offers its role's screens, not only itself
        for href in links:
            assert client.get(href).status_code == 200, (username, href)


def test_all_assets_are_served_by_the_project(client):
    import re

    page = client.get("/dang-nhap/").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+\.(?:css|js))"', page)
    assert assets, "the shell references its stylesheet and script"
    for url in assets:
        assert url.startswith("/static/"), url
        response = client.get(url)
        assert response.status_code == 200, url
    assert "http://" not in page.replace("http://testserver", "") and "https://" not in page
