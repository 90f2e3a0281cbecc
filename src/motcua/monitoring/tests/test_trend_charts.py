"""The supervisor's charts: received and resolved per month, on-time rate per agency, as SVG with a table."""

import re

import pytest
import time_machine

from motcua.org.models import Role
from motcua.org.tests.factories import StaffAssignmentFactory
from motcua.reports.tests.factories import (
    DistrictAgencyFactory,
    History,
    ProcedureWithProcessFactory,
    SuperuserFactory,
    at,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_agencies(db):
    """Agency A: 3 received in November 2022, one resolved early, one late, one open. Agency B: 2 received
    in October, both resolved early. (3-working-day procedures; no holiday then.)"""
    actor = SuperuserFactory()
    a = DistrictAgencyFactory(name="Phòng Tư pháp A")
    b = DistrictAgencyFactory(name="Phòng Nội vụ B")
    pa = ProcedureWithProcessFactory(resolving_agency=a)
    pb = ProcedureWithProcessFactory(resolving_agency=b)
    History(pa, actor, at(2022, 11, 2, 9)).resolve(at(2022, 11, 3, 9))
    History(pa, actor, at(2022, 11, 1, 9)).resolve(at(2022, 11, 7, 15))
    History(pa, actor, at(2022, 11, 14, 9))
    History(pb, actor, at(2022, 10, 3, 9)).resolve(at(2022, 10, 4, 9))
    History(pb, actor, at(2022, 10, 4, 9)).resolve(at(2022, 10, 5, 9))
    return a, b


def dashboard(client, user, query="") -> str:
    client.force_login(user)
    with time_machine.travel(at(2022, 12, 5, 10), tick=False):
        response = client.get("/theo-doi/" + query)
    assert response.status_code == 200
    return response.content.decode()


def _svg(html: str, title_id: str) -> str:
    match = re.search(rf'<svg[^>]*aria-labelledby="{title_id}".*?</svg>', html, re.S)
    assert match, f"no chart {title_id}"
    return match.group(0)


def test_month_chart_draws_received_and_resolved_of_each_month_with_a_title(client, two_agencies):
    html = dashboard(client, SuperuserFactory())
    svg = _svg(html, "chart-months-title")
    assert 'role="img"' in svg
    assert "Hồ sơ tiếp nhận và đã giải quyết theo tháng, 01/01/2022 – 05/12/2022" in svg
    labels = re.findall(r">(\d\d/\d{4})</text>", svg)
    assert labels[0] == "01/2022" and labels[-1] == "12/2022" and len(labels) == 12
    numbers = re.findall(r'font-size="10">([\d.]+)</text>', svg)
    # Two bars a month (received, resolved): October 2 and 2, November 3 and 2.
    assert numbers[18:22] == ["2", "2", "3", "2"]


def test_rate_chart_gives_each_agencys_on_time_rate(client, two_agencies):
    html = dashboard(client, SuperuserFactory())
    svg = _svg(html, "chart-rates-title")
    assert "Tỷ lệ giải quyết đúng hạn theo cơ quan, 01/01/2022 – 05/12/2022" in svg
    assert re.search(
        r"Phòng Nội vụ B</text>.*100,0% \(2/2\)</text>.*Phòng Tư pháp A</text>.*50,0% \(1/2\)", svg
    )
    assert "(Trước hạn + Đúng hạn) / Đã giải quyết × 100%" in html


def test_the_numbers_are_also_given_in_tables(client, two_agencies):
    html = dashboard(client, SuperuserFactory())
    months = re.search(r'<table data-table="months">.*?</table>', html, re.S).group(0)
    assert '<th scope="row">11/2022</th><td>3</td><td>2</td><td>1</td><td>50,0%</td>' in months
    rates = re.search(r'<table data-table="rates">.*?</table>', html, re.S).group(0)
    assert '<th scope="row">Phòng Tư pháp A</th><td>3</td><td>2</td><td>1</td><td>50,0%</td>' in rates


def test_a_supervisor_sees_only_the_agencies_they_watch(client, two_agencies):
    a, b = two_agencies
    supervisor = StaffAssignmentFactory(role=Role.SUPERVISOR, agency=a).user
    html = dashboard(client, supervisor)
    svg = _svg(html, "chart-rates-title")
    assert "Phòng Tư pháp A" in svg and "Phòng Nội vụ B" not in svg


def test_the_agency_filter_narrows_the_charts(client, two_agencies):
    a, b = two_agencies
    html = dashboard(client, SuperuserFactory(), f"?agency={b.pk}")
    svg = _svg(html, "chart-rates-title")
    assert "Phòng Nội vụ B" in svg and "Phòng Tư pháp A" not in svg


def test_with_nothing_resolved_the_page_says_so_instead_of_an_empty_chart(client):
    html = dashboard(client, SuperuserFactory())
    assert "chart-rates-title" not in html
    assert "Chưa có hồ sơ nào đã giải quyết trong kỳ." in html


def test_agency_names_are_escaped_in_the_svg(client, two_agencies):
    a, _b = two_agencies
    a.name = "Phòng <Thử> & Co"
    a.save()
    svg = _svg(dashboard(client, SuperuserFactory()), "chart-rates-title")
    assert "Phòng &lt;Thử&gt; &amp; Co" in svg and "<Thử>" not in svg
