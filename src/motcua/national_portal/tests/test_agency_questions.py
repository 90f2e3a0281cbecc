"""The agency's own Q&A as the portal lists it (LayDanhSachHoiDapBoCoQuan) becomes answered, published
recommendations, once per HOIDAPID, shown in the public Q&A and never in the queue of questions to answer.
Over real HTTP to the simulator, on both transports."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.catalog.tests.factories import FieldFactory, ProcedureFactory
from motcua.feedback.models import Recommendation
from motcua.feedback.services import answer_timeliness, recommendations_for
from motcua.feedback.tests.factories import RecommendationFactory
from motcua.integrations.national_portal import AGENCY_QUESTIONS
from motcua.monitoring.models import RecommendationWatch
from motcua.national_portal import conf
from motcua.national_portal.models import PortalQuestion
from motcua.national_portal.questions import SYSTEM_USERNAME, publish_questions, pull_questions, push_answers
from motcua.org.tests.factories import AgencyFactory

from .conftest import portal_settings, simulator_post, simulator_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies():
    return {
        "justice": AgencyFactory(identity_code="000.01.99.H06", name="Phòng Tư pháp"),
        "finance": AgencyFactory(identity_code="000.02.99.H06", name="Phòng Tài chính – Kế hoạch"),
    }


@pytest.fixture
def fields():
    return {
        "ho-tich": FieldFactory(code="ho-tich", name="Hộ tịch"),
        "ho-kinh-doanh": FieldFactory(code="ho-kinh-doanh", name="Thành lập và hoạt động của hộ kinh doanh"),
    }


@pytest.fixture(params=["direct", "proxy"])
def transport(request, settings, portal_on):
    settings.NATIONAL_PORTAL = portal_settings(portal_on.url, request.param)
    return request.param


def pull():
    return pull_questions(conf.get_connector(), AGENCY_QUESTIONS)


def operations(server, name) -> int:
    return sum(r["operation"] == name for r in simulator_state(server)["requests"])


def agency_row(portal_id: str, **fields) -> dict:
    return {
        "HOIDAPID": portal_id,
        "MALINHVUC": "ho-tich",
        "MADONVI": "000.01.99.H06",
        "TENDONVI": "Phòng Tư pháp",
        "NOIDUNG": f"Câu hỏi mẫu số {portal_id}?",
        "HOVATEN": "Người Hỏi",
        "TRANGTHAI": "1",
        "TRALOIID": "1",
        "NOIDUNGTRALOI": f"Trả lời mẫu số {portal_id}.",
    } | fields


def test_the_agencys_qa_is_stored_answered_and_published_once(portal_on, transport, agencies, fields):
    report = pull()
    assert (report.received, report.skipped, report.known) == (2, 3, 0)
    assert simulator_state(portal_on)["requests"][-1]["transport"] == transport
    marriage = PortalQuestion.objects.get(portal_id="201")
    assert marriage.source == PortalQuestion.Source.AGENCY and marriage.field == fields["ho-tich"]
    rec = marriage.recommendation
    assert rec.state == Recommendation.State.ANSWERED and rec.published and rec.consent_publish
    assert rec.agency == agencies["justice"] and rec.due_at is None and rec.assigned_at is None
    assert rec.answer == "Đăng ký kết hôn lần đầu tại UBND xã được miễn lệ phí."
    assert rec.answered_by.username == SYSTEM_USERNAME
    assert rec.sender_phone == "" and rec.sender_email == ""  # nobody has to be answered
    business = PortalQuestion.objects.get(portal_id="202")  # answer looked up with LayNoiDungTraLoiTheoCauHoi
    assert business.recommendation.agency == agencies["finance"] and business.portal_answer_id == "7202"
    assert business.field == fields["ho-kinh-doanh"]
    assert "đăng ký thay đổi nội dung" in business.recommendation.answer
    assert any("000.77.99.H06" in problem for problem in report.problems)  # unknown agency, explained

    again = pull()  # re-pulling changes nothing and asks no answer again
    assert (again.received, again.updated, again.known, again.skipped) == (0, 0, 2, 3)
    assert Recommendation.objects.count() == 2
    assert operations(portal_on, "LayNoiDungTraLoiTheoCauHoi") == 1


def test_the_agencys_qa_is_public_and_not_in_the_queue_to_answer(
    portal_on, agencies, fields, client, superuser
):
    pull()
    public = client.get("/kien-nghi/").content.decode()
    assert "Đăng ký kết hôn có phải nộp lệ phí không?" in public
    assert "miễn lệ phí" in public
    assert Recommendation.objects.open().count() == 0
    assert not recommendations_for(superuser).open().exists()
    assert RecommendationWatch.objects.count() == 0
    today = timezone.localdate()
    assert answer_timeliness(today, today) == {}  # no deadline: outside the answered-on-time figures
    assert push_answers(conf.get_connector()) == 0  # not a citizen's question: nothing to send back
    assert publish_questions(conf.get_connector()).sent == 0  # already on the portal: not published back


def test_a_changed_row_updates_the_stored_qa_in_place(portal_on, agencies, fields):
    simulator_post(portal_on, "config", {"agency_questions": [agency_row("301")]})
    pull()
    rec = PortalQuestion.objects.get(portal_id="301").recommendation
    simulator_post(
        portal_on,
        "config",
        {
            "agency_questions": [
                agency_row(
                    "301",
                    MADONVI="000.02.99.H06",
                    MALINHVUC="ho-kinh-doanh",
                    NOIDUNG="Câu hỏi đã sửa?",
                    TRALOIID="2",
                    NOIDUNGTRALOI="Trả lời đã sửa.",
                )
            ]
        },
    )
    report = pull()
    assert (report.received, report.updated, report.known) == (0, 1, 0)
    rec.refresh_from_db()
    question = PortalQuestion.objects.get(portal_id="301")
    assert (rec.content, rec.answer, rec.agency) == (
        "Câu hỏi đã sửa?",
        "Trả lời đã sửa.",
        agencies["finance"],
    )
    assert question.field == fields["ho-kinh-doanh"] and question.agency_code == "000.02.99.H06"
    assert question.portal_answer_id == "2" and Recommendation.objects.count() == 1


def test_rows_with_codes_that_cannot_be_mapped_are_skipped_and_explained_in_vietnamese(
    portal_on, agencies, fields
):
    procedure = ProcedureFactory(code="1.001193", field=fields["ho-tich"])
    simulator_post(
        portal_on,
        "config",
        {
            "agency_questions": [
                agency_row("401", MALINHVUC="khong-co-linh-vuc"),
                agency_row("402", MALINHVUC="", MATTHCDP="9.999999"),
                agency_row("403", MADONVI=""),
                agency_row("404", MALINHVUC="", MATTHCDP=procedure.code),
                agency_row("405", MALINHVUC=""),
                agency_row("406", HOIDAPID="abc"),
            ]
        },
    )
    report = pull()
    assert (report.received, report.skipped) == (2, 4)
    assert set(PortalQuestion.objects.values_list("portal_id", flat=True)) == {"404", "405"}
    assert PortalQuestion.objects.get(portal_id="404").field == fields["ho-tich"]
    assert PortalQuestion.objects.get(portal_id="405").field is None  # no field code given: none
    assert report.problems == [
        "Câu hỏi 401: mã lĩnh vực “khong-co-linh-vuc” không có trong danh mục.",
        "Câu hỏi 402: mã thủ tục “9.999999” không có trong danh mục.",
        "Câu hỏi 403: mã đơn vị “” không tương ứng với cơ quan nào của hệ thống.",
    ]


def test_a_row_without_an_answer_yet_is_not_stored_and_is_read_again_next_time(portal_on, agencies, fields):
    simulator_post(
        portal_on, "config", {"agency_questions": [agency_row("501", TRALOIID="", NOIDUNGTRALOI="")]}
    )
    report = pull()
    assert (report.received, report.skipped) == (0, 1)
    assert report.problems == ["Câu hỏi 501: Cổng chưa có câu trả lời."]
    assert not PortalQuestion.objects.exists() and not Recommendation.objects.exists()
    simulator_post(
        portal_on, "config", {"question_answers": {"501": [{"TRALOIID": "9", "NOIDUNGTRALOI": "Đã có."}]}}
    )
    assert pull().received == 1
    assert Recommendation.objects.get().answer == "Đã có."


def test_a_question_is_stored_once_whichever_list_brings_it(portal_on, agencies, fields):
    citizen = agency_row("601", SODIENTHOAI="0912999906", TRALOIID="", NOIDUNGTRALOI="")
    simulator_post(
        portal_on,
        "config",
        {"questions": [citizen], "agency_questions": [citizen | {"TRALOIID": "3", "NOIDUNGTRALOI": "Có."}]},
    )
    assert pull_questions(conf.get_connector()).received == 1  # a citizen's question, open here
    report = pull()  # the agency answered it on the portal: listed in its Q&A
    assert (report.received, report.known, report.answered_on_portal) == (0, 1, 1)
    question = PortalQuestion.objects.get()
    assert question.source == PortalQuestion.Source.CITIZEN
    assert question.recommendation.state == Recommendation.State.ANSWERED
    assert question.recommendation.answer == "Có."

    simulator_post(portal_on, "config", {"agency_questions": [agency_row("602")]})
    pull()  # the other way round: the agency's Q&A first, then listed among citizens' questions
    simulator_post(portal_on, "config", {"questions": [agency_row("602", SODIENTHOAI="0912999907")]})
    again = pull_questions(conf.get_connector())
    assert (again.received, again.known) == (0, 1)
    assert PortalQuestion.objects.get(portal_id="602").source == PortalQuestion.Source.AGENCY
    assert Recommendation.objects.count() == 2


def test_a_qa_published_here_and_listed_back_by_the_portal_is_not_stored_twice(portal_on, agencies, fields):
    local = RecommendationFactory(
        agency=agencies["justice"],
        content="Giờ làm việc của bộ phận một cửa vào thứ Bảy?",
        state=Recommendation.State.ANSWERED,
        answer="Sáng thứ Bảy làm việc từ 7 giờ 30 đến 11 giờ 30.",
        answered_at=timezone.now(),
        consent_publish=True,
        published=True,
    )
    simulator_post(portal_on, "config", {"agency_questions": []})
    assert publish_questions(conf.get_connector()).sent == 1
    (listed,) = conf.get_connector().call(AGENCY_QUESTIONS, {}).result
    assert listed["HOIDAPID"] != str(local.pk)  # the portal's own id
    report = pull()
    assert (report.received, report.known) == (0, 1)
    question = PortalQuestion.objects.get()
    assert question.recommendation == local and question.source == PortalQuestion.Source.OWN
    assert Recommendation.objects.count() == 1
    assert push_answers(conf.get_connector()) == 0
    assert publish_questions(conf.get_connector()).sent == 0
    assert (pull().received, Recommendation.objects.count()) == (0, 1)


def test_the_sync_command_also_pulls_the_agencys_qa(portal_on, agencies, fields):
    out = io.StringIO()
    call_command("portal_sync_questions", stdout=out)
    text = out.getvalue()
    assert "Hỏi đáp của cơ quan trên Cổng: nhận 2 mới, cập nhật 0, 0 đã có, 3 bỏ qua" in text
    assert "000.77.99.H06" in text
    assert PortalQuestion.objects.filter(source=PortalQuestion.Source.AGENCY).count() == 2
    out = io.StringIO()
    call_command("portal_sync_questions", stdout=out)
    assert "nhận 0 mới, cập nhật 0, 2 đã có" in out.getvalue()
