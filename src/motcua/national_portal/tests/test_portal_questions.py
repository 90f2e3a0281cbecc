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


def answer_lookups(server) -> int:
    return sum(r["operation"] == "LayNoiDungTraLoiTheoCauHoi" for r in simulator_state(server)["requests"])


ANSWERED_ON_PORTAL = {
    "HOIDAPID": "103",
    "MALINHVUC": "ho-tich",
    "MADONVI": "000.01.99.H06",
    "NOIDUNG": "Làm lại giấy khai sinh bị mất ở đâu?",
    "HOVATEN": "Đỗ Thị Hỏi",
    "SODIENTHOAI": "0912999905",
    "TRANGTHAI": "1",
    "TRALOIID": "5001",
    "NOIDUNGTRALOI": "",
}


def test_a_question_answered_on_the_portal_takes_the_portals_answer_and_is_not_answered_twice(portal_on):
    from .conftest import simulator_post

    simulator_post(
        portal_on,
        "config",
        {
            "questions": [ANSWERED_ON_PORTAL],
            "question_answers": {
                "103": [
                    {"TRALOIID": "5001", "NOIDUNGTRALOI": "Nộp tại UBND xã nơi đã đăng ký khai sinh."},
                    {"TRALOIID": "5002", "NOIDUNGTRALOI": "Mang theo căn cước."},
                ]
            },
        },
    )
    report = pull_questions(conf.get_connector())
    assert (report.received, report.answered_on_portal) == (1, 1)
    recommendation = Recommendation.objects.get()
    assert recommendation.state == Recommendation.State.ANSWERED
    assert recommendation.answer == "Nộp tại UBND xã nơi đã đăng ký khai sinh.\n\nMang theo căn cước."
    assert recommendation.answered_by.username == "he-thong-cong-dvcqg" and not recommendation.published
    assert not recommendation.answered_by.has_usable_password()
    question = PortalQuestion.objects.get()
    assert question.portal_answer_id == "5001,5002" and question.answer_sent_at is not None
    assert answer_lookups(portal_on) == 1

    assert push_answers(conf.get_connector()) == 0  # the portal has it already: not sent back
    again = pull_questions(conf.get_connector())
    assert (again.known, again.answered_on_portal) == (1, 0)
    assert answer_lookups(portal_on) == 1


def test_an_answer_carried_in_the_list_needs_no_lookup(portal_on):
    from .conftest import simulator_post

    row = ANSWERED_ON_PORTAL | {"NOIDUNGTRALOI": "Nộp tại UBND xã."}
    simulator_post(portal_on, "config", {"questions": [row]})
    report = pull_questions(conf.get_connector())
    assert report.answered_on_portal == 1
    assert Recommendation.objects.get().answer == "Nộp tại UBND xã."
    assert answer_lookups(portal_on) == 0


def test_a_question_still_open_on_the_portal_stays_open_and_is_asked_again_next_time(portal_on):
    first = pull_questions(conf.get_connector())
    assert first.answered_on_portal == 0
    assert Recommendation.objects.get().state == Recommendation.State.NEW
    from .conftest import simulator_post

    simulator_post(
        portal_on,
        "config",
        {"question_answers": {"101": [{"TRALOIID": "7", "NOIDUNGTRALOI": "Đã trả lời."}]}},
    )
    later = pull_questions(conf.get_connector())
    assert later.answered_on_portal == 1 and Recommendation.objects.get().answer == "Đã trả lời."


def test_a_refused_answer_lookup_is_counted_and_the_question_is_still_received(portal_on):
    from .conftest import simulator_post

    simulator_post(
        portal_on,
        "faults",
        {
            "faults": [
                {
                    "operation": "LayNoiDungTraLoiTheoCauHoi",
                    "kind": "error_code",
                    "code": "-9",
                    "message": "Lỗi tra cứu",
                }
            ]
        },
    )
    report = pull_questions(conf.get_connector())
    assert (report.received, report.answer_lookups_refused, report.answered_on_portal) == (1, 1, 0)
    assert Recommendation.objects.get().state == Recommendation.State.NEW


def test_the_simulator_refuses_an_answer_lookup_without_or_with_an_unknown_question(portal_on):
    from motcua.integrations.national_portal import QUESTION_ANSWERS

    connector = conf.get_connector()
    missing = connector.call(QUESTION_ANSWERS, {})
    assert not missing.ok and "cauhoiid" in missing.message
    unknown = connector.call(QUESTION_ANSWERS, {"cauhoiid": "999"})
    assert not unknown.ok and unknown.error_code == "-4"


def test_the_answer_lookup_also_goes_through_the_provincial_connector(portal_on, settings):
    from motcua.integrations.national_portal import QUESTION_ANSWERS

    from .conftest import portal_settings, simulator_post

    settings.NATIONAL_PORTAL = portal_settings(portal_on.url, transport="proxy")
    simulator_post(
        portal_on, "config", {"question_answers": {"101": [{"TRALOIID": "8", "NOIDUNGTRALOI": "Có."}]}}
    )
    reply = conf.get_connector().call(QUESTION_ANSWERS, {"cauhoiid": "101"})
    assert reply.ok and reply.result == [{"TRALOIID": "8", "NOIDUNGTRALOI": "Có."}]
    assert simulator_state(portal_on)["requests"][-1]["transport"] == "proxy"
