"""The pictures of the user guides (src/motcua/backoffice/guides/): each is taken by the browser test
tests/e2e/test_guide_screenshots.py, which fails if it did not produce one of them, and tests/test_guides.py
fails when a guide shows a picture that is not in this list or not on disk."""

from pathlib import Path

GUIDES = Path(__file__).resolve().parents[1] / "src" / "motcua" / "backoffice" / "guides"
IMAGES = GUIDES / "img"

FRONT_OFFICE = {
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
# The other staff roles, taken by test_the_back_office_guides_pictures_are_taken_on_the_real_screens
BACK_OFFICE = {
    "chuyen-vien-trang-chu.png": "the specialist's home page",
    "chuyen-vien-ho-so.png": "a dossier at the specialist's step, with the processing actions",
    "lanh-dao-trang-chu.png": "the leader's home page",
    "van-thu-trang-chu.png": "the clerk's home page",
    "giam-sat-theo-doi.png": "the supervisor's dashboard of dossiers due and overdue",
    "quan-tri-trang-chu.png": "the administrator's home page",
}
SCREENSHOTS = {**FRONT_OFFICE, **BACK_OFFICE}
