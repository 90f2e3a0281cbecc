"""The supervisor dashboard: counts by state per agency, commune and counter; drill-down; urging; access."""

import pytest
import time_machine

from motcua.accounts.tests.factories import UserFactory
from motcua.monitoring import dashboard
from motcua.monitoring.models import Notification, Reminder
from motcua.org.models import AdminUnit
from motcua.org.tests.factories import AdminUnitFactory, CounterFactory

from .factories import ApplicantFactory, NotificationFactory, Office, at


@pytest.fixture
def office(db):
    return Office()


@pytest.fixture
def dossiers(office):
    """One overdue (due Tue 15/11), one near due (due Wed 16/11 10:00... from Fri), one on track."""
    return {
        "overdue": office.receive(at(2022, 11, 10, 9)),
        "near_due": office.receive(at(2022, 11, 14, 9)),
        "on_track": office.receive(at(2022, 11, 16, 9)),
    }


NOW = at(2022, 11, 16, 10)


def test_counts_by_agency_commune_and_counter(office, dossiers):
    commune_office = Office()
    commune_office.agency.unit = AdminUnitFactory(kind=AdminUnit.Kind.COMMUNE, name="Xã Đại Bái")
    commune_office.agency.save()
    commune_office.receive(at(2022, 11, 10, 9))
    counter = CounterFactory()
    counter.agencies.add(office.agency)
    admin = UserFactory(is_superuser=True)
    result = dashboard.overview(admin, dashboard.Filters(), NOW)
    [agency_row] = result.agencies
    assert agency_row.label == office.agency.name
    assert agency_row.counts["overdue"] == 1
    assert agency_row.counts["near_due"] == 1
    assert agency_row.counts["on_track"] == 1
    assert agency_row.counts["total"] == 3
    [commune_row] = result.communes
    assert commune_row.counts["overdue"] == 1 and commune_row.counts["total"] == 1
    [counter_row] = result.counters
    assert counter_row.counts["total"] == 3
    assert result.total["overdue"] == 2


def test_supervisor_sees_only_agencies_in_scope(office, dossiers):
    other = Office()
    other.receive(at(2022, 11, 10, 9))
    result = dashboard.overview(office.director, dashboard.Filters(), NOW)
    assert [r.label for r in result.agencies] == [office.agency.name]
    with pytest.raises(Exception, match="phạm vi"):
        dashboard.parse_filters({"agency": str(other.agency.pk)}, office.director)


def test_drill_down_most_urgent_first_with_holder(office, dossiers):
    count, items = dashboard.drill_down(office.director, dashboard.Filters(), NOW)
    assert count == 3
    assert [i.dossier for i in items] == [dossiers["overdue"], dossiers["near_due"], dossiers["on_track"]]
    assert items[0].row.holder == office.staff.specialist
    assert items[0].row.held_since == at(2022, 11, 10, 9)


def test_dashboard_page(client, office, dossiers):
    client.force_login(office.director)
    with time_machine.travel(NOW, tick=False):
        response = client.get("/theo-doi/")
    html = response.content.decode()
    assert response.status_code == 200
    # The figures refresh in place (no page reload, which would lose the reader's place), and can be paused.
    assert 'http-equiv="refresh"' not in html
    assert 'data-live-part="figures"' in html and "monitoring/live-refresh.js" in html
    assert "Tạm dừng tự cập nhật" in html
    assert office.agency.name in html
    assert f"?agency={office.agency.pk}&state=overdue" in html


def test_list_page_and_bad_filter(client, office, dossiers):
    client.force_login(office.director)
    with time_machine.travel(NOW, tick=False):
        response = client.get("/theo-doi/ho-so/?state=overdue")
        bad = client.get("/theo-doi/ho-so/?state=tre-han")
    html = response.content.decode()
    assert dossiers["overdue"].code in html and dossiers["on_track"].code not in html
    assert office.staff.specialist.get_full_name() in html
    assert bad.status_code == 200 and "không hợp lệ" in bad.content.decode()


def test_staff_without_oversight_role_is_refused(client, office, dossiers):
    client.force_login(office.staff.specialist)
    assert client.get("/theo-doi/").status_code == 403
    assert client.get("/theo-doi/ho-so/").status_code == 403
    assert client.post(f"/theo-doi/ho-so/{dossiers['overdue'].code}/don-doc/").status_code == 302
    assert Reminder.objects.count() == 0


def test_urge_from_the_list_and_history(client, office, dossiers):
    client.force_login(office.director)
    code = dossiers["overdue"].code
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            f"/theo-doi/ho-so/{code}/don-doc/", {"note": "Khẩn", "next": "/theo-doi/ho-so/"}
        )
    assert response.status_code == 302 and response.url == "/theo-doi/ho-so/"
    assert Reminder.objects.filter(dossier=dossiers["overdue"], kind="manual").count() == 1
    history = client.get(f"/theo-doi/ho-so/{code}/lich-su-don-doc/").content.decode()
    assert "Khẩn" in history and "Đôn đốc trực tiếp" in history


def test_my_work_puts_my_late_dossiers_first(client, office, dossiers):
    client.force_login(office.staff.specialist)
    with time_machine.travel(NOW, tick=False):
        html = client.get("/theo-doi/cua-toi/").content.decode()
    codes = [dossiers[k].code for k in ("overdue", "near_due", "on_track")]
    positions = [html.index(c) for c in codes]
    assert positions == sorted(positions)


def test_notifications_are_private_and_can_be_marked_read(client, office):
    mine = NotificationFactory(recipient=office.staff.specialist, title="Đôn đốc của tôi")
    NotificationFactory(title="Đôn đốc của người khác")
    client.force_login(office.staff.specialist)
    html = client.get("/theo-doi/thong-bao/").content.decode()
    assert "Đôn đốc của tôi" in html and "Đôn đốc của người khác" not in html
    client.post("/theo-doi/thong-bao/", {"id": "abc"})
    mine.refresh_from_db()
    assert mine.read_at is None
    client.post("/theo-doi/thong-bao/", {"id": str(mine.pk)})
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_staff_inbox_lists_my_own_near_due_work_before_the_pool(client, office):
    from motcua.dossiers import services

    # in the specialists' pool (nobody named), overdue since Wed 16/11
    with time_machine.travel(at(2022, 11, 10, 9), tick=False):
        pool = services.intake(
            procedure=office.procedure, applicant=ApplicantFactory(), actor=office.staff.officer
        )
        services.advance(pool, office.staff.officer)
    # handed to this specialist by name, near due on Fri 18/11
    mine = office.receive(at(2022, 11, 14, 10))
    client.force_login(office.staff.specialist)
    with time_machine.travel(at(2022, 11, 16, 10, 30), tick=False):
        html = client.get("/ho-so/").content.decode()
    assert pool.code in html and mine.code in html
    assert html.index(mine.code) < html.index(pool.code)
