"""E-receipts sent to the tax authority through the outbox: to the sandbox over real HTTP, once accepted, retried
with backoff through an outage (the same signed bytes), refusals kept for a person, the sandbox only in demo."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from motcua.integrations.tax_receipts import tax_receipt_connectors
from motcua.payments import ereceipts, transmission
from motcua.payments.checks import tax_receipt_transmission_is_real
from motcua.payments.models import PaymentMethod, ReceiptTransmission
from motcua.payments.receipts import issue_receipt

from .factories import ReceiptBookFactory, cashier, items

pytestmark = pytest.mark.django_db


def issue(book=None, amount=50_000):
    book = book or ReceiptBookFactory(series="KT-26E")
    return issue_receipt(
        book,
        items=items(amount),
        payer_name="Trần Văn Nam",
        method=PaymentMethod.CASH,
        collector=cashier(book.agency),
    )


def test_without_configuration_nothing_is_queued(settings):
    settings.MOTCUA_TAX_RECEIPTS = None
    issue()
    assert not ReceiptTransmission.objects.exists()
    assert transmission.deliver_pending() == transmission.PassReport()


def test_a_new_receipt_is_signed_sent_over_http_and_accepted_with_the_tax_code(demo_ca, tax_sandbox):
    receipt = issue()
    row = ReceiptTransmission.objects.get(receipt=receipt)
    assert (row.state, row.connector) == (ReceiptTransmission.State.PENDING, "sandbox")
    report = transmission.deliver_pending()
    row.refresh_from_db()
    assert report.accepted == 1
    assert row.state == ReceiptTransmission.State.ACCEPTED and row.tax_code.startswith("CQT-")
    stored = tax_sandbox.app.received[row.tax_code]
    assert stored["xml"] == row.signed_xml.encode() and ereceipts.verify(stored["xml"]).ok
    _plugin, connector = transmission.get_connector()
    assert connector.status(row.tax_code).accepted
    # a second pass sends nothing again
    calls = tax_sandbox.app.calls
    transmission.deliver_pending()
    assert tax_sandbox.app.calls == calls


def test_an_outage_is_retried_with_backoff_and_the_same_signed_bytes(demo_ca, tax_sandbox):
    receipt = issue()
    tax_sandbox.app.fail_next(2)
    now = timezone.now()
    first = transmission.deliver_pending(now=now)
    row = ReceiptTransmission.objects.get(receipt=receipt)
    signed = row.signed_xml
    assert first.retried == 1 and row.state == ReceiptTransmission.State.PENDING
    assert row.next_attempt_at == now + datetime.timedelta(seconds=60) and "503" in row.message
    assert transmission.deliver_pending(now=now + datetime.timedelta(seconds=30)).retried == 0  # not yet due
    second = transmission.deliver_pending(now=now + datetime.timedelta(seconds=61))
    row.refresh_from_db()
    assert second.retried == 1 and row.next_attempt_at == now + datetime.timedelta(seconds=61 + 120)
    transmission.deliver_pending(now=now + datetime.timedelta(seconds=61 + 121))
    row.refresh_from_db()
    assert row.state == ReceiptTransmission.State.ACCEPTED and row.signed_xml == signed and row.attempts == 3


def test_after_the_last_attempt_the_receipt_is_listed_as_failed(demo_ca, tax_sandbox, settings):
    settings.MOTCUA_TAX_RECEIPTS_MAX_ATTEMPTS = 2
    receipt = issue()
    tax_sandbox.app.fail_next(10)
    now = timezone.now()
    transmission.deliver_pending(now=now)
    report = transmission.deliver_pending(now=now + datetime.timedelta(hours=1))
    row = ReceiptTransmission.objects.get(receipt=receipt)
    assert report.failed == 1 and (row.state, row.next_attempt_at) == (ReceiptTransmission.State.FAILED, None)
    tax_sandbox.app.fail_next(0)
    transmission.resend(row)
    transmission.deliver_pending(now=timezone.now() + datetime.timedelta(seconds=1))
    row.refresh_from_db()
    assert row.state == ReceiptTransmission.State.ACCEPTED


def test_a_refused_receipt_is_kept_with_the_reason_and_not_resent_by_itself(demo_ca, tax_sandbox):
    receipt = issue()
    row = ReceiptTransmission.objects.get(receipt=receipt)
    signed = ereceipts.signed_receipt_xml(receipt).decode()
    row.signed_xml = signed.replace("<TgTTTBSo>50000</TgTTTBSo>", "<TgTTTBSo>5000</TgTTTBSo>")
    row.save()
    report = transmission.deliver_pending()
    row.refresh_from_db()
    assert report.refused == 1
    assert (row.state, row.tax_code) == (ReceiptTransmission.State.REJECTED, "")
    assert "Chữ ký số không hợp lệ" in row.message
    calls = tax_sandbox.app.calls
    transmission.deliver_pending(now=timezone.now() + datetime.timedelta(days=1))
    assert tax_sandbox.app.calls == calls
    transmission.resend(row)  # signed again from the receipt itself
    transmission.deliver_pending(now=timezone.now() + datetime.timedelta(seconds=1))
    row.refresh_from_db()
    assert row.state == ReceiptTransmission.State.ACCEPTED


def test_an_accepted_receipt_cannot_be_put_back_in_the_queue(demo_ca, tax_sandbox):
    issue()
    transmission.deliver_pending()
    row = ReceiptTransmission.objects.get()
    with pytest.raises(ValidationError, match="Chỉ gửi lại"):
        transmission.resend(row)
    row.refresh_from_db()
    assert row.state == ReceiptTransmission.State.ACCEPTED


def test_without_a_certificate_nothing_is_sent_and_the_reason_is_kept(settings, tmp_path, tax_sandbox):
    settings.MOTCUA_SIGNING_DIR = str(tmp_path / "none")
    receipt = issue()
    report = transmission.deliver_pending()
    row = ReceiptTransmission.objects.get(receipt=receipt)
    assert report.retried == 1 and tax_sandbox.app.calls == 0
    assert row.state == ReceiptTransmission.State.PENDING and "Chưa có chứng thư số" in row.message
    assert row.signed_xml == ""


def test_a_wrong_token_is_an_outage_not_a_refusal(demo_ca, tax_sandbox, settings):
    settings.MOTCUA_TAX_RECEIPTS = settings.MOTCUA_TAX_RECEIPTS | {"access_token": "wrong"}
    issue()
    report = transmission.deliver_pending()
    row = ReceiptTransmission.objects.get()
    assert report.retried == 1 and row.state == ReceiptTransmission.State.PENDING and "401" in row.message


def test_the_sandbox_works_only_in_demo_and_production_refuses_it(settings, tax_sandbox):
    settings.DEBUG, settings.MOTCUA_DEMO_MODE = False, False
    issue()
    assert not ReceiptTransmission.objects.exists()
    with pytest.raises(ValidationError, match="bản trình diễn"):
        transmission.get_connector()
    assert {e.id for e in tax_receipt_transmission_is_real()} == {"motcua.E012"}
    settings.MOTCUA_TAX_RECEIPTS = {
        "plugin": "http",
        "base_url": tax_sandbox.url,
        "access_token": "sandbox-access-token",
    }
    assert {e.id for e in tax_receipt_transmission_is_real()} == {"motcua.E013"}
    settings.MOTCUA_TAX_RECEIPTS = {
        "plugin": "http",
        "base_url": "https://bienlai.example.vn",
        "access_token": "x",
    }
    assert transmission.is_enabled() and tax_receipt_transmission_is_real() == []


def test_the_http_connector_refuses_a_bad_configuration_in_vietnamese():
    with pytest.raises(ValidationError) as refused:
        tax_receipt_connectors.build("http", {"base_url": "ftp://x"})
    assert "địa chỉ http(s)" in refused.value.message_dict["base_url"][0]
    assert "Thiếu cấu hình" in refused.value.message_dict["access_token"][0]


def test_the_admin_puts_a_refused_receipt_back_in_the_queue(client, demo_ca, tax_sandbox):
    from django.urls import reverse

    from motcua.accounts.tests.factories import UserFactory

    issue()
    row = ReceiptTransmission.objects.get()
    ReceiptTransmission.objects.filter(pk=row.pk).update(
        state=ReceiptTransmission.State.REJECTED, message="x"
    )
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:payments_receipttransmission_changelist")
    assert client.get(url).status_code == 200
    client.post(url, {"action": "resend", "_selected_action": [row.pk]})
    row.refresh_from_db()
    assert row.state == ReceiptTransmission.State.PENDING


def test_the_receipt_screen_shows_the_tax_authoritys_code(client, demo_ca, tax_sandbox):
    from django.urls import reverse

    receipt = issue()
    client.force_login(receipt.collector)
    url = reverse("payments:receipt", args=[receipt.pk])
    assert "Chờ gửi" in client.get(url).content.decode()
    transmission.deliver_pending()
    code = ReceiptTransmission.objects.get().tax_code
    shown = client.get(url).content.decode()
    assert "Cơ quan thuế đã tiếp nhận" in shown and code in shown


def test_the_receipt_screen_says_nothing_of_the_tax_authority_when_transmission_is_off(client, settings):
    from django.urls import reverse

    settings.MOTCUA_TAX_RECEIPTS = None
    receipt = issue()
    client.force_login(receipt.collector)
    assert (
        "Gửi cơ quan thuế" not in client.get(reverse("payments:receipt", args=[receipt.pk])).content.decode()
    )


# --- cancellations of voided receipts ---------------------------------------------------------------------------


def void(receipt, reason="Thu nhầm người nộp"):
    from motcua.payments.receipts import void_receipt

    from .factories import leader

    return void_receipt(receipt, by=leader(receipt.book.agency), reason=reason)


def test_voiding_an_accepted_receipt_sends_a_signed_cancellation_the_sandbox_records(demo_ca, tax_sandbox):
    from lxml import etree

    receipt = issue()
    transmission.deliver_pending()
    sent = ReceiptTransmission.objects.get(receipt=receipt, kind=ReceiptTransmission.Kind.RECEIPT)
    void(receipt, reason="Sai tên người nộp")
    row = ReceiptTransmission.objects.get(receipt=receipt, kind=ReceiptTransmission.Kind.CANCELLATION)
    assert row.state == ReceiptTransmission.State.PENDING
    report = transmission.deliver_pending(now=timezone.now() + datetime.timedelta(seconds=1))
    row.refresh_from_db()
    assert report.accepted == 1
    assert row.state == ReceiptTransmission.State.ACCEPTED and row.tax_code.startswith("HUY-")
    recorded = tax_sandbox.app.cancelled[sent.tax_code]
    assert recorded["xml"] == row.signed_xml.encode() and recorded["code"] == row.tax_code
    ereceipts.validate(recorded["xml"])  # the documented schema
    assert ereceipts.verify(recorded["xml"]).ok  # signed like the receipt
    notice = etree.fromstring(recorded["xml"]).find("DLHBLai/BLHuy")
    assert notice.findtext("MCQT") == sent.tax_code
    assert (notice.findtext("KHBLai"), notice.findtext("SBLai")) == ("KT-26E", receipt.number_display)
    assert notice.findtext("LDo") == "Sai tên người nộp"
    # nothing is sent twice
    calls = tax_sandbox.app.calls
    transmission.deliver_pending(now=timezone.now() + datetime.timedelta(days=1))
    assert tax_sandbox.app.calls == calls


def test_a_receipt_voided_before_it_was_sent_sends_nothing(demo_ca, tax_sandbox):
    receipt = issue()
    void(receipt)
    report = transmission.deliver_pending()
    assert tax_sandbox.app.calls == 0 and report.skipped == 2
    states = dict(ReceiptTransmission.objects.filter(receipt=receipt).values_list("kind", "state"))
    assert states == {"receipt": "skipped", "cancel": "skipped"}
    assert tax_sandbox.app.received == {} and tax_sandbox.app.cancelled == {}


def test_a_voided_receipt_without_transmission_queues_no_cancellation(settings):
    settings.MOTCUA_TAX_RECEIPTS = None
    receipt = issue()
    void(receipt)
    assert not ReceiptTransmission.objects.exists()


def test_a_failed_cancellation_is_retried_with_backoff_and_the_same_signed_bytes(demo_ca, tax_sandbox):
    receipt = issue()
    transmission.deliver_pending()
    void(receipt)
    tax_sandbox.app.fail_next(1)
    now = timezone.now() + datetime.timedelta(seconds=1)
    first = transmission.deliver_pending(now=now)
    row = ReceiptTransmission.objects.get(receipt=receipt, kind=ReceiptTransmission.Kind.CANCELLATION)
    signed = row.signed_xml
    assert first.retried == 1 and row.state == ReceiptTransmission.State.PENDING and "503" in row.message
    assert row.next_attempt_at == now + datetime.timedelta(seconds=60)
    assert tax_sandbox.app.cancelled == {}
    transmission.deliver_pending(now=now + datetime.timedelta(seconds=61))
    row.refresh_from_db()
    assert row.state == ReceiptTransmission.State.ACCEPTED and row.signed_xml == signed and row.attempts == 2
    assert len(tax_sandbox.app.cancelled) == 1


def test_a_cancellation_waits_for_its_receipt_still_being_sent(demo_ca, tax_sandbox):
    receipt = issue()
    tax_sandbox.app.fail_next(1)
    now = timezone.now()
    transmission.deliver_pending(now=now)  # the receipt's outcome is unknown: it may have arrived
    void(receipt)
    waiting = transmission.deliver_pending(now=now + datetime.timedelta(seconds=30))
    assert waiting.waiting == 1 and tax_sandbox.app.cancelled == {}
    later = now + datetime.timedelta(hours=1)
    transmission.deliver_pending(now=later)  # the receipt, then its cancellation
    states = dict(ReceiptTransmission.objects.filter(receipt=receipt).values_list("kind", "state"))
    assert states == {"receipt": "accepted", "cancel": "accepted"}
    assert len(tax_sandbox.app.cancelled) == 1


def test_the_sandbox_refuses_the_cancellation_of_a_receipt_it_never_accepted(demo_ca, tax_sandbox):
    receipt = issue()
    transmission.deliver_pending()
    void(receipt)
    row = ReceiptTransmission.objects.get(receipt=receipt, kind=ReceiptTransmission.Kind.CANCELLATION)
    unknown = ereceipts.signed_cancellation_xml(receipt, "CQT-0000000000000000")
    row.signed_xml = unknown.decode()
    row.save()
    report = transmission.deliver_pending(now=timezone.now() + datetime.timedelta(seconds=1))
    row.refresh_from_db()
    assert report.refused == 1 and row.state == ReceiptTransmission.State.REJECTED
    assert "Không có biên lai" in row.message and tax_sandbox.app.cancelled == {}


def test_the_receipt_screen_shows_the_cancellation_sent(client, demo_ca, tax_sandbox):
    from django.urls import reverse

    receipt = issue()
    transmission.deliver_pending()
    void(receipt)
    transmission.deliver_pending(now=timezone.now() + datetime.timedelta(seconds=1))
    client.force_login(receipt.collector)
    shown = client.get(reverse("payments:receipt", args=[receipt.pk])).content.decode()
    code = ReceiptTransmission.objects.get(kind=ReceiptTransmission.Kind.CANCELLATION).tax_code
    assert "Gửi thông báo hủy tới cơ quan thuế" in shown and code in shown
