"""Intake and catalog search with 1 implementing agency per procedure against 99 per commune procedure, measured
in the same run with interleaved rounds, and the ratio of the two (goal: within 10%).

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench .venv/bin/python benchmarks/two_tier_bench.py \
        [--rounds 6] [--intakes 60] [--searches 60] [--implementers 99]

What it does (PostgreSQL; every database named below is dropped and recreated, then dropped at the end):
1. intake: in the database of DATABASE_URL (as `dossier_intake_bench.py` prepares it), two twin procedures with
   the standard process: one implemented by its default agency only, the other also by IMPLEMENTERS commune
   agencies. In each round, INTAKES intakes of one then INTAKES of the other go through
   `POST /api/v1/dossiers` (Django's handler in this process, production task backend); the order alternates
   between rounds;
2. catalog search: two databases `<name>_one` and `<name>_many` with the same 5,000-procedure catalog
   (`catalog_search_bench.fill_catalog`), the second with IMPLEMENTERS commune agencies implementing every
   commune-level procedure. Each round runs SEARCHES API searches (q only, q + agency, list by a commune, the
   detail of 1.001193) and public search pages against one database, then the other (the connection is switched
   and the process caches are cleared at each switch, so each side pays its own cache misses alike);
3. prints, per measure, the median CPU time of this process per request over the rounds of each side and the
   ratio many / one. CPU of this process, not wall time: on a shared machine the wall clock measures the other
   tenants; the PostgreSQL server's CPU is not included (the statements are the same in number on both sides).
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT.parent / "src"))

import dossier_intake_bench as bench  # noqa: E402  (sets the environment: production settings, DEBUG off)

SEARCHES = [
    ("API search (q only)", "/api/v1/procedures?q={q}"),
    ("API search, q + agency", "/api/v1/procedures?q={q}&agency=TP"),
    ("API detail /procedures/1.001193 (*)", "/api/v1/procedures/1.001193"),
    ("public search page", "/thu-tuc/?q={q}"),
]
QUERIES = ["dang ky khai sinh", "giay phep xay dung", "chung thuc ban sao", "ho kinh doanh", "1.001193"]


def recreate(name: str, *, create: bool = True) -> None:
    import psycopg
    from django.db import connection

    params = connection.get_connection_params()
    for key in ("dbname", "cursor_factory", "context", "prepare_threshold"):
        params.pop(key, None)
    connection.close()
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if create:
            admin.execute(f'CREATE DATABASE "{name}"')


def use(name: str) -> None:
    """Point the default connection at database `name` and forget what this process cached from another."""
    from django.core.cache import caches
    from django.db import connection

    from motcua import refcache

    connection.close()
    connection.settings_dict["NAME"] = name
    refcache.clear_all()
    for cache in caches.all():
        cache.clear()


def twin_procedure(implementers: int) -> str:
    """A copy of the benchmark's procedure (code 9.000001) implemented by its agency and `implementers` communes."""
    from motcua.catalog.models import Procedure, ProcedureImplementation
    from motcua.catalog.processes import set_standard_process
    from motcua.org.models import AdminLevel, AdminUnit, Agency

    source = Procedure.objects.get(code="1.001193")
    twin = Procedure.objects.create(
        code="9.000001",
        name="Thủ tục đăng ký khai sinh (bản sao để đo)",
        field=source.field,
        resolving_agency=source.resolving_agency,
        levels="district,commune",
        time_limit_value=3,
        time_limit_unit="working_days",
        online_level="partial",
        status="published",
    )
    set_standard_process(twin, "normal")
    level, _created = AdminLevel.objects.get_or_create(code="commune", defaults={"name": "Cấp xã", "rank": 3})
    for n in range(implementers):
        place = AdminUnit.objects.create(code=f"T{n:04d}", name=f"Xã Đo {n}", kind="commune", level=level)
        other = Agency.objects.create(
            name=f"Ủy ban nhân dân xã Đo {n}",
            identity_code=f"000.{n % 100:02d}.{80 + n // 100:02d}.H06",
            identity_code_is_demo=True,
            kind="peoples_committee",
            unit=place,
        )
        ProcedureImplementation.objects.create(procedure=twin, agency=other, level="commune")
    return twin.code


