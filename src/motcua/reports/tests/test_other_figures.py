"""The article's other figures (fees, satisfaction, recommendations, digitisation, portal accounts) and the
Decision 766 groups 4–6, over a small world built with the real services and checked against hand counts."""

import datetime
import io
import json
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from motcua.catalog.tests.factories import FeeFactory, FieldFactory, RequiredDocumentFactory
from motcua.citizens.tests.factories import CitizenProfileFactory
from motcua.documents.tests.factories import checked, pdf_bytes
from motcua.dossiers import services
from motcua.dossiers.states import State
from motcua.dossiers.tests.factories import ApplicantFactory, grant
from motcua.feedback import services as feedback
from motcua.feedback.tests.factories import RecommendationFactory
from motcua.org.tests.factories import AdminLevelFactory, AdminUnitFactory
from motcua.payments.fees import collect_at_counter, compute_fee_lines, pay_online
from motcua.payments.models import FeeKind
from motcua.payments.receipts import Item, decide_refund, issue_receipt, request_refund, void_receipt
from motcua.payments.tests.factories import ReceiptBookFactory, cashier, leader
from motcua.reports import figures

from .factories import DistrictAgencyFactory, ProcedureWithProcessFactory, SuperuserFactory

pytestmark = pytest.mark.django_db

ALL_TWO = {n: 2 for n in range(1, 10)}
ALL_ONE = {n: 1 for n in range(1, 10)}
ALL_ONE[5] = 2  # indicator 5 has no 1-point answer: 8 × 1 + 2 = 10 points


def resolve(dossier, actor):
    while dossier.state in (State.RECEIVED, State.IN_STEP):
        dossier = services.advance(dossier, actor)
    return dossier


