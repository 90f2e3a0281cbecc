"""Read replicas (motcua.db_routing): which reads go to a replica, and that the scoped pages really read there.

In the ordinary suite the replica is a second connection to the test database (what a replica holds once it has
replayed the primary's log). In CI's replica pass (DATABASE_REPLICA_URLS points at a real streaming replica of the
CI PostgreSQL, MOTCUA_REQUIRE_REPLICA=1) the same tests read from that replica, and
`test_the_replica_pass_reads_from_a_real_standby` proves it: the replica connection is in recovery and refuses writes.
Data must be committed to reach a replica, so these tests are transactional.
"""

import os
import threading

import pytest
import time_machine
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.utils import DatabaseError
from django.test.utils import CaptureQueriesContext

from motcua import db_routing
from motcua.db_routing import ReplicaRouter, current_replica, primary_reads, replica_reads
from motcua.dossiers.models import Dossier
from motcua.monitoring.tests.factories import Office, at
from motcua.refcache import ReferenceCache
from motcua.reports.models import DossierFact

TEST_REPLICA = "replica_test"
REAL_REPLICA_REQUIRED = bool(os.environ.get("MOTCUA_REQUIRE_REPLICA"))

replica_db = pytest.mark.django_db(transaction=True, databases="__all__")


@pytest.fixture
def replica(settings):
    """The alias of the replica the scoped reads go to: the configured one (CI's replica pass) or, in the
    ordinary suite, a second connection to the test database."""
    configured = list(settings.MOTCUA_DATABASE_REPLICAS)
    if configured:
        yield configured[0]
        return
    if REAL_REPLICA_REQUIRED:
        pytest.fail("MOTCUA_REQUIRE_REPLICA is set but DATABASE_REPLICA_URLS names no replica.")
    settings.MOTCUA_DATABASE_REPLICAS = [TEST_REPLICA]  # a mirror of the test database (motcua.test_settings)
    yield TEST_REPLICA


def tables_read(queries) -> str:
    return "\n".join(query["sql"] for query in queries)


# --- the router's decisions ------------------------------------------------------------------------------------


@replica_db
def test_reads_in_a_replica_scope_go_to_the_replica_and_writes_to_the_primary(replica):
    router = ReplicaRouter()
    assert router.db_for_read(Dossier) == DEFAULT_DB_ALIAS  # outside any scope
    with replica_reads():
        assert current_replica() == replica
        assert router.db_for_read(Dossier) == replica
        assert router.db_for_write(Dossier) == DEFAULT_DB_ALIAS
        assert Dossier.objects.all().db == replica
        assert Dossier.objects.select_for_update().db == DEFAULT_DB_ALIAS  # a locking read is a write
    assert router.db_for_read(Dossier) == DEFAULT_DB_ALIAS


@replica_db
def test_reads_inside_a_transaction_on_the_primary_stay_on_the_primary(replica):
    with replica_reads():
        assert Dossier.objects.all().db == replica
        with transaction.atomic():
            assert Dossier.objects.all().db == DEFAULT_DB_ALIAS
        assert Dossier.objects.all().db == replica


@replica_db
def test_sessions_users_tokens_and_the_shared_cache_are_read_on_the_primary(replica):
    from django.contrib.sessions.models import Session

    from motcua.accounts.models import User
    from motcua.apitokens.models import ApiToken

    router = ReplicaRouter()
    cache_model = type("CacheEntry", (), {"_meta": type("Meta", (), {"app_label": "django_cache"})()})
    with replica_reads():
        for model in (Session, User, ApiToken, cache_model):
            assert router.db_for_read(model) == DEFAULT_DB_ALIAS, model


@replica_db
def test_primary_reads_and_reference_cache_loads_stay_on_the_primary(replica):
    private = ReferenceCache("test: reference rows")
    public = ReferenceCache("test: public pages", replica_ok=True)
    with replica_reads():
        with primary_reads():
            assert Dossier.objects.all().db == DEFAULT_DB_ALIAS
        assert private.get("k", lambda: Dossier.objects.all().db) == DEFAULT_DB_ALIAS
        assert public.get("k", lambda: Dossier.objects.all().db) == replica


def test_without_replicas_every_read_stays_on_the_primary(settings):
    settings.MOTCUA_DATABASE_REPLICAS = []
    with replica_reads():
        assert current_replica() is None
        assert ReplicaRouter().db_for_read(Dossier) == DEFAULT_DB_ALIAS


def test_replicas_take_no_migrations_and_share_relations_with_the_primary(settings):
    settings.MOTCUA_DATABASE_REPLICAS = ["replica_1"]
    router = ReplicaRouter()
    assert router.allow_migrate("replica_1", "dossiers") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "dossiers") is True
    on_replica, on_primary = Dossier(), Dossier()
    on_replica._state.db, on_primary._state.db = "replica_1", DEFAULT_DB_ALIAS
    assert router.allow_relation(on_replica, on_primary) is True


