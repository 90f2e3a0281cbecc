from decimal import Decimal

import factory

from motcua.catalog.models import (
    Fee,
    Field,
    Procedure,
    ProcedureFormField,
    ProcessStep,
    ProcessTemplate,
    RequiredDocument,
)
from motcua.org.models import AdminLevel, AdminUnit, Agency


class AdminLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdminLevel
        django_get_or_create = ("code",)

    code = "district"
    name = "Cấp huyện"
    rank = 2


class AdminUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdminUnit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"9{n:03d}")
    name = factory.Sequence(lambda n: f"Huyện Thử Nghiệm {n}")
    kind = AdminUnit.Kind.DISTRICT
    level = factory.SubFactory(AdminLevelFactory)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Phòng Thử nghiệm {n}")
    short_name = factory.Sequence(lambda n: f"PTN{n}")
    identity_code = factory.Sequence(lambda n: f"000.{n % 100:02d}.{n // 100 % 100:02d}.T99")
    kind = Agency.Kind.DISTRICT_OFFICE
    unit = factory.SubFactory(AdminUnitFactory)


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"linh-vuc-{n}")
    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"9.{n:06d}")
    name = factory.Sequence(lambda n: f"Thủ tục thử nghiệm số {n}")
    field = factory.SubFactory(FieldFactory)
    resolving_agency = factory.SubFactory(AgencyFactory)
    levels = "district"
    time_limit_value = Decimal("3")
    time_limit_unit = "working_days"
    online_level = "partial"

    class Params:
        same_day = factory.Trait(time_limit_value=None, time_limit_unit="same_day", same_day_cutoff=True)
        five_on_the_spot = factory.Trait(on_the_spot=True, on_the_spot_decision="1691/QĐ-UBND")


class RequiredDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequiredDocument

    procedure = factory.SubFactory(ProcedureFactory)
    position = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Giấy tờ số {n}")
    original_count = 1


class FeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fee

    procedure = factory.SubFactory(ProcedureFactory)
    description = "Lệ phí"
    amount = 100_000


class ProcessTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcessTemplate

    procedure = factory.SubFactory(ProcedureFactory)
    variant = ProcessTemplate.Variant.NORMAL


class ProcessStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcessStep

    template = factory.SubFactory(ProcessTemplateFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = ProcessStep.Kind.APPRAISAL
    name = "Thẩm định hồ sơ"
    role = "specialist"
    share = Decimal("0.5")


class ProcedureFormFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcedureFormField

    procedure = factory.SubFactory(ProcedureFactory)
    position = factory.Sequence(lambda n: n + 1)
    key = factory.Sequence(lambda n: f"truong_{n}")
    label = factory.Sequence(lambda n: f"Trường số {n}")
    kind = ProcedureFormField.Kind.TEXT


class ProcedureImplementationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.ProcedureImplementation"

    procedure = factory.SubFactory(ProcedureFactory)
    agency = factory.SubFactory(AgencyFactory)
    level = "commune"