@pytest.fixture
def world(monday_morning, client, payment_sandbox):
    """Two agencies of the district: X (a district office, its procedure has a 120,000 đ charge) and Y (a
    commune, no charge). Everything happens on a Monday morning, except the late answer to a recommendation (12
    days on): a recommendation assigned before the office opens would be due by the end of that day.

    X: d1 paid online, d2 paid at the counter (20,000 đ refunded), d3 resolved and rated 18/18 (very satisfied).
    Y: d4 resolved and rated 10/18 (dissatisfied), d5 received with one digitised component.
    Recommendations: r1 (X) answered on time, r2 (X) answered 12 days later after a 1-day deadline (late),
    r3 (Y) never answered (overdue at the end of the period).
    Citizen accounts: 3, of which 2 with a National Public Service Portal account.
    """
    admin = SuperuserFactory()
    district = AdminUnitFactory(code="99263", name="Huyện Thử", level=AdminLevelFactory(code="district"))
    commune = AdminUnitFactory(
        code="99454", name="Xã Thử", kind="commune", parent=district, level=AdminLevelFactory(code="commune")
    )
    x = DistrictAgencyFactory(name="Phòng X", unit=district)
    y = DistrictAgencyFactory(name="Ủy ban nhân dân xã Y", unit=commune)
    p1 = ProcedureWithProcessFactory(resolving_agency=x, field=FieldFactory(name="Hộ tịch", code="ho-tich-f"))
    p2 = ProcedureWithProcessFactory(resolving_agency=y, field=FieldFactory(name="Đất đai", code="dat-dai-f"))
    FeeFactory(procedure=p1, description="Lệ phí cấp giấy", amount=120_000)
    book = ReceiptBookFactory(agency=x)

    def intake(procedure, **kwargs):
        return services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=admin, **kwargs)

    # d1: paid online through the sandbox payment platform (the real callback).
    d1 = services.request_financial_obligation(services.advance(intake(p1), admin), admin)
    compute_fee_lines(d1, by=admin)
    payment = pay_online(d1)
    callback = payment_sandbox.app.settle(payment.reference, "success", deliver=False)["callback"]
    answer = client.post(
        reverse("payments:callback", args=["sandbox"]),
        data=json.dumps(callback),
        content_type="application/json",
    )
    assert answer.status_code == 200
    # d2: paid at the counter; 20,000 đ refunded.
    d2 = intake(p1)
    compute_fee_lines(d2, by=admin)
    receipt = collect_at_counter(d2, by=cashier(x), method="cash", payer_name="Nguyễn Văn Hai")
    refund = request_refund(receipt, by=cashier(x), amount=20_000, reason="Thu thừa")
    decide_refund(refund, by=leader(x), approve=True, note="Đồng ý")
    # A receipt issued by mistake and voided is no collection.
    wrong = issue_receipt(
        book,
        items=[Item(FeeKind.ADMIN_CHARGE, "Lệ phí", 50_000)],
        payer_name="Nhầm",
        method="cash",
        collector=admin,
    )
    void_receipt(wrong, by=admin, reason="Thu nhầm")
    # d3, d4: resolved and rated.
    d3 = resolve(intake(p1), admin)
    feedback.submit_evaluation(d3, points=ALL_TWO, overall="very_satisfied", channel="portal")
    d4 = resolve(intake(p2), admin)
    feedback.submit_evaluation(d4, points=ALL_ONE, overall="dissatisfied", channel="kiosk")
    # d5: one component digitised at the counter.
    form = RequiredDocumentFactory(procedure=p2, name="Đơn đề nghị", must_digitise=False)
    intake(
        p2,
        documents=[
            {"name": "Đơn đề nghị", "required_document": form.pk, "pages": [checked("don.pdf", pdf_bytes())]}
        ],
    )
    # Recommendations.
    r1 = feedback.assign_recommendation(RecommendationFactory(), agency=x, by=admin, days=2)
    feedback.answer_recommendation(r1, answer="Đã chấn chỉnh.", by=admin)
    r2 = feedback.assign_recommendation(RecommendationFactory(), agency=x, by=admin, days=1)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=12), tick=False):
        feedback.answer_recommendation(r2, answer="Xin lỗi vì trả lời chậm.", by=admin)
    feedback.assign_recommendation(RecommendationFactory(), agency=y, by=admin, days=1)
    # Citizen accounts.
    CitizenProfileFactory(has_national_portal_account=True)
    CitizenProfileFactory(has_national_portal_account=True, national_portal_registered_at_counter=True)
    CitizenProfileFactory()
    today = timezone.localdate()
    return {
        "x": x,
        "y": y,
        "commune": commune,
        "admin": admin,
        "period": (today, today + datetime.timedelta(days=30)),
    }


def test_fees_collected_leave_out_voided_receipts_and_subtract_refunds(world):
    fees = figures.other_figures(*world["period"])["fees"]
    assert (fees["receipts"], fees["admin_charge"], fees["service_fee"]) == (2, 240_000, 0)
    assert (fees["total"], fees["refunded"], fees["net"]) == (240_000, 20_000, 220_000)
    assert fees["online"] == 120_000 and fees["online_share"] == Decimal("50.0")
    assert [(r["agency"], r["net"]) for r in fees["rows"]] == [("Phòng X", 220_000)]


def test_satisfaction_averages_and_share_of_satisfied(world):
    sat = figures.other_figures(*world["period"])["satisfaction"]
    assert sat["count"] == 2
    # 1-6 as answered (12 and 7), 7-9 from the records (early, no recommendation yet, nothing online: 2 + 2 + 0).
    assert sat["average"] == Decimal("13.5")  # (16 + 11) / 2
    assert (sat["very_satisfied"], sat["satisfied"], sat["dissatisfied"]) == (1, 0, 1)
    assert sat["satisfied_share"] == Decimal("50.0")
    assert {r["agency"]: r["average"] for r in sat["rows"]} == {
        "Phòng X": Decimal("16.0"),
        "Ủy ban nhân dân xã Y": Decimal("11.0"),
    }


