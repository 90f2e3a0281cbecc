"""Ticket numbers: the kind's letter and three digits, per kind and per day (Vietnam time), from the database."""

import pytest
from django.core.exceptions import ValidationError

from motcua.tickets import services
from motcua.tickets.models import Ticket, TicketNumberCounter


def test_each_service_numbers_its_tickets_from_001(hall, at):
    with at(2026, 3, 2, 7, 30):
        codes = [services.issue(kind).code for kind in (hall.a, hall.a, hall.b, hall.a, hall.c)]
    assert codes == ["A001", "A002", "B001", "A003", "C001"]


def test_numbers_restart_at_midnight_vietnam_time_not_utc(hall, at):
    # 31/12 23:30 and 23:59 in Vietnam are the same day; 01/01 00:01 starts a new one (UTC is still 31/12 17:01).
    with at(2026, 12, 31, 23, 30):
        late = services.issue(hall.a)
    with at(2026, 12, 31, 23, 59):
        later = services.issue(hall.a)
    with at(2027, 1, 1, 0, 1):
        new_year = services.issue(hall.a)
    assert (late.code, str(late.day)) == ("A001", "2026-12-31")
    assert (later.code, str(later.day)) == ("A002", "2026-12-31")
    assert (new_year.code, str(new_year.day)) == ("A001", "2027-01-01")


def test_a_thousandth_ticket_keeps_counting_past_999(hall, at):
    with at(2026, 2, 14, 2, 30):
        TicketNumberCounter.objects.create(kind=hall.a, day="2026-02-14", last_number=999)
        assert services.issue(hall.a).code == "A1000"


def test_a_priority_ticket_records_who_it_is_for(hall, at):
    with at(2026, 3, 2, 8, 0):
        ticket = services.issue(hall.a, priority_reason=Ticket.Priority.PREGNANT)
    assert ticket.priority is True
    assert ticket.get_priority_reason_display() == "Phụ nữ mang thai"


@pytest.mark.parametrize(
    "key, message",
    [
        ("khong-co", "Không có dịch vụ lấy số này"),
        ("", "Không có dịch vụ lấy số này"),
    ],
)
def test_an_unknown_service_is_refused_in_vietnamese_and_takes_no_number(hall, at, key, message):
    with at(2026, 3, 2, 8, 0), pytest.raises(ValidationError) as error:
        services.find_kind(key)
    assert message in str(error.value.message_dict["service"])
    assert not Ticket.objects.exists() and not TicketNumberCounter.objects.exists()


def test_a_paused_service_or_one_without_counter_gives_no_ticket(hall, at):
    hall.b.is_active = False
    hall.b.save()
    hall.c.counters.clear()
    with at(2026, 3, 2, 8, 0):
        for kind in (hall.b, hall.c):
            with pytest.raises(ValidationError) as error:
                services.issue(kind)
            assert "tạm ngừng phát số" in str(error.value)
        assert [k.key for k in services.kinds_on_offer()] == ["tu-phap"]
    assert not Ticket.objects.exists() and not TicketNumberCounter.objects.exists()


def test_an_unknown_priority_group_is_refused_and_takes_no_number(hall, at):
    with at(2026, 3, 2, 8, 0), pytest.raises(ValidationError) as error:
        services.issue(hall.a, priority_reason="vip")
    assert error.value.message_dict["priority"] == ["Đối tượng ưu tiên không hợp lệ."]
    assert not Ticket.objects.exists() and not TicketNumberCounter.objects.exists()


def test_waiting_before_counts_priority_tickets_and_earlier_ones_of_the_same_service(hall, at):
    with at(2026, 3, 2, 8, 0):
        first = services.issue(hall.a)
        services.issue(hall.b)  # another service: not ahead of A tickets
        second = services.issue(hall.a)
        elderly = services.issue(hall.a, priority_reason=Ticket.Priority.ELDERLY)
        third = services.issue(hall.a)
    assert [services.waiting_before(t) for t in (first, second, elderly, third)] == [1, 2, 0, 3]
