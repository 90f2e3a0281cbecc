from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.audit.admin_mixins import ReadOnlyAdmin

from .models import FeeLine, Payment, PaymentCallback, Receipt, ReceiptBook, ReceiptTransmission, Refund


@admin.register(ReceiptBook)
class ReceiptBookAdmin(admin.ModelAdmin):
    list_display = ("agency", "template_no", "series", "status", "last_number", "capacity", "opened_at")
    list_filter = ("status",)
    search_fields = ("series", "template_no", "agency__name")
    readonly_fields = ("last_number", "opened_at", "opened_by", "closed_at", "closed_by")

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        return (*self.readonly_fields, "agency", "template_no", "series", "first_number")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.opened_by = request.user
            obj.last_number = obj.first_number - 1
        super().save_model(request, obj, form, change)


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ("book", "number", "payer_name", "total", "method", "status", "issued_at")
    list_filter = ("status", "method", "channel")
    search_fields = ("payer_name", "dossier_code", "book__series")


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ("receipt", "amount", "status", "requested_by", "decided_by")
    list_filter = ("status",)


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("reference", "gateway", "agency", "amount", "status", "created_at", "confirmed_at")
    list_filter = ("status", "gateway")
    search_fields = ("reference", "transaction_id", "dossier_code")


@admin.register(PaymentCallback)
class PaymentCallbackAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "gateway", "payment", "source", "outcome")
    list_filter = ("outcome", "source", "gateway")


@admin.register(FeeLine)
class FeeLineAdmin(ReadOnlyAdmin):
    list_display = ("dossier", "description", "kind", "amount", "status")
    list_filter = ("status", "kind")


@admin.register(ReceiptTransmission)
class ReceiptTransmissionAdmin(ReadOnlyAdmin):
    list_display = (
        "receipt",
        "kind",
        "connector",
        "state",
        "attempts",
        "next_attempt_at",
        "tax_code",
        "message",
    )
    list_filter = ("kind", "state", "connector")
    search_fields = ("tax_code", "receipt__book__series", "receipt__dossier_code")
    actions = ["resend"]

    @admin.action(description=gettext_lazy("Gửi lại tới cơ quan thuế"))
    def resend(self, request, queryset):
        from .transmission import resend

        done = 0
        for row in queryset:
            try:
                resend(row)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{row.receipt}: {' '.join(error.messages)}", messages.ERROR)
        if done:
            self.message_user(request, _("Đã đưa %(n)s biên lai vào hàng đợi gửi lại.") % {"n": done})
