"""Factories for monitoring tests: a procedure with the standard process, its staff, a supervisor, dossiers
received at a given instant through the real intake service."""

import datetime
from zoneinfo import ZoneInfo

import factory
import time_machine

from motcua.accounts.tests.factories import UserFactory  # noqa: F401
from motcua.dossiers import services
from motcua.dossiers.tests.factories import (  # noqa: F401  (re-exported for the monitoring tests)
    ApplicantFactory,
    ProcedureWithProcessFactory,
    StaffSet,
    grant,
)
from motcua.monitoring.models import Notification
from motcua.org.models import Role

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year, month, day, hour=9, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=HCM)


class Office:
    """A procedure of 3 working days resolved by one agency, its staff, and a supervisor (center director)
    whose scope covers the agency."""

    def __init__(self, **procedure_fields):
        self.procedure = ProcedureWithProcessFactory(**procedure_fields)
        self.agency = self.procedure.resolving_agency
        self.staff = StaffSet(self.procedure)
        self.director = UserFactory(full_name="Nguyễn Văn Giám Đốc")
        grant(self.director, Role.SUPERVISOR, self.agency)
        self.admin = UserFactory(username="quantri-monitoring", is_superuser=True, is_staff=True)

    def receive(self, when: datetime.datetime, holder=None):
        """A dossier received at `when`, handed to the appraisal step (held by `holder`, default the
        specialist)."""
        with time_machine.travel(when, tick=False):
            dossier = services.intake(
                procedure=self.procedure, applicant=ApplicantFactory(), actor=self.staff.officer
            )
            dossier = services.advance(dossier, self.staff.officer, to_user=holder or self.staff.specialist)
        return dossier


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    created_at = factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC))
    title = factory.Sequence(lambda n: f"Thông báo {n}")
    body = "Nội dung"
