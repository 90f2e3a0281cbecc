from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from motcua.catalog.text import fold, word_set_key

from .factories import FeeFactory, ProcedureFactory, RequiredDocumentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đăng ký khai sinh", "dang ky khai sinh"),  # đ and tones
        ("ĐĂNG KÝ   KẾT HÔN", "dang ky ket hon"),  # capitals, repeated spaces
        ("Đăng ký nhận cha, mẹ, con", "dang ky nhan cha me con"),  # punctuation
        ("Mã 1.001193.", "ma 1.001193"),  # dots inside codes stay, trailing dot goes
        ("", ""),
    ],
)
def test_fold_strips_diacritics_case_and_punctuation(text, folded):
    assert fold(text) == folded


def test_word_set_key_ignores_word_order():
    assert word_set_key("khai sinh đăng ký") == word_set_key("Đăng ký khai sinh")


def test_saving_a_procedure_refreshes_its_search_columns():
    procedure = ProcedureFactory(name="Đăng ký khai sinh", code="1.001193")
    assert procedure.search_name == "dang ky khai sinh"
    procedure.name = "Đăng ký khai tử"
    procedure.save(update_fields=["name"])
    procedure.refresh_from_db()
    assert procedure.search_name == "dang ky khai tu"
    assert procedure.search_text.startswith("1.001193 dang ky khai tu")


def test_online_channel_uses_its_own_time_limit_when_set():
    procedure = ProcedureFactory(
        time_limit_value=Decimal("3"),
        online_time_limit_value=Decimal("2"),
        online_time_limit_unit="working_days",
    )
    assert procedure.time_limit_for("counter") == (Decimal("3"), "working_days")
    assert procedure.time_limit_for("online") == (Decimal("2"), "working_days")
    assert procedure.time_limit_display() == "3 ngày làm việc"


def test_same_day_procedure_shows_trong_ngay():
    assert ProcedureFactory(same_day=True).time_limit_display() == "Trong ngày"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"time_limit_unit": ""}, "time_limit_unit"),
        ({"time_limit_unit": "same_day"}, "time_limit_value"),
        ({"online_time_limit_value": Decimal("1")}, "online_time_limit_unit"),
        ({"levels": "district,planet"}, "levels"),
        ({"on_the_spot_decision": "1691/QĐ-UBND"}, "on_the_spot"),
        ({"online_level": "level9"}, "online_level"),
    ],
)
def test_inconsistent_procedure_is_refused(changes, field):
    procedure = ProcedureFactory.build(**changes)
    procedure.field.save()
    procedure.resolving_agency.unit.level.save()
    procedure.resolving_agency.unit.save()
    procedure.resolving_agency.save()
    procedure.field_id = procedure.field.pk
    procedure.resolving_agency_id = procedure.resolving_agency.pk
    with pytest.raises(ValidationError) as excinfo:
        procedure.full_clean()
    assert field in excinfo.value.message_dict


def test_fee_online_amount_may_not_exceed_the_counter_amount():
    fee = FeeFactory.build(procedure=ProcedureFactory(), amount=100_000, online_amount=150_000)
    with pytest.raises(ValidationError) as excinfo:
        fee.full_clean()
    assert "online_amount" in excinfo.value.message_dict
    assert FeeFactory(amount=100_000, online_amount=50_000).amount_for("online") == 50_000


def test_document_needs_an_original_or_a_copy():
    document = RequiredDocumentFactory.build(procedure=ProcedureFactory(), original_count=0, copy_count=0)
    with pytest.raises(ValidationError, match="ít nhất một bản chính hoặc một bản sao"):
        document.full_clean()
    assert RequiredDocumentFactory(copy_count=2, certified_copy=True).quantity_display == (
        "1 bản chính, 2 bản sao có chứng thực"
    )
