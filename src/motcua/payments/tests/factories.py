import factory

from motcua.accounts.tests.factories import UserFactory
from motcua.org.models import Role
from motcua.org.tests.factories import AgencyFactory, StaffAssignmentFactory
from motcua.payments.models import FeeKind, Payment, ReceiptBook


class ReceiptBookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReceiptBook

    agency = factory.SubFactory(AgencyFactory)
    template_no = "01BLP0-001"
    series = factory.Sequence(lambda n: f"GB-{n:02d}E")
    name = factory.LazyAttribute(lambda o: f"Biên lai phí, lệ phí {o.series}")

    class Params:
        closed = factory.Trait(status=ReceiptBook.Status.CLOSED)


def staff(role: str, agency, **user_fields):
    """A user holding `role` at `agency`."""
    return StaffAssignmentFactory(role=role, agency=agency, user=UserFactory(**user_fields)).user


def cashier(agency, **user_fields):
    return staff(Role.RECEPTION_OFFICER, agency, **user_fields)


def leader(agency, **user_fields):
    return staff(Role.LEADER, agency, **user_fields)


def items(*amounts, kind=FeeKind.ADMIN_CHARGE):
    return [{"kind": kind, "description": f"Lệ phí {i}", "unit_amount": a} for i, a in enumerate(amounts, 1)]


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    gateway = "sandbox"
    agency = factory.SubFactory(AgencyFactory)
    amount = 100_000
    description = "Thanh toán phí, lệ phí"
    items = factory.LazyAttribute(
        lambda o: [{"kind": "admin_charge", "description": "Lệ phí", "unit_amount": o.amount, "quantity": 1}]
    )
    payer_name = "Nguyễn Văn An"
    status = Payment.Status.PENDING
