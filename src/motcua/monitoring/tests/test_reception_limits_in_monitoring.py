"""Online submissions not checked in time and dossiers past their supplement limit appear on the dashboard."""

import time_machine

from motcua.dossiers import services
from motcua.dossiers.tests.factories import ApplicantFactory
from motcua.monitoring import dashboard

from .factories import Office, at


def test_overdue_checks_and_supplements_appear_on_the_dashboard(client, db, settings):
    settings.MOTCUA_SUPPLEMENT_LIMIT_WORKING_DAYS = 2
    office = Office()
    with time_machine.travel(at(2022, 11, 7, 9), tick=False):
        late_check = services.submit_online(procedure=office.procedure, applicant=ApplicantFactory())
        waiting = services.intake(
            procedure=office.procedure, applicant=ApplicantFactory(), actor=office.staff.officer
        )
        waiting = services.request_supplement(waiting, office.staff.officer, ["Bản sao CCCD"])
    with time_machine.travel(at(2022, 11, 9, 8), tick=False):
        fresh_check = services.submit_online(procedure=office.procedure, applicant=ApplicantFactory())
    with time_machine.travel(at(2022, 11, 9, 10), tick=False):
        limits = dashboard.reception_limits(office.director)
        client.force_login(office.director)
        html = client.get("/theo-doi/").content.decode()
    assert [i.dossier.code for i in limits.online_checks] == [late_check.code]  # the fresh one still has time
    assert [i.dossier.code for i in limits.supplements] == [waiting.code]
    assert "Hồ sơ trực tuyến quá hạn kiểm tra" in html
    assert f'<tr data-kind="online_check"><td><a href="/ho-so/{late_check.code}/">' in html
    assert f'<tr data-kind="supplement"><td><a href="/ho-so/{waiting.code}/">' in html
    assert fresh_check.code not in html


def test_dossiers_outside_the_supervisors_scope_are_not_listed(db):
    office, other = Office(), Office()
    with time_machine.travel(at(2022, 11, 7, 9), tick=False):
        services.submit_online(procedure=other.procedure, applicant=ApplicantFactory())
    with time_machine.travel(at(2022, 11, 9, 10), tick=False):
        limits = dashboard.reception_limits(office.director)
    assert limits.online_checks == [] and limits.supplements == []
