"""The pictures of the user guides (docs/guides/): each is taken by the browser test
tests/e2e/test_guide_screenshots.py, which fails if it did not produce one of them, and tests/test_guides.py
fails when a guide shows a picture that is not in this list or not on disk."""

from pathlib import Path

GUIDES = Path(__file__).resolve().parents[1] / "docs" / "guides"
IMAGES = GUIDES / "img"

SCREENSHOTS = {
    # Reception officer (cán bộ tiếp nhận)
    "can-bo-dang-nhap.png": "the staff login page",
    "can-bo-trang-chu.png": "the reception officer's home page",
    "quay-dang-cho.png": "the counter page with a ticket waiting",
    "quay-dang-phuc-vu.png": "the counter page serving the ticket",
    "tiep-nhan-ho-so.png": "the counter intake form, filled in",
    "ho-so-da-tiep-nhan.png": "the received dossier with its print buttons",
    "in-hang-loat.png": "batch printing: the day's receipts and the tracking book",
    # Citizen (công dân)
    "cong-dan-trang-chu.png": "the public home page",
    "cong-dan-trang-chu-dien-thoai.png": "the public home page on a phone",
    "cong-dan-tra-cuu.png": "the dossier lookup page",
    "cong-dan-ho-so-cua-toi.png": "the citizen's page with a dossier received at the counter",
}