def test_recommendations_answered_on_time_count_the_overdue_ones_against_the_rate(world):
    rec = figures.other_figures(*world["period"])["recommendations"]
    assert (rec["answered"], rec["on_time"], rec["late"], rec["overdue"]) == (2, 1, 1, 1)
    assert rec["on_time_share"] == Decimal("33.3")  # 1 / (2 + 1)
    rows = {r["agency"]: r for r in rec["rows"]}
    assert rows["Phòng X"]["on_time_share"] == Decimal("50.0")
    assert rows["Ủy ban nhân dân xã Y"]["on_time_share"] == Decimal("0.0")
    # Before the late answer, in a period ending today, r2 and r3 are not overdue yet: nothing to rate.
    today = world["period"][0]
    early = figures.other_figures(today, today)["recommendations"]
    assert (early["answered"], early["on_time"], early["overdue"]) == (1, 1, 0)


def test_digitisation_rates_over_dossiers_received_in_the_period(world):
    dig = figures.other_figures(*world["period"])["digitisation"]
    assert (dig["dossiers"], dig["dossiers_with_digitised_components"]) == (5, 1)
    assert dig["digitised_components"] == Decimal("20.0")
    assert (dig["resolved"], dig["results_digitised"], dig["digitised_results"]) == (2, 0, Decimal("0.0"))
    assert {r["agency"]: r["dossiers"] for r in dig["rows"]} == {"Phòng X": 3, "Ủy ban nhân dân xã Y": 2}


def test_portal_account_registration_rate(world):
    acc = figures.other_figures(*world["period"])["portal_accounts"]
    assert (acc["accounts"], acc["with_national_portal"], acc["share"]) == (3, 2, Decimal("66.7"))
    assert (acc["new_accounts"], acc["registered_at_counter"]) == (3, 1)
    before = figures.other_figures(datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))["portal_accounts"]
    assert (before["accounts"], before["share"]) == (0, None)


def test_a_unit_keeps_only_its_agencies(world):
    other = figures.other_figures(*world["period"], unit=world["commune"])
    assert other["fees"]["total"] == 0 and other["fees"]["online_share"] is None
    assert other["satisfaction"]["count"] == 1 and other["satisfaction"]["average"] == Decimal("11.0")
    assert (other["recommendations"]["answered"], other["recommendations"]["overdue"]) == (0, 1)
    assert other["digitisation"]["dossiers"] == 2


