"""Benchmark of the public status lookup (the citizen page and the API), against a bare Django view.

Builds a throw-away database (SQLite in a temporary folder unless DATABASE_URL is set) with N received dossiers,
then times requests through Django's full request handler (middleware, sessions, CSRF, templates) in-process:
  - the lookup page `/tra-cuu-ho-so/` (POST code + phone: right pair, and wrong pair),
  - the API `GET /api/v1/lookup?code=&phone=`,
  - a bare view returning a short HttpResponse through the same stack (the reference).
Server time = time inside the handler, measured by the test client; medians over the requests.

Run:  .venv/bin/python benchmarks/lookup_bench.py [--dossiers 2000] [--requests 300]
Prints a Markdown table; the figures in docs/PERFORMANCE.md come from it.
"""

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time

DATA_DIR = tempfile.mkdtemp(prefix="motcua-bench-")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("MOTCUA_DATA_DIR", DATA_DIR)
# the production settings with plain static files (no collectstatic needed) and console-free e-mail
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.test_settings")

import django  # noqa: E402

django.setup()

from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402

import motcua.urls  # noqa: E402


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench-bare/", bare), *motcua.urls.urlpatterns]


def timed(call, n):
    samples = []
    for _i in range(n):
        started = time.perf_counter()
        response = call(_i)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code in (200, 404), response.status_code
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()

    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings

    call_command("migrate", verbosity=0)
    from motcua.accounts.models import User
    from motcua.dossiers import services
    from motcua.dossiers.applicants import find_or_create_applicant
    from motcua.dossiers.tests.factories import ProcedureWithProcessFactory

    actor = User.objects.create_superuser("bench", password="x")
    procedure = ProcedureWithProcessFactory()
    codes = []
    for i in range(args.dossiers):
        applicant = find_or_create_applicant(
            name=f"Nguyễn Văn {i}", id_type="cccd", id_number=f"027199{i:06d}", phone=f"091{i:07d}"
        )
        dossier = services.intake(procedure=procedure, applicant=applicant, actor=actor)
        codes.append((dossier.code, applicant.phone))

    with override_settings(ROOT_URLCONF=__name__):
        client = Client()
        n = args.requests

        def pair(i):
            return codes[(i * 7919) % len(codes)]

        def page_right(i):
            code, phone = pair(i)
            return client.post("/tra-cuu-ho-so/", {"code": code, "phone": phone})

        def page_wrong(i):
            if i % 25 == 0:
                cache.clear()  # stay under the throttle
            code, _phone = pair(i)
            return client.post("/tra-cuu-ho-so/", {"code": code, "phone": "0999999999"})

        def api_right(i):
            code, phone = pair(i)
            return client.get("/api/v1/lookup", {"code": code, "phone": phone})

        rows = []
        for label, call in (
            ("bare Django view (reference)", lambda i: client.get("/bench-bare/")),
            ("lookup page, right pair", page_right),
            ("lookup page, wrong pair (404)", page_wrong),
            ("API /api/v1/lookup, right pair", api_right),
        ):
            timed(call, 20)  # warm up
            rows.append((label, timed(call, n)))

    bare_ms = rows[0][1]
    print(
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, {args.dossiers} dossiers, "
        f"{args.requests} requests each"
    )
    print()
    print("| Request | median server time (ms) | throughput vs bare view |")
    print("|---|---:|---:|")
    for label, ms in rows:
        print(f"| {label} | {ms:.2f} | {100 * bare_ms / ms:.0f}% |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
