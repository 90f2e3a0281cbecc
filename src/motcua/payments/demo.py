"""Demo data: an open receipt book (mẫu số 01BLP0-001, series of the current year) for every agency of the demo, and two dossiers of the
Phòng Tư pháp whose fees are computed: one waiting at the counter for collection ("Chờ thu phí"), one waiting
for its financial obligation, which the citizen can pay online through the sandbox. Idempotent."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils import timezone

from motcua.catalog.models import Fee, Procedure
from motcua.org.models import Agency

from . import workflow
from .models import FeeLine, ReceiptBook
from .symbols import LETTERS

TEMPLATE_NO = "01BLP0-001"


def series_for(agency, year: int) -> str:
    """The agency's series for `year` (`symbols`): the first two letters of its short name that the rules allow
    (BL when it has fewer), the year's last two digits, E for electronic: "TP-26E". Communes share a short name
    ("UBND-XA"), and a reorganisation merging one into another refuses two books with the same symbols: a series
    another agency already uses takes the next free pair of letters."""
    letters = "".join(c for c in agency.short_name.upper() if c in LETTERS)
    first = (letters + "BL")[:2] if len(letters) < 2 else letters[:2]
    suffix = f"-{year % 100:02d}E"
    used = set(ReceiptBook.objects.exclude(agency=agency).values_list("series", flat=True))
    pairs = [first] + [a + b for a in LETTERS for b in LETTERS]
    return next(p + suffix for p in pairs if p + suffix not in used)


def load():
    year = timezone.localdate().year
    for agency in Agency.objects.exclude(short_name=""):
        if ReceiptBook.objects.filter(
            agency=agency, template_no=TEMPLATE_NO, series__endswith=f"-{year % 100:02d}E"
        ).exists():
            continue
        series = series_for(agency, year)
        book = ReceiptBook(
            agency=agency,
            template_no=TEMPLATE_NO,
            series=series,
            name=f"Biên lai thu phí, lệ phí {agency.short_name} năm {year}",
        )
        workflow.create(book, "open", note=f"{TEMPLATE_NO} {series}")
    _dossiers_with_fees()
    return []


def _dossiers_with_fees() -> None:
    from motcua.dossiers import services
    from motcua.dossiers.applicants import find_or_create_applicant

    from .fees import compute_fee_lines

    if FeeLine.objects.exists():
        return
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=["tiepnhan", "chuyenvien.tp"])
    }
    justice = Agency.objects.filter(short_name="TP").first()
    if justice is None or len(users) < 2:
        return
    priced = Fee.objects.filter(procedure=OuterRef("pk"), amount__gt=0)
    procedure = (
        Procedure.objects.filter(
            resolving_agency=justice,
            status=Procedure.Status.PUBLISHED,
            process_templates__variant="normal",
        )
        .filter(Exists(priced))
        .exclude(time_limit_unit="same_day")
        .distinct()
        .order_by("code")
        .first()
    )
    if procedure is None:
        return
    officer, specialist = users["tiepnhan"], users["chuyenvien.tp"]
    people = [
        ("Phan Thị Ngọc (dữ liệu mẫu)", "027195800021", "0912800021"),
        ("Hà Văn Phúc (dữ liệu mẫu)", "027095800022", "0912800022"),
    ]
    dossiers = []
    for name, id_number, phone in people:
        applicant = find_or_create_applicant(
            applicant_type="citizen",
            name=name,
            id_type="cccd",
            id_number=id_number,
            phone=phone,
            address="Thôn Đông Bình, xã Đông Cứu, huyện Gia Bình, tỉnh Bắc Ninh",
        )
        dossiers.append(services.intake(procedure=procedure, applicant=applicant, actor=officer))
    waiting = services.advance(dossiers[1], officer, note="Đủ điều kiện, chuyển bước tiếp theo")
    waiting = services.request_financial_obligation(waiting, specialist, note="Đề nghị nộp phí, lệ phí")
    for dossier in (dossiers[0], waiting):
        compute_fee_lines(dossier, by=officer)
