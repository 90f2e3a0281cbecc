"""Factories and a small history builder for the report tests (the real dossier services, past instants)."""

import datetime
from zoneinfo import ZoneInfo

import factory
import time_machine

from motcua.accounts.tests.factories import UserFactory
from motcua.dossiers import services
from motcua.dossiers.states import Channel, State
from motcua.dossiers.tests.factories import ApplicantFactory, ProcedureWithProcessFactory
from motcua.org.models import Agency
from motcua.org.tests.factories import AdminLevelFactory, AdminUnitFactory

HCM = ZoneInfo("Asia/Ho_Chi_Minh")

__all__ = ["ApplicantFactory", "ProcedureWithProcessFactory", "SuperuserFactory", "History", "at"]


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=HCM)


class SuperuserFactory(UserFactory):
    username = factory.Sequence(lambda n: f"quantri{n}")
    is_superuser = True
    is_staff = True
    full_name = "Quản trị hệ thống"


class DistrictAgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Phòng Thống Kê {n}")
    short_name = factory.Sequence(lambda n: f"TK{n}")
    identity_code = factory.Sequence(lambda n: f"000.{n % 100:02d}.{n // 100 % 100:02d}.H98")
    identity_code_is_demo = True
    kind = Agency.Kind.DISTRICT_OFFICE
    unit = factory.SubFactory(AdminUnitFactory, level=factory.SubFactory(AdminLevelFactory, code="district"))


class History:
    """Drive one dossier through the real transition functions at given past instants (by a superuser)."""

    def __init__(self, procedure, actor, received_at, channel=Channel.COUNTER, on_the_spot=False):
        self.actor = actor
        with time_machine.travel(received_at, tick=False):
            if channel == Channel.ONLINE:
                pending = services.submit_online(procedure=procedure, applicant=ApplicantFactory())
                self.dossier = services.receive(pending, actor)
            else:
                self.dossier = services.intake(
                    procedure=procedure,
                    applicant=ApplicantFactory(),
                    actor=actor,
                    channel=channel,
                    on_the_spot=on_the_spot,
                )

    def _do(self, instant, function, *args, **kwargs) -> "History":
        with time_machine.travel(instant, tick=False):
            self.dossier = function(self.dossier, self.actor, *args, **kwargs)
        return self

    def resolve(self, instant) -> "History":
        """Advance through every step until the result is ready (status 9), all at `instant`."""
        with time_machine.travel(instant, tick=False):
            while self.dossier.state in (State.RECEIVED, State.IN_STEP):
                self.dossier = services.advance(self.dossier, self.actor)
        return self

    def return_result(self, instant):
        return self._do(instant, services.return_result)

    def request_supplement(self, instant):
        return self._do(instant, services.request_supplement, ["Bản sao giấy tờ còn thiếu"])

    def supplement(self, instant):
        return self._do(instant, services.supplement)

    def request_financial_obligation(self, instant):
        with time_machine.travel(instant, tick=False):
            while self.dossier.current_step.kind not in ("appraisal", "approval", "issue"):
                self.dossier = services.advance(self.dossier, self.actor)
            self.dossier = services.request_financial_obligation(self.dossier, self.actor)
        return self

    def fulfil_financial_obligation(self, instant):
        return self._do(instant, services.fulfil_financial_obligation)

    def apologize(self, instant, new_appointment_at):
        return self._do(instant, services.apologize, new_appointment_at, "Cần xác minh thêm")

    def withdraw(self, instant):
        return self._do(instant, services.withdraw, "Công dân xin rút hồ sơ")

    def refuse(self, instant):
        return self._do(instant, services.refuse, "Không đủ điều kiện")
