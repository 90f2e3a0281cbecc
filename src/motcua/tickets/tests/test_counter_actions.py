"""The counter officer's actions: call next, recall, skip, transfer, finish; priority first; bad input refused
in Vietnamese with nothing changed."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from motcua.accounts.tests.factories import UserFactory
from motcua.org.tests.factories import CounterFactory
from motcua.tickets import services
from motcua.tickets.models import Ticket

Status = Ticket.Status


def snapshot():
    return sorted(
        Ticket.objects.values_list(
            "code", "status", "counter_id", "target_counter_id", "call_count", "finished_at"
        )
    )


def test_call_next_calls_the_oldest_ticket_of_the_services_the_counter_serves(hall, at):
    with at(2026, 3, 2, 7, 30):
        services.issue(hall.c)
        services.issue(hall.b)
        services.issue(hall.a)
    with at(2026, 3, 2, 7, 35):
        at_one = services.call_next(hall.counter(1), hall.officer)  # serves A only
        at_two = services.call_next(hall.counter(2), hall.officer)  # serves A and B: B001 came first
    assert (at_one.code, at_one.counter.number, at_one.status) == ("A001", 1, Status.CALLED)
    assert at_two.code == "B001"
    assert at_one.called_by == hall.officer and at_one.call_count == 1


def test_priority_tickets_are_called_first_and_in_their_own_order(hall, at):
    with at(2026, 3, 2, 8, 0):
        services.issue(hall.a)
        services.issue(hall.a, priority_reason=Ticket.Priority.DISABLED)
        services.issue(hall.a)
        services.issue(hall.a, priority_reason=Ticket.Priority.ELDERLY)
    with at(2026, 3, 2, 8, 5):
        called = [services.call_next(hall.counter(1), hall.officer).code for _ in range(4)]
    assert called == ["A002", "A004", "A001", "A003"]


def test_calling_the_next_finishes_the_current_and_none_is_answered_when_nobody_waits(hall, at):
    with at(2026, 3, 2, 8, 0):
        first = services.issue(hall.c)
    with at(2026, 3, 2, 8, 10):
        services.call_next(hall.counter(3), hall.officer)
    with at(2026, 3, 2, 8, 25):
        assert services.call_next(hall.counter(3), hall.officer) is None
    first.refresh_from_db()
    assert first.status == Status.SERVED
    assert (first.finished_at - first.first_called_at).total_seconds() == 15 * 60


def test_a_ticket_of_yesterday_is_never_called(hall, at):
    with at(2026, 12, 31, 16, 55):
        services.issue(hall.a)
    with at(2027, 1, 2, 7, 30):
        assert services.call_next(hall.counter(1), hall.officer) is None
        today = services.issue(hall.a)
        assert services.call_next(hall.counter(1), hall.officer).pk == today.pk


def test_two_counters_never_call_the_same_ticket(hall, at):
    with at(2026, 3, 2, 8, 0):
        services.issue(hall.a)
        services.issue(hall.a)
        one = services.call_next(hall.counter(1), hall.officer)
        two = services.call_next(hall.counter(2), hall.officer)
        assert {one.code, two.code} == {"A001", "A002"}
        assert services.call_next(hall.counter(1), hall.officer) is None


def test_recall_announces_the_current_ticket_again(hall, at):
    with at(2026, 3, 2, 8, 0):
        services.issue(hall.a)
        ticket = services.call_next(hall.counter(1), hall.officer)
    with at(2026, 3, 2, 8, 1):
        again = services.recall(hall.counter(1), hall.officer)
    assert again.pk == ticket.pk and again.call_count == 2
    assert again.called_at > again.first_called_at


def test_a_skipped_ticket_is_set_aside_and_can_be_recalled_the_same_day(hall, at):
    with at(2026, 3, 2, 8, 0):
        absent = services.issue(hall.a)
        services.issue(hall.a)
        services.call_next(hall.counter(1), hall.officer)
    with at(2026, 3, 2, 8, 3):
        skipped = services.skip(hall.counter(1), hall.officer)
        assert skipped.status == Status.SKIPPED
        assert services.call_next(hall.counter(1), hall.officer).code == "A002"
    with at(2026, 3, 2, 8, 20):
        back = services.recall(hall.counter(1), hall.officer, ticket=absent)
    assert (back.code, back.status, back.call_count) == ("A001", Status.CALLED, 2)
    assert Ticket.objects.get(code="A002").status == Status.SERVED


def test_a_transferred_ticket_waits_for_the_other_counter_keeping_its_place(hall, at):
    with at(2026, 3, 2, 8, 0):
        services.issue(hall.a)
    with at(2026, 3, 2, 8, 5):
        services.issue(hall.c)  # C001 came after A001
    with at(2026, 3, 2, 8, 10):
        services.call_next(hall.counter(1), hall.officer)
        moved = services.transfer(hall.counter(1), hall.officer, hall.counter(3))
        assert (moved.status, moved.target_counter, moved.counter) == (Status.WAITING, hall.counter(3), None)
        # Counter 2 serves A too, but the ticket now waits for counter 3 only.
        assert services.call_next(hall.counter(2), hall.officer) is None
        assert services.call_next(hall.counter(3), hall.officer).code == "A001"
    moved.refresh_from_db()
    assert moved.transfer_count == 1 and moved.target_counter is None and moved.call_count == 2


def test_skip_recall_finish_or_transfer_without_a_called_ticket_change_nothing(hall, at):
    with at(2026, 3, 2, 8, 0):
        services.issue(hall.a)
        before = snapshot()
        for action in (services.skip, services.recall, services.finish):
            with pytest.raises(ValidationError) as error:
                action(hall.counter(1), hall.officer)
            assert error.value.messages == ["Quầy 1 chưa gọi số nào."]
        with pytest.raises(ValidationError):
            services.transfer(hall.counter(1), hall.officer, hall.counter(2))
    assert snapshot() == before


@pytest.mark.parametrize(
    "target, message",
    [
        ("same", "Không thể chuyển sang chính quầy đang phục vụ."),
        ("elsewhere", "Chỉ chuyển được sang quầy của cùng trung tâm."),
        ("none", "Hãy chọn quầy nhận chuyển."),
    ],
)
def test_a_transfer_to_a_wrong_counter_is_refused_and_changes_nothing(hall, at, target, message):
    with at(2026, 3, 2, 8, 0):
        services.issue(hall.a)
        services.call_next(hall.counter(1), hall.officer)
        before = snapshot()
        to = {"same": hall.counter(1), "elsewhere": CounterFactory(number=9), "none": None}[target]
        with pytest.raises(ValidationError) as error:
            services.transfer(hall.counter(1), hall.officer, to)
    assert error.value.message_dict["to_counter"] == [message]
    assert snapshot() == before


def test_only_a_skipped_ticket_of_today_can_be_recalled(hall, at):
    with at(2026, 3, 2, 8, 0):
        waiting = services.issue(hall.a)
        services.issue(hall.c)
        services.call_next(hall.counter(3), hall.officer)
        skipped_c = services.skip(hall.counter(3), hall.officer)
        before = snapshot()
        with pytest.raises(ValidationError) as error:
            services.recall(hall.counter(1), hall.officer, ticket=waiting)
        assert error.value.messages == ["Chỉ gọi lại được số đã bỏ qua trong ngày hôm nay."]
        with pytest.raises(ValidationError) as error:
            services.recall(hall.counter(1), hall.officer, ticket=skipped_c)  # counter 1 does not serve C
        assert error.value.messages == ["Quầy 1 không phục vụ số C001."]
    with at(2026, 3, 3, 8, 0), pytest.raises(ValidationError):
        services.recall(hall.counter(3), hall.officer, ticket=skipped_c)
    assert snapshot() == before


def test_an_officer_of_another_agency_cannot_call_at_this_center(hall, at):
    stranger = UserFactory(username="nguoila")
    with at(2026, 3, 2, 8, 0):
        services.issue(hall.a)
        before = snapshot()
        for action in (services.call_next, services.skip, services.recall, services.finish):
            with pytest.raises(PermissionDenied) as error:
                action(hall.counter(1), stranger)
            assert str(error.value) == "Bạn không được phân công tiếp nhận tại quầy này."
    assert snapshot() == before


def test_the_display_lists_the_current_calls_newest_first_and_counts_who_waits(hall, at):
    with at(2026, 3, 2, 8, 0):
        for kind in (hall.a, hall.b, hall.c, hall.a):
            services.issue(kind)
    with at(2026, 3, 2, 8, 1):
        services.call_next(hall.counter(3), hall.officer)
    with at(2026, 3, 2, 8, 2):
        services.call_next(hall.counter(1), hall.officer)
        state = services.display_state(hall.center)
    assert [(c.number, c.counter) for c in state["calling"]] == [("A001", 1), ("C001", 3)]
    assert state["waiting"] == 2


def test_the_follow_page_state_tracks_the_ticket(hall, at):
    with at(2026, 3, 2, 8, 0):
        services.issue(hall.a)
        mine = services.issue(hall.a)
        assert services.follow(mine)["waiting_before"] == 1
        services.call_next(hall.counter(1), hall.officer)
        services.call_next(hall.counter(2), hall.officer)
        mine.refresh_from_db()
        assert services.follow(mine) | {"status_label": ""} == {
            "number": "A002",
            "status": "called",
            "status_label": "",
            "waiting_before": 0,
            "counter": 2,
        }
    with at(2026, 3, 3, 8, 0):
        stale = Ticket.objects.create(
            kind=hall.a,
            day="2026-03-02",
            number=9,
            code="A009",
            issued_at=mine.issued_at,
            queued_at=mine.issued_at,
        )
        assert services.follow(stale)["status"] == "expired"
