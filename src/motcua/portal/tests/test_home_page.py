"""The public home page: the center's name and contacts, the search box, the tiles and this year's figures."""

import pytest
import time_machine

from motcua.org.tests.factories import CenterFactory
from motcua.reports.tests.factories import (
    DistrictAgencyFactory,
    History,
    ProcedureWithProcessFactory,
    SuperuserFactory,
    at,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_2022(db):
    """Three dossiers of 2022 at one agency and one from 2021 (3-working-day procedure, no holiday then).

    Counter, received Wed 02/11 and resolved the next day: early. Counter, received Tue 01/11 (due Fri 04/11),
    resolved Mon 07/11: late. Online, received Mon 14/11, still open. Received in 2021: not this year's.
    """
    actor = SuperuserFactory()
    agency = DistrictAgencyFactory(name="Phòng Tư pháp Thử")
    procedure = ProcedureWithProcessFactory(resolving_agency=agency)
    History(procedure, actor, at(2022, 11, 2, 9)).resolve(at(2022, 11, 3, 9))
    History(procedure, actor, at(2022, 11, 1, 9)).resolve(at(2022, 11, 7, 15))
    History(procedure, actor, at(2022, 11, 14, 9), channel="online")
    History(procedure, actor, at(2021, 11, 2, 9)).resolve(at(2021, 11, 3, 9))
    return agency


def home(client) -> str:
    with time_machine.travel(at(2022, 12, 5, 10), tick=False):
        response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_visitor_sees_the_centers_name_address_hotline_and_hours(client):
    center = CenterFactory(
        name="Trung tâm Phục vụ hành chính công tỉnh Thử", address="12 Đường Lê Lợi", phone="0237 3 855 855"
    )
    center.agency.email = "tthcc@thu.gov.vn"
    center.agency.save()
    html = home(client)
    assert '<h1 id="home-title">Trung tâm Phục vụ hành chính công tỉnh Thử</h1>' in html
    assert "12 Đường Lê Lợi" in html
    assert 'href="tel:02373855855"' in html and "0237 3 855 855" in html
    assert "tthcc@thu.gov.vn" in html
    assert "Thứ Hai–Thứ Sáu: 07:00–11:30, 13:30–17:00" in html


def test_without_a_center_the_page_still_opens_and_says_so(client):
    html = home(client)
    assert "Trung tâm Hành chính công" in html and "Chưa khai báo trung tâm." in html


def test_search_box_sends_the_keywords_to_the_procedure_search(client):
    html = home(client)
    assert 'action="/thu-tuc/"' in html and 'name="q"' in html
    assert 'placeholder="Nhập từ khoá tìm kiếm"' in html
    assert '<label for="home-q">' in html


def test_tiles_lead_to_submission_lookup_payment_recommendations_and_evaluation(client):
    html = home(client)
    for href, label in [
        ("/dich-vu-cong-truc-tuyen/", "Nộp hồ sơ trực tuyến"),
        ("/tra-cuu-ho-so/", "Tra cứu hồ sơ"),
        ("/thanh-toan/", "Thanh toán phí, lệ phí"),
        ("/kien-nghi/gui/", "Phản ánh, kiến nghị"),
        ("/danh-gia/kiosk/", "Đánh giá hài lòng"),
    ]:
        assert f'<a href="{href}"><strong>{label}</strong>' in html


def test_figures_of_this_year_with_the_on_time_formula(client, year_2022):
    html = home(client)
    assert "Kết quả giải quyết thủ tục hành chính năm 2022" in html
    assert "Số liệu từ 01/01/2022 đến 05/12/2022." in html
    assert '<li data-figure="received"><span class="figure">3</span>' in html  # not the 2021 dossier
    assert '<li data-figure="resolved"><span class="figure">2</span>' in html
    assert '<li data-figure="in-progress"><span class="figure">1</span>' in html
    assert '<li data-figure="on-time"><span class="figure">50,0%</span>' in html
    assert '<li data-figure="online"><span class="figure">33,3%</span>' in html
    assert "(Trước hạn + Đúng hạn) / Đã giải quyết × 100% = 1 / 2" in html
    assert "Hồ sơ tiếp nhận trực tuyến / Hồ sơ tiếp nhận × 100% = 1 / 3" in html


def test_the_766_index_ranks_the_agencies_by_the_version_in_force(client, year_2022):
    html = home(client)  # the 2022 version applies from 23/06/2022 (data migration)
    assert 'id="chi-so-766"' in html
    assert '<tr><td>1</td><th scope="row">Phòng Tư pháp Thử</th>' in html


def test_without_a_766_version_in_force_the_index_is_left_out(client, year_2022):
    from motcua.reports.models import IndexVersion

    IndexVersion.objects.update(valid_from=at(2030, 1, 1, 0).date())
    html = home(client)
    assert 'id="chi-so-766"' not in html
    assert '<li data-figure="received"><span class="figure">3</span>' in html


def test_no_figures_yet_shows_dashes_not_errors(client):
    html = home(client)
    assert '<li data-figure="received"><span class="figure">0</span>' in html
    assert '<li data-figure="on-time"><span class="figure">—</span>' in html


def test_the_page_uses_only_assets_of_the_project(client):
    html = home(client)
    assert "https://" not in html.replace("https://www.w3.org", "")
    assert "<script>" not in html


def test_figures_are_kept_in_the_cache_when_configured(client, year_2022, settings):
    from django.core.cache import cache

    settings.MOTCUA_HOME_FIGURES_SECONDS = 300
    cache.clear()
    three = '<li data-figure="received"><span class="figure">3</span>'
    assert three in home(client)
    History(ProcedureWithProcessFactory(resolving_agency=year_2022), SuperuserFactory(), at(2022, 12, 1, 9))
    assert three in home(client)  # the cached figures, not recounted on every visit
    cache.clear()
    assert '<li data-figure="received"><span class="figure">4</span>' in home(client)


def test_the_figures_come_with_a_chart_of_received_and_resolved_per_month_and_its_table(client, year_2022):
    html = home(client)

    svg = html.split('<svg class="chart"')[1].split("</svg>")[0]
    assert (
        '<title id="chart-months-title">Hồ sơ tiếp nhận và đã giải quyết theo tháng, 01/01/2022 – 05/12/2022'
        in svg
    )
    assert [f">{m:02d}/2022</text>" in svg for m in range(1, 13)] == [True] * 12
    # November: 3 received (the 2021 dossier is not this year's), 2 resolved; every other month 0 and 0.
    assert 'font-size="10">3</text>' in svg and 'font-size="10">2</text>' in svg
    assert svg.count('font-size="10">0</text>') == 22
    table = html.split('<table data-table="months">')[1].split("</table>")[0]
    assert '<th scope="row">11/2022</th><td>3</td><td>2</td>' in table
