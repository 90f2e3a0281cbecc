"""Benchmark: dossier intake through the REST API with concurrent clients (target: >= 100 dossiers/s on
PostgreSQL, no duplicate code).

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench .venv/bin/python benchmarks/dossier_intake_bench.py \
        [--workers N] [--clients 16] [--seconds 20] [--task-worker] [--implementers 99]

What it does:
1. creates (drops first) the database named in DATABASE_URL, migrates it, and creates one procedure with the
   standard six-step process, one reception officer and an API token;
   Background work uses the production default, the database task queue (`MOTCUA_TASK_BACKEND=database`);
   with `--task-worker` the task worker (`motcua db_worker`) runs beside the server during the whole run, on the
   same cores, and after the measured window the script waits until every queued task has run (the backlog must
   drain: a figure the worker cannot keep up with is not sustained); without it, queued tasks wait;
2. starts WORKERS pre-forked server processes (default: the server's own, one per core) sharing one listening
   socket (the WSGI application of the project served by the standard library's wsgiref, one request at a time
   per process, like a sync gunicorn worker), with DEBUG off and persistent database connections; with `--mix`,
   the `make run` command itself with WORKERS worker processes;
3. runs CLIENTS client threads that POST /api/v1/dossiers as fast as they can for SECONDS (after a warm-up),
   each with a new applicant, all for one agency on one day (the hardest case for the code counter);
4. prints throughput, latency percentiles, and checks that every 201 answer carries a distinct code and that
   the codes of the day are exactly 1..N with no gap;
5. prints the CPU used during the measured window only (warm-up excluded) per intake received in it, split between
   the server processes, the PostgreSQL backends serving them (read from /proc when the server runs on this
   machine), the task worker and the benchmark's own client threads.

Everything runs on this machine, so the clients compete with the server for the CPU; the figure is a lower
bound for a deployment where clients are elsewhere.
"""

import argparse
import http.client
import json
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))
from motcua.gunicorn_conf import default_workers  # noqa: E402  (the server's own default)

