from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from motcua.catalog.models import ProcessStep, ProcessTemplate
from motcua.catalog.processes import set_standard_process

from .factories import AgencyFactory, ProcedureFactory, ProcessStepFactory, ProcessTemplateFactory

pytestmark = pytest.mark.django_db


def test_normal_process_has_the_six_steps_in_order_with_roles():
    center = AgencyFactory(short_name="TTHCC")
    procedure = ProcedureFactory()
    template = set_standard_process(procedure, center_agency=center)
    steps = template.ordered_steps
    assert [s.kind for s in steps] == ["reception", "transfer", "appraisal", "approval", "issue", "return"]
    assert [s.role for s in steps] == [
        "reception_officer",
        "reception_officer",
        "specialist",
        "leader",
        "clerk",
        "reception_officer",
    ]
    assert steps[0].acting_agency() == center
    assert steps[2].acting_agency() == procedure.resolving_agency
    assert sum(s.share for s in steps) == Decimal("1")


def test_process_for_picks_the_on_the_spot_variant_only_when_asked():
    center = AgencyFactory()
    procedure = ProcedureFactory(five_on_the_spot=True)
    normal = set_standard_process(procedure, center_agency=center)
    compressed = set_standard_process(procedure, ProcessTemplate.Variant.ON_THE_SPOT, center_agency=center)
    assert procedure.process_for() == normal
    assert procedure.process_for(on_the_spot=True) == compressed
    assert "transfer" not in [s.kind for s in compressed.ordered_steps]


def test_process_for_on_the_spot_refused_for_a_procedure_without_the_flag():
    procedure = ProcedureFactory()
    set_standard_process(procedure)
    with pytest.raises(ValidationError, match="không áp dụng “5 tại chỗ”"):
        procedure.process_for(on_the_spot=True)


def test_process_for_without_a_template_raises_does_not_exist():
    with pytest.raises(ProcessTemplate.DoesNotExist):
        ProcedureFactory().process_for()


def test_an_agency_specific_template_wins_over_the_generic_one():
    procedure = ProcedureFactory()
    generic = set_standard_process(procedure)
    other = AgencyFactory()
    specific = ProcessTemplateFactory(procedure=procedure, agency=other)
    assert procedure.process_for(agency=other) == specific
    assert procedure.process_for(agency=AgencyFactory()) == generic
    assert procedure.process_for() == generic


def test_step_shares_beyond_the_legal_time_are_refused_in_vietnamese():
    template = ProcessTemplateFactory()
    ProcessStepFactory(template=template, share=Decimal("0.7"))
    ProcessStepFactory(template=template, share=Decimal("0.5"))
    with pytest.raises(ValidationError, match="vượt quá thời hạn giải quyết") as excinfo:
        template.full_clean()
    assert "120%" in str(excinfo.value)


def test_step_shares_that_fit_pass_validation():
    template = ProcessTemplateFactory()
    ProcessStepFactory(template=template, share=Decimal("0.4"))
    ProcessStepFactory(template=template, share=Decimal("0.6"))
    template.full_clean()


def test_on_the_spot_template_needs_the_procedure_flag():
    template = ProcessTemplateFactory.build(
        procedure=ProcedureFactory(), variant=ProcessTemplate.Variant.ON_THE_SPOT
    )
    with pytest.raises(ValidationError, match="chưa được đánh dấu “5 tại chỗ”"):
        template.full_clean()


def test_step_time_budget_is_the_share_of_the_limit_and_same_day_counts_in_hours():
    step = ProcessStepFactory(template__procedure__time_limit_value=Decimal("10"), share=Decimal("0.6"))
    assert step.time_budget() == (Decimal("6"), "working_days")
    same_day = ProcessStepFactory(template__procedure=ProcedureFactory(same_day=True), share=Decimal("0.5"))
    assert same_day.time_budget() == (Decimal("4"), "working_hours")


def test_step_role_outside_the_staff_roles_is_refused():
    step = ProcessStepFactory.build(template=ProcessTemplateFactory(), position=1, role="boss")
    with pytest.raises(ValidationError) as excinfo:
        step.full_clean()
    assert "role" in excinfo.value.message_dict
    assert ProcessStep.objects.count() == 0


def test_process_with_steps_gives_the_same_template_as_process_for_with_its_steps_in_order(
    django_assert_num_queries,
):
    procedure = ProcedureFactory(five_on_the_spot=True)
    generic = set_standard_process(procedure)
    compressed = set_standard_process(procedure, ProcessTemplate.Variant.ON_THE_SPOT)
    other = AgencyFactory()
    specific = ProcessTemplateFactory(procedure=procedure, agency=other)
    second = ProcessStepFactory(template=specific, position=2, name="Thẩm định")
    first = ProcessStepFactory(template=specific, position=1, name="Tiếp nhận")

    with django_assert_num_queries(1):
        template, steps = procedure.process_with_steps(agency=other)
    assert template == specific and steps == [first, second]
    assert all(step.template is template for step in steps)

    for kwargs, expected in (
        ({"agency": AgencyFactory()}, generic),
        ({}, generic),
        ({"on_the_spot": True}, compressed),
    ):
        template, steps = procedure.process_with_steps(**kwargs)
        assert template == procedure.process_for(**kwargs) == expected
        assert steps == list(expected.steps.order_by("position", "id"))


def test_process_with_steps_falls_back_for_a_template_without_steps_and_refuses_like_process_for():
    procedure = ProcedureFactory()
    empty = ProcessTemplateFactory(procedure=procedure, agency=None)
    assert procedure.process_with_steps() == (empty, [])
    with pytest.raises(ValidationError, match="không áp dụng “5 tại chỗ”"):
        procedure.process_with_steps(on_the_spot=True)
    with pytest.raises(ProcessTemplate.DoesNotExist):
        ProcedureFactory().process_with_steps()
