"""GET /api/v1/reports/resolution (API.md), and the Excel / CSV files that must equal its JSON."""

import csv
import io

import pytest
from openpyxl import load_workbook

from motcua.accounts.tests.factories import UserFactory
from motcua.apitokens.models import ApiToken
from motcua.org.models import Role, StaffAssignment
from motcua.reports.exports import COLUMNS, DATA_START_ROW, FIRST_DATA_COLUMN, value_at

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/resolution"


def bearer(user) -> dict:
    _row, token = ApiToken.issue(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_the_endpoint_answers_the_api_shape(client, november, actor):
    response = client.get(
        URL, {"from": "2022-11-01", "to": "2022-11-30", "group_by": "agency"}, **bearer(actor)
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"from", "to", "rows", "total"}
    assert body["from"] == "2022-11-01" and body["to"] == "2022-11-30"
    assert body["total"]["received"] == {
        "total": 10,
        "carried_over": 2,
        "new": 8,
        "online": 1,
        "direct_postal": 7,
    }
    assert body["total"]["resolved"] == {"total": 4, "early": 1, "on_time": 2, "late": 1}
    assert body["total"]["in_progress"] == {"total": 4, "within_deadline": 3, "overdue": 1, "paused": 1}
    assert (body["total"]["supplement_requested"], body["total"]["refused"], body["total"]["withdrawn"]) == (
        2,
        1,
        1,
    )
    row = body["rows"][0]
    assert set(row) >= {"key", "label", "received", "resolved", "in_progress", "supplement_requested"}


def test_unit_filter_and_grouping_by_unit(client, november, actor):
    body = client.get(
        URL, {"from": "2022-11-01", "to": "2022-11-30", "unit": "99454", "group_by": "unit"}, **bearer(actor)
    ).json()
    assert [(r["key"], r["received"]["total"]) for r in body["rows"]] == [("99454", 4)]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"from": "2022-11-30", "to": "2022-11-01"}, "to"),
        ({"from": "30/11/2022", "to": "2022-12-01"}, "from"),
        ({"to": "2022-12-01"}, "from"),
        ({"from": "2022-11-01", "to": "2022-11-30", "group_by": "month"}, "group_by"),
        ({"from": "2022-11-01", "to": "2022-11-30", "unit": "nowhere"}, "unit"),
    ],
)
def test_bad_parameters_answer_400_in_the_common_error_shape(client, november, actor, params, field):
    response = client.get(URL, params, **bearer(actor))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"]
    assert error["message"]


def test_without_a_token_401_and_without_a_role_403(client, november):
    assert client.get(URL, {"from": "2022-11-01", "to": "2022-11-30"}).status_code == 401
    nobody = UserFactory()
    response = client.get(URL, {"from": "2022-11-01", "to": "2022-11-30"}, **bearer(nobody))
    assert response.status_code == 403
    assert "quyền" in response.json()["error"]["message"]


def test_staff_see_only_their_agencies(client, november):
    leader = UserFactory()
    StaffAssignment.objects.create(user=leader, role=Role.LEADER, agency=november["y"])
    body = client.get(URL, {"from": "2022-11-01", "to": "2022-11-30"}, **bearer(leader)).json()
    assert [r["label"] for r in body["rows"]] == ["Ủy ban nhân dân xã Y"]
    assert body["total"]["received"]["total"] == 4


def test_the_excel_file_opens_and_its_cells_equal_the_json(client, november, actor):
    params = {"from": "2022-11-01", "to": "2022-11-30", "group_by": "agency"}
    body = client.get(URL, params, **bearer(actor)).json()
    response = client.get(URL, {**params, "format": "xlsx"}, **bearer(actor))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Biểu số 06/VPCP/KSTT"
    assert "01/11/2022" in sheet["A3"].value and "30/11/2022" in sheet["A3"].value
    # The official header: merged group headers over their columns, STT and the label over two rows.
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert "A6:A7" in merged and "B6:B7" in merged
    assert "C6:G6" in merged and sheet["C6"].value == "Số hồ sơ nhận giải quyết"
    assert "H6:K6" in merged and sheet["H6"].value == "Số hồ sơ đã giải quyết"
    assert "L6:N6" in merged and sheet["L6"].value == "Số hồ sơ đang giải quyết"
    assert (
        sheet["I7"].value == "Trước hạn"
        and sheet["J7"].value == "Đúng hạn"
        and sheet["K7"].value == "Quá hạn"
    )
    rows = body["rows"] + [dict(body["total"], label="Tổng cộng")]
    for offset, row in enumerate(rows):
        r = DATA_START_ROW + offset
        assert sheet.cell(row=r, column=2).value == row["label"]
        for c, column in enumerate(COLUMNS, start=FIRST_DATA_COLUMN):
            assert sheet.cell(row=r, column=c).value == value_at(row, column[2]), (r, column[1])
    assert sheet.cell(row=DATA_START_ROW + len(rows) - 1, column=FIRST_DATA_COLUMN).value == 10


def test_the_csv_file_equals_the_json(client, november, actor):
    params = {"from": "2022-11-01", "to": "2022-11-30", "group_by": "field"}
    body = client.get(URL, params, **bearer(actor)).json()
    response = client.get(URL, {**params, "format": "csv"}, **bearer(actor))
    text = response.content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0][1] == "Lĩnh vực"
    assert len(lines) == 1 + len(body["rows"]) + 1
    for line, row in zip(lines[1:], body["rows"], strict=False):
        assert line[0] == row["key"]
        assert [str(value_at(row, c[2]) if value_at(row, c[2]) is not None else "") for c in COLUMNS] == line[
            2:
        ]


def test_the_pdf_prints_the_same_figures(client, november, actor):
    from pypdf import PdfReader

    params = {"from": "2022-11-01", "to": "2022-11-30", "group_by": "agency", "format": "pdf"}
    response = client.get(URL, params, **bearer(actor))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Biểu số 06/VPCP/KSTT" in text
    assert "01/11/2022" in text and "30/11/2022" in text
    assert "Phòng X" in text and "Ủy ban nhân dân xã Y" in text
    assert "Tổng cộng" in text
    assert "75,0" in text and "30,0" in text