def measure_intake(args) -> dict[str, list[float]]:
    from django.db import connection
    from django.test import Client

    token, one = bench.prepare_database(0)
    many = twin_procedure(args.implementers)
    connection.close()
    client = Client(HTTP_HOST="127.0.0.1")
    counter = iter(range(1, 10**8))

    def intake(code):
        n = next(counter)
        body = {
            "procedure": code,
            "channel": "counter",
            "applicant": {"type": "citizen", "name": f"Nguyễn Văn Thử {n}", "id_number": f"0270{n:08d}"},
        }
        response = client.post(
            "/api/v1/dossiers",
            json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        if response.status_code != 201:
            raise SystemExit(f"intake failed: {response.status_code} {response.content[:300]!r}")

    for _ in range(10):  # warm-up of both
        intake(one)
        intake(many)
    samples = {"one": [], "many": []}
    for round_number in range(args.rounds):
        order = [("one", one), ("many", many)]
        if round_number % 2:
            order.reverse()
        for side, code in order:
            started = time.process_time()
            for _ in range(args.intakes):
                intake(code)
            samples[side].append((time.process_time() - started) * 1000 / args.intakes)
    return samples


def build_catalog(name: str, implementers: int) -> None:
    from catalog_search_bench import fill_catalog
    from django.core.management import call_command
    from django.db import connection

    recreate(name)
    use(name)
    call_command("migrate", verbosity=0)
    fill_catalog(5_000, implementers)
    connection.close()


def measure_search(args, base: str) -> dict[str, dict[str, list[float]]]:
    from django.test import Client

    databases = {"one": f"{base}_one", "many": f"{base}_many"}
    build_catalog(databases["one"], 0)
    build_catalog(databases["many"], args.implementers)
    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="vi")
    urls = {label: [pattern.format(q=q) for q in QUERIES] for label, pattern in SEARCHES}
    samples = {label: {"one": [], "many": []} for label, _pattern in SEARCHES}
    for round_number in range(args.rounds):
        order = ["one", "many"] if round_number % 2 == 0 else ["many", "one"]
        for side in order:
            use(databases[side])
            for label, _pattern in SEARCHES:
                for url in urls[label][:2]:  # warm-up after the switch
                    client.get(url)
                started = time.process_time()
                for i in range(args.searches):
                    url = urls[label][i % len(urls[label])]
                    response = client.get(url)
                    assert response.status_code == 200, (url, response.status_code)
                samples[label][side].append((time.process_time() - started) * 1000 / args.searches)
    use(base)
    for name in databases.values():
        recreate(name, create=False)
    return samples


def line(label: str, one: list[float], many: list[float]) -> str:
    a, b = statistics.median(one), statistics.median(many)
    return f"{label:<38} one {a:7.2f} ms   many {b:7.2f} ms   ratio {b / a:5.2f}"


def main():
    from django.conf import settings

    # The public page links its stylesheet; this process has no collected static files (no manifest).
    settings.STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--intakes", type=int, default=60)
    parser.add_argument("--searches", type=int, default=60)
    parser.add_argument("--implementers", type=int, default=99)
    parser.add_argument("--skip-search", action="store_true")
    args = parser.parse_args()
    load_before = os.getloadavg()
    intake = measure_intake(args)
    from django.db import connection

    base = connection.settings_dict["NAME"]
    search = {} if args.skip_search else measure_search(args, base)
    load_after = os.getloadavg()
    print(
        f"database: {connection.vendor}; one = 1 implementing agency per procedure, many = {args.implementers} "
        f"per commune procedure; {args.rounds} interleaved rounds per side; median CPU of this process per request"
    )
    print(line("intake POST /api/v1/dossiers", intake["one"], intake["many"]))
    for label, sides in search.items():
        print(line(label, sides["one"], sides["many"]))
    if search:
        print(
            "(*) the detail lists every implementing agency: more rows to serialise by design, not a search"
        )
    print(
        f"load average (1 min) before {load_before[0]:.1f}, after {load_after[0]:.1f} "
        f"(5 min {load_after[1]:.1f}) on {os.cpu_count()} CPUs"
    )


if __name__ == "__main__":
    main()
