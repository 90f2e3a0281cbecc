"""Agencies from the portal (LayDanhMucCoQuan) are a reviewed diff like procedures; the agency's public questions
and answers go to the portal (DongBoHoiDap) once. Both over real HTTP to the simulator, on both transports."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from motcua.feedback.models import Recommendation
from motcua.feedback.tests.factories import RecommendationFactory
from motcua.national_portal import conf
from motcua.national_portal.catalog_pull import apply_pull, pull_catalog
from motcua.national_portal.models import PublishedQuestion
from motcua.national_portal.questions import publish_questions, pull_questions
from motcua.org.models import Agency
from motcua.org.tests.factories import AgencyFactory

from .conftest import portal_settings, simulator_post, simulator_state

pytestmark = pytest.mark.django_db

PORTAL_AGENCIES = [
    {"MADONVI": "000.01.99.H06", "TENDONVI": "Phòng Tư pháp huyện Gia Bình", "CAPDONVI": "2"},
    {"MADONVI": "000.08.99.H06", "TENDONVI": "Phòng Nội vụ", "CAPDONVI": "2"},
    {"MADONVI": "000.30.99.H06", "TENDONVI": "Chi nhánh Văn phòng đăng ký đất đai", "CAPDONVI": "2"},
    {"MADONVI": "", "TENDONVI": "Dòng thiếu mã", "CAPDONVI": "2"},
]


@pytest.fixture(params=["direct", "proxy"])
def transport(request, settings, portal_on):
    settings.NATIONAL_PORTAL = portal_settings(portal_on.url, request.param)
    return request.param


def test_agencies_from_the_portal_are_proposed_and_applied_only_when_chosen(portal_on, transport, superuser):
    simulator_post(portal_on, "config", {"agencies": PORTAL_AGENCIES})
    justice = AgencyFactory(identity_code="000.01.99.H06", name="Phòng Tư pháp")
    home = AgencyFactory(identity_code="000.58.99.H06", name="Phòng  nội vụ", identity_code_is_demo=True)
    pull = pull_catalog(conf.get_connector())
    agencies = {c["code"]: c for c in pull.changes if c["kind"].startswith("agency_")}
    assert set(agencies) == {"000.01.99.H06", "000.08.99.H06", "000.30.99.H06"}
    assert agencies["000.01.99.H06"]["kind"] == "agency_update"
    assert agencies["000.01.99.H06"]["fields"]["name"] == ["Phòng Tư pháp", "Phòng Tư pháp huyện Gia Bình"]
    assert agencies["000.08.99.H06"]["kind"] == "agency_code"
    assert agencies["000.08.99.H06"]["fields"]["identity_code"] == ["000.58.99.H06", "000.08.99.H06"]
    assert agencies["000.30.99.H06"]["kind"] == "agency_new"
    justice.refresh_from_db()
    assert justice.name == "Phòng Tư pháp"  # nothing changes before an administrator applies

    count = Agency.objects.count()
    apply_pull(pull.pk, superuser, [c["id"] for c in agencies.values()])
    justice.refresh_from_db()
    home.refresh_from_db()
    assert justice.name == "Phòng Tư pháp huyện Gia Bình"
    assert home.identity_code == "000.08.99.H06" and home.identity_code_is_demo is False
    assert Agency.objects.count() == count  # a new agency is only listed
    pull.refresh_from_db()
    assert agencies["000.30.99.H06"]["id"] not in pull.applied_changes


def test_an_agency_code_already_taken_is_not_applied_and_nothing_changes(portal_on, superuser):
    simulator_post(
        portal_on, "config", {"agencies": [{"MADONVI": "000.08.99.H06", "TENDONVI": "Phòng Nội vụ"}]}
    )
    home = AgencyFactory(identity_code="000.58.99.H06", name="Phòng Nội vụ", identity_code_is_demo=True)
    pull = pull_catalog(conf.get_connector())
    (change,) = [c for c in pull.changes if c["kind"] == "agency_code"]
    AgencyFactory(identity_code="000.08.99.H06", name="Một phòng khác")  # taken meanwhile
    with pytest.raises(ValidationError, match="đã thuộc một cơ quan khác"):
        apply_pull(pull.pk, superuser, [change["id"]])
    home.refresh_from_db()
    assert home.identity_code == "000.58.99.H06"
    pull.refresh_from_db()
    assert pull.state == "proposed"


def test_the_pull_page_shows_agency_changes(portal_on, superuser, client):
    simulator_post(portal_on, "config", {"agencies": PORTAL_AGENCIES})
    AgencyFactory(identity_code="000.01.99.H06", name="Phòng Tư pháp")
    pull = pull_catalog(conf.get_connector())
    client.force_login(superuser)
    page = client.get(f"/cong-dvcqg/danh-muc-thu-tuc/{pull.pk}/").content.decode()
    assert "Đổi tên cơ quan" in page and "Phòng Tư pháp huyện Gia Bình" in page
    assert "Cơ quan mới (thêm trong trang quản trị tổ chức)" in page


def published(agency, **fields):
    values = {
        "state": Recommendation.State.ANSWERED,
        "answer": "Đã bố trí thêm một quầy vào giờ cao điểm.",
        "answered_at": timezone.now(),
        "consent_publish": True,
        "published": True,
    }
    return RecommendationFactory(agency=agency, **(values | fields))


def test_public_questions_are_published_on_the_portal_once(portal_on, transport):
    agency = AgencyFactory(identity_code="000.20.99.H06", name="Trung tâm Hành chính công huyện Gia Bình")
    public = published(agency)
    published(agency, consent_publish=False)  # the sender did not consent: stays local
    RecommendationFactory(agency=agency)  # not answered yet
    report = publish_questions(conf.get_connector())
    assert (report.sent, report.refused, report.skipped) == (1, 0, 0)
    (row,) = simulator_state(portal_on)["faq"]
    assert row == {
        "HOIDAPID": str(public.pk),
        "MaLinhVuc": "",
        "NOIDUNG": "Tôi phải chờ hơn một giờ để được tiếp nhận.",
        "MADONVI": "000.20.99.H06",
        "TENDONVI": "Trung tâm Hành chính công huyện Gia Bình",
    }
    assert "Trần Văn Nam" not in str(row)  # no sender details
    assert PublishedQuestion.objects.get().sent_at is not None
    assert publish_questions(conf.get_connector()).sent == 0
    requests = [r["operation"] for r in simulator_state(portal_on)["requests"]]
    assert requests.count("DongBoHoiDap") == 1


def test_a_refused_publication_keeps_the_reply_and_is_sent_again_next_time(portal_on):
    agency = AgencyFactory(identity_code="000.20.99.H06")
    published(agency)
    simulator_post(
        portal_on, "faults", {"faults": [{"operation": "DongBoHoiDap", "kind": "error_code", "code": "-9"}]}
    )
    report = publish_questions(conf.get_connector())
    assert (report.sent, report.refused) == (0, 1)
    publication = PublishedQuestion.objects.get()
    assert publication.sent_at is None and '"-9"' in publication.reply
    assert simulator_state(portal_on)["faq"] == []
    assert publish_questions(conf.get_connector()).sent == 1
    assert len(simulator_state(portal_on)["faq"]) == 1


def test_questions_that_came_from_the_portal_are_not_published_back(portal_on, superuser):
    pull_questions(conf.get_connector())
    question = Recommendation.objects.get()
    question.agency = AgencyFactory(identity_code="000.01.99.H06")
    question.state = Recommendation.State.ANSWERED
    question.answer, question.answered_at, question.answered_by = "Trả lời.", timezone.now(), superuser
    question.consent_publish = question.published = True
    question.save()
    assert publish_questions(conf.get_connector()).sent == 0
    assert simulator_state(portal_on)["faq"] == []
