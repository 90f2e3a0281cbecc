"""API v1 "Queue" (API.md): services, tickets (public, throttled), call_next (staff token), display."""

import json

import pytest

from motcua.accounts.tests.factories import UserFactory
from motcua.apitokens.models import ApiToken
from motcua.tickets import services
from motcua.tickets.models import Ticket, TicketNumberCounter


def post(client, path, body, **headers):
    return client.post(f"/api/v1/queue/{path}", json.dumps(body), content_type="application/json", **headers)


def bearer(user) -> dict:
    _row, token = ApiToken.issue(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_services_lists_what_a_visitor_can_take_a_ticket_for(client, hall):
    hall.c.is_active = False
    hall.c.save()
    response = client.get("/api/v1/queue/services")
    assert response.status_code == 200
    assert [(s["key"], s["label"]) for s in response.json()] == [
        ("tu-phap", "Tư pháp – Hộ tịch"),
        ("dat-dai", "Đất đai"),
    ]


def test_a_kiosk_takes_a_ticket_and_learns_how_many_wait_before_it(client, hall, at):
    with at(2026, 2, 14, 2, 30):
        services.issue(hall.a)
        response = post(client, "tickets", {"service": "tu-phap"})
    assert response.status_code == 201
    body = response.json()
    assert body["number"] == "A002" and body["service"] == "tu-phap" and body["waiting_before"] == 1
    assert body["issued_at"] == "2026-02-14T02:30:00+07:00"
    assert body["priority"] is False
    ticket = Ticket.objects.get(code="A002")
    assert body["follow_url"] == f"http://testserver/xep-hang/so/{ticket.public_id}/"


def test_a_priority_ticket_from_the_api_goes_ahead(client, hall, at):
    with at(2026, 3, 2, 8, 0):
        services.issue(hall.a)
        body = post(client, "tickets", {"service": "tu-phap", "priority": True}).json()
    assert body["waiting_before"] == 0 and body["priority"] is True
    assert Ticket.objects.get(code=body["number"]).priority_reason == Ticket.Priority.OTHER


@pytest.mark.parametrize(
    "payload, field, message",
    [
        (
            {"service": "khong-co"},
            "service",
            "Không có dịch vụ lấy số này, hoặc dịch vụ đang tạm ngừng phát số.",
        ),
        ({}, "service", "Trường này là bắt buộc."),
        ({"service": "tu-phap", "priority": "có"}, "priority", "Phải là true hoặc false."),
        ({"service": "tu-phap", "center": 987654}, "center", "Không có trung tâm này."),
    ],
)
def test_bad_ticket_requests_answer_400_in_vietnamese_and_issue_nothing(
    client, hall, payload, field, message
):
    response = post(client, "tickets", payload)
    assert response.status_code == 400
    assert response.json()["error"]["fields"][field] == [message]
    assert not Ticket.objects.exists() and not TicketNumberCounter.objects.exists()


def test_taking_tickets_is_throttled_per_address(client, hall, settings, at):
    settings.QUEUE_TICKETS_PER_MINUTE = 2
    with at(2026, 3, 2, 8, 0):
        answers = [post(client, "tickets", {"service": "tu-phap"}).status_code for _ in range(3)]
        other = post(client, "tickets", {"service": "tu-phap"}, REMOTE_ADDR="10.0.0.9").status_code
    assert answers == [201, 201, 429] and other == 201
    assert Ticket.objects.count() == 3


def test_call_next_needs_a_staff_token(client, hall):
    response = post(client, "call_next", {"counter": "1"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_call_next_calls_the_next_ticket_to_the_counter(client, hall, at):
    with at(2026, 3, 2, 8, 0):
        services.issue(hall.b)
        services.issue(hall.a, priority_reason=Ticket.Priority.ELDERLY)
    with at(2026, 3, 2, 8, 4):
        response = post(client, "call_next", {"counter": "2"}, **bearer(hall.officer))
    assert response.status_code == 200
    assert response.json() | {"issued_at": None} == {
        "number": "A001",
        "service": "tu-phap",
        "counter": 2,
        "priority": True,
        "issued_at": None,
        "called_at": "2026-03-02T08:04:00+07:00",
    }


def test_call_next_answers_404_when_nobody_waits_for_that_counter(client, hall, at):
    with at(2026, 3, 2, 8, 0):
        services.issue(hall.c)
        response = post(client, "call_next", {"counter": 1}, **bearer(hall.officer))
    assert response.status_code == 404
    assert response.json()["error"] == {
        "code": "nobody_waiting",
        "message": "Không còn ai chờ các dịch vụ của quầy 1.",
        "fields": {},
    }
    assert Ticket.objects.get().status == Ticket.Status.WAITING


@pytest.mark.parametrize(
    "counter, status, message",
    [
        ("ba", 400, "Số quầy phải là một số nguyên, ví dụ 3."),
        ("99", 400, "Không có quầy số 99."),
    ],
)
def test_call_next_to_a_bad_counter_answers_400_and_calls_nobody(client, hall, at, counter, status, message):
    with at(2026, 3, 2, 8, 0):
        services.issue(hall.a)
        response = post(client, "call_next", {"counter": counter}, **bearer(hall.officer))
    assert response.status_code == status
    assert response.json()["error"]["message"] == message
    assert Ticket.objects.get().status == Ticket.Status.WAITING


def test_call_next_by_an_officer_not_posted_there_answers_403(client, hall, at):
    with at(2026, 3, 2, 8, 0):
        services.issue(hall.a)
        response = post(client, "call_next", {"counter": "1"}, **bearer(UserFactory(username="khac")))
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "Bạn không được phân công tiếp nhận tại quầy này."
    assert Ticket.objects.get().status == Ticket.Status.WAITING


def test_display_shows_the_calls_and_the_queue_length(client, hall, at):
    with at(2026, 3, 2, 8, 0):
        for kind in (hall.a, hall.a, hall.c):
            services.issue(kind)
        services.call_next(hall.counter(3), hall.officer)
        response = client.get("/api/v1/queue/display")
    assert response.status_code == 200
    body = response.json()
    assert [(c["number"], c["counter"]) for c in body["calling"]] == [("C001", 3)]
    assert body["waiting"] == 2
