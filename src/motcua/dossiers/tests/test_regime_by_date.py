"""Each dossier takes the rules in force where and when it is received (regime periods as data), keeps them for
life, and prints the forms of its regime."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import override_settings
from pypdf import PdfReader

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, RegimePeriod
from motcua.dossiers.pdf_forms import render_form
from motcua.dossiers.regimes import regime_on

from .conftest import bearer
from .factories import ApplicantFactory
from .two_tier import TwoTierProvince

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def test_the_default_periods_switch_from_decree_61_to_decree_118_on_1_july_2025():
    assert regime_on(datetime.date(2022, 11, 7)) == "2018"
    assert regime_on(datetime.date(2025, 6, 30)) == "2018"
    assert regime_on(datetime.date(2025, 7, 1)) == "2025"
    assert regime_on(datetime.date(2026, 12, 31)) == "2025"


def test_a_province_with_its_own_date_wins_over_the_nationwide_one():
    land = TwoTierProvince()
    RegimePeriod.objects.create(province=land.province, regime="2018", valid_from=datetime.date(2025, 7, 1))
    RegimePeriod.objects.create(province=land.province, regime="2025", valid_from=datetime.date(2025, 9, 15))
    assert regime_on(datetime.date(2025, 8, 1), land.province.pk) == "2018"
    assert regime_on(datetime.date(2025, 9, 15), land.province.pk) == "2025"
    assert regime_on(datetime.date(2025, 8, 1), land.other_province.pk) == "2025"
    assert regime_on(datetime.date(2024, 1, 1), land.province.pk) == "2018"  # before its own periods


@override_settings(MOTCUA_RULE_REGIME="2025")
def test_the_setting_answers_only_for_a_day_no_period_covers():
    assert regime_on(datetime.date(2022, 11, 7)) == "2018"
    RegimePeriod.objects.filter(valid_from__isnull=True).delete()  # only "2025 from 01/07/2025" is left
    assert regime_on(datetime.date(2022, 11, 7)) == "2025"
    assert regime_on(datetime.date(2025, 7, 1)) == "2025"


def test_without_any_stored_period_the_laws_dates_apply():
    RegimePeriod.objects.all().delete()
    assert regime_on(datetime.date(2025, 6, 30)) == "2018"
    assert regime_on(datetime.date(2025, 7, 1)) == "2025"


def test_a_dossier_imported_with_a_2022_receipt_is_2018_and_prints_the_2018_forms(client):
    land = TwoTierProvince()
    land.a.valid_from = None  # the commune's agency existed before (as it did, under the district)
    land.a.save()
    with time_machine.travel(datetime.datetime(2026, 2, 10, 9, 30, tzinfo=HCM), tick=False):
        response = client.post(
            "/api/v1/dossiers",
            {
                "procedure": "1.001193",
                "applicant": {"type": "citizen", "name": "Ngô Văn Cũ", "id_number": "027190000555"},
                "agency": land.a.identity_code,
                "received_at": "2022-11-07T09:00:00+07:00",
            },
            content_type="application/json",
            **bearer(land.superuser),
        )
        assert response.status_code == 201, response.content
        assert response.json()["regime"] == "2018"
        today = services.intake(
            procedure=land.procedure, applicant=ApplicantFactory(), actor=land.staff_a.officer
        )
    old = Dossier.objects.get(code=response.json()["code"])
    assert (old.regime, today.regime) == ("2018", "2025")
    old_text = text_of(render_form(old, "05"))
    assert "Mẫu số 05" in old_text and "01/2018/TT-VPCP" in old_text
    new_text = text_of(render_form(today, "05"))
    assert "Mẫu số 06" in new_text and "03/2025/TT-VPCP" in new_text
    pdf = client.get(f"/api/v1/dossiers/{old.code}/forms/01", **bearer(land.superuser))
    assert pdf.status_code == 200 and "01/2018/TT-VPCP" in text_of(pdf.content)


def test_a_dossier_keeps_its_regime_when_the_periods_change_later():
    land = TwoTierProvince()
    with time_machine.travel(datetime.datetime(2026, 2, 10, 9, 30, tzinfo=HCM), tick=False):
        dossier = services.intake(
            procedure=land.procedure, applicant=ApplicantFactory(), actor=land.staff_a.officer
        )
        RegimePeriod.objects.create(
            province=land.province, regime="2018", valid_from=datetime.date(2026, 1, 1)
        )
        dossier = services.advance(dossier, land.staff_a.officer)
    dossier.refresh_from_db()
    assert dossier.regime == "2025"


def test_two_periods_starting_the_same_day_for_one_scope_are_refused():
    from django.core.exceptions import ValidationError

    duplicate = RegimePeriod(regime="2018", valid_from=datetime.date(2025, 7, 1))
    with pytest.raises(ValidationError, match="cùng ngày"):
        duplicate.full_clean()


def test_a_dossier_received_after_1_july_2025_but_before_the_province_adopted_the_2025_forms_prints_the_old_forms():
    land = TwoTierProvince()
    RegimePeriod.objects.create(
        province=land.province,
        regime="2025",
        valid_from=datetime.date(2025, 7, 1),
        forms_from=datetime.date(2025, 9, 1),
        basis="Quyết định áp dụng biểu mẫu (thử nghiệm)",
    )
    dossiers = []
    for instant in (
        datetime.datetime(2025, 8, 4, 9, 30, tzinfo=HCM),
        datetime.datetime(2025, 9, 3, 9, 30, tzinfo=HCM),
    ):
        with time_machine.travel(instant, tick=False):
            dossiers.append(
                services.intake(
                    procedure=land.procedure, applicant=ApplicantFactory(), actor=land.staff_a.officer
                )
            )
    before, after = dossiers
    assert before.regime == after.regime == "2025"  # the rules are the 2025 ones; only the forms differ
    old_text = text_of(render_form(before, "05"))
    assert "Mẫu số 05" in old_text and "01/2018/TT-VPCP" in old_text
    new_text = text_of(render_form(after, "05"))
    assert "Mẫu số 06" in new_text and "03/2025/TT-VPCP" in new_text


def test_the_forms_cannot_be_adopted_before_the_period_starts():
    from django.core.exceptions import ValidationError

    period = RegimePeriod(
        regime="2025", valid_from=datetime.date(2025, 8, 1), forms_from=datetime.date(2025, 6, 1)
    )
    with pytest.raises(ValidationError, match="không được trước ngày bắt đầu"):
        period.full_clean()
    assert not RegimePeriod.objects.filter(forms_from=datetime.date(2025, 6, 1)).exists()
