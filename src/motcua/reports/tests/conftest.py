import pytest

from motcua.catalog.tests.factories import FieldFactory
from motcua.org.tests.factories import AdminLevelFactory, AdminUnitFactory

from .factories import DistrictAgencyFactory, History, ProcedureWithProcessFactory, SuperuserFactory, at


@pytest.fixture
def actor(db):
    return SuperuserFactory()


@pytest.fixture
def november(db, actor):
    """Hand-built histories around November 2022 (3-working-day procedures; the calendar has no holiday then).

    Agency X (district) resolves procedure P1 in field "Hộ tịch"; agency Y (a commune) resolves P2 in "Đất đai".
    Every letter is one dossier; the expected report for 01/11–30/11/2022 is worked out in the test module.
    """
    district = AdminUnitFactory(code="99263", name="Huyện Thử", level=AdminLevelFactory(code="district"))
    commune = AdminUnitFactory(
        code="99454", name="Xã Thử", kind="commune", parent=district, level=AdminLevelFactory(code="commune")
    )
    x = DistrictAgencyFactory(name="Phòng X", unit=district)
    y = DistrictAgencyFactory(name="Ủy ban nhân dân xã Y", unit=commune)
    p1 = ProcedureWithProcessFactory(resolving_agency=x, field=FieldFactory(name="Hộ tịch", code="ho-tich-t"))
    p2 = ProcedureWithProcessFactory(resolving_agency=y, field=FieldFactory(name="Đất đai", code="dat-dai-t"))
    h = {}
    # A: carried over (received Fri 28/10 09:00, due Wed 02/11 09:00), resolved early on Tue 01/11.
    h["A"] = (
        History(p1, actor, at(2022, 10, 28, 9)).resolve(at(2022, 11, 1, 10)).return_result(at(2022, 11, 2, 8))
    )
    # B: carried over (received Mon 31/10 10:00, due Thu 03/11 10:00); supplement requested Tue 01/11 10:00 and
    # supplied Mon 07/11 10:00 (32 working hours paused): due moves to Wed 09/11 10:00; resolved that day.
    h["B"] = (
        History(p1, actor, at(2022, 10, 31, 10))
        .request_supplement(at(2022, 11, 1, 10))
        .supplement(at(2022, 11, 7, 10))
        .resolve(at(2022, 11, 9, 9, 30))
    )
    # C: received Tue 01/11 09:00, due Fri 04/11 09:00; apology on Wed 02/11 moves the appointment to
    # Fri 11/11, but the statistics keep the legal due date: resolved Mon 07/11 is late.
    h["C"] = (
        History(p1, actor, at(2022, 11, 1, 9))
        .apologize(at(2022, 11, 2, 9), at(2022, 11, 11, 16))
        .resolve(at(2022, 11, 7, 15))
    )
    # D: received Wed 02/11 14:00, due Mon 07/11 14:00; resolved Mon 07/11 16:00 (after the hour, same date):
    # on time.
    h["D"] = History(p1, actor, at(2022, 11, 2, 14)).resolve(at(2022, 11, 7, 16))
    # E: withdrawn Thu 03/11. F: refused Fri 04/11.
    h["E"] = History(p1, actor, at(2022, 11, 2, 9)).withdraw(at(2022, 11, 3, 9))
    h["F"] = History(p1, actor, at(2022, 11, 3, 9)).refuse(at(2022, 11, 4, 9))
    # G: online, received Mon 14/11 09:00, due Thu 17/11 09:00, still open at 30/11: overdue.
    h["G"] = History(p2, actor, at(2022, 11, 14, 9), channel="online")
    # H: by post, received Mon 28/11 09:00, due Thu 01/12: in progress within deadline.
    h["H"] = History(p2, actor, at(2022, 11, 28, 9), channel="postal")
    # I: received Tue 29/11, supplement requested Wed 30/11: paused at the end of the period.
    h["I"] = History(p2, actor, at(2022, 11, 29, 9)).request_supplement(at(2022, 11, 30, 10))
    # J: received and resolved in October: not in November's report.
    h["J"] = History(p2, actor, at(2022, 10, 24, 9)).resolve(at(2022, 10, 25, 9))
    # K: received in December: not in November's report.
    h["K"] = History(p2, actor, at(2022, 12, 1, 9))
    # L: received Fri 25/11 09:00, due Wed 30/11 09:00, resolved Thu 01/12: at the end of 30/11 it was in
    # progress and (due date 30/11 >= 30/11) within deadline.
    h["L"] = History(p2, actor, at(2022, 11, 25, 9)).resolve(at(2022, 12, 1, 9))
    return {"x": x, "y": y, "p1": p1, "p2": p2, "district": district, "commune": commune, "h": h}


@pytest.fixture
def payment_sandbox(settings):
    """The sandbox payment platform on a free local port, configured as motcua's "sandbox" gateway."""
    from motcua.integrations.payment.sandbox_server import SandboxServer

    server = SandboxServer(port=0).start()
    settings.MOTCUA_PAYMENT_GATEWAYS = {
        "sandbox": {"plugin": "sandbox", "base_url": server.url, "timeout": 5}
    }
    settings.MOTCUA_PAYMENT_GATEWAY = "sandbox"
    yield server
    server.stop()
