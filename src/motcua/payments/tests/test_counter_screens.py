"""The cashier's screens: find a dossier, compute its fees, adjust with a reason, collect, print, void, refund."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from motcua.catalog.tests.factories import FeeFactory
from motcua.dossiers import services
from motcua.dossiers.tests.factories import ApplicantFactory, ProcedureWithProcessFactory, StaffSet
from motcua.payments.models import FeeLine, Receipt, Refund

from .factories import ReceiptBookFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    procedure = ProcedureWithProcessFactory()
    FeeFactory(procedure=procedure, description="Lệ phí cấp giấy chứng nhận", amount=100_000)
    ReceiptBookFactory(agency=procedure.resolving_agency, series="GB-26E")
    staff = StaffSet(procedure)
    dossier = services.intake(
        procedure=procedure, applicant=ApplicantFactory(name="Đỗ Văn Hùng"), actor=staff.officer
    )
    return staff, dossier


def page(response) -> str:
    return response.content.decode()


def test_the_cashier_finds_computes_and_collects_then_lands_on_the_receipt(client, setup):
    staff, dossier = setup
    client.force_login(staff.officer)
    found = client.get(reverse("payments:counter"), {"ma_ho_so": dossier.code})
    assert found.status_code == 302 and found["Location"].endswith(f"/thu-phi/ho-so/{dossier.code}/")
    url = reverse("payments:dossier_fees", args=[dossier.code])
    client.post(url, {"action": "compute"})
    assert dossier.code in page(client.get(reverse("payments:counter")))  # now waiting for collection
    screen = page(client.get(url))
    assert "100.000 đ" in screen and "Một trăm nghìn đồng chẵn" in screen
    done = client.post(url, {"action": "collect", "payer_name": "Đỗ Văn Hùng", "method": "cash"})
    receipt = Receipt.objects.get()
    assert done["Location"] == reverse("payments:receipt", args=[receipt.pk])
    shown = page(client.get(done["Location"]))
    assert "GB-26E" in shown and "In biên lai (A4)" in shown and "100.000 đ" in shown


def test_an_adjustment_without_a_reason_is_refused_with_a_message(client, setup):
    staff, dossier = setup
    client.force_login(staff.officer)
    url = reverse("payments:dossier_fees", args=[dossier.code])
    client.post(url, {"action": "compute"})
    line = FeeLine.objects.get()
    shown = page(client.post(url, {"action": "adjust", "line": line.pk, "amount": "5000", "reason": ""}))
    assert "lý do điều chỉnh" in shown
    line.refresh_from_db()
    assert line.amount == 100_000


def test_a_card_payment_without_terminal_reference_is_refused_and_takes_no_number(client, setup):
    staff, dossier = setup
    client.force_login(staff.officer)
    url = reverse("payments:dossier_fees", args=[dossier.code])
    client.post(url, {"action": "compute"})
    shown = page(client.post(url, {"action": "collect", "payer_name": "Đỗ Văn Hùng", "method": "card"}))
    assert "mã tham chiếu" in shown
    assert not Receipt.objects.exists()


def test_staff_outside_the_agency_can_neither_open_nor_charge_the_dossiers_fees(client, setup):
    _, dossier = setup
    other = StaffSet(ProcedureWithProcessFactory())
    client.force_login(other.officer)
    url = reverse("payments:dossier_fees", args=[dossier.code])
    opened = client.get(url)
    computing = client.post(url, {"action": "compute"})
    collecting = client.post(url, {"action": "collect", "payer_name": "Đỗ Văn Hùng", "method": "cash"})
    assert [r.status_code for r in (opened, computing, collecting)] == [404] * 3
    assert "Đỗ Văn Hùng" not in page(opened) and "100.000" not in page(opened)
    assert not FeeLine.objects.filter(dossier=dossier).exists()
    assert not Receipt.objects.exists()


def without_tokens(html: str) -> str:
    """The page without its CSRF tokens (masked afresh in every response, e.g. in the logout form)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"', html)


