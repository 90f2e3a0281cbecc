"""Each dossier shows its sync state; the figures count dossiers synced, pending and failed per agency and period."""

import datetime

import pytest
from django.utils import timezone

from motcua.national_portal import conf, outbox
from motcua.national_portal.models import OutboxMessage
from motcua.national_portal.reports import sync_figures

from .conftest import simulator_post
from .factories import ProcedureWithProcessFactory, received

pytestmark = pytest.mark.django_db


def drain():
    return outbox.deliver_pending(conf.get_connector(), now=timezone.now() + datetime.timedelta(hours=1))


def test_the_dossier_page_shows_its_sync_state(portal_on, procedure, superuser, client):
    dossier = received(procedure, superuser)
    client.force_login(superuser)
    page = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert "Đồng bộ Cổng DVCQG" in page and "Đang chờ gửi" in page
    drain()
    page = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert "Đã đồng bộ" in page


def test_figures_count_each_dossier_once_per_agency(portal_on, procedure, superuser):
    other = ProcedureWithProcessFactory(name="Thủ tục của cơ quan khác")
    synced = received(procedure, superuser)
    simulator_post(portal_on, "config", {"agency_codes": [synced.agency.identity_code]})
    received(other, superuser)
    drain()  # the other agency's code is refused: failed
    assert OutboxMessage.objects.filter(state=OutboxMessage.State.FAILED).count() == 1
    received(procedure, superuser)  # pending
    today = timezone.localdate()
    rows = {r["agency"]: r for r in sync_figures(today, today)}
    first = rows[synced.agency.name]
    assert (first["synced"], first["pending"], first["failed"], first["total"]) == (1, 1, 0, 2)
    second = rows[other.resolving_agency.name]
    assert (second["synced"], second["pending"], second["failed"]) == (0, 0, 1)
    assert sync_figures(today - datetime.timedelta(days=3), today - datetime.timedelta(days=1)) == []


def test_the_figures_form_refuses_a_bad_date(portal_on, superuser, client):
    client.force_login(superuser)
    page = client.get("/cong-dvcqg/", {"tu_ngay": "31/02/2026"}).content.decode()
    assert "không hợp lệ; nhập theo dạng dd/mm/yyyy" in page
