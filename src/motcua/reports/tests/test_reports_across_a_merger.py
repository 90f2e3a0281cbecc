"""Biểu 06 over a period spanning a merger: the merged agency "as it was" (its own row) or "rolled into its
successor" (its rows added to the successor's, following chains), with the same totals; on the page, in the
exports and in the API."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from motcua.apitokens.models import ApiToken
from motcua.dossiers import services
from motcua.dossiers.tests.factories import ApplicantFactory
from motcua.dossiers.tests.two_tier import TwoTierProvince
from motcua.org.models import Agency
from motcua.org.reorganisation import reorganise
from motcua.org.tests.factories import AgencyFactory
from motcua.reports.resolution import resolution_report, successors_on

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
PERIOD = {"from": "2026-02-01", "to": "2026-02-28"}


@pytest.fixture
def merged():
    """Commune B works in early February (one dossier resolved and returned, one withdrawn, one still open), A
    receives one; B is merged into A from 10/02/2026 (its open dossier moves to A); A receives one more on 11/02."""
    with time_machine.travel(datetime.datetime(2026, 2, 2, 9, 0, tzinfo=HCM), tick=False) as clock:
        land = TwoTierProvince()

        def at(staff):
            return services.intake(
                procedure=land.procedure, applicant=ApplicantFactory(), actor=staff.officer
            )

        done = at(land.staff_b)
        while done.state in ("received", "in_step"):
            done = services.advance(done, land.superuser)
        services.return_result(done, land.superuser)
        services.withdraw(at(land.staff_b), land.staff_b.officer, "Công dân xin rút")
        at(land.staff_b)  # open at the merger
        at(land.staff_a)
        clock.move_to(datetime.datetime(2026, 2, 10, 8, 0, tzinfo=HCM))
        reorganise(
            {
                "effective": "2026-02-10",
                "basis": "Nghị quyết 9999/NQ-UBTVQH15 (thử nghiệm)",
                "merges": [
                    {"into": land.a.identity_code, "level": "commune", "from": [land.b.identity_code]}
                ],
            }
        )
        clock.move_to(datetime.datetime(2026, 2, 11, 9, 0, tzinfo=HCM))
        at(land.staff_a)
        clock.move_to(datetime.datetime(2026, 2, 12, 9, 0, tzinfo=HCM))
        yield land


def received(report) -> dict[str, int]:
    return {row.label: row.counts.received for row in report.rows}


def test_as_they_were_keeps_the_merged_agency_on_its_own_row(merged):
    report = resolution_report(PERIOD["from"], PERIOD["to"])
    assert report.reorganised == "as_they_were"
    rows = received(report)
    assert set(rows) == {merged.a.name, merged.b.name}
    assert rows[merged.b.name] == 2  # its closed history stays where it happened
    assert rows[merged.a.name] == 3  # A's two, and B's open dossier that moved with its work


def test_rolled_into_successors_adds_the_merged_agencys_rows_with_equal_totals(merged):
    as_were = resolution_report(PERIOD["from"], PERIOD["to"])
    rolled = resolution_report(PERIOD["from"], PERIOD["to"], reorganised="successors")
    assert received(rolled) == {merged.a.name: 5}
    assert rolled.total.as_dict() == as_were.total.as_dict()
    [row] = rolled.rows
    assert row.counts.resolved == 1 and row.counts.withdrawn == 1 and row.counts.in_progress == 3
    # A period that ends before the merger shows B as it was, whichever view.
    before = resolution_report("2026-02-01", "2026-02-09", reorganised="successors")
    assert set(received(before)) == {merged.a.name, merged.b.name}


def test_grouped_by_field_the_views_do_not_differ(merged):
    as_were = resolution_report(PERIOD["from"], PERIOD["to"], group_by="field")
    rolled = resolution_report(PERIOD["from"], PERIOD["to"], group_by="field", reorganised="successors")
    assert [r.as_dict() for r in as_were.rows] == [r.as_dict() for r in rolled.rows]


def test_chains_of_mergers_are_followed_to_the_successor_on_the_last_day(merged):
    later = AgencyFactory(name="Ủy ban nhân dân xã Mới", valid_from=datetime.date(2026, 2, 20))
    Agency.objects.filter(pk=merged.a.pk).update(successor=later, valid_to=datetime.date(2026, 2, 19))
    assert successors_on(Agency, datetime.date(2026, 2, 28)) == {merged.a.pk: later.pk, merged.b.pk: later.pk}
    assert successors_on(Agency, datetime.date(2026, 2, 15)) == {merged.b.pk: merged.a.pk}
    rolled = resolution_report(PERIOD["from"], PERIOD["to"], reorganised="successors")
    assert received(rolled) == {later.name: 5}


def test_an_unknown_view_is_refused_in_vietnamese(merged):
    with pytest.raises(ValidationError, match="Cách thể hiện cơ quan đã sắp xếp"):
        resolution_report(PERIOD["from"], PERIOD["to"], reorganised="gop")


def test_the_page_the_exports_and_the_api_offer_both_views(client, merged):
    client.force_login(merged.superuser)
    page = client.get("/thong-ke/", {**PERIOD, "reorganised": "successors"}).content.decode()
    assert 'value="successors" selected' in page and merged.b.name not in page.split("<tbody>")[1]
    page = client.get("/thong-ke/", PERIOD).content.decode()
    assert merged.b.name in page.split("<tbody>")[1]
    book = load_workbook(
        io.BytesIO(client.get("/thong-ke/bieu-06.xlsx", {**PERIOD, "reorganised": "successors"}).content)
    )
    cells = [c for row in book.active.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert any("cộng vào cơ quan, đơn vị kế thừa" in c for c in cells)
    assert merged.b.name not in cells and merged.a.name in cells
    csv_text = client.get("/thong-ke/bieu-06.csv", {**PERIOD, "reorganised": "successors"}).content.decode()
    assert merged.b.name not in csv_text and merged.a.name in csv_text
    _row, token = ApiToken.issue(merged.superuser)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    api = client.get("/api/v1/reports/resolution", {**PERIOD, "reorganised": "successors"}, **auth).json()
    assert api["reorganised"] == "successors" and [r["label"] for r in api["rows"]] == [merged.a.name]
    as_were = client.get("/api/v1/reports/resolution", PERIOD, **auth).json()
    assert as_were["reorganised"] == "as_they_were" and len(as_were["rows"]) == 2
    assert as_were["total"] == api["total"]
    refused = client.get("/api/v1/reports/resolution", {**PERIOD, "reorganised": "x"}, **auth)
    assert refused.status_code in (400, 422)
