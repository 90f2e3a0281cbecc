"""Scheduled reminders (daily digests, escalation, idempotence) and manual reminders from the dashboard."""

from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from motcua.dossiers import services
from motcua.monitoring import reminders
from motcua.monitoring.models import Digest, DueState, Notification, Reminder

from .factories import Office, at


@pytest.fixture
def office(db):
    return Office()


@pytest.fixture
def dossier(office):
    # due Tue 15/11/2022 09:00, held by the specialist
    return office.receive(at(2022, 11, 10, 9))


def run(now, **kwargs):
    with time_machine.travel(now, tick=False):
        return reminders.send_scheduled(**kwargs)


def recipients(day) -> dict:
    return {(r.recipient_id, r.level) for r in Reminder.objects.filter(day=day)}


def test_nothing_is_sent_while_on_track(office, dossier):
    result = run(at(2022, 11, 11, 10))
    assert result.digests == 0 and Reminder.objects.count() == 0 and mail.outbox == []


def test_near_due_reminds_the_holder_once_a_day(office, dossier):
    first = run(at(2022, 11, 14, 10))
    assert first.digests == 1 and first.reminders == 1 and first.emails == 1
    assert recipients(at(2022, 11, 14).date()) == {(office.staff.specialist.pk, "holder")}
    assert mail.outbox[0].to == [office.staff.specialist.email]
    assert dossier.code in mail.outbox[0].body
    note = Notification.objects.get(recipient=office.staff.specialist)
    assert "1 hồ sơ" in note.title and dossier.code in note.body

    second = run(at(2022, 11, 14, 15))
    assert second.digests == 0 and second.skipped_people == 1
    assert len(mail.outbox) == 1
    assert Reminder.objects.count() == 1 and Digest.objects.count() == 1 and Notification.objects.count() == 1

    # the next working day it is due today: a new digest
    third = run(at(2022, 11, 15, 8))
    assert third.digests == 1 and len(mail.outbox) == 2
    assert Reminder.objects.get(day=at(2022, 11, 15).date()).due_state == DueState.DUE_TODAY


def test_one_digest_lists_all_of_a_persons_dossiers(office, dossier):
    other = office.receive(at(2022, 11, 10, 10))
    run(at(2022, 11, 14, 10))
    assert len(mail.outbox) == 1
    assert dossier.code in mail.outbox[0].body and other.code in mail.outbox[0].body
    assert Reminder.objects.filter(recipient=office.staff.specialist).count() == 2


def test_escalation_follows_the_default_schedule(office, dossier):
    specialist, leader, director = office.staff.specialist.pk, office.staff.leader.pk, office.director.pk
    # Wed 16/11: first working day late -> the holder and the agency's leader
    run(at(2022, 11, 16, 8))
    assert recipients(at(2022, 11, 16).date()) == {(specialist, "holder"), (leader, "leader")}
    # Thu 17/11: 2 working days late -> still not the director
    run(at(2022, 11, 17, 8))
    assert (director, "director") not in recipients(at(2022, 11, 17).date())
    # Fri 18/11: 3 working days late -> the center director too
    run(at(2022, 11, 18, 8))
    assert recipients(at(2022, 11, 18).date()) == {
        (specialist, "holder"),
        (leader, "leader"),
        (director, "director"),
    }
    director_mail = [m for m in mail.outbox if m.to == [office.director.email]]
    assert len(director_mail) == 1 and dossier.code in director_mail[0].body


def test_escalation_schedule_is_configurable(office, dossier, settings):
    settings.MOTCUA_REMINDER_ESCALATION = {"leader": 0, "director": 1}
    run(at(2022, 11, 16, 8))
    levels = {level for _user, level in recipients(at(2022, 11, 16).date())}
    assert levels == {"holder", "leader", "director"}


def test_bad_escalation_setting_is_refused(settings):
    settings.MOTCUA_REMINDER_ESCALATION = {"chairman": 2}
    with pytest.raises(ValueError):
        reminders.escalation()


def test_no_reminders_on_a_day_off(office, dossier):
    assert run(at(2022, 11, 19, 9)).working_day is False  # Saturday
    assert Reminder.objects.count() == 0 and mail.outbox == []
    assert run(at(2022, 11, 19, 9), force=True).digests == 3  # holder, leader and director


def test_paused_dossiers_are_not_urged(office, dossier):
    with time_machine.travel(at(2022, 11, 11, 9), tick=False):
        services.request_supplement(dossier, office.admin, ["Bản sao giấy khai sinh"])
    run(at(2022, 11, 18, 8))
    assert Reminder.objects.count() == 0


def test_command_runs_twice_without_sending_twice(office, dossier):
    out = StringIO()
    with time_machine.travel(at(2022, 11, 16, 8), tick=False):
        call_command("send_reminders", stdout=out)
        call_command("send_reminders", stdout=out)
    text = out.getvalue()
    assert "Đã gửi 2 bản tin" in text and "2 người đã nhận bản tin hôm nay" in text
    assert len(mail.outbox) == 2


def test_director_urges_the_holder_by_hand(office, dossier):
    with time_machine.travel(at(2022, 11, 16, 10), tick=False):
        sent = reminders.send_manual(dossier, office.director, "Đề nghị xử lý ngay trong ngày")
    assert [r.recipient for r in sent] == [office.staff.specialist]
    reminder = sent[0]
    assert (
        reminder.kind == "manual" and reminder.sent_by == office.director and reminder.due_state == "overdue"
    )
    note = Notification.objects.get(recipient=office.staff.specialist)
    assert note.dossier == dossier and "Đề nghị xử lý ngay trong ngày" in note.body
    assert "Nguyễn Văn Giám Đốc" in note.body
    assert mail.outbox[0].subject == f"Đôn đốc hồ sơ {dossier.code}"