@replica_db
def test_a_scope_used_as_a_decorator_is_separate_in_each_thread(replica):
    seen, inside = [], threading.Event()
    release = threading.Event()

    @replica_reads()
    def scoped():
        inside.set()
        release.wait(5)
        seen.append(current_replica())

    worker = threading.Thread(target=scoped)
    worker.start()
    inside.wait(5)
    assert current_replica() is None  # the other thread's scope is not ours
    release.set()
    worker.join(5)
    assert seen == [replica]


# --- the scoped pages read the replica; pages that write do not -------------------------------------------------


@pytest.fixture
def office(replica):
    return Office()


@replica_db
def test_report_pages_and_exports_read_the_replica(client, replica, office):
    office.receive(at(2022, 11, 10, 9))
    client.force_login(office.admin)
    for url in (
        "/thong-ke/?from=2022-11-01&to=2022-11-30",
        "/thong-ke/bieu-06.csv?from=2022-11-01&to=2022-11-30",
    ):
        with (
            CaptureQueriesContext(connections[replica]) as on_replica,
            CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary,
        ):
            assert client.get(url).status_code == 200
        assert DossierFact._meta.db_table in tables_read(on_replica.captured_queries), url
        assert DossierFact._meta.db_table not in tables_read(on_primary.captured_queries), url


@replica_db
def test_monitoring_dashboard_list_and_api_read_the_replica(client, replica, office):
    from motcua.apitokens.models import ApiToken

    office.receive(at(2022, 11, 10, 9))
    client.force_login(office.admin)
    _row, token = ApiToken.issue(office.admin)
    with time_machine.travel(at(2022, 11, 16, 10), tick=False):
        for url, headers in (
            ("/theo-doi/", {}),
            ("/theo-doi/ho-so/", {}),
            ("/api/v1/monitoring/dossiers", {"HTTP_AUTHORIZATION": f"Bearer {token}"}),
        ):
            with CaptureQueriesContext(connections[replica]) as on_replica:
                assert client.get(url, **headers).status_code == 200, url
            assert Dossier._meta.db_table in tables_read(on_replica.captured_queries), url


@replica_db
def test_public_lookup_and_catalog_search_read_the_replica(client, replica, office):
    dossier = office.receive(at(2022, 11, 10, 9))
    dossier.procedure.__class__.objects.filter(pk=dossier.procedure.pk).update(name="Đăng ký khai sinh thử")
    with CaptureQueriesContext(connections[replica]) as on_replica:
        found = client.get("/api/v1/lookup", {"code": dossier.code, "phone": dossier.applicant.phone})
    assert found.status_code == 200, found.content
    assert Dossier._meta.db_table in tables_read(on_replica.captured_queries)
    procedures = dossier.procedure._meta.db_table
    for url in ("/thu-tuc/?q=khai+sinh", "/api/v1/procedures?q=khai+sinh"):
        with CaptureQueriesContext(connections[replica]) as on_replica:
            assert client.get(url).status_code == 200, url
        assert procedures in tables_read(on_replica.captured_queries), url


@replica_db
def test_a_page_that_writes_never_reads_the_replica(client, replica, office):
    """Urging a dossier (a POST that writes a reminder and shows it at once) reads and writes the primary only."""
    dossier = office.receive(at(2022, 11, 10, 9))
    client.force_login(office.admin)
    with CaptureQueriesContext(connections[replica]) as on_replica:
        client.post(f"/theo-doi/ho-so/{dossier.code}/don-doc/", {"message": "Đề nghị xử lý sớm."})
    assert on_replica.captured_queries == []


# --- CI's replica pass: the reads come from a real standby ------------------------------------------------------


@replica_db
def test_the_replica_pass_reads_from_a_real_standby(replica):
    """Only meaningful against a real replica; CI's replica pass sets MOTCUA_REQUIRE_REPLICA so that it never
    skips there."""
    if replica == TEST_REPLICA:
        pytest.skip("no real replica configured (CI's replica pass runs this against one)")
    standby = connections[replica]
    assert standby.vendor == "postgresql"
    office = Office()
    dossier = office.receive(at(2022, 11, 10, 9))
    with replica_reads():
        assert current_replica() == replica
        assert Dossier.objects.get(pk=dossier.pk).code == dossier.code  # committed, replayed, read there
        with standby.cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery(), inet_server_port()")
            in_recovery, port = cursor.fetchone()
    assert in_recovery is True
    assert port != connections[DEFAULT_DB_ALIAS].cursor().connection.info.port
    with pytest.raises(DatabaseError, match="read-only"), standby.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE refused (id int)")
    assert db_routing.replica_aliases() == [replica]
