"""The demo loader puts dossiers in every inbox of the demo roles."""

import pytest

from motcua.dossiers import demo, queries
from motcua.dossiers.models import Dossier

pytestmark = pytest.mark.django_db


def test_demo_dossiers_cover_the_lifecycle_and_reach_each_roles_inbox():
    from django.contrib.auth import get_user_model

    from motcua.catalog import demo as catalog_demo
    from motcua.org import demo as org_demo

    org_demo.load()
    catalog_demo.load()
    demo.load()
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
