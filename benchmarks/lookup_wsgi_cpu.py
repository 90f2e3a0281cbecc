"""CPU per request of the public status lookup against the bare view, in one process, through the WSGI handler.

Calls the project's WSGI application directly (the production settings, DEBUG off, PostgreSQL through the
connection pool when DATABASE_URL names a PostgreSQL database: each request borrows and returns its connection as
under gunicorn; no HTTP parsing, no sockets), on a throw-away database with 50 received dossiers, and prints the
process CPU per request, median of interleaved rounds, for:
  - `GET /api/v1/lookup?code=&phone=` and `POST /api/v1/lookup` (JSON), right pairs;
  - `GET /healthz`, the bare view of serve_bench.py (constant JSON through the full middleware stack).
The served figures (serve_bench.py) add the HTTP server's own cost to both; this isolates the application's.

Run:
  .venv/bin/python benchmarks/lookup_wsgi_cpu.py                      (SQLite in a temporary folder)
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench .venv/bin/python benchmarks/lookup_wsgi_cpu.py
The PostgreSQL database is dropped and created again. Options: --rounds N (6), --requests N per round (1000),
--profile (then only the cProfile listing of that many GET lookups, by own time).
"""

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import time
from urllib.parse import urlencode, urlsplit

DATA_DIR = tempfile.mkdtemp(prefix="motcua-bench-")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
os.environ.setdefault("MOTCUA_DATA_DIR", DATA_DIR)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
os.environ.setdefault("MOTCUA_DEMO_MODE", "1")  # the factories' demo agency codes
os.environ.setdefault("MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000")


def recreate_postgresql_database(url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def prepare(n: int) -> list[tuple[str, str]]:
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    from motcua.accounts.models import User
    from motcua.dossiers import services
    from motcua.dossiers.applicants import find_or_create_applicant
    from motcua.dossiers.tests.factories import ProcedureWithProcessFactory

    actor = User.objects.create_superuser("bench", password="x")
    procedure = ProcedureWithProcessFactory()
    pairs = []
    for i in range(n):
        applicant = find_or_create_applicant(
            name=f"Nguyễn Văn {i}", id_type="cccd", id_number=f"027199{i:06d}", phone=f"091{i:07d}"
        )
        pairs.append(
            (services.intake(procedure=procedure, applicant=applicant, actor=actor).code, applicant.phone)
        )
    connections.close_all()
    return pairs


def environ(method: str, path: str, query: str = "", body: bytes = b"") -> dict:
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        recreate_postgresql_database(url)
    import django

    django.setup()
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    pairs = prepare(50)
    application = get_wsgi_application()

    def start_response(status, headers, exc_info=None):
        assert status.startswith("200"), status

    def request(make, i):
        response = application(make(*pairs[i % len(pairs)]), start_response)
        b"".join(response)
        response.close()  # request_finished: the connection goes back to the pool, as under gunicorn

    kinds = {
        "lookup GET": lambda code, phone: environ(
            "GET", "/api/v1/lookup", urlencode({"code": code, "phone": phone})
        ),
        "lookup POST": lambda code, phone: environ(
            "POST", "/api/v1/lookup", body=json.dumps({"code": code, "phone": phone}).encode()
        ),
        "bare view (/healthz)": lambda code, phone: environ("GET", "/healthz"),
    }
    if args.profile:
        import cProfile
        import pstats

        for i in range(200):
            request(kinds["lookup GET"], i)
        profile = cProfile.Profile()
        profile.enable()
        for i in range(args.requests):
            request(kinds["lookup GET"], i)
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(35)
        return 0
    samples = {name: [] for name in kinds}
    for _round in range(args.rounds):
        for name, make in kinds.items():
            for i in range(200):  # warm-up of the round
                request(make, i)
            started = time.process_time()
            for i in range(args.requests):
                request(make, i)
            samples[name].append((time.process_time() - started) * 1000 / args.requests)
    bare = statistics.median(samples["bare view (/healthz)"])
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"{engine}, {args.rounds} rounds x {args.requests} requests, load average {os.getloadavg()[0]:.1f}")
    print("| request | CPU per request (median of rounds) | bare / request |")
    print("|---|---:|---:|")
    for name, values in samples.items():
        median = statistics.median(values)
        print(f"| {name} | {median:.3f} ms | {bare / median:.0%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
