"""Demo data: an open receipt book (mẫu số 01BLP0-001) for every agency that collects fees at the demo center
and for every commune's People's Committee. Idempotent."""

from motcua.org.models import Agency

from .models import ReceiptBook

TEMPLATE_NO = "01BLP0-001"
SERIES_SUFFIX = "26E"  # the year 2026, electronic


def load():
    for agency in Agency.objects.exclude(short_name=""):
        series = f"{agency.short_name}-{SERIES_SUFFIX}".replace(" ", "")[:30]
        ReceiptBook.objects.get_or_create(
            agency=agency,
            template_no=TEMPLATE_NO,
            series=series,
            defaults={"name": f"Biên lai thu phí, lệ phí {agency.short_name} năm 2026"},
        )
    return []
