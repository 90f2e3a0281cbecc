"""Serving: the application server's command, the database connections it uses, and the lean public reads
(the health check, the search pages kept in the reference cache, the status lookup's prepared queries)."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua import gunicorn_conf, refcache
from motcua.catalog.tests.factories import AgencyFactory, FieldFactory, ProcedureFactory
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.tests.factories import ApplicantFactory, ProcedureWithProcessFactory, StaffSet
from motcua.prepared import PreparedValues

BIN = Path(sys.executable).parent


def settings_databases(**env_overrides) -> dict:
    """DATABASES as the production settings build them from this environment (in a fresh process)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_DB_", "DJANGO_SETTINGS"))}
    env.pop("DATABASE_URL", None)
    env.update({"SECRET_KEY": "x", **env_overrides})
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, motcua.settings as s; print(json.dumps(s.DATABASES, default=str))",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])["default"]


def test_postgresql_connections_come_from_a_pool_of_the_servers_threads_per_process():
    default = settings_databases(DATABASE_URL="postgres://u@db.example:5432/motcua", MOTCUA_WEB_THREADS="3")
    assert default["CONN_MAX_AGE"] == 0
    assert default["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 3, "timeout": 10.0}

    sized = settings_databases(
        DATABASE_URL="postgres://u@db.example:5432/motcua",
        MOTCUA_DB_POOL_MAX_SIZE="8",
        MOTCUA_DB_POOL_MIN_SIZE="2",
        MOTCUA_DB_POOL_TIMEOUT="5",
    )
    assert sized["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 8, "timeout": 5.0}


def test_pooled_postgresql_connections_prepare_the_hot_reads_after_two_executions():
    default = settings_databases(DATABASE_URL="postgres://u@db.example:5432/motcua")
    assert default["OPTIONS"]["prepare_threshold"] == 2
    assert "server_side_binding" not in default["OPTIONS"]  # every other query keeps client-side binding


def test_without_the_pool_postgresql_connections_are_kept_for_a_minute():
    default = settings_databases(
        DATABASE_URL="postgres://u@db.example:5432/motcua", MOTCUA_DB_POOL_MAX_SIZE="0"
    )
    assert "pool" not in default.get("OPTIONS", {})
    assert default["CONN_MAX_AGE"] == 60
    # behind a pooler that does not carry prepared statements, nothing is prepared
    assert "prepare_threshold" not in default.get("OPTIONS", {})


def test_embedded_sqlite_keeps_its_connections_and_has_no_pool(tmp_path):
    default = settings_databases(MOTCUA_DATA_DIR=str(tmp_path))
    assert default["ENGINE"] == "django.db.backends.sqlite3"
    assert default["CONN_MAX_AGE"] == 60
    assert "pool" not in default["OPTIONS"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except OSError:
                continue
    return found


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="counts the server's processes through /proc")
def test_the_serving_command_answers_from_several_worker_processes(tmp_path):
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}},
        # A production process: the safety checks at start want real-looking secrets and a public address.
        "SECRET_KEY": "serving-test-" + "k" * 40,
        "MOTCUA_SIGNING_PASSPHRASE": "serving-test-passphrase",
        "MOTCUA_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "MOTCUA_DATA_DIR": str(tmp_path),
        "MOTCUA_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "python:motcua.gunicorn_conf", "motcua.wsgi"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        body = None
        while body is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                    body = (response.status, json.loads(response.read()))
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                time.sleep(0.3)
        assert body == (200, {"status": "ok"})
        assert len(_children(server.pid)) == 2
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize(("cores", "workers"), [(1, 2), (2, 2), (4, 4), (6, 6), (32, 8)])
def test_the_server_starts_one_worker_per_core_by_default_at_least_two_at_most_eight(cores, workers):
    # More processes than cores only contend for them with PostgreSQL and the workers (docs/PERFORMANCE.md).
    assert gunicorn_conf.default_workers(cores) == workers


@pytest.mark.django_db
def test_the_health_check_answers_a_constant_json_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.fixture
def cached_references(settings):
    settings.MOTCUA_REFERENCE_CACHE_SECONDS = 60.0
    refcache.clear_all()
    yield
    refcache.clear_all()


