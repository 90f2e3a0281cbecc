"""REST API v1 for the queue (API.md "Queue"): hardware kiosks take tickets, call buttons call them, hall
displays read what is being called. Taking a ticket is public and throttled; calling needs a staff token."""

import datetime

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Schema, Status
from pydantic import Field

from motcua.api_base import STAFF_ERRORS, ApiError, with_errors
from motcua.apitokens.auth import bearer
from motcua.org.models import Center

from . import services, throttle
from .models import Ticket

router = Router(tags=[gettext_lazy("Xếp hàng, bốc số thứ tự")])


def iso(value: datetime.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


class ServiceOut(Schema):
    key: str
    label: str
    letter: str
    center: int


class TicketIn(Schema):
    service: str = Field(min_length=1, max_length=40)
    priority: bool = False
    priority_reason: Ticket.Priority | None = None
    center: int | None = Field(None, ge=1)


class TicketOut(Schema):
    number: str
    service: str
    issued_at: str
    waiting_before: int
    priority: bool
    follow_url: str


class CallNextIn(Schema):
    counter: str | int
    center: int | None = Field(None, ge=1)


class CalledOut(Schema):
    number: str
    service: str
    counter: int
    priority: bool
    issued_at: str
    called_at: str


class CallOut(Schema):
    number: str
    counter: int
    counter_name: str
    called_at: str
    call_count: int


class DisplayOut(Schema):
    calling: list[CallOut]
    waiting: int


def _center(pk: int | None) -> Center | None:
    if pk is None:
        return None
    center = Center.objects.filter(pk=pk).first()
    if center is None:
        raise ValidationError({"center": _("Không có trung tâm này.")})
    return center


@router.get(
    "/services",
    response=with_errors({200: list[ServiceOut]}, 400),
    auth=None,
    summary=gettext_lazy("Dịch vụ có thể lấy số (công khai)"),
)
def list_services(request, center: int | None = Query(None, ge=1)):
    return [
        {"key": k.key, "label": k.label, "letter": k.letter, "center": k.center_id}
        for k in services.kinds_on_offer(_center(center))
    ]


@router.post(
    "/tickets",
    response=with_errors({201: TicketOut}, 400, 429),
    auth=None,
    summary=gettext_lazy("Lấy số thứ tự (công khai, giới hạn số lần)"),
)
def take_ticket(request, payload: TicketIn):
    kind = services.find_kind(payload.service, _center(payload.center))
    if not throttle.take(throttle.client_address(request)):
        raise ApiError(429, "throttled", _("Đã lấy quá nhiều số trong một phút. Vui lòng thử lại sau."))
    reason = payload.priority_reason or (Ticket.Priority.OTHER if payload.priority else "")
    ticket = services.issue(kind, priority_reason=reason)
    return Status(
        201,
        {
            "number": ticket.code,
            "service": kind.key,
            "issued_at": iso(ticket.issued_at),
            "waiting_before": services.waiting_before(ticket),
            "priority": ticket.priority,
            "follow_url": request.build_absolute_uri(reverse("tickets:follow", args=[ticket.public_id])),
        },
    )


@router.post(
    "/call_next",
    response=with_errors({200: CalledOut}, *STAFF_ERRORS, 404),
    auth=bearer,
    summary=gettext_lazy("Gọi số tiếp theo đến quầy (cán bộ)"),
)
def call_next(request, payload: CallNextIn):
    counter = services.find_counter(request.user, payload.counter, _center(payload.center))
    ticket = services.call_next(counter, request.user)
    if ticket is None:
        raise ApiError(
            404, "nobody_waiting", _("Không còn ai chờ các dịch vụ của quầy %(n)d.") % {"n": counter.number}
        )
    return {
        "number": ticket.code,
        "service": ticket.kind.key,
        "counter": counter.number,
        "priority": ticket.priority,
        "issued_at": iso(ticket.issued_at),
        "called_at": iso(ticket.called_at),
    }


@router.get(
    "/display",
    response=with_errors({200: DisplayOut}, 400),
    auth=None,
    url_name="queue_display",
    summary=gettext_lazy("Số đang gọi, cho màn hình sảnh (công khai)"),
)
def display(request, center: int | None = Query(None, ge=1)):
    state = services.display_state(_center(center))
    return {
        "calling": [
            {
                "number": c.number,
                "counter": c.counter,
                "counter_name": c.counter_name,
                "called_at": iso(c.called_at),
                "call_count": c.call_count,
            }
            for c in state["calling"]
        ],
        "waiting": state["waiting"],
    }
