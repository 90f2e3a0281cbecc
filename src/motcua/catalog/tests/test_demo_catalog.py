import pytest
from django.db.models import Count

from motcua.catalog import demo
from motcua.catalog.models import Procedure, ProcessStep, ProcessTemplate
from motcua.org.models import Agency

pytestmark = pytest.mark.django_db

KNOWN = {
    "1.001193": "Đăng ký khai sinh",
    "1.000894": "Đăng ký kết hôn",
    "1.001612": "Đăng ký thành lập hộ kinh doanh",
    "1.013225": "Cấp giấy phép xây dựng mới (nhà ở riêng lẻ)",
    "2.002481": "Chuyển trường đối với học sinh trung học cơ sở",
}


@pytest.fixture
def loaded():
    demo.load()


def test_demo_center_lists_288_procedures_with_the_known_codes_and_names(loaded):
    assert Procedure.objects.published().count() >= 288
    for code, name in KNOWN.items():
        assert Procedure.objects.get(code=code).name == name
    # generated procedures are labelled as such
    generated = Procedure.objects.filter(code__startswith="9.")
    assert generated.count() == 238
    assert set(generated.values_list("source_confidence", flat=True)) == {"generated"}
    assert Procedure.objects.get(code="1.001193").source_confidence == "corroborated"
    # birth registration has its documents, fee and same-day limit
    procedure = Procedure.objects.get(code="1.001193")
    assert procedure.time_limit_unit == "same_day" and procedure.same_day_cutoff
    assert procedure.documents.first().name.startswith("Tờ khai đăng ký khai sinh")
    assert procedure.fees.get().exemptions.startswith("Miễn lệ phí")
    assert procedure.resolving_agency.short_name == "TP"


def test_53_on_the_spot_procedures_across_10_of_the_12_agencies_each_with_a_center_process(loaded):
    flagged = Procedure.objects.filter(on_the_spot=True)
    assert flagged.count() == 53
    per_agency = dict(flagged.values_list("resolving_agency__short_name").annotate(n=Count("id")))
    assert len(per_agency) == 10
    assert "VPDKDD" not in per_agency and "CCT" not in per_agency
    assert set(flagged.values_list("on_the_spot_decision", flat=True)) == {"1691/QĐ-UBND"}
    tthcc = Agency.objects.get(short_name="TTHCC")
    for procedure in Procedure.objects.all():
        normal = procedure.process_for()
        assert [s.kind for s in normal.ordered_steps][0] == "reception"
        if procedure.on_the_spot:
            compressed = procedure.process_for(on_the_spot=True)
            steps = compressed.ordered_steps
            assert steps[0].acting_agency() == tthcc and steps[-1].acting_agency() == tthcc
    assert ProcessTemplate.objects.filter(variant="on_the_spot").count() == 53


def test_loading_twice_changes_nothing_and_keeps_process_steps(loaded):
    steps_before = set(ProcessStep.objects.values_list("id", flat=True))
    count_before = Procedure.objects.count()
    demo.load()
    assert Procedure.objects.count() == count_before
    assert set(ProcessStep.objects.values_list("id", flat=True)) == steps_before
    assert Agency.objects.filter(short_name="TP").count() == 1


def test_load_demo_command_loads_the_catalog_with_the_org_demo_agencies():
    import io

    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())
    assert Procedure.objects.published().count() >= 288
    assert Agency.objects.filter(short_name="TP").count() == 1
    birth = Procedure.objects.get(code="1.001193")
    # Loaded after 01/07/2025: the district's Phòng Tư pháp ended on 30/06/2025 and its procedures went to its
    # successor, xã Gia Bình; birth registration is implemented by each of the 5 new communes.
    justice = Agency.objects.get(short_name="TP", identity_code="000.01.99.H06")
    seat = Agency.objects.get(identity_code="000.70.99.H06")
    assert justice.successor == seat and birth.resolving_agency == seat
    implementing = set(birth.implementations.values_list("agency__identity_code", flat=True))
    assert {
        "000.70.99.H06",
        "000.71.99.H06",
        "000.72.99.H06",
        "000.73.99.H06",
        "000.74.99.H06",
    } <= implementing
    assert birth.result_type == "Giấy khai sinh (bản chính)"