@pytest.mark.parametrize("who", ["self-registered citizen", "staff of another agency"])
def test_an_existing_code_answers_exactly_like_an_unknown_one_to_whoever_may_not_see_it(client, setup, who):
    from motcua.citizens.tests.factories import CitizenProfileFactory

    _, dossier = setup
    user = (
        CitizenProfileFactory().user
        if who.startswith("self")
        else StaffSet(ProcedureWithProcessFactory()).officer
    )
    client.force_login(user)
    unknown_code = "000.00.00.X99-221107-9999"
    existing = client.get(reverse("payments:dossier_fees", args=[dossier.code]))
    unknown = client.get(reverse("payments:dossier_fees", args=[unknown_code]))
    assert existing.status_code == unknown.status_code == 404
    assert without_tokens(page(existing).replace(dossier.code, "")) == without_tokens(
        page(unknown).replace(unknown_code, "")
    )
    searched = client.get(reverse("payments:counter"), {"ma_ho_so": dossier.code}, follow=True)
    assert searched.redirect_chain == []
    assert f"Không tìm thấy hồ sơ có mã {dossier.code}" in page(searched)


@pytest.mark.parametrize("who", ["self-registered citizen", "staff of another agency"])
@pytest.mark.parametrize("screen", ["payments:receipt", "payments:receipt_print"])
def test_a_receipt_one_may_not_see_answers_exactly_like_an_unknown_one(client, setup, who, screen):
    from motcua.citizens.tests.factories import CitizenProfileFactory

    staff, dossier = setup
    client.force_login(staff.officer)
    url = reverse("payments:dossier_fees", args=[dossier.code])
    client.post(url, {"action": "compute"})
    client.post(url, {"action": "collect", "payer_name": "Đỗ Văn Hùng", "method": "cash"})
    receipt = Receipt.objects.get()
    user = (
        CitizenProfileFactory().user
        if who.startswith("self")
        else StaffSet(ProcedureWithProcessFactory()).officer
    )
    client = Client()  # a browser of its own (no message left by the cashier's session)
    client.force_login(user)
    existing_url, unknown_url = reverse(screen, args=[receipt.pk]), reverse(screen, args=[receipt.pk + 1000])
    existing, unknown = client.get(existing_url), client.get(unknown_url)
    assert existing.status_code == unknown.status_code == 404
    assert without_tokens(page(existing).replace(existing_url, "")) == without_tokens(
        page(unknown).replace(unknown_url, "")
    )
    assert "Đỗ Văn Hùng" not in page(existing)


def test_void_and_refund_from_the_receipt_screen(client, setup):
    staff, dossier = setup
    client.force_login(staff.officer)
    url = reverse("payments:dossier_fees", args=[dossier.code])
    client.post(url, {"action": "compute"})
    client.post(url, {"action": "collect", "payer_name": "Đỗ Văn Hùng", "method": "cash"})
    receipt = Receipt.objects.get()
    receipt_url = reverse("payments:receipt", args=[receipt.pk])
    client.post(receipt_url, {"action": "refund", "amount": "20000", "reason": "Thu thừa"})
    refund = Refund.objects.get()
    assert refund.status == "requested"
    # the cashier may not decide; a leader of the collecting agency does
    client.post(receipt_url, {"action": "decide", "refund": refund.pk, "approve": "1"})
    refund.refresh_from_db()
    assert refund.status == "requested"
    from motcua.org.models import Role

    from .factories import staff as staff_member

    boss = staff_member(Role.LEADER, receipt.book.agency)
    client.force_login(boss)
    client.post(receipt_url, {"action": "decide", "refund": refund.pk, "approve": "1", "note": "Đồng ý"})
    refund.refresh_from_db()
    assert refund.status == "approved"


def test_a_leader_opens_and_closes_a_book_on_the_books_screen(client):
    from motcua.org.tests.factories import AgencyFactory
    from motcua.payments.models import ReceiptBook

    from .factories import cashier, leader

    agency = AgencyFactory(name="Phòng Nội vụ")
    boss = leader(agency)
    series = f"NV-{timezone.localdate().year % 100:02d}E"
    client.force_login(boss)
    url = reverse("payments:books")
    client.post(
        url,
        {
            "action": "open",
            "agency": agency.pk,
            "template_no": "01BLP0-001",
            "series": series,
            "first_number": "1",
        },
    )
    book = ReceiptBook.objects.get()
    assert (book.series, book.opened_by) == (series, boss)
    again = page(
        client.post(
            url,
            {
                "action": "open",
                "agency": agency.pk,
                "template_no": "01BLP0-001",
                "series": series,
                "first_number": "1",
            },
        )
    )
    assert ReceiptBook.objects.count() == 1 and "msg-error" in again
    client.post(url, {"action": "close", "book": book.pk})
    book.refresh_from_db()
    assert book.status == "closed"
    client.force_login(cashier(agency))
    assert "Mở quyển biên lai mới" not in page(client.get(url))
