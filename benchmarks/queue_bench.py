"""Benchmark: a busy morning of the queue — 300 tickets an hour across 10 counters with the hall displays open
and visitors following their tickets on their phones, served over real HTTP, accelerated.

Usage:
    .venv/bin/python benchmarks/queue_bench.py [--speedup 60] [--hours 1] [--workers 2] [--displays 3] [--phones 30]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_queue_bench .venv/bin/python benchmarks/queue_bench.py

What it does:
1. creates a throw-away database (SQLite in a temporary folder unless DATABASE_URL is set; a PostgreSQL database
   named there is dropped and created), migrates it, and builds one center with 10 counters and 5 services,
   each service served by two counters, one reception officer with an API token;
2. starts WORKERS pre-forked server processes (the project's WSGI application under the standard library's
   wsgiref, one request at a time per process, like sync gunicorn workers) with DEBUG off, and warms them up
   with requests that change nothing (outside the figures);
3. simulates HOURS of the center SPEEDUP times faster than real time: visitors take 300 tickets an hour
   at KIOSKS kiosks (POST /api/v1/queue/tickets, one in five a priority ticket, services at random); each of
   the 10 counters
   calls the next ticket (POST /api/v1/queue/call_next) after a random service time of 100 s on average
   (exponential), or 10 s after finding nobody waiting; DISPLAYS hall screens poll GET /api/v1/queue/display
   every 3 s and PHONES visitors' phones poll their ticket's follow page every 5 s, in real time (not
   accelerated: the accelerated run puts SPEEDUP times the real write load beside the real read load);
4. prints latency percentiles per request kind, the failures, the simulated waiting times, and checks that no
   number was given twice and no ticket was called to two counters.

Everything runs on this machine, so the clients compete with the server for the CPU.
"""

import argparse
import http.client
import json
import os
import random
import signal
import socket
import statistics
import sys
import tempfile
import threading
import time
import types
from pathlib import Path
from urllib.parse import urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("MOTCUA_DATA_DIR", tempfile.mkdtemp(prefix="motcua-queue-bench-"))
os.environ["DEBUG"] = "0"
os.environ["LOG_LEVEL"] = "ERROR"
os.environ["MOTCUA_TASK_BACKEND"] = "database"

# The production settings, with the per-address ticket throttle opened: every simulated kiosk call comes from
# 127.0.0.1 at SPEEDUP times the real rate.
bench_settings = types.ModuleType("queue_bench_settings")
exec("from motcua.settings import *\nQUEUE_TICKETS_PER_MINUTE = 10**9\n", bench_settings.__dict__)
sys.modules["queue_bench_settings"] = bench_settings
os.environ["DJANGO_SETTINGS_MODULE"] = "queue_bench_settings"

