"""Procedure search over 5,000 procedures: server time of the API and the public search page.

Run:  .venv/bin/python benchmarks/catalog_search_bench.py [--implementers N]
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench .venv/bin/python benchmarks/catalog_search_bench.py
With --implementers N, N commune agencies (demo) also implement every commune-level procedure (two-tier
government: 99 communes in the new Bắc Ninh), so that the agency filter and the detail's `agencies` read them.
A throw-away test database is created (the demo catalog, 288 procedures, plus generated variants up to 5,000) and
destroyed. Each request goes through Django's full handler (middleware, URL routing, ORM, JSON or template
rendering) in-process, so the time is the server's time without the network. Prints wall-clock medians and 95th
percentiles, the CPU time of this process (on SQLite it includes the database's work; on PostgreSQL the server's
work is in its own process), and the throughput relative to a bare Django view served the same way.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.test_settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402
from django.urls import include, path  # noqa: E402

TOTAL = 5_000
ROUNDS = 200
QUERIES = [
    "dang ky khai sinh",
    "khai sinh dang ky",
    "Đăng ký khai sinh",
    "giay phep xay dung",
    "ho kinh doanh",
    "chung thuc ban sao",
    "1.001193",
    "tro cap xa hoi",
    "khong co thu tuc nay",
]


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("__bare/", bare), path("", include("motcua.urls"))]


def fill_catalog(total: int, implementers: int = 0) -> None:
    """The demo catalog, then variants of its names ("..., trường hợp N") up to `total` procedures; with
    `implementers`, that many commune agencies implement every commune-level procedure."""
    from motcua.catalog import demo
    from motcua.catalog.models import (
        Procedure,
        ProcedureImplementation,
        ensure_default_implementations,
        rebuild_search_terms,
    )

    demo.load()
    base = list(Procedure.objects.select_related("field", "resolving_agency"))
    extra, n = [], 0
    while len(base) + len(extra) < total:
        source = base[n % len(base)]
        n += 1
        clone = Procedure(
            code=f"8.{n:06d}",
            name=f"{source.name}, trường hợp {n // len(base) + 1}",
            field=source.field,
            resolving_agency=source.resolving_agency,
            levels=source.levels,
            time_limit_value=source.time_limit_value,
            time_limit_unit=source.time_limit_unit,
            online_level=source.online_level,
            on_the_spot=False,
            source_confidence=Procedure.Confidence.GENERATED,
        )
        clone.refresh_search()
        extra.append(clone)
    Procedure.objects.bulk_create(extra, batch_size=500)
    rebuild_search_terms(extra)
    ensure_default_implementations(Procedure.objects.select_related("resolving_agency"))
    if implementers:
        from motcua.org.models import AdminLevel, AdminUnit, Agency

        level, _ = AdminLevel.objects.get_or_create(code="commune", defaults={"name": "Cấp xã", "rank": 3})
        agencies = []
        for n in range(implementers):
            unit = AdminUnit.objects.create(code=f"B{n:04d}", name=f"Xã Mẫu {n}", kind="commune", level=level)
            agencies.append(
                Agency.objects.create(
                    name=f"Ủy ban nhân dân xã Mẫu {n}",
                    short_name=f"XA{n}",
                    identity_code=f"000.{n % 100:02d}.{60 + n // 100:02d}.H06",
                    identity_code_is_demo=True,
                    kind="peoples_committee",
                    unit=unit,
                )
            )
        commune = Procedure.objects.filter(levels__contains="commune").values_list("pk", flat=True)
        ProcedureImplementation.objects.bulk_create(
            (
                ProcedureImplementation(procedure_id=pk, agency=a, level="commune")
                for pk in commune
                for a in agencies
            ),
            batch_size=5000,
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def timings(client: Client, urls: list[str], rounds: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU (this process) milliseconds per request."""
    wall, cpu = [], []
    for i in range(rounds):
        url = urls[i % len(urls)]
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return wall, cpu


def describe(name: str, samples: tuple[list[float], list[float]]) -> str:
    wall, cpu = sorted(samples[0]), samples[1]
    p95 = wall[int(len(wall) * 0.95) - 1]
    return (
        f"{name:<40} wall median {statistics.median(wall):6.2f} ms  p95 {p95:6.2f} ms   "
        f"CPU median {statistics.median(cpu):6.2f} ms"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--implementers", type=int, default=0, help="commune agencies per commune procedure")
    args = parser.parse_args()
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"]):
            from motcua.catalog.models import Procedure

            started = time.perf_counter()
            fill_catalog(TOTAL, args.implementers)
            from motcua.catalog.models import ProcedureImplementation

            print(
                f"{connection.vendor}: {Procedure.objects.count()} procedures, "
                f"{ProcedureImplementation.objects.count()} implementations loaded in "
                f"{time.perf_counter() - started:.1f} s"
            )
            client = Client(HTTP_ACCEPT_LANGUAGE="vi")
            api_urls = [f"/api/v1/procedures?q={q}" for q in QUERIES]
            page_urls = [f"/thu-tuc/?q={q}" for q in QUERIES]
            first = client.get(api_urls[0]).json()["results"][0]["code"]
            print(f"first result for '{QUERIES[0]}': {first}")
            timings(client, api_urls + page_urls + ["/__bare/"], 30)  # warm-up
            results = {
                "API search (q only)": timings(client, api_urls, ROUNDS),
                "API search, q + agency + online_level": timings(
                    client, [u + "&agency=TP&online_level=full" for u in api_urls], ROUNDS
                ),
                "API list without q (page 5)": timings(client, ["/api/v1/procedures?page=5"], ROUNDS),
                "API detail /procedures/1.001193": timings(client, ["/api/v1/procedures/1.001193"], ROUNDS),
                "API search, agency = a commune": timings(
                    client, [f"/api/v1/procedures?agency={'XA7' if args.implementers > 7 else 'TP'}"], ROUNDS
                ),
                "Public search page /thu-tuc/?q=": timings(client, page_urls, ROUNDS),
                "bare Django view": timings(client, ["/__bare/"], ROUNDS),
            }
            for name, samples in results.items():
                print(describe(name, samples))
            bare_median = statistics.median(results["bare Django view"][0])
            api_median = statistics.median(results["API search (q only)"][0])
            print(
                f"API search throughput = {bare_median / api_median:.1%} of the bare view (one process, serial)"
            )
            print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
