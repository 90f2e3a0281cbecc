"""The drill-down rows built in the view (no per-row template lookups) and the pages' fixed query counts."""

import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.monitoring import dashboard
from motcua.org.models import Role, StaffAssignment

from .factories import Office, at, grant

NOW = at(2022, 11, 16, 10)


@pytest.fixture
def office(db):
    return Office()


def _row(html: str, code: str) -> str:
    return re.search(rf'<tr data-code="{re.escape(code)}".*?</tr>', html, re.S).group(0)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_overdue_row_shows_dates_holder_state_and_urge_links(client, office):
    dossier = office.receive(at(2022, 11, 10, 9))  # 3 working days: due Tue 15/11, overdue on Wed 16/11
    dossier.refresh_from_db()
    client.force_login(office.director)
    with time_machine.travel(NOW, tick=False):
        row = _row(client.get("/theo-doi/ho-so/?state=overdue").content.decode(), dossier.code)
    assert "<td>1</td>" in row
    assert f"<strong>{dossier.code}</strong><br>{office.procedure.name}<br>" in row
    assert "Tiếp nhận: 09:00 10/11/2022 — hẹn trả: " in row
    assert office.staff.specialist.get_full_name() in row
    assert "từ 09:00 10/11/2022" in row
    local_due = dossier.due_at.astimezone(at(2022, 1, 1).tzinfo)
    assert f"<td>{local_due:%H:%M %d/%m/%Y}" in row
    assert '<span class="overdue">Quá hạn</span>' in row
    assert f'action="/theo-doi/ho-so/{dossier.code}/don-doc/"' in row
    assert 'name="next" value="/theo-doi/ho-so/?state=overdue"' in row
    assert f'href="/theo-doi/ho-so/{dossier.code}/lich-su-don-doc/">Lịch sử đôn đốc</a>' in row


def test_row_without_holder_and_on_track_reads_as_before(client, office):
    dossier = office.receive(at(2022, 11, 16, 9))
    client.force_login(office.director)
    with time_machine.travel(NOW, tick=False):
        row = _row(client.get("/theo-doi/ho-so/").content.decode(), dossier.code)
    assert '<span class="ontrack">Trong hạn</span>' in row
    assert 'class="tag" data-flag="step_overrun"' not in row


def test_rows_follow_the_chosen_language(client, office, settings):
    dossier = office.receive(at(2022, 11, 10, 9))
    client.force_login(office.director)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with time_machine.travel(NOW, tick=False):
        row = _row(client.get("/theo-doi/ho-so/?state=overdue").content.decode(), dossier.code)
    assert "Receive: 09:00 10/11/2022" in row and "since 09:00 10/11/2022" in row
    assert "Reminder history" in row
    assert "Tiếp nhận" not in row and "Lịch sử đôn đốc" not in row


def test_my_work_has_no_urge_column(client, office):
    dossier = office.receive(at(2022, 11, 10, 9))
    client.force_login(office.staff.specialist)
    with time_machine.travel(NOW, tick=False):
        row = _row(client.get("/theo-doi/cua-toi/").content.decode(), dossier.code)
    assert "don-doc" not in row and "<td>1</td>" in row


def test_list_page_query_count_does_not_grow_with_its_rows(client, office, django_assert_num_queries):
    """The page of rows costs a fixed number of queries (count, rows, one per related table), whatever the
    number of rows, agencies, procedures and holders on it: no query per row."""
    office.receive(at(2022, 11, 10, 9))
    client.force_login(office.director)
    with time_machine.travel(NOW, tick=False):
        client.get("/theo-doi/ho-so/")  # warm the calendar and the scope caches of the process
        few = _queries(client, "/theo-doi/ho-so/")
    for day in (10, 11, 14, 15, 16):
        office.receive(at(2022, 11, day, 9))
    other = Office()  # another agency and procedure, with its own holder, in the director's scope too
    grant(office.director, Role.SUPERVISOR, other.agency)
    for day in (10, 14):
        other.receive(at(2022, 11, day, 9))
    with time_machine.travel(NOW, tick=False):
        client.get("/theo-doi/ho-so/")
        with django_assert_num_queries(few):
            html = client.get("/theo-doi/ho-so/").content.decode()
    assert html.count("<tr data-code=") == 8


def test_dashboard_query_count_does_not_grow_with_agencies(client, office, django_assert_num_queries):
    office.receive(at(2022, 11, 10, 9))
    client.force_login(office.admin)
    with time_machine.travel(NOW, tick=False):
        client.get("/theo-doi/")
        few = _queries(client, "/theo-doi/")
    others = [Office() for _ in range(2)]
    for other in others:
        other.receive(at(2022, 11, 14, 9))
    with time_machine.travel(NOW, tick=False):
        client.get("/theo-doi/")
        with django_assert_num_queries(few):
            html = client.get("/theo-doi/").content.decode()
    for other in others:
        assert f'data-key="{other.agency.pk}"' in html


def test_may_monitor_is_asked_once_per_request_and_follows_role_changes(office):
    user = office.director
    assert dashboard.may_monitor(user)
    with CaptureQueriesContext(connection) as ctx:
        assert dashboard.may_monitor(user)
    assert len(ctx.captured_queries) == 0
    StaffAssignment.objects.filter(user=user, role=Role.SUPERVISOR).delete()
    assert not dashboard.may_monitor(user)
