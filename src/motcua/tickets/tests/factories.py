import factory

from motcua.org.tests.factories import CenterFactory, CounterFactory

from ..models import TicketKind


class TicketKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TicketKind
        skip_postgeneration_save = True

    center = factory.SubFactory(CenterFactory)
    key = factory.Sequence(lambda n: f"dich-vu-{n}")
    letter = factory.Sequence(lambda n: chr(ord("A") + n % 26) + ("" if n < 26 else str(n // 26)))
    label = factory.Sequence(lambda n: f"Dịch vụ mẫu {n}")

    @factory.post_generation
    def counters(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.counters.set(extracted)


__all__ = ["CounterFactory", "TicketKindFactory"]