@pytest.mark.django_db
def test_a_repeated_search_is_answered_from_the_cache_until_a_procedure_changes(client, cached_references):
    justice = AgencyFactory(short_name="TP", name="Phòng Tư pháp")
    field = FieldFactory(code="ho-tich", name="Hộ tịch")
    ProcedureFactory(code="1.001193", name="Đăng ký khai sinh", field=field, resolving_agency=justice)

    first = client.get("/api/v1/procedures", {"q": "khai sinh"}).json()
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/api/v1/procedures", {"q": "khai sinh"}).json()
    assert again == first
    assert first["count"] == 1
    assert len(queries) == 0

    # a new procedure saved here clears the cache: the next search sees it
    ProcedureFactory(code="1.004884", name="Đăng ký lại khai sinh", field=field, resolving_agency=justice)
    after = client.get("/api/v1/procedures", {"q": "khai sinh"}).json()
    assert after["count"] == 2
    # other filters and pages are other entries, never an answer to another question
    assert client.get("/api/v1/procedures", {"q": "khai sinh", "page_size": 1}).json()["page_size"] == 1
    assert client.get("/api/v1/procedures", {"q": "ket hon"}).json()["count"] == 0


@pytest.mark.django_db
def test_a_bad_search_is_refused_again_and_never_cached(client, cached_references):
    for _ in range(2):
        response = client.get("/api/v1/procedures", {"q": "x" * 201})
        assert response.status_code == 400
        assert response.json()["error"]["fields"]["q"]


@pytest.mark.django_db
def test_the_public_status_of_successive_dossiers_matches_their_history(monday_morning):
    procedure = ProcedureWithProcessFactory()
    staff = StaffSet(procedure)
    first = dossier_services.intake(
        procedure=procedure, applicant=ApplicantFactory(phone="0912345678"), actor=staff.officer
    )
    first = dossier_services.advance(first, staff.for_role(first.current_step.role))
    second = dossier_services.intake(
        procedure=procedure,
        applicant=ApplicantFactory(phone="0987654321", id_number="027190000999"),
        actor=staff.officer,
    )
    # the same prepared statements serve one dossier after the other, each with its own values
    for dossier, pair in ((first, {"phone": "0912345678"}), (second, {"id_number": "027190000999"})):
        found = dossier_services.public_status(dossier.code, **pair)
        dossier.refresh_from_db()
        assert found["code"] == dossier.code
        assert found["status"] == dossier.status
        assert found["procedure_name"] == procedure.name
        assert found["received_at"] == dossier.received_at
        assert timezone.is_aware(found["received_at"])
        expected = [
            (e.at, e.action, e.agency.name if e.agency_id else None)
            for e in DossierEvent.objects.filter(dossier=dossier).order_by("at", "id")
        ]
        assert found["events"] == expected
    assert len(dossier_services.public_status(first.code, phone="0912345678")["events"]) == 2
    # the wrong pair, and another dossier's pair, find nothing
    assert dossier_services.public_status(first.code, phone="0987654321") is None
    assert dossier_services.public_status(second.code, phone="0912345678") is None
    assert dossier_services.public_status("000.00.00.H00-000000-0000", phone="0912345678") is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="server-side prepared statements of PostgreSQL")
@pytest.mark.django_db
def test_on_postgresql_the_status_lookup_is_planned_once_per_connection_and_answers_the_same(monday_morning):
    procedure = ProcedureWithProcessFactory()
    staff = StaffSet(procedure)
    dossier = dossier_services.intake(
        procedure=procedure, applicant=ApplicantFactory(phone="0912345678"), actor=staff.officer
    )
    connection.ensure_connection()
    raw = connection.connection
    threshold, raw.prepare_threshold = raw.prepare_threshold, 2  # what settings.py gives pooled connections
    try:
        answers = [dossier_services.public_status(dossier.code, phone="0912345678") for _ in range(4)]
        other = dossier_services.public_status("000.00.00.H00-000000-0000", phone="0912345678")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT generic_plans + custom_plans FROM pg_prepared_statements "
                "WHERE statement LIKE %s AND statement LIKE %s",
                ["%dossiers_dossierevent%", "%$1%"],
            )
            executions = [row[0] for row in cursor.fetchall()]
    finally:
        raw.prepare_threshold = threshold
        raw.execute("DEALLOCATE ALL")
    # one server-side statement served the executions after the first two, for both codes
    assert executions == [3]
    assert all(answer == answers[0] for answer in answers)
    assert answers[0]["code"] == dossier.code and answers[0]["events"]
    assert other is None


@pytest.mark.django_db
def test_a_prepared_query_whose_argument_is_used_twice_is_refused():
    twice = PreparedValues(
        lambda code: Dossier.objects.filter(Q(code=code) | Q(procedure_code=code)).values_list("id"),
        args=(str,),
    )
    with pytest.raises(ValueError, match="one parameter of its own"):
        twice("000.00.00.H00-000000-0000")