TICKETS_PER_HOUR = 300
COUNTERS = 10
SERVICES = [
    ("tu-phap", "A", "Tư pháp – Hộ tịch"),
    ("kinh-doanh", "B", "Đăng ký kinh doanh"),
    ("dat-dai", "C", "Đất đai"),
    ("xay-dung", "D", "Xây dựng"),
    ("xa-hoi", "E", "Văn hóa – Xã hội"),
]
MEAN_SERVICE_SECONDS = 100
IDLE_RETRY_SECONDS = 10


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def prepare_database() -> str:
    import django

    django.setup()
    from django.db import connection

    if connection.vendor == "postgresql":
        import psycopg

        name = connection.settings_dict["NAME"]
        params = connection.get_connection_params()
        for key in ("dbname", "cursor_factory", "context", "prepare_threshold"):
            params.pop(key, None)
        connection.close()
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from motcua.accounts.models import User
    from motcua.apitokens.models import ApiToken
    from motcua.org.models import AdminLevel, AdminUnit, Agency, Center, Counter, StaffAssignment
    from motcua.tickets.models import TicketKind

    level = AdminLevel.objects.create(code="district", name="Cấp huyện", rank=2)
    unit = AdminUnit.objects.create(code="263", name="Huyện Gia Bình", kind="district", level=level)
    agency = Agency.objects.create(
        name="Trung tâm Hành chính công huyện Gia Bình",
        short_name="TTHCC",
        identity_code="000.00.99.H06",
        identity_code_is_demo=True,
        kind="center",
        unit=unit,
    )
    center = Center.objects.create(name=agency.name, unit=unit, agency=agency)
    counters = [
        Counter.objects.create(center=center, number=n, name=f"Quầy {n}") for n in range(1, COUNTERS + 1)
    ]
    for i, (key, letter, label) in enumerate(SERVICES):
        kind = TicketKind.objects.create(center=center, key=key, letter=letter, label=label, position=i)
        kind.counters.set(counters[2 * i : 2 * i + 2])
    officer = User.objects.create_user("tiepnhan", full_name="Cán bộ tiếp nhận")
    StaffAssignment.objects.create(user=officer, role="reception_officer", agency=agency)
    _row, token = ApiToken.issue(officer, label="benchmark")
    connection.close()
    return token


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


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = {}
        self.errors: list[str] = []
        self.issued: list[dict] = []
        self.called: list[tuple[int, str]] = []
        self.idle = 0

    def request(self, port, kind, method, path, body=None, headers=None):
        began = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            conn.request(
                method, path, body=json.dumps(body) if body is not None else None, headers=headers or {}
            )
            response = conn.getresponse()
            payload = response.read()
        except OSError as exc:
            with self.lock:
                self.errors.append(f"{kind}: {exc!r}")
            return None, None
        finally:
            conn.close()
        elapsed = (time.perf_counter() - began) * 1000
        with self.lock:
            self.latencies.setdefault(kind, []).append(elapsed)
        return response.status, payload


def kiosk(port, rec: Recorder, stop_at, interval, rng, offset):
    headers = {"Content-Type": "application/json"}
    next_at = time.perf_counter() + offset
    while next_at < stop_at:
        time.sleep(max(0.0, next_at - time.perf_counter()))
        body = {"service": rng.choice(SERVICES)[0], "priority": rng.random() < 0.2}
        status, payload = rec.request(port, "take ticket", "POST", "/api/v1/queue/tickets", body, headers)
        if status == 201:
            with rec.lock:
                rec.issued.append(json.loads(payload))
        elif status is not None:
            rec.errors.append(f"take ticket: {status} {payload[:200]!r}")
        next_at += interval


def counter(port, rec: Recorder, stop_at, number, token, speedup, rng):
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    time.sleep(rng.uniform(0, IDLE_RETRY_SECONDS / speedup))
    while time.perf_counter() < stop_at:
        began = time.perf_counter()
        status, payload = rec.request(
            port, "call next", "POST", "/api/v1/queue/call_next", {"counter": str(number)}, headers
        )
        if status == 200:
            with rec.lock:
                rec.called.append((number, json.loads(payload)["number"]))
            pause = rng.expovariate(1 / MEAN_SERVICE_SECONDS) / speedup
        else:
            if status == 404 and json.loads(payload)["error"]["code"] == "nobody_waiting":
                with rec.lock:
                    rec.idle += 1
            elif status is not None:
                rec.errors.append(f"call next: {status} {payload[:200]!r}")
            pause = IDLE_RETRY_SECONDS / speedup
        # The service time runs from the call: the request's own latency is part of it, not added to it.
        time.sleep(max(0.0, began + pause - time.perf_counter()))


def display(port, rec: Recorder, stop_at, rng):
    time.sleep(rng.uniform(0, 3))
    while time.perf_counter() < stop_at:
        status, payload = rec.request(port, "display poll", "GET", "/api/v1/queue/display")
        if status not in (200, None):
            rec.errors.append(f"display: {status}")
        time.sleep(3)


def phone(port, rec: Recorder, stop_at, rng):
    time.sleep(rng.uniform(0, 5))
    while time.perf_counter() < stop_at:
        with rec.lock:
            ticket = rec.issued[-rng.randint(1, min(len(rec.issued), 30))] if rec.issued else None
        if ticket is not None:
            path = urlsplit(ticket["follow_url"]).path + "?format=json"
            status, _payload = rec.request(port, "phone follow", "GET", path)
            if status not in (200, None):
                rec.errors.append(f"follow: {status}")
        time.sleep(5)


