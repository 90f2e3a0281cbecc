"""The payment platform asks for the bill of a dossier: `dptracuuthanhtoanhs` (NATIONAL-PORTAL.md §1.2, §5.2).

A citizen who pays a dossier's fees on the National Public Service Portal does not come through motcua's payment
page: the portal's payment platform POSTs `{"MaHoSo": "<code>"}` here to learn what is owed, takes the money,
and then confirms it like any payment of the platform, by its signed callback (`payments:callback`) or, when
the callback does not come, by motcua's reconciliation (`check_pending_payments`, QUERY by `transaction_id`).

So the look-up opens (or reuses) a pending `payments.Payment` for every fee line still due, and answers its
bill: `transaction_id` is the payment's reference (the platform's `MaThamChieu`), `client_id` the partner code
of the gateway. Asking again gives the same bill while the payment waits (nothing is created twice, even for two
simultaneous look-ups: the due lines are locked). Replies, in OpenCPS's shape:
    error_code "1"  + message = the bill (object);
    error_code "0"  nothing to pay (no fee line due, or all paid);
    error_code "-1" unknown dossier, a bad body, a fee without an amount yet, or no payment platform configured
                    (the message says why, in Vietnamese; nothing is created).
The call is signed like the inbound dossier push (`inbound.authenticate`).
The bill's beneficiary account (`TKThuHuong`, `MaNHThuHuong`, `TenTKThuHuong`) is the fee-collection account of
the payment's agency (the agency that resolves the dossier, `collecting_agency`), empty when it has none.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.models import Dossier
from motcua.integrations.payment import PaymentRequest, protocol
from motcua.integrations.payment.national_platform import NationalPaymentPlatform
from motcua.payments import conf as payment_conf
from motcua.payments.fees import collecting_agency, due_lines, fee_items
from motcua.payments.models import FeeLine, Payment
from motcua.payments.online import beneficiary

from . import conf
from .models import InboundDossier


@dataclass
class LookupResult:
    error_code: str
    message: object
    status: int = 200
    payment: Payment | None = None
    created: bool = False

    def reply(self) -> dict:
        return {"error_code": self.error_code, "message": self.message}


def gateway_name() -> str:
    """The payment gateway that stands for the portal's platform (default: the payments part's default)."""
    return getattr(settings, "NATIONAL_PORTAL_PAYMENT_GATEWAY", "") or payment_conf.default_gateway_name()


def _gateway():
    try:
        plugin = payment_conf.get_gateway(gateway_name())
    except Exception:  # noqa: BLE001 - an unknown name or a bad configuration: answered as not configured
        return None
    return plugin if isinstance(plugin, NationalPaymentPlatform) else None


def find_dossier(code: str):
    """The dossier by its local code, or by the portal's code when the portal pushed it here."""
    dossier = Dossier.objects.filter(code=code).select_related("procedure", "applicant").first()
    if dossier is None:
        inbound = InboundDossier.objects.filter(portal_code=code).select_related("dossier").first()
        dossier = inbound.dossier if inbound else None
    return dossier


def lookup(data) -> LookupResult:
    """Answer one `dptracuuthanhtoanhs` call. Never raises for bad input."""
    if not isinstance(data, dict):
        return LookupResult("-1", _("Nội dung phải là một đối tượng JSON có MaHoSo."), 400)
    code = data.get("MaHoSo")
    if not isinstance(code, str) or not code.strip():
        return LookupResult("-1", _("MaHoSo: bắt buộc."), 400)
    code = code.strip()[:100]
    dossier = find_dossier(code)
    if dossier is None:
        return LookupResult("-1", _("Không tìm thấy hồ sơ %(code)s.") % {"code": code}, 404)
    plugin = _gateway()
    if plugin is None:
        return LookupResult(
            "-1", _("Hệ thống chưa cấu hình nền tảng thanh toán của Cổng DVCQG; vui lòng nộp tại quầy."), 503
        )
    with transaction.atomic():
        lines = [
            line for line in due_lines(dossier).select_for_update() if line.amount > 0 or line.needs_amount
        ]
        if not lines:
            return LookupResult(
                "0",
                _("Hồ sơ %(code)s không có khoản phí, lệ phí nào phải nộp hoặc đã nộp đủ.") % {"code": code},
            )
        if any(line.needs_amount for line in lines):
            return LookupResult(
                "-1",
                _("Hồ sơ %(code)s có khoản phí, lệ phí chưa có mức thu; cơ quan sẽ thông báo số tiền sau.")
                % {"code": code},
                409,
            )
        pending = [
            line.payment
            for line in lines
            if line.payment_id and line.payment.status in (Payment.Status.PENDING, Payment.Status.INITIATED)
        ]
        created = not pending
        if pending:
            payment = pending[0]
        else:
            applicant = dossier.applicant
            items = fee_items(lines)
            payment = Payment.objects.create(
                gateway=gateway_name(),
                agency=collecting_agency(dossier),
                amount=sum(line.amount for line in lines),
                description=(
                    _("Thanh toán phí, lệ phí hồ sơ %(code)s trên Cổng DVCQG") % {"code": dossier.code}
                )[:300],
                items=items,
                payer_name=applicant.name[:200],
                payer_id_number=applicant.id_number[:30],
                payer_address=applicant.address[:300],
                dossier_code=dossier.code,
                dossier=dossier,
                status=Payment.Status.PENDING,
                next_check_at=timezone.now() + payment_conf.FIRST_CHECK_AFTER,
            )
            FeeLine.objects.filter(pk__in=[line.pk for line in lines]).update(payment=payment)
    return LookupResult(
        "1", bill(payment, plugin, dossier, portal_code=code), payment=payment, created=created
    )


def bill(payment: Payment, plugin: NationalPaymentPlatform, dossier, *, portal_code: str) -> dict:
    """The bill object of §5.2: OpenCPS's names, the receipt block of the platform's INIT (§5.1)."""
    request = PaymentRequest(
        reference=payment.reference,
        amount=payment.amount,
        description=payment.description,
        created_at=payment.created_at,
        callback_url=conf.public_url() + reverse("payments:callback", args=[payment.gateway]),
        return_url="",
        agency_code=payment.agency.identity_code,
        agency_name=payment.agency.name,
        dossier_code=portal_code,
        procedure_code=dossier.procedure.code,
        procedure_name=dossier.procedure.name,
        payer_name=payment.payer_name,
        payer_id_number=payment.payer_id_number,
        payer_address=payment.payer_address,
        items=payment.items,
        **beneficiary(payment.agency),
    )
    receipt = plugin.build_init(request)["ThongTinBienLai"]
    for line in receipt["PhiLePhi"]:
        line["LoaiPhiLePhi"] = str(line["LoaiPhiLePhi"])
        line["SoTien"] = str(line["SoTien"])
    for line in receipt["DSKhoanNop"]:
        line["SoTien"] = str(line["SoTien"])
    created = protocol.format_time(payment.created_at)
    return {
        "transaction_id": payment.reference,
        "client_id": plugin.config["partner_code"],
        "MaTraCuuTT": f"{portal_code}{created}",
        **receipt,
        "SoTien": str(payment.amount),
        "ThoiGianGD": created,
        # Where the platform notifies the result: the real platform takes it from the partner's registration;
        # the simulator reads it from the bill (as the sandbox reads UrlThongBao from INIT).
        "UrlThongBao": request.callback_url,
    }
