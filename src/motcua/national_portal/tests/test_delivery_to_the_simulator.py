"""The worker delivers the outbox to the simulator over real HTTP: insert then update, history in order."""

import datetime

import pytest
from django.utils import timezone

from motcua.dossiers import services
from motcua.national_portal import conf, outbox
from motcua.national_portal.models import DossierSync, OutboxMessage

from .conftest import portal_settings, simulator_post, simulator_state
from .factories import advanced_to_the_end, received

pytestmark = pytest.mark.django_db


def later(seconds=3600):
    return timezone.now() + datetime.timedelta(seconds=seconds)


def drain(now=None):
    return outbox.deliver_pending(conf.get_connector(), now=now or later())


@pytest.mark.parametrize("transport", ["direct", "proxy"])
def test_a_dossier_and_every_history_step_arrive_in_order(
    settings, portal_on, procedure, superuser, transport
):
    settings.NATIONAL_PORTAL = portal_settings(portal_on.url, transport)
    dossier = received(procedure, superuser)
    report = drain()
    assert report.delivered == 1
    state = simulator_state(portal_on)
    assert state["dossiers"][dossier.code]["TrangThaiHoSo"] == "2"
    assert state["dossiers"][dossier.code]["_inserts"] == 1

    dossier = advanced_to_the_end(dossier, superuser)
    drain()
    state = simulator_state(portal_on)
    stored = state["dossiers"][dossier.code]
    assert stored["TrangThaiHoSo"] == "10" and stored["_inserts"] == 1 and stored["_updates"] >= 1
    events = list(dossier.events.order_by("id"))
    entries = [e for e in state["progress"] if e["MaHoSo"] == dossier.code]
    assert [e["TrangThai"] for e in entries] == [str(e.to_status) for e in events]
    assert stored["_end_of_processing"] and stored["_on_time"] is True
    assert {m.state for m in OutboxMessage.objects.all()} == {OutboxMessage.State.SENT}
    assert DossierSync.objects.get(dossier=dossier).inserted
    requests = {r["transport"] for r in state["requests"]}
    assert requests == {transport}


def test_an_insert_answered_already_exists_becomes_an_update(portal_on, procedure, superuser):
    dossier = received(procedure, superuser)
    drain()
    DossierSync.objects.filter(dossier=dossier).update(inserted=False, last_pushed_at=None)
    services.advance(dossier, superuser)
    drain()
    stored = simulator_state(portal_on)["dossiers"][dossier.code]
    assert stored["_inserts"] == 1 and stored["_updates"] == 1
    assert stored["TrangThaiHoSo"] == "4"


@pytest.mark.parametrize("kind", ["code00", "code_int", "plain_text"])
def test_every_way_the_portal_says_success_is_understood(portal_on, procedure, superuser, kind):
    simulator_post(portal_on, "faults", {"faults": [{"operation": "*", "kind": kind, "count": 5}]})
    dossier = received(procedure, superuser)
    report = drain()
    assert report.delivered == 1 and report.failed == 0
    assert dossier.code in simulator_state(portal_on)["dossiers"]


def test_an_expired_session_is_renewed_once(portal_on, procedure, superuser):
    received(procedure, superuser)
    drain()
    simulator_post(portal_on, "config", {"expire_sessions": True})
    dossier = received(procedure, superuser)
    assert drain().delivered == 1
    assert dossier.code in simulator_state(portal_on)["dossiers"]


def test_a_refusal_is_listed_with_the_portals_reply_and_can_be_sent_again(
    portal_on, procedure, superuser, client
):
    simulator_post(portal_on, "config", {"agency_codes": ["000.99.99.H06"]})
    dossier = received(procedure, superuser)
    report = drain()
    assert report.failed == 1
    message = OutboxMessage.objects.get()
    assert message.state == OutboxMessage.State.FAILED
    assert "MaHoSo" in message.last_reply and "-1" in message.last_error

    # Later messages of the same dossier wait behind the failed one (order per dossier).
    services.advance(dossier, superuser)
    drain()
    assert OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING).count() == 1
    assert simulator_state(portal_on)["progress"] == []

    client.force_login(superuser)
    page = client.get("/cong-dvcqg/")
    assert "Gửi lại" in page.content.decode() and "phải bắt đầu bằng mã định danh" in page.content.decode()

    simulator_post(portal_on, "config", {"agency_codes": [dossier.agency.identity_code]})
    response = client.post(f"/cong-dvcqg/gui-lai/{message.pk}/")
    assert response.status_code == 302
    drain()
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {OutboxMessage.State.SENT}
    assert len(simulator_state(portal_on)["progress"]) == 2


def test_only_failed_messages_can_be_sent_again(portal_on, procedure, superuser, client):
    received(procedure, superuser)
    message = OutboxMessage.objects.get()
    client.force_login(superuser)
    client.post(f"/cong-dvcqg/gui-lai/{message.pk}/", follow=True)
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.PENDING and message.attempts == 0
    page = client.post(f"/cong-dvcqg/gui-lai/{message.pk}/", follow=True).content.decode()
    assert "Chỉ gửi lại được bản tin đang ở trạng thái gửi không thành công" in page


def test_staff_without_a_managing_role_can_neither_see_nor_resend_the_queue(
    portal_on, procedure, superuser, client
):
    from motcua.accounts.tests.factories import UserFactory

    dossier = received(procedure, superuser)
    OutboxMessage.objects.update(state=OutboxMessage.State.FAILED, attempts=3)
    message = OutboxMessage.objects.get()
    client.force_login(superuser)
    assert dossier.code in client.get("/cong-dvcqg/").content.decode()  # what a manager sees

    client.force_login(UserFactory(username="nguoi.khac"))
    page = client.get("/cong-dvcqg/")
    resending = client.post(f"/cong-dvcqg/gui-lai/{message.pk}/")
    assert page.status_code == resending.status_code == 403
    assert dossier.code not in page.content.decode()
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.FAILED and message.attempts == 3


def test_a_dossier_refused_at_the_counter_is_sent_without_a_reception_date(portal_on, procedure, superuser):
    from .factories import ApplicantFactory

    dossier = services.refuse_at_intake(
        procedure=procedure, applicant=ApplicantFactory(), actor=superuser, reason="Không thuộc thẩm quyền"
    )
    assert drain().delivered == 1
    stored = simulator_state(portal_on)["dossiers"][dossier.code]
    assert stored["TrangThaiHoSo"] == "3" and stored["NgayTiepNhan"] == "" and stored["NgayTuChoi"]


def test_a_step_taken_while_the_dossier_is_pushed_is_pushed_after_it(
    portal_on, procedure, superuser, monkeypatch
):
    """The push records the newest event it carries from the same read as the state it sends: a step committed
    by an officer just after the delivery read the dossier is not counted as already at the portal."""
    dossier = received(procedure, superuser)
    read = outbox._dossier_read

    def read_while_an_officer_acts(dossier_id):
        rows = read(dossier_id)
        monkeypatch.setattr(outbox, "_dossier_read", read)
        services.advance(dossier, superuser, note="Chuyển xử lý")  # committed meanwhile
        return rows

    monkeypatch.setattr(outbox, "_dossier_read", read_while_an_officer_acts)
    drain()
    drain()
    dossier.refresh_from_db()
    assert dossier.status != 2
    stored = simulator_state(portal_on)["dossiers"][dossier.code]
    assert stored["TrangThaiHoSo"] == str(dossier.status)
    assert stored["_updates"] == 1
    assert {m.state for m in OutboxMessage.objects.all()} == {OutboxMessage.State.SENT}
