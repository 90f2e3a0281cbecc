"""The user guides show only pictures the browser tests take (tests/guide_screenshots.py) and that are on disk;
every picture on the list is used by a guide."""

import re

from .guide_screenshots import GUIDES, IMAGES, SCREENSHOTS

IMAGE_LINK = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")


def _shown() -> dict[str, list[str]]:
    shown: dict[str, list[str]] = {}
    for guide in sorted(GUIDES.glob("*.md")):
        for target in IMAGE_LINK.findall(guide.read_text(encoding="utf-8")):
            shown.setdefault(target, []).append(guide.name)
    return shown


def test_every_picture_a_guide_shows_is_taken_by_the_browser_tests_and_on_disk():
    shown = _shown()
    assert shown, "the guides show no picture"
    problems = []
    for target, guides in shown.items():
        name = target.removeprefix("img/")
        if not target.startswith("img/") or name not in SCREENSHOTS:
            problems.append(
                f"{target} (in {', '.join(guides)}) is not taken by tests/e2e/test_guide_screenshots.py"
            )
        elif not (IMAGES / name).is_file():
            problems.append(
                f"{target} (in {', '.join(guides)}) is missing from src/motcua/backoffice/guides/img/"
            )
    assert not problems, "\n".join(problems)


def test_every_picture_taken_is_used_by_a_guide():
    used = {target.removeprefix("img/") for target in _shown()}
    assert set(SCREENSHOTS) <= used, f"taken but shown by no guide: {sorted(set(SCREENSHOTS) - used)}"


def test_a_guide_with_a_missing_picture_is_caught(tmp_path, monkeypatch):
    (tmp_path / "x.md").write_text("![Ảnh](img/khong-co.png)\n", encoding="utf-8")
    monkeypatch.setattr("tests.test_guides.GUIDES", tmp_path)
    try:
        test_every_picture_a_guide_shows_is_taken_by_the_browser_tests_and_on_disk()
    except AssertionError as exc:
        assert "img/khong-co.png (in x.md) is not taken" in str(exc)
    else:
        raise AssertionError("a missing picture was not caught")
