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
    assert sat["average"] == Decimal("14.0")  # (18 + 10) / 2
    assert (sat["very_satisfied"], sat["satisfied"], sat["dissatisfied"]) == (1, 0, 1)
    assert sat["satisfied_share"] == Decimal("50.0")
    assert {r["agency"]: r["average"] for r in sat["rows"]} == {
        "Phòng X": Decimal("18.0"),
        "Ủy ban nhân dân xã Y": Decimal("10.0"),
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
    assert other["satisfaction"]["count"] == 1 and other["satisfaction"]["average"] == Decimal("10.0")
    assert (other["recommendations"]["answered"], other["recommendations"]["overdue"]) == (0, 1)
    assert other["digitisation"]["dossiers"] == 2


def test_decision_766_groups_four_to_six_have_points(world):
    index = figures.quality_index(*world["period"])
    units = {u.agency: u for u in index["units"]}
    x, y = units["Phòng X"], units["Ủy ban nhân dân xã Y"]
    # Group 4, X: 1 of 1 fee-bearing procedure paid online, 1 of 2 fee-bearing dossiers: 10 × (1 + 0.5) / 2.
    assert x.groups["payment"] == Decimal("7.50")
    assert y.groups["payment"] is None  # no fee-bearing procedure or dossier: no data
    # Group 5: X averages 18/18 and answered 1 of 2 on time: 18 × (1 + 0.5) / 2; Y: 18 × (10/18 + 0) / 2.
    assert x.groups["satisfaction"] == Decimal("13.50")
    assert y.groups["satisfaction"] == Decimal("5.00")
    # Group 6, X: 0 of 3 with digitised components, 0 of 1 result digitised (no component to re-use).
    assert x.groups["digitisation"] == Decimal("0.00")
    # Y: 1 of 2 dossiers with a digitised component, 0 of 1 result, 0 of 1 component re-used: 22 × (1/2) / 3.
    assert y.groups["digitisation"] == Decimal("3.67")
    assert index["measured"] == ["publicity", "progress", "online", "payment", "satisfaction", "digitisation"]
    # The weights stay configuration.
    assert x.available == sum(index["weights"][g] for g, p in x.groups.items() if p is not None)


def test_weights_are_configuration(world, settings):
    settings.MOTCUA_QUALITY_INDEX_WEIGHTS = {"payment": 20}
    x = {u.agency: u for u in figures.quality_index(*world["period"])["units"]}["Phòng X"]
    assert x.groups["payment"] == Decimal("15.00")


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
        "14,0",
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
    assert values["Điểm hài lòng bình quân"] == 14.0
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
    assert (body["satisfaction"]["average"], body["satisfaction"]["satisfied_share"]) == (14.0, 50.0)
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
