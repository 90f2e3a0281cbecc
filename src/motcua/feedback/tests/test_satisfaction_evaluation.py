"""One evaluation per dossier after its result, on the portal, the kiosk and through the notification's link;
aggregated per agency and period."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers import services as dossier_services
from motcua.dossiers.tests.factories import ApplicantFactory, ProcedureWithProcessFactory, StaffSet
from motcua.feedback import services
from motcua.feedback.models import Evaluation

from .factories import POINTS

pytestmark = pytest.mark.django_db


def resolved_dossier(procedure=None, phone="0912345678"):
    procedure = procedure or ProcedureWithProcessFactory()
    staff = StaffSet(procedure)
    dossier = dossier_services.intake(
        procedure=procedure, applicant=ApplicantFactory(phone=phone), actor=staff.officer
    )
    while dossier.state != "result_ready":
        dossier = dossier_services.advance(dossier, staff.for_role(dossier.current_step.role))
    return dossier


def form_data(points=POINTS, overall="very_satisfied"):
    return {**{f"indicator_{n}": v for n, v in points.items()}, "overall": overall}


def test_an_evaluation_records_the_nine_indicators_and_the_total(monday_morning):
    dossier = resolved_dossier()
    points = {**POINTS, 3: 1, 5: 0}
    evaluation = services.submit_evaluation(dossier, points=points, overall="satisfied", channel="portal")
    # Asked: 2 + 2 + 1 + 2 + 0 + 2 = 9. From the records: 7 = 2 (result before the legal due date, no complaint),
    # 8 = 2 (the agency had no recommendation to answer), 9 = 0 (none of its dossiers came online).
    assert (evaluation.indicator_7, evaluation.indicator_8, evaluation.indicator_9) == (2, 2, 0)
    assert (
        evaluation.total_points == 13
        and evaluation.indicator_3 == 1
        and evaluation.agency == dossier.resolving_agency
    )


def test_the_citizen_is_not_asked_what_only_the_records_can_tell(client, monday_morning):
    """Indicators 7-9 (staff attitude as early/on time, handling of recommendations, online services) are facts
    about the agency's records: the form does not ask them, and answers sent for them are ignored."""
    dossier = resolved_dossier()
    url = reverse("feedback:evaluate_link", args=[services.evaluation_token(dossier)])
    html = client.get(url).content.decode()
    assert "Chỉ số 6" in html
    for absent in ("Chỉ số 7", "Chỉ số 8", "Chỉ số 9", "Đúng hạn từ 90% trở lên", "Trả kết quả sớm"):
        assert absent not in html, absent
    evaluation = services.submit_evaluation(
        dossier, points={**POINTS, 7: 0, 8: 0, 9: 2}, overall="satisfied", channel="portal"
    )
    assert (evaluation.indicator_7, evaluation.indicator_8, evaluation.indicator_9) == (2, 2, 0)


def test_a_late_result_or_a_complaint_about_the_dossier_costs_indicator_7(monday_morning):
    from motcua.feedback.tests.factories import RecommendationFactory

    dossier = resolved_dossier()
    RecommendationFactory(dossier_code=dossier.code)
    assert services.record_points(dossier)[7] == 0


def test_one_evaluation_per_dossier(monday_morning):
    dossier = resolved_dossier()
    services.submit_evaluation(dossier, points=POINTS, overall="satisfied", channel="portal")
    with pytest.raises(ValidationError) as excinfo:
        services.submit_evaluation(dossier, points=POINTS, overall="dissatisfied", channel="kiosk")
    assert "một lần" in excinfo.value.messages[0]
    assert Evaluation.objects.count() == 1


def test_no_evaluation_before_the_result(monday_morning):
    procedure = ProcedureWithProcessFactory()
    staff = StaffSet(procedure)
    dossier = dossier_services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=staff.officer)
    with pytest.raises(ValidationError):
        services.submit_evaluation(dossier, points=POINTS, overall="satisfied", channel="portal")
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("bad", [{1: 3}, {5: 1}, {6: None}, {2: "x"}])
def test_points_outside_the_scale_are_refused(bad, monday_morning):
    dossier = resolved_dossier()
    with pytest.raises(ValidationError) as excinfo:
        services.submit_evaluation(dossier, points={**POINTS, **bad}, overall="satisfied", channel="portal")
    assert "Chưa chọn mức đánh giá hợp lệ" in excinfo.value.messages[0]
    assert not Evaluation.objects.exists()


def test_the_link_in_the_notification_opens_the_form(client, monday_morning):
    dossier = resolved_dossier()
    url = reverse("feedback:evaluate_link", args=[services.evaluation_token(dossier)])
    assert "Chỉ số 6" in client.get(url).content.decode()
    response = client.post(url, form_data())
    assert "Cảm ơn" in response.content.decode()
    assert Evaluation.objects.get().channel == "link"
    assert client.get(reverse("feedback:evaluate_link", args=["gia-mao"])).status_code == 404


def test_the_kiosk_needs_the_code_and_phone_and_is_throttled(client, monday_morning):
    dossier = resolved_dossier(phone="0988777666")
    page = client.post(
        reverse("feedback:kiosk"), {"code": dossier.code, "phone": "0911111111"}
    ).content.decode()
    assert "Không tìm thấy hồ sơ" in page
    page = client.post(
        reverse("feedback:kiosk"), {"code": dossier.code, "phone": "0988777666"}
    ).content.decode()
    assert "Chỉ số 1" in page
    token = page.split('name="dossier_token" value="')[1].split('"')[0]
    response = client.post(reverse("feedback:kiosk"), {"dossier_token": token, **form_data()})
    assert "Cảm ơn" in response.content.decode()
    assert Evaluation.objects.get().channel == "kiosk"
    for _attempt in range(30):
        client.post(reverse("feedback:kiosk"), {"code": "SAI", "phone": "0988777666"})
    assert (
        client.post(reverse("feedback:kiosk"), {"code": dossier.code, "phone": "0988777666"}).status_code
        == 429
    )


def test_aggregates_per_agency_and_period(monday_morning):
    first = resolved_dossier()
    second = resolved_dossier(procedure=ProcedureWithProcessFactory(resolving_agency=first.resolving_agency))
    other = resolved_dossier()
    services.submit_evaluation(first, points=POINTS, overall="very_satisfied", channel="portal")
    services.submit_evaluation(second, points={**POINTS, 1: 0}, overall="dissatisfied", channel="kiosk")
    services.submit_evaluation(
        other, points={**{n: 1 for n in POINTS}, 5: 2}, overall="satisfied", channel="link"
    )
    today = timezone.localdate()
    report = services.aggregate(today, today)
    rows = {row["agency"]: row for row in report["rows"]}
    mine = rows[first.resolving_agency_id]
    # Asked 1-6 plus 7 = 2, 8 = 2, 9 = 0 from the records: 16 and 14 points.
    assert mine["count"] == 2 and mine["avg_total"] == 15.0 and mine["averages"][0] == 1.0
    assert mine["very_satisfied"] == 1 and mine["dissatisfied"] == 1 and mine["satisfied_rate"] == 50.0
    assert mine["rank"] == 1 and rows[other.resolving_agency_id]["avg_total"] == 11.0
    assert report["total"]["count"] == 3
    assert (
        services.aggregate(today + datetime.timedelta(days=1), today + datetime.timedelta(days=2))["rows"]
        == []
    )
