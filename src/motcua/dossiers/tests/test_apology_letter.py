"""The apology letter (Mẫu 04, issue 20 finding 5): the head of the resolving agency's letter, for a dossier that
will be late, at least one working day before the appointment; anything else is refused and changes nothing."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from motcua.dossiers import services
from motcua.dossiers.exceptions import ActionForbidden, TransitionNotAllowed
from motcua.dossiers.models import Dossier

from .factories import ApplicantFactory

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args):
    return datetime.datetime(*args, tzinfo=HCM)


@pytest.fixture
def in_appraisal(procedure, staff):
    """Received Monday 07/11/2022 09:00 (3 working days: appointment Thursday 10/11 09:00), with the specialist."""
    with time_machine.travel(at(2022, 11, 7, 9, 0), tick=False):
        dossier = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=staff.officer)
        return services.advance(dossier, staff.officer)


def test_a_specialist_may_not_issue_the_apology_letter(in_appraisal, staff):
    before = Dossier.objects.values().get(pk=in_appraisal.pk)
    with time_machine.travel(at(2022, 11, 8, 9, 0), tick=False):
        assert "apologize" not in services.allowed_actions(in_appraisal, staff.specialist)
        with pytest.raises(ActionForbidden, match="Bạn không có quyền"):
            services.apologize(in_appraisal, staff.specialist, at(2022, 11, 15, 16, 0), "Cần xác minh")
        with pytest.raises(ActionForbidden):
            services.apologize(in_appraisal, staff.officer, at(2022, 11, 15, 16, 0), "Cần xác minh")
    assert Dossier.objects.values().get(pk=in_appraisal.pk) == before


def test_with_days_to_spare_the_letter_is_refused_with_a_vietnamese_reason(in_appraisal, staff):
    before = Dossier.objects.values().get(pk=in_appraisal.pk)
    with time_machine.travel(at(2022, 11, 7, 10, 0), tick=False):  # 23 working hours before the appointment
        assert "apologize" not in services.allowed_actions(in_appraisal, staff.leader)
        with pytest.raises(TransitionNotAllowed, match="Chỉ lập phiếu xin lỗi cho hồ sơ sẽ trễ hạn"):
            services.apologize(in_appraisal, staff.leader, at(2022, 11, 15, 16, 0), "Cần xác minh")
    assert Dossier.objects.values().get(pk=in_appraisal.pk) == before
    assert not in_appraisal.events.filter(action="apologize").exists()


def test_the_agency_head_apologises_for_a_dossier_that_will_be_late(in_appraisal, staff):
    with time_machine.travel(at(2022, 11, 8, 9, 0), tick=False):  # 2 working days before the appointment
        assert "apologize" in services.allowed_actions(in_appraisal, staff.leader)
        dossier = services.apologize(in_appraisal, staff.leader, at(2022, 11, 15, 16, 0), "Chờ xác minh")
    assert dossier.appointment_at == at(2022, 11, 15, 16, 0)
    assert dossier.due_at == at(2022, 11, 10, 9, 0)
    assert dossier.events.filter(action="apologize", actor=staff.leader).count() == 1


def test_a_paused_dossier_needs_no_letter(in_appraisal, staff):
    with time_machine.travel(at(2022, 11, 8, 9, 0), tick=False):
        paused = services.request_supplement(in_appraisal, staff.specialist, ["Bản sao CCCD"])
        with pytest.raises(TransitionNotAllowed, match="Chờ bổ sung"):
            services.apologize(paused, staff.leader, at(2022, 11, 15, 16, 0), "Chờ xác minh")
