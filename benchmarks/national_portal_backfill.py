"""Benchmark of `motcua portal_backfill` over the demo's 2022 history (inserted in bulk, so without outbox rows).

Loads the demo (org, catalog and the 21,037 dossiers of 2022 with their ~126,000 events) into a fresh database
with the connector off, turns the connector on (pointed at the local portal simulator), then measures:
- the backfill (`--since 01/12/2021`): dossiers and messages enqueued, wall and CPU time, the number of queries;
- a second run (idempotent: nothing new);
- the worker's choice of due messages (one query per pass) with the whole history pending;
- one worker pass of `--deliver` messages to the simulator over HTTP, with `--batch` history entries at most per
  CapNhatTienDoHoSoMC call (1 = each entry alone, as before batching), and whether the simulator's validation
  accepted every payload.
It prints the figures as Markdown.

Run:  .venv/bin/python benchmarks/national_portal_backfill.py [--deliver 300] [--batch 10]
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench_backfill .venv/bin/python benchmarks/...
"""

import argparse
import datetime
import json
import os
import platform
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))

from national_portal_outbox import setup_django  # noqa: E402


def timed(function):
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--deliver", type=int, default=300, help="messages delivered in the sample worker pass"
    )
    parser.add_argument(
        "--batch", type=int, default=10, help="NATIONAL_PORTAL_PROGRESS_BATCH (1 = no batching)"
    )
    args = parser.parse_args()
    setup_django()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from motcua.dossiers.models import Dossier, DossierEvent
    from motcua.national_portal import conf, outbox
    from motcua.national_portal.backfill import backfill
    from motcua.national_portal.models import OutboxMessage
    from motcua.national_portal.simulator import SimulatorServer

    settings.NATIONAL_PORTAL = {"url": ""}
    settings.MOTCUA_DEMO_HISTORY = True
    _result, load_wall, load_cpu = timed(lambda: call_command("load_demo", verbosity=0))
    dossiers, events = Dossier.objects.count(), DossierEvent.objects.count()
    assert OutboxMessage.objects.count() == 0, "the bulk history must not have written outbox rows"

    server = SimulatorServer(port=0).start()
    settings.NATIONAL_PORTAL = {
        "url": server.url,
        "transport": "direct",
        "username": "motcua",
        "password": "simulator-password",
        "unit_code": "000.00.99.H06",
        "dstcode": "SIMULATOR",
        "timeout": "10",
    }
    settings.NATIONAL_PORTAL_PUBLIC_URL = "https://motcua.example.vn"
    settings.NATIONAL_PORTAL_PROGRESS_BATCH = args.batch
    since = datetime.date(2021, 12, 1)
    with CaptureQueriesContext(connection) as queries:
        report, wall, cpu = timed(lambda: backfill(since))
    query_count = len(queries)
    again, again_wall, _cpu = timed(lambda: backfill(since))
    heads, heads_wall, _cpu = timed(lambda: outbox.due_heads(timezone.now(), 500))
    connector = conf.get_connector()
    later = timezone.now() + datetime.timedelta(minutes=1)
    sample, deliver_wall, _cpu = timed(
        lambda: outbox.deliver_pending(connector, now=later, limit=args.deliver)
    )
    with urllib.request.urlopen(f"{server.url}/simulator/state", timeout=30) as response:
        state = json.loads(response.read())
    server.stop()
    refused = OutboxMessage.objects.filter(state=OutboxMessage.State.FAILED).values_list(
        "last_error", flat=True
    )

    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{'PostgreSQL' if os.environ['DATABASE_URL'].startswith('postgres') else 'SQLite'}; "
        f"load average before: {os.getloadavg()[0]:.1f}"
    )
    print()
    print("| measure | value |")
    print("|---|---|")
    print(
        f"| `load_demo` with the 2022 history (connector off) | {load_wall:.0f} s wall, {load_cpu:.0f} s CPU |"
    )
    print(f"| dossiers / events in the database | {dossiers:,} / {events:,} |")
    print(
        f"| backfill: dossiers in the period / enqueued | {report.dossiers:,} / {report.dossiers_enqueued:,} |"
    )
    print(f"| backfill: outbox rows written | {report.messages:,} |")
    print(f"| backfill: time | {wall:.1f} s wall, {cpu:.1f} s CPU, {query_count} queries |")
    print(f"| second run (nothing new) | {again.messages} rows, {again_wall:.1f} s |")
    print(
        f"| worker's choice of due messages with all rows pending | {heads_wall * 1000:.0f} ms ({len(heads)} heads) |"
    )
    print(
        f"| sample worker pass | {sample.delivered} messages sent in {deliver_wall:.1f} s "
        f"({sample.delivered / deliver_wall:.0f} messages/s), {len(state['requests'])} HTTP requests |"
    )
    calls = [r for r in state["requests"] if r["operation"] == "CapNhatTienDoHoSoMC"]
    entries = sum(r["entries"] or 0 for r in calls)
    rate = sample.delivered / deliver_wall
    print(
        f"| history entries per CapNhatTienDoHoSoMC call (batch {args.batch}) | "
        f"{entries / max(len(calls), 1):.1f} ({entries} entries in {len(calls)} calls) |"
    )
    print(
        f"| whole backfill at this rate | {report.messages / rate / 60:.0f} min "
        f"({report.messages:,} messages at {rate:.0f} messages/s) |"
    )
    print(f"| payloads refused by the simulator's validation | {len(list(refused))} |")
    for error in list(refused)[:5]:
        print("  -", error[:300])
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main())
