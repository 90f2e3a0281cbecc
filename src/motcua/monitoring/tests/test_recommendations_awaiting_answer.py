"""Recommendations (kiến nghị, phản ánh) awaiting an answer on the supervisor dashboard: due states as frozen
time passes (across a weekend and across Tết), counts per agency, the drill-down list most urgent first with
who holds each and since when, and who may see which."""

import pytest
import time_machine

from motcua.feedback import services as feedback
from motcua.feedback.tests.factories import RecommendationFactory
from motcua.monitoring import dashboard
from motcua.monitoring import recommendation_watch as rw
from motcua.monitoring.models import DueState, RecommendationWatch
from motcua.org.models import AdminUnit, Role
from motcua.org.tests.factories import AdminUnitFactory

from .factories import Office, UserFactory, at, grant

STATES = [s for s in rw.STATES if s != DueState.BADLY_OVERDUE]


@pytest.fixture
def office(db):
    return Office()


def assigned(office, when, days, title="Chờ lâu ở quầy", agency=None):
    """A recommendation sent and assigned by the center director at `when`, to answer within `days`."""
    with time_machine.travel(when, tick=False):
        rec = RecommendationFactory(title=title)
        return feedback.assign_recommendation(
            rec, agency=agency or office.agency, by=office.director, days=days
        )


def sql_state(rec, now) -> str:
    """The one bucket the SQL filters put the recommendation in (badly overdue checked inside overdue)."""
    rows = RecommendationWatch.objects.filter(recommendation=rec)
    found = [s for s in STATES if rows.filter(rw.state_q(s, now)).exists()]
    assert len(found) == 1, found
    if found == [DueState.OVERDUE] and rows.filter(rw.state_q(DueState.BADLY_OVERDUE, now)).exists():
        return DueState.BADLY_OVERDUE
    return found[0]


def state_at(office, rec, now) -> str:
    """The state at `now`, the same from the SQL filters, the Python rule and the dashboard's counts."""
    row = RecommendationWatch.objects.get(recommendation=rec)
    state = rw.classify(row, now)
    assert sql_state(rec, now) == state
    counts = dashboard.recommendation_overview(office.director, dashboard.Filters(), now).total
    assert counts[state] == 1 and counts["total"] == 1
    if state == DueState.BADLY_OVERDUE:
        assert counts[DueState.OVERDUE] == 1  # "overdue" counts every late one
    return state


def test_recommendation_moves_to_overdue_across_a_weekend(office):
    # Thu 10/11/2022 09:00 + 2 working days = Mon 14/11/2022 09:00
    rec = assigned(office, at(2022, 11, 10, 9), days=2)
    assert rec.due_at == at(2022, 11, 14, 9)
    assert state_at(office, rec, at(2022, 11, 10, 15)) == DueState.ON_TRACK
    # one working day before the deadline
    assert state_at(office, rec, at(2022, 11, 11, 8, 59)) == DueState.ON_TRACK
    assert state_at(office, rec, at(2022, 11, 11, 9)) == DueState.NEAR_DUE
    # over the weekend it stays near due, not overdue
    assert state_at(office, rec, at(2022, 11, 13, 20)) == DueState.NEAR_DUE
    assert state_at(office, rec, at(2022, 11, 14, 7)) == DueState.DUE_TODAY
    assert state_at(office, rec, at(2022, 11, 14, 16)) == DueState.DUE_TODAY
    assert state_at(office, rec, at(2022, 11, 15, 7)) == DueState.OVERDUE
    # late by more than the 2 working days it was given: after Wed 16/11 09:00
    assert state_at(office, rec, at(2022, 11, 16, 8)) == DueState.OVERDUE
    assert state_at(office, rec, at(2022, 11, 16, 10)) == DueState.BADLY_OVERDUE


def test_recommendation_deadline_skips_tet(office):
    # Thu 23/01/2025 09:00 + 2 working days; 27/01–31/01 are Tết days off: due Mon 03/02/2025 09:00
    rec = assigned(office, at(2025, 1, 23, 9), days=2)
    assert rec.due_at == at(2025, 2, 3, 9)
    assert state_at(office, rec, at(2025, 1, 23, 16)) == DueState.ON_TRACK
    assert state_at(office, rec, at(2025, 1, 24, 10)) == DueState.NEAR_DUE
    # a week of Tết later it is still only near due
    assert state_at(office, rec, at(2025, 1, 31, 10)) == DueState.NEAR_DUE
    assert state_at(office, rec, at(2025, 2, 3, 8)) == DueState.DUE_TODAY
    assert state_at(office, rec, at(2025, 2, 4, 8)) == DueState.OVERDUE
    assert state_at(office, rec, at(2025, 2, 5, 10)) == DueState.BADLY_OVERDUE


