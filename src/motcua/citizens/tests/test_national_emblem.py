"""The top bar shows the national emblem the deployment provides (MOTCUA_EMBLEM); none is bundled."""

from pathlib import Path

import pytest

import motcua

pytestmark = pytest.mark.django_db


def test_without_a_configured_emblem_the_top_bar_shows_none(client, settings):
    settings.MOTCUA_EMBLEM = ""
    page = client.get("/tra-cuu-ho-so/").content.decode()
    assert 'class="emblem"' not in page and "HỆ THỐNG MỘT CỬA ĐIỆN TỬ" in page


def test_the_configured_emblem_is_shown_top_left_with_its_alt_text_and_served(client, settings, tmp_path):
    artwork = tmp_path / "trien-khai"
    artwork.mkdir()
    (artwork / "quoc-huy.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, artwork]
    settings.MOTCUA_EMBLEM = "quoc-huy.png"
    page = client.get("/tra-cuu-ho-so/").content.decode()
    banner = page[page.index('<header class="topbar"') : page.index("</header>")]
    assert '<img class="emblem" src="/static/quoc-huy.png" alt="Quốc huy" height="40">' in banner
    assert banner.index('class="emblem"') < banner.index("HỆ THỐNG MỘT CỬA ĐIỆN TỬ")  # beside the name, first
    response = client.get("/static/quoc-huy.png")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_no_emblem_artwork_is_bundled_with_the_project():
    package = Path(motcua.__file__).parent
    names = [
        p.name.lower() for p in package.rglob("*") if p.suffix.lower() in {".png", ".svg", ".jpg", ".webp"}
    ]
    assert not [n for n in names if "emblem" in n or "quoc-huy" in n or "quochuy" in n]