os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
os.environ["DEBUG"] = "0"
# Without a real SMS / Zalo gateway, production mode has e-mail only; the SMS and Zalo sandbox channels (whose rows
# each intake writes, and whose rows the crash check counts) exist in demo mode. Nothing is sent during the run.
os.environ["MOTCUA_DEMO_MODE"] = "1"
os.environ["LOG_LEVEL"] = "ERROR"
# The production configuration of background work: a notification is written and its sending queued in the
# database (the request does not send it). Forced, so that a shell where tests set "immediate" (send inside the
# request) measures the same thing. No task worker runs during the benchmark: the queued tasks wait.
os.environ["MOTCUA_TASK_BACKEND"] = "database"


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of a live process (0 when it cannot be read)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, all cores (from /proc/stat)."""
    try:
        with open("/proc/stat") as stat:
            values = [int(v) for v in stat.readline().split()[1:]]
    except OSError:
        return 0.0, 0.0
    tick = os.sysconf("SC_CLK_TCK")
    idle = values[3] + values[4]
    return (sum(values) - idle) / tick, sum(values) / tick


def own_cpu() -> float:
    """User + system CPU seconds of this process (the benchmark's clients) so far."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def database_backends() -> list[int]:
    """The PostgreSQL backend processes connected to the benchmark's database (other than ours)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        pids = [row[0] for row in cursor.fetchall()]
    connection.close()
    return pids


def queued_tasks() -> int:
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    count = DBTaskResult.objects.filter(status__in=("READY", "RUNNING")).count()
    connection.close()
    return count


def prepare_database(implementers: int = 0) -> tuple[str, str]:
    import django

    django.setup()
    from django.db import connection

    if connection.vendor == "postgresql":
        name = connection.settings_dict["NAME"]
        import psycopg

        params = connection.get_connection_params()
        params.pop("dbname", None)
        params.pop("cursor_factory", None)
        params.pop("context", None)
        params.pop("prepare_threshold", None)
        connection.close()
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from motcua.accounts.models import User
    from motcua.apitokens.models import ApiToken
    from motcua.catalog.models import Field, Procedure
    from motcua.catalog.processes import set_standard_process
    from motcua.org.models import AdminLevel, AdminUnit, Agency, StaffAssignment

    level = AdminLevel.objects.create(code="district", name="Cấp huyện", rank=2)
    unit = AdminUnit.objects.create(code="263", name="Huyện Gia Bình", kind="district", level=level)
    agency = Agency.objects.create(
        name="Phòng Tư pháp",
        short_name="TP",
        identity_code="000.01.99.H06",
        identity_code_is_demo=True,
        kind="district_office",
        unit=unit,
    )
    field = Field.objects.create(code="ho-tich", name="Hộ tịch")
    procedure = Procedure.objects.create(
        code="1.001193",
        name="Thủ tục đăng ký khai sinh",
        field=field,
        resolving_agency=agency,
        levels="district",
        time_limit_value=3,
        time_limit_unit="working_days",
        online_level="partial",
        status="published",
    )
    set_standard_process(procedure, "normal")
    if implementers:  # two-tier government: the procedure is also implemented by that many communes
        from motcua.catalog.models import ProcedureImplementation

        commune = AdminLevel.objects.create(code="commune", name="Cấp xã", rank=3)
        for n in range(implementers):
            place = AdminUnit.objects.create(
                code=f"B{n:04d}", name=f"Xã Mẫu {n}", kind="commune", level=commune
            )
            other = Agency.objects.create(
                name=f"Ủy ban nhân dân xã Mẫu {n}",
                identity_code=f"000.{n % 100:02d}.{60 + n // 100:02d}.H06",
                identity_code_is_demo=True,
                kind="peoples_committee",
                unit=place,
            )
            ProcedureImplementation.objects.create(procedure=procedure, agency=other, level="commune")
    officer = User.objects.create_user("tiepnhan", full_name="Cán bộ tiếp nhận")
    StaffAssignment.objects.create(user=officer, role="reception_officer", agency=agency)
    _row, token = ApiToken.issue(officer, label="benchmark")
    connection.close()
    return token, procedure.code


def serve(sock: socket.socket) -> None:
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    server = WSGIServer(sock.getsockname(), QuietHandler, bind_and_activate=False)
    server.socket.close()
    server.socket = sock
    server.server_address = sock.getsockname()
    server.server_name, server.server_port = "127.0.0.1", sock.getsockname()[1]
    server.setup_environ()
    server.set_app(application)
    signal.signal(signal.SIGTERM, lambda *a: os._exit(0))
    server.serve_forever()


def client_loop(port, token, code, stop_at, start_at, results, errors, counter):
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    while time.perf_counter() < stop_at:
        with counter["lock"]:
            counter["n"] += 1
            n = counter["n"]
        body = json.dumps(
            {
                "procedure": code,
                "channel": "counter",
                "applicant": {
                    "type": "citizen",
                    "name": f"Nguyễn Văn Thử {n}",
                    "id_number": f"0270{n:08d}",
                    "phone": "0912345678",
                },
            }
        )
        began = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            conn.request("POST", "/api/v1/dossiers", body=body, headers=headers)
            response = conn.getresponse()
            payload = response.read()
        except OSError as exc:
            errors.append(repr(exc))
            continue
        finally:
            conn.close()
        elapsed = time.perf_counter() - began
        if began < start_at:
            continue  # warm-up
        if response.status == 201:
            results.append((elapsed, json.loads(payload)["code"]))
        else:
            errors.append(f"{response.status} {payload[:200]!r}")


# --- the realistic mix, served by the `make run` server (--mix) --------------------------------------------------


def prepare_mix(args) -> tuple[list[dict], dict]:
    """The realistic mix's data: AGENCIES agencies with PROCEDURES procedures each (a two-document checklist and a
    fee each), TOKENS API tokens per agency (one reception officer each); returns the agencies as dicts."""
    import django

    django.setup()
    from django.db import connection

    if connection.vendor == "postgresql":
        import psycopg

        params = connection.get_connection_params()
        for key in ("dbname", "cursor_factory", "context", "prepare_threshold"):
            params.pop(key, None)
        name = connection.settings_dict["NAME"]
        connection.close()
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import minimal_insert_wsgi

    minimal_insert_wsgi.create_tables()
    from motcua.accounts.tests.factories import UserFactory
    from motcua.apitokens.models import ApiToken
    from motcua.catalog.tests.factories import FeeFactory, RequiredDocumentFactory
    from motcua.dossiers.tests.factories import ProcedureWithProcessFactory
    from motcua.org.tests.factories import AgencyFactory, StaffAssignmentFactory

    agencies = []
    for a in range(args.agencies):
        agency = AgencyFactory(
            name=f"Phòng Thử nghiệm {a}", identity_code=f"000.{a % 100:02d}.{31 + a // 100}.H06"
        )
        codes = []
        for p in range(args.procedures):
            procedure = ProcedureWithProcessFactory(resolving_agency=agency, code=f"9.{a:03d}{p:03d}")
            FeeFactory(procedure=procedure, amount=50_000)
            RequiredDocumentFactory(procedure=procedure, name="Tờ khai")
            RequiredDocumentFactory(procedure=procedure, name="Bản sao giấy tờ tùy thân")
            codes.append(procedure.code)
        tokens = []
        for t in range(args.tokens):
            officer = UserFactory(full_name=f"Cán bộ tiếp nhận {a}.{t}")
            StaffAssignmentFactory(user=officer, role="reception_officer", agency=agency)
            tokens.append(ApiToken.issue(officer, label=f"benchmark {t}")[1])
        agencies.append({"procedures": codes, "tokens": tokens})
    connection.close()
    return agencies


def post_intake(client, token: str, body) -> None:
    """One API intake through Django's test client (the in-process profiles); exits on any answer but 201."""
    response = client.post(
        "/api/v1/dossiers", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    if response.status_code != 201:
        raise SystemExit(f"intake failed: {response.status_code} {response.content[:300]!r}")


def mix_bodies(agencies, count: int) -> list[tuple[str, bytes]]:
    """COUNT (token, JSON body) pairs: agencies, procedures and tokens in turn, the checklist on every third."""
    import random

    rng = random.Random(19)
    bodies = []
    for n in range(count):
        agency = agencies[rng.randrange(len(agencies))]
        payload = {
            "procedure": agency["procedures"][rng.randrange(len(agency["procedures"]))],
            "channel": "counter",
            "applicant": {
                "type": "citizen",
                "name": f"Nguyễn Văn Thử {n}",
                "id_number": f"0270{n:08d}",
                "phone": "0912345678",
            },
        }
        if n % 3 == 0:
            payload["documents"] = [
                {"name": "Tờ khai", "original_count": 1},
                {"name": "Bản sao giấy tờ tùy thân", "copy_count": 1},
            ]
        bodies.append((agency["tokens"][rng.randrange(len(agency["tokens"]))], json.dumps(payload).encode()))
    return bodies


def background_left() -> dict:
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from motcua.national_portal.models import OutboxMessage
    from motcua.notifications.models import Notification

    left = {
        "tasks": DBTaskResult.objects.filter(status__in=("READY", "RUNNING")).count(),
        "notifications": Notification.objects.filter(status="pending").count(),
        "portal outbox": OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING).count(),
    }
    connection.close()
    return left


