"""Concurrent intake gives unique, gap-free codes; of two officers acting at once exactly one succeeds."""

import json
import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection

from motcua.accounts.tests.factories import UserFactory
from motcua.dossiers import services
from motcua.dossiers.exceptions import ActionForbidden, TransitionNotAllowed

from .factories import ApplicantFactory, ProcedureWithProcessFactory, grant

SCRIPT = Path(__file__).with_name("concurrent_sqlite_script.py")


def _require_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("Only meaningful on PostgreSQL (CI runs the suite there too).")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_50_parallel_intakes_for_one_agency_get_50_distinct_consecutive_codes():
    _require_postgresql()
    procedure = ProcedureWithProcessFactory()
    officer = UserFactory()
    grant(officer, "reception_officer", procedure.resolving_agency)
    applicants = [ApplicantFactory() for _ in range(50)]
    barrier = threading.Barrier(50)

    def intake(i):
        try:
            barrier.wait()
            return services.intake(procedure=procedure, applicant=applicants[i], actor=officer).code
        finally:
            connection.close()

    with ThreadPoolExecutor(50) as pool:
        codes = list(pool.map(intake, range(50)))
    assert len(set(codes)) == 50
    prefixes = {code.rsplit("-", 1)[0] for code in codes}
    assert len(prefixes) == 1
    assert sorted(int(code.rsplit("-", 1)[1]) for code in codes) == list(range(1, 51))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_advancing_one_dossier_at_once_exactly_one_succeeds():
    _require_postgresql()
    procedure = ProcedureWithProcessFactory()
    officers = [UserFactory(), UserFactory()]
    for officer in officers:
        grant(officer, "reception_officer", procedure.resolving_agency)
    dossier = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=officers[0])
    step = dossier.current_step_id
    barrier = threading.Barrier(2)

    def advance(officer):
        try:
            barrier.wait()
            services.advance(dossier, officer, expected_step_id=step)
            return "ok"
        except (TransitionNotAllowed, ActionForbidden):
            return "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(advance, officers))
    assert outcomes == ["ok", "refused"]
    assert dossier.events.count() == 2


@pytest.mark.django_db
def test_on_embedded_sqlite_20_parallel_intakes_all_succeed_and_one_of_two_officers_wins(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'motcua.sqlite3'}",
        "MOTCUA_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "motcua.test_settings",
    }
    result = subprocess.run(
        [sys.executable, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    codes = report["codes"]
    assert not [c for c in codes if c.startswith("ERROR")], codes
    assert sorted(int(c.rsplit("-", 1)[1]) for c in codes) == list(range(1, 21))
    assert sorted(o.split(":")[0] for o in report["outcomes"]) == ["ok", "refused"]
    assert report["events"] == 2