def test_decision_766_index_of_one_agency_recomputed_by_hand_indicator_by_indicator(world):
    """Agency X under the 2022 version loaded by the data migration (points and thresholds are rows)."""
    index = figures.quality_index(*world["period"])
    assert index["version"].code == "766/2022"
    assert [(g.key, g.max_points) for g in index["groups"]] == [
        ("publicity", 18),
        ("progress", 20),
        ("online", 22),
        ("satisfaction", 18),
        ("digitisation", 22),
    ]
    x = {u.agency: u for u in index["units"]}["Phòng X"]
    points = {key: p for key, (_rate, p) in x.indicators.items()}
    D = Decimal
    # 1.1, 1.2: not measured. 1.3: its one published procedure lists no document: 0/1 complete -> 0 of 2.
    # 1.4: nothing was synchronised with the national portal in this world (no denominator): no data.
    assert (points["1.1"], points["1.2"], points["1.3"], points["1.4"]) == (None, None, D("0.00"), None)
    # 2.1: d3 resolved early; d1 and d2 open at the end of the period past their due date (overdue):
    # (1 + 0 + 0) / (1 + 2) x 20 = 6.67.
    assert points["2.1"] == D("6.67")
    # 2.2: the average processing time per procedure is listed by the decision's summaries, for monitoring
    # only (0 points): shown, never scored.
    assert points["2.2"] is None
    # 3.1: 1 of 1 procedure online (>= 80%): 2. 3.2: its online service had no online dossier: 0 of 4.
    # 3.3: 0 of 3 dossiers online: 0 of 6. 3.4: not measured. 3.5: 1 of 1 fee-bearing procedure paid
    # online (>= 80%): 2. 3.6: 1 of 2 fee-bearing dossiers paid online, no threshold: 6 x 0.5 = 3.
    assert [points[k] for k in ("3.1", "3.2", "3.3", "3.4", "3.5", "3.6")] == [
        D("2.00"),
        D("0.00"),
        D("0.00"),
        None,
        D("2.00"),
        D("3.00"),
    ]
    # 5.2: 1 of 2 recommendations answered on time, none overdue: 6 x 0.5 = 3. 5.3: not measured.
    # 5.4: 100% - (0 late of 1 resolved + 0 dissatisfied of 1 evaluation) = 100% >= 90%: 6.
    assert (points["5.2"], points["5.3"], points["5.4"]) == (D("3.00"), None, D("6.00"))
    # 4.1: 0 of 1 result digitised; 4.2: 0 of 3 dossiers with a digitised component (threshold 80%): 0.
    # 4.3: no component to re-use (no denominator); 4.4, 4.5: not measured.
    assert [points[k] for k in ("4.1", "4.2", "4.3", "4.4", "4.5")] == [
        D("0.00"),
        D("0.00"),
        None,
        None,
        None,
    ]
    assert x.groups == {
        "publicity": D("0.00"),
        "progress": D("6.67"),
        "online": D("7.00"),
        "satisfaction": D("9.00"),
        "digitisation": D("0.00"),
    }
    # Points over the maximum of the indicators that had data: 2 + 20 + (2+4+6+2+6) + (6+6) + (6+4) = 64.
    assert (x.points, x.available, x.share) == (D("22.67"), D("64.00"), D("35.4"))


def test_decision_766_points_are_data_an_administrator_changes(world):
    from motcua.reports.models import IndexIndicator

    IndexIndicator.objects.filter(key="3.6", group__version__code="766/2022").update(
        max_points=12, threshold_percent=50
    )
    x = {u.agency: u for u in figures.quality_index(*world["period"])["units"]}["Phòng X"]
    assert x.indicators["3.6"][1] == Decimal("12.00")  # 50% paid online reaches the new 50% threshold


def test_quality_index_api_has_the_documented_shape(client, world):
    from motcua.dossiers.tests.conftest import bearer

    first, last = world["period"]
    body = client.get(
        "/api/v1/reports/quality_index",
        {"from": first.isoformat(), "to": last.isoformat()},
        **bearer(world["admin"]),
    ).json()
    assert body["version"] == "766/2022"
    assert [g["max_points"] for g in body["groups"]] == [18, 20, 22, 18, 22]
    assert sum(g["max_points"] for g in body["groups"]) == 100
    for group in body["groups"]:
        assert set(group) == {"key", "label", "max_points", "indicators"}
        assert sum(i["max_points"] for i in group["indicators"]) == group["max_points"]
        assert all(i["formula"] for i in group["indicators"])
    rows = {r["agency"]["name"]: r for r in body["rows"]}
    x = rows["Phòng X"]
    assert x["agency"]["code"] == world["x"].identity_code
    assert (x["points"], x["rank"]) == (22.67, 1)  # Y: 16.50 of 58 ranks second
    assert x["groups"]["online"] == 7.0


def test_quality_index_api_refuses_a_period_without_a_version(client, world):
    from motcua.dossiers.tests.conftest import bearer

    answer = client.get(
        "/api/v1/reports/quality_index", {"from": "2021-01-01", "to": "2021-12-31"}, **bearer(world["admin"])
    )
    assert answer.status_code == 400
    assert "Chưa có phiên bản Bộ chỉ số 766" in answer.json()["error"]["message"]