def test_manual_reminder_twice_the_same_day_is_refused(office, dossier):
    with time_machine.travel(at(2022, 11, 16, 10), tick=False):
        reminders.send_manual(dossier, office.director)
    with time_machine.travel(at(2022, 11, 16, 14), tick=False), pytest.raises(ValidationError) as exc:
        reminders.send_manual(dossier, office.director)
    assert "lúc 10:00 hôm nay" in exc.value.messages[0]
    assert Reminder.objects.count() == 1


def test_only_supervisors_and_leaders_may_urge(office, dossier):
    with pytest.raises(PermissionDenied):
        reminders.send_manual(dossier, office.staff.specialist)
    assert Reminder.objects.count() == 0 and Notification.objects.count() == 0


def test_paused_or_closed_dossiers_cannot_be_urged(office, dossier):
    services.request_supplement(dossier, office.admin, ["Bản sao giấy khai sinh"])
    dossier.refresh_from_db()
    with pytest.raises(ValidationError, match="tạm dừng"):
        reminders.send_manual(dossier, office.director)
    services.withdraw(dossier, office.admin, "Công dân xin rút")
    dossier.refresh_from_db()
    with pytest.raises(ValidationError, match="không cần đôn đốc"):
        reminders.send_manual(dossier, office.director)
    assert Reminder.objects.count() == 0


def test_too_long_note_is_refused(office, dossier):
    with pytest.raises(ValidationError):
        reminders.send_manual(dossier, office.director, "x" * 2001)
    assert Reminder.objects.count() == 0


def test_escalation_counts_working_days_late_across_a_weekend(office):
    # Tue 08/11/2022 09:00 + 3 working days = Fri 11/11 09:00; Sat 12 and Sun 13 do not count as days late
    dossier = office.receive(at(2022, 11, 8, 9))
    assert dossier.due_at == at(2022, 11, 11, 9)
    specialist, leader, director = office.staff.specialist.pk, office.staff.leader.pk, office.director.pk
    assert run(at(2022, 11, 12, 8)).working_day is False
    assert run(at(2022, 11, 13, 8)).working_day is False
    # Mon 14/11: the first working day late
    run(at(2022, 11, 14, 8))
    assert recipients(at(2022, 11, 14).date()) == {(specialist, "holder"), (leader, "leader")}
    run(at(2022, 11, 15, 8))
    assert (director, "director") not in recipients(at(2022, 11, 15).date())
    # Wed 16/11: 3 working days late -> the center director
    run(at(2022, 11, 16, 8))
    assert (director, "director") in recipients(at(2022, 11, 16).date())


def test_escalation_waits_out_tet_and_a_second_run_the_same_day_sends_nothing(office):
    # Tue 21/01/2025 09:00 + 3 working days = Fri 24/01 09:00, just before the Tết days off (27/01–31/01)
    dossier = office.receive(at(2025, 1, 21, 9))
    assert dossier.due_at == at(2025, 1, 24, 9)
    director = office.director.pk
    assert run(at(2025, 1, 29, 8)).working_day is False  # Tết
    assert Reminder.objects.filter(day__gt=at(2025, 1, 24).date()).count() == 0
    # Mon 03/02 is the first working day late, Wed 05/02 the third
    run(at(2025, 2, 3, 8))
    assert (director, "director") not in recipients(at(2025, 2, 3).date())
    run(at(2025, 2, 4, 8))
    assert (director, "director") not in recipients(at(2025, 2, 4).date())
    sent_before = len(mail.outbox)
    morning = run(at(2025, 2, 5, 8))
    afternoon = run(at(2025, 2, 5, 14))
    assert (director, "director") in recipients(at(2025, 2, 5).date())
    assert morning.digests == 3 and afternoon.digests == 0 and afternoon.skipped_people == 3
    assert len(mail.outbox) == sent_before + 3
    assert Reminder.objects.filter(day=at(2025, 2, 5).date()).count() == 3
    assert [m.to for m in mail.outbox].count([office.director.email]) == 1


def test_a_dossier_whose_step_deadline_is_later_than_its_legal_due_is_reminded_as_overdue(office, dossier):
    from motcua.dossiers.models import Dossier

    # the step was given until 25/11, but the legal due instant was 15/11 09:00
    Dossier.objects.filter(pk=dossier.pk).update(current_step_due_at=at(2022, 11, 25, 17))
    result = run(at(2022, 11, 17, 10))
    assert result.reminders >= 1
    reminder = Reminder.objects.get(recipient=office.staff.specialist, day=at(2022, 11, 17).date())
    assert reminder.due_state == DueState.OVERDUE
    body = Notification.objects.get(recipient=office.staff.specialist).body
    line = next(text for text in body.splitlines() if dossier.code in text)
    # the labels of the screens, from the one deadline function: overdue by the legal due instant
    assert "Hạn giải quyết theo quy định 09:00 15/11/2022 (Quá hạn" in line
    assert "Hạn xử lý của bước" in line and "25/11/2022" in line
    assert "Còn" not in line.split("Hạn xử lý của bước")[0]


def test_a_manual_reminder_states_the_legal_due_instant_with_its_label(office, dossier):
    with time_machine.travel(at(2022, 11, 16, 10), tick=False):
        reminders.send_manual(dossier, office.director)
    body = Notification.objects.get(recipient=office.staff.specialist).body
    assert "Hạn giải quyết theo quy định 09:00 15/11/2022 (Quá hạn" in body
