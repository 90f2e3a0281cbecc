"""Run in a separate process against a file-based SQLite database (the embedded mode of `make run`).

Prints one JSON line: the codes of 20 parallel intakes and the outcomes of two officers advancing one dossier
at the same moment. Used by test_concurrency.py; the test process itself runs on an in-memory database that
threads cannot share.
"""

import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.test_settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

call_command("migrate", verbosity=0)

from motcua.accounts.tests.factories import UserFactory  # noqa: E402
from motcua.dossiers import services  # noqa: E402
from motcua.dossiers.exceptions import ActionForbidden, TransitionNotAllowed  # noqa: E402
from motcua.dossiers.tests.factories import ApplicantFactory, ProcedureWithProcessFactory, grant  # noqa: E402

procedure = ProcedureWithProcessFactory()
officers = [UserFactory(), UserFactory()]
for officer in officers:
    grant(officer, "reception_officer", procedure.resolving_agency)
applicants = [ApplicantFactory() for _ in range(20)]
connection.close()

barrier = threading.Barrier(20)


def intake(i):
    try:
        barrier.wait()
        return services.intake(procedure=procedure, applicant=applicants[i], actor=officers[i % 2]).code
    except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on it
        return f"ERROR {type(exc).__name__}: {exc}"
    finally:
        connection.close()


with ThreadPoolExecutor(20) as pool:
    codes = list(pool.map(intake, range(20)))

dossier = services.intake(procedure=procedure, applicant=applicants[0], actor=officers[0])
step = dossier.current_step_id
connection.close()
pair = threading.Barrier(2)


def advance(officer):
    try:
        pair.wait()
        services.advance(dossier, officer, expected_step_id=step)
        return "ok"
    except (TransitionNotAllowed, ActionForbidden) as exc:
        return f"refused: {exc}"
    except Exception as exc:  # noqa: BLE001
        return f"ERROR {type(exc).__name__}: {exc}"
    finally:
        connection.close()


with ThreadPoolExecutor(2) as pool:
    outcomes = list(pool.map(advance, officers))
events = dossier.events.count()
print(json.dumps({"codes": codes, "outcomes": outcomes, "events": events}, ensure_ascii=False))
