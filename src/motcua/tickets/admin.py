from django.contrib import admin

from .models import Ticket, TicketKind


@admin.register(TicketKind)
class TicketKindAdmin(admin.ModelAdmin):
    list_display = ("letter", "label", "key", "center", "position", "is_active")
    list_filter = ("center", "is_active")
    filter_horizontal = ("counters",)


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ("code", "day", "kind", "priority", "status", "counter", "issued_at", "called_at")
    list_filter = ("day", "status", "kind")
    readonly_fields = [f.name for f in Ticket._meta.fields] + ["dossiers"]
