"""The user guides are served by the application, in the site's layout, and linked from each role's home."""

import pytest
from django.urls import reverse

from motcua.accounts.tests.factories import UserFactory
from motcua.backoffice import guide_pages
from motcua.backoffice.guide_pages import inline, to_html
from motcua.dossiers.tests.factories import ProcedureWithProcessFactory, grant
from motcua.org.models import Role


def test_headings_paragraphs_and_lists_become_html():
    html = to_html(
        "# Tiêu đề\n\nMột đoạn\nhai dòng.\n\n## Mục\n\n1. Bước một\n   tiếp tục\n2. Bước hai\n\n- Ý một\n- Ý hai\n"
    )

    assert html.split("\n") == [
        "<h1>Tiêu đề</h1>",
        "<p>Một đoạn hai dòng.</p>",
        "<h2>Mục</h2>",
        "<ol><li>Bước một tiếp tục</li><li>Bước hai</li></ol>",
        "<ul><li>Ý một</li><li>Ý hai</li></ul>",
    ]


def test_bold_code_and_links_to_other_guides_are_rendered_and_pictures_served_by_the_site():
    assert inline("Bấm **Lưu hồ sơ** và `Tab`") == "Bấm <strong>Lưu hồ sơ</strong> và <code>Tab</code>"
    assert inline("[Công dân](cong-dan.md)") == '<a href="/huong-dan/cong-dan/">Công dân</a>'
    assert inline("[Mục lục](README.md)") == '<a href="/huong-dan/">Mục lục</a>'
    html = to_html("![Trang chủ](img/can-bo-trang-chu.png)")
    assert '<img src="/huong-dan/anh/can-bo-trang-chu.png" alt="Trang chủ"' in html


def test_a_guide_cannot_put_markup_or_script_links_in_the_page():
    html = to_html('Chữ <script>alert(1)</script> và [x](javascript:alert(1)) "a"\n')

    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert 'href="#"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "slug",
    ["can-bo-tiep-nhan", "thu-phi", "chuyen-vien", "lanh-dao", "van-thu", "giam-sat", "quan-tri", "cong-dan"],
)
def test_each_guide_is_shown_in_the_site_layout_with_its_pictures(client, slug):
    response = client.get(f"/huong-dan/{slug}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert '<main id="main"' in page
    assert "<h1>Hướng dẫn" in page
    text = guide_pages.guide_path(slug).read_text(encoding="utf-8")
    pictures = [
        guide_pages.IMAGE_LINE.match(line).group(2) for line in text.splitlines() if line.startswith("![")
    ]
    assert pictures, "every guide shows at least one picture"
    for name in (target.removeprefix("img/") for target in pictures):
        assert f'src="/huong-dan/anh/{name}"' in page
        assert client.get(f"/huong-dan/anh/{name}").status_code == 200


@pytest.mark.django_db
def test_the_list_of_guides_links_every_role_guide(client):
    page = client.get("/huong-dan/").content.decode()

    for slug in (
        "can-bo-tiep-nhan",
        "chuyen-vien",
        "lanh-dao",
        "van-thu",
        "giam-sat",
        "quan-tri",
        "cong-dan",
    ):
        assert f'href="/huong-dan/{slug}/"' in page


@pytest.mark.django_db
def test_a_picture_is_served_as_png(client):
    response = client.get("/huong-dan/anh/can-bo-trang-chu.png")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/huong-dan/khong-co/",
        "/huong-dan/anh/khong-co.png",
        "/huong-dan/anh/..%2Fchuyen-vien.md",
        "/huong-dan/anh/README.md",
    ],
)
def test_an_unknown_guide_or_picture_is_not_found_in_vietnamese(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()
    assert "image/" not in response["Content-Type"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "slug"),
    [
        (Role.RECEPTION_OFFICER, "can-bo-tiep-nhan"),
        (Role.SPECIALIST, "chuyen-vien"),
        (Role.LEADER, "lanh-dao"),
        (Role.CLERK, "van-thu"),
        (Role.SUPERVISOR, "giam-sat"),
        (Role.ADMINISTRATOR, "quan-tri"),
    ],
)
def test_each_role_home_links_to_its_own_guide(client, role, slug):
    user = UserFactory()
    grant(user, role, ProcedureWithProcessFactory().resolving_agency)
    client.force_login(user)

    page = client.get("/").content.decode()

    section = page.split(f'data-role="{role}"')[1].split("</section>")[0]
    assert f'<a href="{reverse("guide", kwargs={"slug": slug})}">Hướng dẫn sử dụng</a>' in section
    others = set(guide_pages.ROLE_GUIDES) - {role}
    for other in others:
        other_slug = guide_pages.ROLE_GUIDES[other][0][0]
        assert f'href="/huong-dan/{other_slug}/"' not in page


@pytest.mark.django_db
def test_the_reception_officer_home_also_links_to_the_fee_guide(client):
    user = UserFactory()
    grant(user, Role.RECEPTION_OFFICER, ProcedureWithProcessFactory().resolving_agency)
    client.force_login(user)

    assert 'href="/huong-dan/thu-phi/">Hướng dẫn thu phí, lệ phí</a>' in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_citizen_page_links_to_the_citizen_guide(client):
    from motcua.citizens.models import CitizenProfile
    from motcua.dossiers.tests.factories import ApplicantFactory

    citizen = UserFactory(username="027190000555")
    CitizenProfile.objects.create(
        user=citizen,
        applicant=ApplicantFactory(id_number="027190000555"),
        identity_checked_by=CitizenProfile.IdentityCheck.COUNTER,
    )
    client.force_login(citizen)

    page = client.get(reverse("citizens:home")).content.decode()

    assert '<a href="/huong-dan/cong-dan/">Hướng dẫn sử dụng</a>' in page
