"""Biểu 06 over hand-built histories: every column against numbers worked out by hand (see conftest)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from motcua.reports import facts
from motcua.reports.models import DossierFact
from motcua.reports.resolution import percent, resolution_report
from motcua.workdays.services import get_calendar

from .factories import at

pytestmark = pytest.mark.django_db
NOV = (datetime.date(2022, 11, 1), datetime.date(2022, 11, 30))


def test_history_preconditions_hold(november):
    h = november["h"]
    # The pause moved the legal due instant by exactly the paused working time; the apology did not.
    assert get_calendar().working_time_between(
        at(2022, 11, 1, 10), at(2022, 11, 7, 10)
    ) == datetime.timedelta(hours=32)
    assert h["B"].dossier.due_at == at(2022, 11, 9, 10)
    assert h["C"].dossier.due_at == at(2022, 11, 4, 9)
    assert h["C"].dossier.appointment_at == at(2022, 11, 11, 16)
    assert h["D"].dossier.due_at == at(2022, 11, 7, 14)
    assert h["L"].dossier.due_at == at(2022, 11, 30, 9)


def test_total_of_november_matches_the_hand_count(november):
    report = resolution_report(*NOV, group_by="agency").as_dict()
    assert report["from"] == "2022-11-01" and report["to"] == "2022-11-30"
    total = report["total"]
    assert total["received"] == {"total": 10, "carried_over": 2, "new": 8, "online": 1, "direct_postal": 7}
    assert total["resolved"] == {"total": 4, "early": 1, "on_time": 2, "late": 1}
    # I (paused for a supplement, clock stopped before its due date) is in progress, within deadline.
    assert total["in_progress"] == {"total": 4, "within_deadline": 3, "overdue": 1, "paused": 1}
    assert total["supplement_requested"] == 2
    assert total["refused"] == 1
    assert total["withdrawn"] == 1
    assert total["paused"] == 1
    assert total["rates"] == {
        "on_time_of_resolved": 75.0,
        "on_time_of_received": 30.0,
        "supplement_of_received": 20.0,
        "returned_of_received": 20.0,
    }


def test_every_column_by_agency(november):
    rows = {r["label"]: r for r in resolution_report(*NOV, group_by="agency").as_dict()["rows"]}
    assert list(rows) == ["Phòng X", "Ủy ban nhân dân xã Y"]
    x, y = rows["Phòng X"], rows["Ủy ban nhân dân xã Y"]
    assert x["key"] == november["x"].identity_code
    # X: A (carried, early), B (carried, supplement, on time), C (late), D (on time), E (withdrawn), F (refused).
    assert x["received"] == {"total": 6, "carried_over": 2, "new": 4, "online": 0, "direct_postal": 4}
    assert x["resolved"] == {"total": 4, "early": 1, "on_time": 2, "late": 1}
    assert x["in_progress"] == {"total": 0, "within_deadline": 0, "overdue": 0, "paused": 0}
    assert (x["supplement_requested"], x["refused"], x["withdrawn"], x["paused"]) == (1, 1, 1, 0)
    # Y: G (online, overdue), H (postal, within), I (paused), L (within at 30/11, resolved in December).
    assert y["received"] == {"total": 4, "carried_over": 0, "new": 4, "online": 1, "direct_postal": 3}
    assert y["resolved"] == {"total": 0, "early": 0, "on_time": 0, "late": 0}
    assert y["in_progress"] == {"total": 4, "within_deadline": 3, "overdue": 1, "paused": 1}
    assert (y["supplement_requested"], y["refused"], y["withdrawn"], y["paused"]) == (1, 0, 0, 1)
    assert y["rates"]["on_time_of_resolved"] is None


def test_rows_by_field_procedure_unit_and_level(november):
    for group_by, expected_keys in [
        ("field", {"ho-tich-t": 6, "dat-dai-t": 4}),
        ("procedure", {november["p1"].code: 6, november["p2"].code: 4}),
        ("unit", {"99263": 6, "99454": 4}),
        ("level", {"district": 6, "commune": 4}),
    ]:
        rows = resolution_report(*NOV, group_by=group_by).as_dict()["rows"]
        assert {r["key"]: r["received"]["total"] for r in rows} == expected_keys, group_by


def test_unit_filter_takes_the_unit_and_the_units_below_it(november):
    commune_only = resolution_report(*NOV, unit="99454").as_dict()
    assert commune_only["total"]["received"]["total"] == 4
    district_and_below = resolution_report(*NOV, unit="99263").as_dict()
    assert district_and_below["total"]["received"]["total"] == 10


def test_the_state_at_the_end_of_a_past_period_comes_from_the_history(november):
    # October: J resolved early; A and B were open at the end of 31/10 (within deadline), although both are
    # resolved now, and B's supplement (in November) had not yet happened.
    report = resolution_report(datetime.date(2022, 10, 1), datetime.date(2022, 10, 31)).as_dict()["total"]
    assert report["received"] == {"total": 3, "carried_over": 0, "new": 3, "online": 0, "direct_postal": 3}
    assert report["resolved"] == {"total": 1, "early": 1, "on_time": 0, "late": 0}
    assert report["in_progress"] == {"total": 2, "within_deadline": 2, "overdue": 0, "paused": 0}
    assert report["supplement_requested"] == 0


def test_december_carries_over_what_november_left_open(november):
    report = resolution_report(datetime.date(2022, 12, 1), datetime.date(2022, 12, 31)).as_dict()["total"]
    # G, H, I, L were open at the end of November; K is new.
    assert report["received"]["carried_over"] == 4
    assert report["received"]["new"] == 1
    # L resolved on Thu 01/12 against a due date of Wed 30/11: late.
    assert report["resolved"] == {"total": 1, "early": 0, "on_time": 0, "late": 1}


def test_a_period_of_one_day(november):
    # On 07/11: C (late) and D (on time) resolved; B resumed (not ended).
    report = resolution_report(datetime.date(2022, 11, 7), datetime.date(2022, 11, 7)).as_dict()["total"]
    assert report["resolved"] == {"total": 2, "early": 0, "on_time": 1, "late": 1}
    # Open at the end of 07/11: only B (resumed that day, due 09/11).
    assert report["in_progress"] == {"total": 1, "within_deadline": 1, "overdue": 0, "paused": 0}


@pytest.mark.parametrize("group_by", ["agency", "field", "procedure", "unit", "level"])
def test_the_report_balances(november, group_by):
    for row in resolution_report(*NOV, group_by=group_by).as_dict()["rows"]:
        assert row["received"]["total"] == (
            row["resolved"]["total"] + row["refused"] + row["withdrawn"] + row["in_progress"]["total"]
        )


def test_scope_limits_the_rows(november):
    report = resolution_report(*NOV, agency_ids=[november["y"].pk]).as_dict()
    assert [r["label"] for r in report["rows"]] == ["Ủy ban nhân dân xã Y"]
    assert report["total"]["received"]["total"] == 4


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"date_from": "2022-11-30", "date_to": "2022-11-01"}, "to"),
        ({"date_from": "2022-13-01", "date_to": "2022-11-01"}, "from"),
        ({"date_from": "", "date_to": "2022-11-01"}, "from"),
        ({"date_from": "2022-11-01", "date_to": "2022-11-30", "group_by": "color"}, "group_by"),
        ({"date_from": "2022-11-01", "date_to": "2022-11-30", "unit": "00000"}, "unit"),
    ],
)
def test_bad_input_is_refused_with_a_vietnamese_message(db, kwargs, field):
    date_from, date_to = kwargs.pop("date_from"), kwargs.pop("date_to")
    with pytest.raises(ValidationError) as caught:
        resolution_report(date_from, date_to, **kwargs)
    assert field in caught.value.message_dict
    assert DossierFact.objects.count() == 0


def test_rates_round_half_up_with_decimals():
    assert percent(20275, 21037) == percent(96378, 100000)
    assert str(percent(20275, 21037)) == "96.4"
    assert str(percent(1, 8)) == "12.5"  # 12.5 exactly
    assert str(percent(1, 16)) == "6.3"  # 6.25 -> 6.3 (half-up, where round() on floats gives 6.2)
    assert percent(1, 0) is None


def test_facts_follow_the_dossier_after_each_committed_change(db, actor, django_capture_on_commit_callbacks):
    from motcua.dossiers import services

    from .factories import ApplicantFactory, ProcedureWithProcessFactory

    procedure = ProcedureWithProcessFactory()
    with django_capture_on_commit_callbacks(execute=True):
        dossier = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=actor)
    assert DossierFact.objects.get(pk=dossier.pk).ending == ""
    with django_capture_on_commit_callbacks(execute=True):
        dossier = services.withdraw(dossier, actor, "Công dân xin rút")
    fact = DossierFact.objects.get(pk=dossier.pk)
    assert fact.ending == "withdrawn"
    # Received and withdrawn on the same day: it was never open at the end of a day.
    assert fact.spells.count() == 0
    assert fact.ended_on == fact.received_on


def test_rebuild_all_gives_the_same_report(november):
    before = resolution_report(*NOV, group_by="procedure").as_dict()
    assert facts.rebuild_all() == 12  # every received dossier, A to L
    assert resolution_report(*NOV, group_by="procedure").as_dict() == before


def test_rebuild_command(november):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("rebuild_report_facts", stdout=out)
    assert "Đã tính lại 12 hồ sơ" in out.getvalue()
    assert DossierFact.objects.count() == 12
