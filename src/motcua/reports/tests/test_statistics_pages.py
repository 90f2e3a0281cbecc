"""The staff report page, its downloads, the indicators page and the public statistics page."""

import datetime
import io

import pytest
import time_machine
from openpyxl import load_workbook

from motcua.accounts.tests.factories import UserFactory
from motcua.reports import figures
from motcua.workdays.core import TIMEZONE

pytestmark = pytest.mark.django_db
PERIOD = {"from": "2022-11-01", "to": "2022-11-30"}


def test_staff_page_shows_the_report_with_its_formulas(client, november, actor):
    client.force_login(actor)
    response = client.get("/thong-ke/", {**PERIOD, "group_by": "field"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Biểu số 06/VPCP/KSTT" in html
    assert "Hộ tịch" in html and "Đất đai" in html
    assert "(Trước hạn + Đúng hạn) / Đã giải quyết × 100%" in html
    assert "75,0%" in html and "30,0%" in html
    assert 'href="/thong-ke/bieu-06.xlsx?' in html
    assert "Kỳ báo cáo: 01/11/2022 – 30/11/2022" in html  # dd/mm/yyyy, as everywhere else


def test_bad_period_on_the_page_says_why_in_vietnamese(client, november, actor):
    client.force_login(actor)
    response = client.get("/thong-ke/", {"from": "2022-12-01", "to": "2022-11-01"})
    assert response.status_code == 400
    assert "Ngày kết thúc kỳ báo cáo phải bằng hoặc sau ngày bắt đầu." in response.content.decode()


def test_page_download_is_the_same_workbook(client, november, actor):
    client.force_login(actor)
    response = client.get("/thong-ke/bieu-06.xlsx", PERIOD)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["B11"].value == "Tổng cộng" and sheet["C11"].value == 10


def test_the_page_and_its_download_need_a_login_and_a_role(client, november):
    anonymous = client.get("/thong-ke/", PERIOD)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/dang-nhap/")
    client.force_login(UserFactory())
    refused = client.get("/thong-ke/", PERIOD)
    download = client.get("/thong-ke/bieu-06.xlsx", PERIOD)
    assert refused.status_code == download.status_code == 403
    html = refused.content.decode()
    assert "Biểu số 06/VPCP/KSTT" not in html and "75,0%" not in html and "Hộ tịch" not in html
    assert "spreadsheetml" not in download["Content-Type"]


def test_indicators_page(client, november, actor):
    client.force_login(actor)
    response = client.get("/thong-ke/chi-tieu/", PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Quyết định 766/QĐ-TTg" in html
    assert "<svg" in html


def test_online_figures_and_quality_index_by_hand(november):
    online = figures.online_figures("2022-11-01", "2022-11-30")
    assert online["online"] == 1 and online["received"] == 8
    assert [(r["agency"], r["online"], r["online_partial"]) for r in online["rows"]] == [
        ("Ủy ban nhân dân xã Y", 1, 1)
    ]
    index = figures.quality_index("2022-11-01", "2022-11-30")
    by_name = {u.agency: u for u in index["units"]}
    x = by_name["Phòng X"]
    # Indicator 2.1: (early + on time + in progress within deadline) / (resolved + in progress) x 20.
    # X: 3 of 4 resolved early or on time, nothing in progress at the end -> 20 x 3/4.
    assert str(x.groups["progress"]) == "15.00"
    # Y: nothing resolved; 3 of 4 in progress within deadline (the paused I included) -> 20 x 3/4.
    assert str(by_name["Ủy ban nhân dân xã Y"].groups["progress"]) == "15.00"
    assert x.indicators["3.6"] == (None, None)  # no fee-bearing dossier: no data


def test_public_page_without_login(client, november):
    response = client.get("/thong-ke/cong-khai/", {"nam": "2022"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Thống kê giải quyết thủ tục hành chính năm 2022" in html
    assert "Phòng X" in html and "11/2022" in html
    assert "<svg" in html
    assert client.get("/thong-ke/cong-khai/", {"nam": "abc"}).status_code == 400


def test_with_no_dossiers_the_public_page_shows_the_year_of_vietnam_not_of_the_servers_clock(client):
    # 00:30 on 01/01/2027 in Vietnam is still 31/12/2026 in UTC, the clock of most servers.
    with time_machine.travel(datetime.datetime(2027, 1, 1, 0, 30, tzinfo=TIMEZONE), tick=False):
        response = client.get("/thong-ke/cong-khai/")
    assert response.status_code == 200
    assert "Thống kê giải quyết thủ tục hành chính năm 2027" in response.content.decode()


def test_month_by_month_by_hand(november):
    monthly = figures.monthly_by_agency("2022-10-01", "2022-12-31")
    assert [m["from"].month for m in monthly["months"]] == [10, 11, 12]
    october, november_, december = monthly["months"]
    # October: A, B, J received; J resolved early. November: 8 new; A, B, C, D resolved (C late).
    assert (october["new"], october["resolved"], october["on_time"]) == (3, 1, 1)
    assert (november_["new"], november_["resolved"], november_["on_time"], november_["late"]) == (8, 4, 3, 1)
    assert str(november_["rate"]) == "75.0"
    # December: K new; L resolved late.
    assert (december["new"], december["resolved"], december["late"]) == (1, 1, 1)
    rows = {r["agency"]: r["months"] for r in monthly["rows"]}
    assert rows["Phòng X"][1]["resolved"] == 4 and rows["Ủy ban nhân dân xã Y"][1]["new"] == 4


def test_dashboard_charts_month_by_month_and_share_by_agency_drawn_by_the_server(client, november, actor):
    import re

    client.force_login(actor)
    for url in ("/thong-ke/chi-tieu/", "/thong-ke/cong-khai/"):
        html = client.get(url, {**PERIOD, "nam": "2022"}).content.decode()
        assert "<title>Hồ sơ tiếp nhận mới và giải quyết trước hạn, đúng hạn theo tháng</title>" in html, url
        assert "<title>Hồ sơ tiếp nhận theo cơ quan</title>" in html, url
        # Share by agency: X received 6 of the 10 handled in November (60,0%), Y 4 (40,0%).
        if url == "/thong-ke/chi-tieu/":
            assert "6 (60,0%)" in html and "4 (40,0%)" in html
        # Nothing is loaded from elsewhere: every script, stylesheet and image is the project's own.
        assert re.findall(r'(?:src|href)="((?:https?:)?//[^"]+)"', html) == [], url
        assert all(s.startswith("/static/") for s in re.findall(r'<script src="([^"]+)"', html)), url