def test_unassigned_waits_with_the_center_and_an_answer_leaves_the_watch(office):
    with time_machine.travel(at(2022, 11, 10, 9), tick=False):
        waiting = RecommendationFactory(title="Chưa giao")
    row = RecommendationWatch.objects.get(recommendation=waiting)
    assert row.agency is None and row.due_at is None and row.held_since == at(2022, 11, 10, 9)
    assert state_at(office, waiting, at(2022, 11, 20, 9)) == rw.UNASSIGNED
    rec = assigned(office, at(2022, 11, 10, 9), days=5)
    with time_machine.travel(at(2022, 11, 11, 9), tick=False):
        feedback.answer_recommendation(rec, answer="Đã chấn chỉnh.", by=office.staff.specialist)
    assert not RecommendationWatch.objects.filter(recommendation=rec).exists()
    assert RecommendationWatch.objects.filter(recommendation=waiting).exists()


def test_reassignment_moves_the_holder_and_the_deadline(office):
    other = Office()
    rec = assigned(office, at(2022, 11, 10, 9), days=2)
    with time_machine.travel(at(2022, 11, 11, 9), tick=False):
        feedback.assign_recommendation(rec, agency=other.agency, by=other.director, days=10)
    row = RecommendationWatch.objects.get(recommendation=rec)
    assert row.agency == other.agency and row.held_since == at(2022, 11, 11, 9)
    assert row.assigned_by == other.director and row.due_at == at(2022, 11, 25, 9)


@pytest.fixture
def three(office):
    """An overdue one, a near-due one and one not assigned yet, seen on Wed 16/11/2022 10:00."""
    with time_machine.travel(at(2022, 11, 1, 9), tick=False):
        waiting = RecommendationFactory(title="Chưa giao cơ quan")
    return {
        "overdue": assigned(office, at(2022, 11, 10, 9), days=3, title="Quá hạn trả lời"),
        "near_due": assigned(office, at(2022, 11, 15, 9), days=2, title="Sắp đến hạn trả lời"),
        "unassigned": waiting,
    }


NOW = at(2022, 11, 16, 10)


def test_counts_per_agency_and_for_the_center(office, three):
    result = dashboard.recommendation_overview(office.director, dashboard.Filters(), NOW)
    agency_row, center_row = result.agencies
    assert agency_row.label == office.agency.name
    assert agency_row.counts["overdue"] == 1 and agency_row.counts["near_due"] == 1
    assert agency_row.counts["total"] == 2
    assert center_row.counts["unassigned"] == 1 and center_row.counts["total"] == 1
    assert result.total["total"] == 3


def test_drill_down_most_urgent_first_with_holder_and_since(office, three):
    count, items = dashboard.recommendation_drill_down(office.director, dashboard.Filters(), NOW)
    assert count == 3
    assert [i.recommendation for i in items] == [three["overdue"], three["near_due"], three["unassigned"]]
    assert [i.state for i in items] == [DueState.OVERDUE, DueState.NEAR_DUE, rw.UNASSIGNED]
    assert items[0].row.agency == office.agency
    assert items[0].row.held_since == at(2022, 11, 10, 9)
    assert items[0].row.assigned_by == office.director
    assert items[2].row.agency is None and items[2].row.held_since == at(2022, 11, 1, 9)


def test_dashboard_page_shows_recommendations_and_refreshes_itself(client, office, three):
    client.force_login(office.director)
    with time_machine.travel(NOW, tick=False):
        html = client.get("/theo-doi/").content.decode()
    # The figures refresh in place (no page reload, which a screen reader would start again), and can be paused.
    assert 'http-equiv="refresh"' not in html
    assert "data-live-seconds=" in html and "data-live-toggle" in html
    assert "Kiến nghị, phản ánh chờ trả lời" in html
    assert f"/theo-doi/kien-nghi/?agency={office.agency.pk}&amp;state=overdue" in html or (
        f"/theo-doi/kien-nghi/?agency={office.agency.pk}&state=overdue" in html
    )
    assert 'data-total="recommendations-overdue"' in html


