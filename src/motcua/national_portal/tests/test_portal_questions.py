"""Questions sent through the portal become recommendations once; answers go back to the portal."""

import pytest

from motcua.feedback.models import Recommendation
from motcua.national_portal import conf
from motcua.national_portal.models import PortalQuestion
from motcua.national_portal.questions import pull_questions, push_answers

from .conftest import simulator_state

pytestmark = pytest.mark.django_db


def test_valid_questions_become_recommendations_once(portal_on):
    report = pull_questions(conf.get_connector())
    assert (report.received, report.skipped) == (1, 2)
    recommendation = Recommendation.objects.get()
    assert recommendation.sender_name == "Phạm Văn Hỏi" and recommendation.sender_phone == "0912999903"
    assert "quá hạn 60 ngày" in recommendation.content
    assert PortalQuestion.objects.get().portal_id == "101"
    again = pull_questions(conf.get_connector())
    assert (again.received, again.known) == (0, 1) and Recommendation.objects.count() == 1


def test_an_answer_goes_back_to_the_portal_once(portal_on, superuser):
    pull_questions(conf.get_connector())
    assert push_answers(conf.get_connector()) == 0  # not answered yet
    recommendation = Recommendation.objects.get()
    from django.utils import timezone

    recommendation.answer = "Mang tờ khai và giấy chứng sinh; không mất lệ phí."
    recommendation.answered_at = timezone.now()
    recommendation.answered_by = superuser
    recommendation.state = Recommendation.State.ANSWERED
    recommendation.save()
    assert push_answers(conf.get_connector()) == 1
    (answer,) = simulator_state(portal_on)["answers"]
    assert answer["HOIDAPID"] == "101" and answer["NGUOITRALOI"] == "Quản trị hệ thống"
    assert answer["NGAYTRALOI"] == timezone.localdate().strftime("%d/%m/%Y")
    assert push_answers(conf.get_connector()) == 0
    assert len(simulator_state(portal_on)["answers"]) == 1
