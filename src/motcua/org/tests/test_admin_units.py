"""Levels and units are data with validity dates; mergers take effect from a date."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from motcua.org.models import AdminLevel, AdminUnit
from motcua.org.services import merge_units
from motcua.org.tests.factories import AdminUnitFactory

pytestmark = pytest.mark.django_db

REFORM = datetime.date(2025, 7, 1)


@pytest.fixture
def levels():
    return {
        "province": AdminLevel.objects.create(code="province", name="Cấp tỉnh", rank=1),
        "district": AdminLevel.objects.create(
            code="district", name="Cấp huyện", rank=2, valid_to=REFORM - datetime.timedelta(days=1)
        ),
        "commune": AdminLevel.objects.create(code="commune", name="Cấp xã", rank=3),
    }


def unit(code, name, level, parent=None, kind=AdminUnit.Kind.COMMUNE, **kwargs):
    return AdminUnitFactory(code=code, name=name, level=level, parent=parent, kind=kind, **kwargs)


def test_three_tier_in_2022_and_two_tier_after_july_2025_are_both_just_data(levels):
    province = unit("27", "Tỉnh Bắc Ninh", levels["province"], kind=AdminUnit.Kind.PROVINCE)
    district = unit(
        "263",
        "Huyện Gia Bình",
        levels["district"],
        province,
        AdminUnit.Kind.DISTRICT,
        valid_to=REFORM - datetime.timedelta(days=1),
    )
    dai_bai = unit("09490", "Xã Đại Bái", levels["commune"], district)
    quynh_phu = unit("09493", "Xã Quỳnh Phú", levels["commune"], district)
    new_gia_binh = unit("N-GB", "Xã Gia Bình", levels["commune"], province, valid_from=REFORM)
    merge_units([dai_bai, quynh_phu], into=new_gia_binh, effective_date=REFORM)

    in_2022 = datetime.date(2022, 9, 30)
    assert [lv.code for lv in AdminLevel.objects.valid_on(in_2022)] == ["province", "district", "commune"]
    assert [lv.code for lv in AdminLevel.objects.valid_on(REFORM)] == ["province", "commune"]
    assert set(AdminUnit.objects.valid_on(in_2022).values_list("code", flat=True)) == {
        "27",
        "263",
        "09490",
        "09493",
    }
    assert set(AdminUnit.objects.valid_on(REFORM).values_list("code", flat=True)) == {"27", "N-GB"}
    # A commune of 2025 sits directly under the province.
    assert new_gia_binh.ancestors() == [province]
    assert dai_bai.ancestors() == [district, province]


def test_merged_unit_hands_over_from_the_effective_date(levels):
    a = unit("09490", "Xã Đại Bái", levels["commune"])
    b = unit("09454", "Thị trấn Gia Bình", levels["commune"], kind=AdminUnit.Kind.TOWNSHIP)
    into = unit("N-GB", "Xã Gia Bình", levels["commune"])

    merge_units([a, b], into=into, effective_date=REFORM)

    a.refresh_from_db()
    into.refresh_from_db()
    assert a.valid_to == datetime.date(2025, 6, 30)
    assert a.successor == into
    assert into.valid_from == REFORM
    assert a.is_valid_on(datetime.date(2025, 6, 30)) and not a.is_valid_on(REFORM)
    assert a.successor_on(datetime.date(2025, 6, 30)) == a
    assert a.successor_on(REFORM) == into
    assert list(into.predecessors.order_by("code")) == [b, a]


def test_merger_refuses_bad_requests_and_changes_nothing(levels):
    a = unit("09490", "Xã Đại Bái", levels["commune"])
    district = unit("263", "Huyện Gia Bình", levels["district"], kind=AdminUnit.Kind.DISTRICT)
    old = unit("OLD", "Xã Cũ", levels["commune"], valid_to=datetime.date(2020, 1, 1))

    with pytest.raises(ValidationError, match="không cùng cấp"):
        merge_units([a], into=district, effective_date=REFORM)
    with pytest.raises(ValidationError, match="chính nó"):
        merge_units([a], into=a, effective_date=REFORM)
    with pytest.raises(ValidationError, match="đã hết hiệu lực"):
        merge_units([a], into=old, effective_date=REFORM)
    with pytest.raises(ValidationError, match="Chưa chọn"):
        merge_units([], into=old, effective_date=REFORM)
    a.refresh_from_db()
    assert a.successor is None and a.valid_to is None


def test_a_unit_s_parent_must_be_a_higher_level_and_a_merged_unit_needs_an_end_date(levels):
    province = unit("27", "Tỉnh Bắc Ninh", levels["province"], kind=AdminUnit.Kind.PROVINCE)
    district = unit("263", "Huyện Gia Bình", levels["district"], province, AdminUnit.Kind.DISTRICT)
    commune = unit("09490", "Xã Đại Bái", levels["commune"], district)

    province.parent = commune
    with pytest.raises(ValidationError) as exc:
        province.full_clean()
    assert exc.value.message_dict["parent"] == ["Đơn vị cấp trên phải ở cấp cao hơn đơn vị này."]
    province.parent = None

    commune.successor = unit("09493", "Xã Quỳnh Phú", levels["commune"], district)
    with pytest.raises(ValidationError) as exc:
        commune.full_clean()
    assert exc.value.message_dict["valid_to"] == ["Đơn vị đã sáp nhập cần có ngày hết hiệu lực."]
    commune.valid_to = datetime.date(2025, 6, 30)
    commune.full_clean()


def test_agency_identity_codes_follow_circular_10_2016():
    from motcua.org.tests.factories import AgencyFactory

    agency = AgencyFactory.build(identity_code=" 000.01.99.h06 ", unit=AdminUnitFactory())
    agency.full_clean()
    assert agency.identity_code == "000.01.99.H06"
    agency.identity_code = "TP-GB"
    with pytest.raises(ValidationError) as exc:
        agency.full_clean()
    assert "Mã định danh phải có dạng 000.00.00.H06" in exc.value.message_dict["identity_code"][0]
