"""The project's WSGI application plus one benchmark-only view: the baseline that intake is compared with.

`POST /bench/minimal-insert` is "a minimal Django view that takes a per-day counter and inserts a row": in one
transaction it increments today's row of a counter table (`INSERT … ON CONFLICT (day) DO UPDATE … RETURNING`,
which locks that row until commit, as the dossier code counter does) and inserts one row carrying the number,
then answers `{"number": n}` in JSON, through the project's full middleware stack. No authentication, no
validation, no audit, no event: the least a numbered write can cost in the same server and database.

Served with the `make run` command, only the module changes (the benchmarks folder on PYTHONPATH):
    gunicorn -c python:motcua.gunicorn_conf minimal_insert_wsgi
Every other URL is the project's own (`motcua.urls`). `create_tables()` must run once before (the benchmark
scripts call it while preparing the database); the tables are not part of the product's schema.
"""

import datetime
import os
import threading

from django.db import connection, transaction
from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

COUNTER, ROWS = "bench_minimal_counter", "bench_minimal_row"


def create_tables() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {COUNTER} (day varchar(10) PRIMARY KEY, n integer NOT NULL)"
        )
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {ROWS} (day varchar(10) NOT NULL, number integer NOT NULL, "
            "payload text NOT NULL)"
        )


@csrf_exempt
def minimal_insert(request):
    day = datetime.date.today().isoformat()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {COUNTER} (day, n) VALUES (%s, 1) ON CONFLICT (day) DO UPDATE SET n = {COUNTER}.n + 1 "
            "RETURNING n",
            [day],
        )
        number = cursor.fetchone()[0]
        cursor.execute(
            f"INSERT INTO {ROWS} (day, number, payload) VALUES (%s, %s, %s)", [day, number, request.body]
        )
    return JsonResponse({"number": number}, status=201)


def __getattr__(name):
    # The URLconf, built on first use (after Django is set up: the project's URLs import its models).
    if name == "urlpatterns":
        return [path("bench/minimal-insert", minimal_insert), path("", include("motcua.urls"))]
    raise AttributeError(name)


_application = None
_lock = threading.Lock()


def application(environ, start_response):
    """The WSGI application: Django's, with this module as the URLconf."""
    global _application
    if _application is None:
        with _lock:
            if _application is None:
                os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
                from django.conf import settings
                from django.core.wsgi import get_wsgi_application

                settings.ROOT_URLCONF = __name__
                _application = get_wsgi_application()
    return _application(environ, start_response)