def test_list_page_filters_by_state_and_shows_the_holder(client, office, three):
    client.force_login(office.director)
    with time_machine.travel(NOW, tick=False):
        response = client.get("/theo-doi/kien-nghi/?state=overdue")
        everything = client.get("/theo-doi/kien-nghi/").content.decode()
    html = response.content.decode()
    assert response.status_code == 200 and 'http-equiv="refresh"' not in html
    assert 'data-live-part="list"' in html
    assert three["overdue"].reference in html and three["near_due"].reference not in html
    assert office.agency.name in html and "10/11/2022" in html
    assert office.director.get_full_name() in html
    positions = [everything.index(three[k].reference) for k in ("overdue", "near_due", "unassigned")]
    assert positions == sorted(positions)


def test_bad_filters_say_why_and_show_nothing_wrong(client, office, three):
    client.force_login(office.director)
    with time_machine.travel(NOW, tick=False):
        bad_state = client.get("/theo-doi/kien-nghi/?state=step_overrun").content.decode()
        bad_agency = client.get("/theo-doi/kien-nghi/?agency=999999").content.decode()
    assert "Tình trạng hạn “step_overrun” không hợp lệ." in bad_state
    assert "Không có cơ quan “999999”" in bad_agency


def test_a_specialist_sees_only_the_recommendations_of_their_agency(client, office, three):
    other = Office()
    theirs = assigned(other, at(2022, 11, 10, 9), days=2, title="Của cơ quan khác", agency=other.agency)
    client.force_login(office.staff.specialist)
    with time_machine.travel(NOW, tick=False):
        mine = client.get("/theo-doi/kien-nghi/")
        asked = client.get(f"/theo-doi/kien-nghi/?agency={other.agency.pk}").content.decode()
        dashboard_page = client.get("/theo-doi/")
    html = mine.content.decode()
    assert mine.status_code == 200
    assert three["overdue"].reference in html and three["near_due"].reference in html
    assert theirs.reference not in html
    assert three["unassigned"].reference not in html  # still with the center
    assert "trong phạm vi theo dõi của bạn" in asked and theirs.reference not in asked
    assert dashboard_page.status_code == 403
    count, items = dashboard.recommendation_drill_down(office.staff.specialist, dashboard.Filters(), NOW)
    assert count == 2 and theirs not in [i.recommendation for i in items]


def test_an_agency_leader_counts_only_their_agency(office, three):
    other = Office()
    assigned(other, at(2022, 11, 10, 9), days=2, agency=other.agency)
    leader = UserFactory()
    grant(leader, Role.LEADER, office.agency)
    result = dashboard.recommendation_overview(leader, dashboard.Filters(), NOW)
    assert [r.label for r in result.agencies] == [office.agency.name]
    assert result.total["total"] == 2 and result.total["overdue"] == 1


def test_someone_without_a_staff_role_is_refused(client, office, three):
    client.force_login(UserFactory())
    response = client.get("/theo-doi/kien-nghi/")
    page = response.content.decode()
    assert response.status_code == 403
    assert all(rec.title not in page for rec in three.values())
    assert office.agency.name not in page


def test_agency_and_unit_filters_narrow_the_counts_and_the_list(office, three):
    commune = Office()
    commune.agency.unit = AdminUnitFactory(kind=AdminUnit.Kind.COMMUNE, name="Xã Đại Bái")
    commune.agency.save()
    theirs = assigned(commune, at(2022, 11, 10, 9), days=3, title="Ở xã", agency=commune.agency)
    admin = UserFactory(is_superuser=True)
    by_agency = dashboard.parse_recommendation_filters({"agency": str(office.agency.pk)}, admin)
    result = dashboard.recommendation_overview(admin, by_agency, NOW)
    assert [r.label for r in result.agencies] == [office.agency.name]  # not the center's unassigned one
    assert result.total["total"] == 2
    by_unit = dashboard.parse_recommendation_filters({"unit": commune.agency.unit.code}, admin)
    count, items = dashboard.recommendation_drill_down(admin, by_unit, NOW)
    assert count == 1 and [i.recommendation for i in items] == [theirs]
    with pytest.raises(Exception, match="Không có đơn vị hành chính"):
        dashboard.parse_recommendation_filters({"unit": "không-có"}, admin)