def run_mix(args) -> int:
    """The realistic mix over HTTP against the `make run` server, with the minimal-insert baseline in the same
    server, and the intake counted until the task queue, the notifications and the portal outbox are drained.
    Besides the server's and the workers' CPU per dossier it prints the whole machine's, from the first intake
    until drained, with PostgreSQL's share: what a dossier costs on these cores in all, and how busy they were."""
    import tempfile
    import urllib.request

    from serve_bench import free_port, post_load, process_tree_cpu

    data_dir = tempfile.mkdtemp(prefix="motcua-intake-mix-")
    os.makedirs(os.path.join(data_dir, "static"), exist_ok=True)
    sim_port, port = (args.port + 1, args.port) if args.port else (free_port(), free_port())
    sim_url = f"http://127.0.0.1:{sim_port}"
    os.environ.update(
        MOTCUA_DATA_DIR=data_dir,
        MOTCUA_SIGNING_PASSPHRASE="benchmark-only-passphrase",
        MOTCUA_PUBLIC_URL="http://127.0.0.1",
        NATIONAL_PORTAL_URL=sim_url,
        NATIONAL_PORTAL_USERNAME="motcua",
        NATIONAL_PORTAL_PASSWORD="simulator-password",
        NATIONAL_PORTAL_UNIT_CODE="000.00.99.H06",
        NATIONAL_PORTAL_DSTCODE="SIMULATOR",
        LOG_LEVEL="WARNING",
    )
    if args.workers:
        os.environ["WEB_CONCURRENCY"] = str(args.workers)
    agencies = prepare_mix(args)
    from django.db import connection

    vendor = connection.vendor
    bodies = mix_bodies(agencies, 20_000)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT / "benchmarks")]),
        "MOTCUA_BIND": f"127.0.0.1:{port}",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    motcua = [sys.executable, "-m", "motcua"]
    logs = open(os.path.join(data_dir, "processes.log"), "wb")  # noqa: SIM115 - closed at the end

    def spawn(command):
        return subprocess.Popen(command, env=env, stdout=logs, stderr=subprocess.STDOUT, cwd=data_dir)

    simulator = spawn([*motcua, "portal_simulator", "--port", str(sim_port)])
    server = spawn(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            "python:motcua.gunicorn_conf",
            "minimal_insert_wsgi",
        ]
    )
    task_worker = spawn([*motcua, "db_worker", "--no-reload", "--interval", "1"])  # as `make run` starts them
    threads = ["--threads", str(args.outbox_threads)] if args.outbox_threads else []
    outbox_worker = spawn([*motcua, "portal_outbox_worker", *threads])
    helpers = [task_worker, outbox_worker]
    result = 0
    try:
        deadline = time.monotonic() + 120
        for url in (f"{sim_url}/simulator/state", f"http://127.0.0.1:{port}/healthz"):
            while True:
                try:
                    urllib.request.urlopen(url, timeout=2).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise SystemExit(f"{url} did not answer; see {data_dir}/processes.log") from None
                    time.sleep(0.3)
        config = urllib.request.Request(
            f"{sim_url}/simulator/config",
            data=json.dumps({"strict_prefix": False, "latency": args.portal_latency}).encode(),
            headers={"Content-Type": "application/json"},
        )
        urllib.request.urlopen(config, timeout=10).close()
        minimal = [("", b'{"note": "minimal"}')]
        counter = {"n": 0}
        # warm-up: every server worker imports the application and opens its pool; the caches fill
        post_load(port, "/bench/minimal-insert", minimal, args.clients, args.warmup / 2, counter)
        warm = post_load(port, "/api/v1/dossiers", bodies, args.clients, args.warmup, counter)
        if warm["statuses"].get(201, 0) == 0:
            raise SystemExit(f"no intake accepted during the warm-up: {warm}")
        while any(background_left().values()):
            time.sleep(0.5)
        runs = {"minimal": [], "intake": []}
        cpu = {"minimal": 0.0, "intake": 0.0, "workers": 0.0, "task worker": 0.0, "outbox worker": 0.0}
        drain_seconds = 0.0
        drained_at: dict[str, float] = {}  # each kind of background work: seconds after the clients stopped
        for name in ("minimal", "intake", "minimal"):
            before = process_tree_cpu(server.pid)
            workers_before = [process_tree_cpu(p.pid) for p in helpers]
            if name == "minimal":
                run = post_load(
                    port, "/bench/minimal-insert", minimal, args.clients, args.seconds / 2, counter
                )
            else:
                backends = database_backends()  # the pools are open since the warm-up
                database_before = sum(process_cpu(pid) for pid in backends)
                machine_before, own_before = machine_cpu()[0], own_cpu()
                run = post_load(port, "/api/v1/dossiers", bodies, args.clients, args.seconds, counter)
                waited = time.perf_counter()
                while True:
                    left = background_left()
                    for kind, count in left.items():
                        if not count:
                            drained_at.setdefault(kind, time.perf_counter() - waited)
                    if not any(left.values()):
                        break
                    if time.perf_counter() - waited > 300:
                        raise SystemExit(f"background work not drained in 300 s: {left}")
                    time.sleep(0.2)
                drain_seconds = time.perf_counter() - waited
                cpu["database"] = sum(process_cpu(pid) for pid in backends) - database_before
                cpu["machine"] = machine_cpu()[0] - machine_before
                cpu["clients"] = own_cpu() - own_before
                used = [process_tree_cpu(p.pid) - b for p, b in zip(helpers, workers_before, strict=True)]
                cpu["task worker"] += used[0]
                cpu["outbox worker"] += used[1]
                cpu["workers"] += sum(used)
            cpu[name] += process_tree_cpu(server.pid) - before
            runs[name].append(run)
        load = os.getloadavg()
    finally:
        for process in (server, *helpers, simulator):
            process.terminate()
        for process in (server, *helpers, simulator):
            process.wait(30)
        logs.close()

    def ok(name):
        return sum(r["statuses"].get(201, 0) for r in runs[name])

    def bad(name):
        return sum(
            sum(n for s, n in r["statuses"].items() if s != 201) + len(r["errors"]) for r in runs[name]
        )

    minimal_seconds = sum(r["elapsed"] for r in runs["minimal"])
    intake_seconds = runs["intake"][0]["elapsed"]
    minimal_rate = ok("minimal") / minimal_seconds
    served_rate = ok("intake") / intake_seconds
    drained_rate = ok("intake") / (intake_seconds + drain_seconds)
    from motcua.dossiers.models import Dossier

    codes = list(Dossier.objects.values_list("code", flat=True))
    print(
        f"database: {vendor}; `make run` server (gunicorn, {os.environ.get('WEB_CONCURRENCY', 'default')} workers x "
        f"{os.environ.get('MOTCUA_WEB_THREADS', '2')} threads), 1 task worker, 1 portal outbox worker "
        f"({args.outbox_threads or 'default'} threads), portal simulator ({args.portal_latency:g} s per call); "
        f"{args.clients} keep-alive clients; {args.agencies} agencies x {args.procedures} procedures, "
        f"{args.agencies * args.tokens} tokens, checklist on a third of the intakes"
    )
    print(
        f"minimal insert (baseline, same server): {minimal_rate:.1f}/s, server CPU "
        f"{cpu['minimal'] * 1000 / max(ok('minimal'), 1):.2f} ms per insert"
    )
    print(
        f"intake: {ok('intake')} in {intake_seconds:.1f} s = {served_rate:.1f}/s served; background drained "
        f"{drain_seconds:.1f} s later -> {drained_rate:.1f}/s counted until drained"
    )
    print(
        "drained after the clients stopped: "
        + ", ".join(
            f"{kind} {seconds:.1f} s" for kind, seconds in sorted(drained_at.items(), key=lambda x: x[1])
        )
    )
    print(
        f"intake CPU per dossier: server {cpu['intake'] * 1000 / max(ok('intake'), 1):.2f} ms, task + outbox "
        f"workers {cpu['workers'] * 1000 / max(ok('intake'), 1):.2f} ms (task worker "
        f"{cpu['task worker'] * 1000 / max(ok('intake'), 1):.2f}, outbox worker "
        f"{cpu['outbox worker'] * 1000 / max(ok('intake'), 1):.2f})"
    )
    per = 1000 / max(ok("intake"), 1)
    print(
        f"whole machine from the first intake until drained: {cpu['machine'] * per:.2f} ms CPU per dossier "
        f"({cpu['machine'] / (intake_seconds + drain_seconds) / (os.cpu_count() or 1):.0%} of "
        f"{os.cpu_count()} cores busy); of it PostgreSQL {cpu['database'] * per:.2f} ms, this benchmark's "
        f"clients {cpu['clients'] * per:.2f} ms"
    )
    print(f"ratio intake (until drained) / minimal insert: {drained_rate / minimal_rate:.2f}")
    print(f"non-201 answers or errors: intake {bad('intake')}, minimal {bad('minimal')}")
    print(f"dossier codes distinct: {len(set(codes)) == len(codes)} ({len(codes)} dossiers)")
    print(f"load average at the end (1, 5, 15 min): {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f}")
    if bad("intake") or bad("minimal") or len(set(codes)) != len(codes):
        result = 1
    import shutil

    shutil.rmtree(data_dir, ignore_errors=True)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=default_workers())  # the server's default
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument(
        "--task-worker",
        action="store_true",
        help="run the task worker during the run and wait for it to drain",
    )
    parser.add_argument(
        "--implementers", type=int, default=0, help="other agencies (communes) implementing the procedure"
    )
    parser.add_argument(
        "--mix",
        action="store_true",
        help="the realistic mix, served by the make run server, against the minimal-insert baseline",
    )
    parser.add_argument("--agencies", type=int, default=30, help="with --mix")
    parser.add_argument("--port", type=int, default=0, help="with --mix: the server's (the simulator's: +1)")
    parser.add_argument("--procedures", type=int, default=10, help="with --mix: per agency")
    parser.add_argument("--tokens", type=int, default=3, help="with --mix: per agency")
    parser.add_argument(
        "--outbox-threads",
        type=int,
        default=0,
        help="with --mix: the outbox worker's --threads (0: its default)",
    )
    parser.add_argument(
        "--portal-latency", type=float, default=0.0, help="with --mix: seconds the simulator takes per call"
    )
    args = parser.parse_args()
    if args.mix:
        return run_mix(args)

    token, code = prepare_database(args.implementers)
    from django.db import connection

    vendor = connection.vendor
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(512)
    port = sock.getsockname()[1]
    children = []
    for _ in range(args.workers):
        pid = os.fork()
        if pid == 0:
            serve(sock)
            os._exit(0)
        children.append(pid)
    worker = None
    if args.task_worker:
        worker = subprocess.Popen(
            [sys.executable, "-m", "motcua", "db_worker", "--no-reload", "--interval", "0.2"],
            env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
            stdout=subprocess.DEVNULL,
        )
    drained_after = None
    try:
        time.sleep(1.0)
        results, errors = [], []
        counter = {"n": 0, "lock": threading.Lock()}
        start_at = time.perf_counter() + args.warmup
        stop_at = start_at + args.seconds
        threads = [
            threading.Thread(
                target=client_loop, args=(port, token, code, stop_at, start_at, results, errors, counter)
            )
            for _ in range(args.clients)
        ]
        for t in threads:
            t.start()
        time.sleep(max(0.0, start_at - time.perf_counter()))
        backends = database_backends()
        watched = {
            "server": children,
            "database": backends,
            "task worker": [worker.pid] if worker else [],
        }
        cpu_before = {k: sum(process_cpu(p) for p in pids) for k, pids in watched.items()}
        own_before = resource.getrusage(resource.RUSAGE_SELF)
        machine_before = machine_cpu()
        time.sleep(max(0.0, stop_at - time.perf_counter()))
        cpu_after = {k: sum(process_cpu(p) for p in pids) for k, pids in watched.items()}
        own_after = resource.getrusage(resource.RUSAGE_SELF)
        machine_after = machine_cpu()
        for t in threads:
            t.join()
        backlog_at_stop = queued_tasks()
        if worker is not None:
            waited = time.perf_counter()
            while queued_tasks() and time.perf_counter() - waited < 120:
                time.sleep(0.5)
            drained_after = time.perf_counter() - waited if not queued_tasks() else None
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait()
        for pid in children:
            os.kill(pid, signal.SIGTERM)
        for pid in children:
            os.waitpid(pid, 0)

    from motcua.dossiers.models import Dossier

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    connection.close()
    codes = list(Dossier.objects.values_list("code", flat=True))
    app_cpu_ms = (usage.ru_utime + usage.ru_stime) * 1000 / max(len(codes), 1)
    numbers = sorted(int(c.rsplit("-", 1)[1]) for c in codes)
    latencies = sorted(r[0] * 1000 for r in results)
    measured_codes = [r[1] for r in results]
    from django.conf import settings

    print(
        f"database: {vendor}; workers: {args.workers}; clients: {args.clients}; measured: {args.seconds:.0f} s; "
        f"task backend: {settings.TASKS['default']['BACKEND']}"
    )
    print(f"dossiers received in the measured window: {len(results)}")
    print(f"throughput: {len(results) / args.seconds:.1f} dossiers/s")
    if latencies:
        q = statistics.quantiles(latencies, n=100)
        print(
            f"latency ms: median {statistics.median(latencies):.1f}, p95 {q[94]:.1f}, p99 {q[98]:.1f}, max {latencies[-1]:.1f}"
        )
    print(
        f"application CPU per intake (server processes, user+sys, incl. warm-up): {app_cpu_ms:.1f} ms "
        f"-> one core could serve about {1000 / app_cpu_ms:.0f} intakes/s if nothing else ran on it"
    )
    window = max(len(results), 1)
    split = {k: (cpu_after[k] - cpu_before[k]) * 1000 / window for k in cpu_before}
    split["clients"] = (
        (own_after.ru_utime + own_after.ru_stime - own_before.ru_utime - own_before.ru_stime) * 1000 / window
    )
    print(
        "CPU per intake during the measured window: "
        + ", ".join(f"{k} {v:.1f} ms" for k, v in split.items() if v or k != "task worker")
        + f"; total {sum(split.values()):.1f} ms"
        + ("" if vendor == "postgresql" else " (the database runs inside the server processes)")
    )
    busy = machine_after[0] - machine_before[0]
    capacity = machine_after[1] - machine_before[1]
    if capacity:
        print(
            f"whole machine during the window: {100 * busy / capacity:.0f}% busy, {busy * 1000 / window:.1f} ms "
            "of CPU per intake (everything above plus the kernel, PostgreSQL's own processes and other work)"
        )
    print(f"tasks still queued when the clients stopped: {backlog_at_stop}")
    if args.task_worker:
        print(
            "task worker: "
            + (
                f"queue drained {drained_after:.1f} s after the clients stopped"
                if drained_after is not None
                else "queue NOT drained within 120 s"
            )
        )
    print(f"load average during the run (other work on this machine): {os.getloadavg()[0]:.1f}")
    print(f"errors: {len(errors)}{' e.g. ' + errors[0] if errors else ''}")
    print(f"distinct codes among 201 answers: {len(set(measured_codes)) == len(measured_codes)}")
    print(f"all codes of the day gap-free 1..{len(numbers)}: {numbers == list(range(1, len(numbers) + 1))}")


if __name__ == "__main__":
    sys.exit(main())
