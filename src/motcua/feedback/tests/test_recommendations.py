"""Anyone sends a recommendation; the center assigns it; the agency answers within working days; answers are
published only with the sender's consent; overdue ones are visible to the supervisor."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from motcua.accounts.tests.factories import UserFactory
from motcua.dossiers.tests.factories import grant
from motcua.feedback import services
from motcua.feedback.models import Recommendation
from motcua.org.tests.factories import AgencyFactory

from .factories import RecommendationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    agency = AgencyFactory(name="Phòng Tài chính – Kế hoạch")
    supervisor, specialist, outsider = UserFactory(), UserFactory(), UserFactory()
    grant(supervisor, "supervisor", AgencyFactory())
    grant(specialist, "specialist", agency)
    grant(outsider, "specialist", AgencyFactory())
    return agency, supervisor, specialist, outsider


def test_anyone_sends_one_with_or_without_a_dossier_code(client):
    response = client.post(
        reverse("feedback:recommendation_send"),
        {
            "kind": "complaint",
            "sender_name": "Trần Văn Nam",
            "sender_phone": "0912345678",
            "title": "Chờ lâu",
            "content": "Chờ hơn một giờ.",
            "dossier_code": "",
        },
    )
    assert "PAKN-" in response.content.decode()
    rec = Recommendation.objects.get()
    assert rec.state == "new" and rec.consent_publish is False


def test_a_recommendation_without_any_contact_is_refused(client):
    response = client.post(
        reverse("feedback:recommendation_send"),
        {"kind": "recommendation", "sender_name": "Ẩn danh", "title": "x", "content": "y"},
    )
    assert "Cần số điện thoại hoặc thư điện tử" in response.content.decode()
    assert not Recommendation.objects.exists()


def test_assignment_sets_a_deadline_in_working_days(people, monday_morning):
    agency, supervisor, _specialist, _outsider = people
    rec = services.assign_recommendation(RecommendationFactory(), agency=agency, by=supervisor, days=5)
    # Monday 07/11/2022 09:00 + 5 working days = Monday 14/11/2022 09:00
    assert rec.due_at.astimezone(datetime.timezone(datetime.timedelta(hours=7))).date() == datetime.date(
        2022, 11, 14
    )
    assert rec.state == "assigned"


def test_only_the_center_assigns(people):
    agency, _supervisor, specialist, _outsider = people
    with pytest.raises(PermissionError):
        services.assign_recommendation(RecommendationFactory(), agency=agency, by=specialist)


def test_overdue_ones_are_visible_to_the_supervisor(people, client, monday_morning):
    agency, supervisor, specialist, outsider = people
    rec = services.assign_recommendation(
        RecommendationFactory(title="Chờ lâu ở quầy"), agency=agency, by=supervisor, days=2
    )
    monday_morning.shift(datetime.timedelta(days=5))
    assert list(Recommendation.objects.overdue()) == [rec]
    client.force_login(supervisor)
    page = client.get(reverse("feedback:recommendation_inbox") + "?loc=qua-han").content.decode()
    assert "Chờ lâu ở quầy" in page and "quá hạn" in page.lower()
    # an agency outside the assignment does not see it
    client.force_login(outsider)
    assert "Chờ lâu ở quầy" not in client.get(reverse("feedback:recommendation_inbox")).content.decode()


def test_answers_are_published_only_with_consent(people, client):
    agency, supervisor, specialist, outsider = people
    agreed = services.assign_recommendation(
        RecommendationFactory(title="Công khai được", consent_publish=True), agency=agency, by=supervisor
    )
    private = services.assign_recommendation(
        RecommendationFactory(title="Không công khai"), agency=agency, by=supervisor
    )
    with pytest.raises(PermissionError):
        services.answer_recommendation(agreed, answer="x", by=outsider)
    with pytest.raises(ValidationError):
        services.answer_recommendation(agreed, answer="  ", by=specialist)
    services.answer_recommendation(agreed, answer="Đã bố trí thêm quầy.", by=specialist)
    services.answer_recommendation(private, answer="Đã xử lý.", by=specialist)
    page = client.get(reverse("feedback:recommendations_public")).content.decode()
    assert "Công khai được" in page and "Đã bố trí thêm quầy." in page
    assert "Không công khai" not in page
    with pytest.raises(ValidationError):
        services.answer_recommendation(agreed, answer="lần hai", by=specialist)


def _send(client, address, title="Chờ lâu"):
    data = {
        "kind": "complaint",
        "sender_name": "Trần Văn Nam",
        "sender_phone": "0912345678",
        "title": title,
        "content": "Chờ hơn một giờ.",
        "dossier_code": "",
    }
    return client.post(reverse("feedback:recommendation_send"), data, REMOTE_ADDR=address)


@pytest.fixture
def half_past_nine():
    import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    instant = datetime.datetime(2022, 11, 7, 9, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(instant, tick=False) as traveller:
        yield traveller


def test_the_anonymous_form_takes_a_few_submissions_per_source_and_hour(client, settings, half_past_nine):
    import datetime

    settings.RECOMMENDATIONS_PER_HOUR = 5
    for number in range(5):
        assert _send(client, "203.0.113.7", f"Lần {number}").status_code == 200
    refused = _send(client, "203.0.113.7", "Lần thứ sáu")
    assert refused.status_code == 429
    assert "Vui lòng thử lại sau" in refused.content.decode()
    assert Recommendation.objects.count() == 5
    assert _send(client, "198.51.100.20").status_code == 200  # another source is not affected
    half_past_nine.shift(datetime.timedelta(hours=1))
    assert _send(client, "203.0.113.7", "Giờ sau").status_code == 200
    assert Recommendation.objects.count() == 7
