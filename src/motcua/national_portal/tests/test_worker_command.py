"""The worker command delivers the outbox in one pass (--once) and refuses a wrong configuration clearly."""

import io

import pytest
from django.core.management import CommandError, call_command

from motcua.national_portal.models import OutboxMessage

from .conftest import simulator_state
from .factories import received

pytestmark = pytest.mark.django_db


def test_one_pass_delivers_what_is_due(portal_on, procedure, superuser):
    dossier = received(procedure, superuser)
    out = io.StringIO()
    # one thread: this test's dossier is not committed, so only this connection sees it (the threaded worker is
    # tested in test_parallel_delivery)
    call_command("portal_outbox_worker", "--once", "--threads", "1", stdout=out)
    assert "Đã gửi 1" in out.getvalue()
    assert OutboxMessage.objects.get().state == OutboxMessage.State.SENT
    assert dossier.code in simulator_state(portal_on)["dossiers"]


def test_a_wrong_configuration_is_reported_in_vietnamese(settings, portal_on, procedure, superuser):
    settings.NATIONAL_PORTAL = {"url": portal_on.url, "transport": "direct"}
    received(procedure, superuser)
    with pytest.raises(CommandError, match="Thiếu cấu hình bắt buộc"):
        call_command("portal_outbox_worker", "--once", stdout=io.StringIO())
    assert OutboxMessage.objects.get().state == OutboxMessage.State.PENDING


def test_the_worker_does_nothing_when_the_connector_is_off(settings, db):
    settings.NATIONAL_PORTAL = {"url": ""}
    out = io.StringIO()
    call_command("portal_outbox_worker", "--once", stdout=out)
    assert "đang tắt" in out.getvalue()