def test_the_indicators_page_shows_each_figure_with_its_formula_and_the_excel_has_the_same(client, world):
    client.force_login(world["admin"])
    first, last = world["period"]
    query = {"from": first.isoformat(), "to": last.isoformat()}
    page = client.get(reverse("reports:indicators"), query)
    assert page.status_code == 200
    html = page.content.decode()
    for text in (
        "220.000 đồng",
        "Phí + Lệ phí trên biên lai đã phát hành",
        "13,5",
        "(Rất hài lòng + Hài lòng) / Số phiếu đánh giá × 100%",
        "33,3%",
        "20,0%",
        "66,7%",
        "Tài khoản công dân có tài khoản Cổng Dịch vụ công quốc gia",
    ):
        assert text in html, text
    response = client.get(reverse("reports:indicators_xlsx"), query)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    values = {row[1]: row[2] for row in book["Chỉ tiêu"].iter_rows(min_row=5, values_only=True)}
    assert values["Số tiền thực thu phí, lệ phí (đồng)"] == 220_000
    assert values["Điểm hài lòng bình quân"] == 13.5
    assert values["Tỷ lệ kiến nghị, phản ánh được trả lời đúng hạn"] == 33.3
    assert values["Tỷ lệ tài khoản có tài khoản Cổng Dịch vụ công quốc gia"] == 66.7
    ranking = list(book["Chỉ số 766"].iter_rows(min_row=2, values_only=True))
    assert {r[1] for r in ranking} == {"Phòng X", "Ủy ban nhân dân xã Y"}


def test_a_specialist_sees_only_the_figures_of_their_agency(client, world):
    from motcua.accounts.tests.factories import UserFactory

    specialist = UserFactory()
    grant(specialist, "specialist", world["y"])
    client.force_login(specialist)
    first, last = world["period"]
    html = client.get(reverse("reports:indicators"), {"from": first.isoformat(), "to": last.isoformat()})
    html = html.content.decode()
    assert "Phòng X" not in html and "Ủy ban nhân dân xã Y" in html


def test_bad_period_or_unit_changes_nothing_and_says_why(client, world):
    client.force_login(world["admin"])
    bad = client.get(reverse("reports:indicators"), {"from": "2022-13-01", "to": "2022-12-31"})
    assert bad.status_code == 400 and "Ngày không hợp lệ" in bad.content.decode()
    unknown = client.get(
        reverse("reports:indicators_xlsx"), {"from": "2022-01-01", "to": "2022-12-31", "unit": "x"}
    )
    assert unknown.status_code == 400 and "Không có đơn vị hành chính mã" in unknown.content.decode()


def test_the_api_answers_the_same_figures_as_the_page(client, world):
    from motcua.apitokens.models import ApiToken

    _row, token = ApiToken.issue(world["admin"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    first, last = world["period"]
    query = {"from": first.isoformat(), "to": last.isoformat()}
    body = client.get("/api/v1/reports/figures", query, **auth).json()
    assert body["from"] == first.isoformat() and body["unit"] is None
    assert (body["fees"]["net"], body["fees"]["online_share"]) == (220_000, 50.0)
    assert (body["satisfaction"]["average"], body["satisfaction"]["satisfied_share"]) == (13.5, 50.0)
    assert body["recommendations"]["on_time_share"] == 33.3
    assert body["digitisation"]["digitised_components"] == 20.0
    assert body["portal_accounts"]["share"] == 66.7
    assert (
        body["formulas"]["satisfaction_rate"]["formula"]
        == "(Rất hài lòng + Hài lòng) / Số phiếu đánh giá × 100%"
    )
    commune = client.get("/api/v1/reports/figures", {**query, "unit": "99454"}, **auth).json()
    assert commune["satisfaction"]["count"] == 1 and commune["fees"]["total"] == 0
    bad = client.get("/api/v1/reports/figures", {**query, "unit": "00000"}, **auth)
    assert bad.status_code == 400 and "Không có đơn vị hành chính mã" in bad.content.decode()
    reversed_period = client.get(
        "/api/v1/reports/figures", {"from": last.isoformat(), "to": first.isoformat()}, **auth
    )
    assert reversed_period.status_code == 400
    assert client.get("/api/v1/reports/figures", query).status_code == 401
