"""One procedure row per national code, implemented by any number of agencies: the catalog's default agency,
the API's `agencies` (with `?on=`), the search filter by agency, the public page and the Excel sheet."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook

from motcua.catalog.models import ProcedureImplementation
from motcua.catalog.spreadsheet import IMPLEMENTATIONS_SHEET, export_catalog, import_catalog
from motcua.dossiers.tests.two_tier import TwoTierProvince

from .factories import AgencyFactory, ProcedureFactory

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def in_2026():
    with time_machine.travel(datetime.datetime(2026, 2, 10, 9, 30, tzinfo=HCM), tick=False) as traveller:
        yield traveller


@pytest.fixture
def land():
    return TwoTierProvince()


def test_a_new_procedure_is_implemented_by_its_default_agency_at_that_agencys_level():
    procedure = ProcedureFactory()
    rows = list(procedure.implementations.all())
    assert [(r.agency_id, r.level) for r in rows] == [(procedure.resolving_agency_id, "district")]
    procedure.save()  # saving again adds nothing
    assert procedure.implementations.count() == 1


def test_the_api_lists_the_agencies_implementing_the_procedure_today_and_on_another_day(
    client, land, in_2026
):
    data = client.get("/api/v1/procedures/1.001193").json()
    assert data["agency"]["code"] == land.a.identity_code  # the summary keeps the default agency
    listed = [(a["code"], a["level"]) for a in data["agencies"]]
    assert listed[0] == (land.a.identity_code, "commune")  # default first
    assert {code for code, _level in listed} == {
        land.a.identity_code,
        land.b.identity_code,
        land.c.identity_code,
    }
    before = client.get("/api/v1/procedures/1.001193", {"on": "2025-06-30"}).json()
    # A is the default agency (an implementation without dates) but the commune itself exists only from 01/07.
    assert before["agencies"] == []
    assert client.get("/api/v1/procedures/1.001193", {"on": "30/06/2025"}).status_code == 400


def test_an_implementation_that_ended_is_no_longer_listed(client, land, in_2026):
    ProcedureImplementation.objects.filter(agency=land.c).update(valid_to=datetime.date(2025, 12, 31))
    codes = [a["code"] for a in client.get("/api/v1/procedures/1.001193").json()["agencies"]]
    assert land.c.identity_code not in codes and land.b.identity_code in codes
    old = client.get("/api/v1/procedures/1.001193", {"on": "2025-12-31"}).json()
    assert land.c.identity_code in [a["code"] for a in old["agencies"]]


def test_search_by_agency_finds_the_procedures_it_implements_not_only_those_it_is_default_for(
    client, land, in_2026
):
    other = ProcedureFactory(resolving_agency=land.a)
    found = client.get("/api/v1/procedures", {"agency": land.b.identity_code}).json()
    assert [r["code"] for r in found["results"]] == ["1.001193"]
    assert {
        r["code"]
        for r in client.get("/api/v1/procedures", {"agency": land.a.identity_code}).json()["results"]
    } == {
        "1.001193",
        other.code,
    }
    ProcedureImplementation.objects.filter(agency=land.b).update(valid_to=datetime.date(2026, 1, 1))
    assert client.get("/api/v1/procedures", {"agency": land.b.identity_code}).json()["count"] == 0


def test_the_public_page_lists_who_implements_the_procedure(client, land, in_2026):
    page = client.get("/thu-tuc/1.001193/").content.decode()
    for agency in (land.a, land.b, land.c):
        assert agency.name in page
    assert "3 cơ quan thực hiện" in page


def test_the_excel_sheet_round_trips_the_implementations(land, in_2026):
    ProcedureImplementation.objects.filter(agency=land.b).update(
        time_limit_value=1, time_limit_unit="working_days", decision="123/QĐ-UBND"
    )
    content = export_catalog()
    sheet = load_workbook(io.BytesIO(content))[IMPLEMENTATIONS_SHEET]
    rows = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "1.001193"]
    assert len(rows) == 3
    b_row = next(r for r in rows if r[1] == land.b.identity_code)
    assert b_row[2] == "Cấp xã" and b_row[3] == "01/07/2025" and b_row[5] == 1 and b_row[9] == "123/QĐ-UBND"
    ProcedureImplementation.objects.filter(agency__in=[land.b, land.c]).delete()
    report = import_catalog(io.BytesIO(content))
    assert report.ok, report.summary()
    restored = ProcedureImplementation.objects.get(procedure=land.procedure, agency=land.b)
    assert restored.time_limit_unit == "working_days" and restored.valid_from == datetime.date(2025, 7, 1)
    assert land.procedure.implementations.count() == 3


def test_a_bad_implementation_row_is_reported_and_nothing_changes(land, in_2026):
    content = export_catalog()
    book = load_workbook(io.BytesIO(content))
    sheet = book[IMPLEMENTATIONS_SHEET]
    sheet.append(["1.001193", "000.99.99.X99", "Cấp xã"])
    sheet.append(["1.001193", land.b.identity_code, "Cấp vũ trụ", "01/08/2025"])
    buffer = io.BytesIO()
    book.save(buffer)
    before = ProcedureImplementation.objects.count()
    report = import_catalog(io.BytesIO(buffer.getvalue()))
    assert not report.ok
    messages = " ".join(str(e) for e in report.errors)
    assert "không tìm thấy cơ quan" in messages and "Cấp vũ trụ" in messages
    assert ProcedureImplementation.objects.count() == before


def test_an_agency_implementing_nothing_has_no_procedures_to_list(in_2026):
    AgencyFactory()
    procedure = ProcedureFactory()
    from motcua.catalog.search import agencies_with_counts

    assert [(a.pk, a.procedure_count) for a in agencies_with_counts()] == [(procedure.resolving_agency_id, 1)]