def warm_up(port, token):
    """Load each server process's code paths (URLs, API schemas, authentication) before the clock starts: a
    few requests of each kind that change nothing (nobody waits yet; an unknown service is refused)."""
    rec = Recorder()
    auth = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}

    def run():
        for _ in range(10):
            rec.request(port, "", "GET", "/api/v1/queue/display")
            rec.request(port, "", "GET", "/api/v1/queue/services")
            rec.request(port, "", "POST", "/api/v1/queue/call_next", {"counter": "1"}, auth)
            rec.request(
                port,
                "",
                "POST",
                "/api/v1/queue/tickets",
                {"service": "?"},
                {"Content-Type": "application/json"},
            )

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def percentiles(values):
    values = sorted(values)
    q = statistics.quantiles(values, n=100) if len(values) > 1 else [values[0]] * 99
    return f"{len(values):>6} | {statistics.median(values):7.1f} | {q[94]:7.1f} | {q[98]:7.1f} | {values[-1]:7.1f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speedup", type=float, default=60)
    parser.add_argument("--hours", type=float, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--kiosks", type=int, default=3)
    parser.add_argument("--displays", type=int, default=3)
    parser.add_argument("--phones", type=int, default=30)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    token = prepare_database()
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
    rec = Recorder()
    seconds = args.hours * 3600 / args.speedup
    try:
        warm_up(port, token)
        stop_at = time.perf_counter() + seconds
        interval = 3600 / TICKETS_PER_HOUR / args.speedup
        rng = random.Random(args.seed)
        threads = [
            threading.Thread(
                target=kiosk,
                args=(port, rec, stop_at, interval * args.kiosks, random.Random(rng.random()), i * interval),
            )
            for i in range(args.kiosks)
        ]
        threads += [
            threading.Thread(
                target=counter, args=(port, rec, stop_at, n, token, args.speedup, random.Random(rng.random()))
            )
            for n in range(1, COUNTERS + 1)
        ]
        threads += [
            threading.Thread(target=display, args=(port, rec, stop_at, random.Random(rng.random())))
            for _ in range(args.displays)
        ]
        threads += [
            threading.Thread(target=phone, args=(port, rec, stop_at, random.Random(rng.random())))
            for _ in range(args.phones)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        for pid in children:
            os.kill(pid, signal.SIGTERM)
        for pid in children:
            os.waitpid(pid, 0)

    from django.db.models import Count

    from motcua.tickets.models import Ticket

    connection.close()
    duplicates = (
        Ticket.objects.values("kind", "day", "number").annotate(n=Count("pk")).filter(n__gt=1).count()
    )
    called_codes = [code for _n, code in rec.called]
    waits = [
        (t.first_called_at - t.issued_at).total_seconds() * args.speedup / 60
        for t in Ticket.objects.exclude(first_called_at=None)
    ]
    print(
        f"database: {vendor}; server workers: {args.workers}; simulated {args.hours:g} h at {args.speedup:g}x "
        f"({seconds:.0f} s real); {args.kiosks} kiosks; {COUNTERS} counters; {args.displays} displays every 3 s; "
        f"{args.phones} phones every 5 s"
    )
    print(f"tickets issued: {len(rec.issued)}; calls: {len(rec.called)}; idle calls (404): {rec.idle}")
    total = sum(len(v) for v in rec.latencies.values())
    print(f"requests answered: {total} ({total / seconds:.1f}/s)")
    print("| request | n | median ms | p95 ms | p99 ms | max ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind in ("take ticket", "call next", "display poll", "phone follow"):
        if rec.latencies.get(kind):
            print(f"| {kind} | " + percentiles(rec.latencies[kind]) + " |")
    print(f"failures: {len(rec.errors)}" + (f" (first: {rec.errors[0]})" if rec.errors else ""))
    print(
        f"numbers given twice: {duplicates}; tickets called twice: {len(called_codes) - len(set(called_codes))}"
    )
    if waits:
        print(
            f"simulated waiting time (minutes): median {statistics.median(waits):.1f}, max {max(waits):.1f}; "
            f"still waiting at the end: {Ticket.objects.filter(status='waiting').count()}"
        )
    ok = not rec.errors and duplicates == 0 and len(called_codes) == len(set(called_codes))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
