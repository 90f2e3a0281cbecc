"""The demo loader puts dossiers in every inbox of the demo roles, at whatever hour `make run` starts."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model

from motcua.catalog import demo as catalog_demo
from motcua.dossiers import demo, queries
from motcua.dossiers.models import Dossier
from motcua.monitoring.due import due_status
from motcua.monitoring.models import DueState
from motcua.org import demo as org_demo
from motcua.workdays.core import TIMEZONE

pytestmark = pytest.mark.django_db


def load_all():
    org_demo.load()
    catalog_demo.load()
    demo.load()


def test_demo_dossiers_cover_the_lifecycle_and_reach_each_roles_inbox():
    load_all()
    statuses = set(Dossier.objects.values_list("status", flat=True))
    assert {2, 3, 4, 5, 7, 9, 10} <= statuses
    users = {u.username: u for u in get_user_model().objects.all()}
    for username in ("tiepnhan", "chuyenvien.tp", "lanhdao.tp", "vanthu"):
        assert queries.inbox(users[username], "mine").exists(), username
    assert queries.inbox(users["tiepnhan"], "overdue").exists()
    assert all(code.startswith("000.20.99.H06-") for code in Dossier.objects.values_list("code", flat=True))
    count = Dossier.objects.count()
    demo.load()
    assert Dossier.objects.count() == count


@pytest.mark.parametrize(
    "started",
    [
        datetime.datetime(2026, 12, 4, 2, 0),  # Friday 02:00, before the office opens
        datetime.datetime(2026, 12, 6, 10, 0),  # a Sunday
        datetime.datetime(2026, 2, 13, 16, 59),  # the last minute of work before Tết 2026
        datetime.datetime(2026, 12, 31, 23, 30),  # New Year's Eve, the next day a holiday
    ],
    ids=["night", "sunday", "tet-eve", "new-year-eve"],
)
def test_at_any_hour_the_demo_has_dossiers_on_track_near_due_and_overdue(started):
    with time_machine.travel(started.replace(tzinfo=TIMEZONE), tick=False):
        load_all()
        states = {
            status.state
            for dossier in Dossier.objects.filter(applicant__name__endswith=demo.DEMO_MARK)
            if (status := due_status(dossier)) is not None
        }
    assert DueState.ON_TRACK in states
    assert states & {DueState.NEAR_DUE, DueState.DUE_TODAY}
    assert states & {DueState.OVERDUE, DueState.BADLY_OVERDUE}
