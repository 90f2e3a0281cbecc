import datetime

from django import forms
from django.utils import translation
from django.utils.formats import date_format


class DateForm(forms.Form):
    day = forms.DateField()


def test_a_typed_date_is_read_day_first_in_vietnamese_and_english():
    for language in ("vi", "en"):
        with translation.override(language):
            form = DateForm(data={"day": "02/01/2025"})
            assert form.is_valid(), form.errors
            assert form.cleaned_data["day"] == datetime.date(2025, 1, 2)


def test_dates_are_shown_as_dd_mm_yyyy():
    with translation.override("vi"):
        assert date_format(datetime.date(2025, 1, 2), "SHORT_DATE_FORMAT") == "02/01/2025"
