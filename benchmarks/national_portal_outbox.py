"""Benchmark and acceptance run of the National Public Service Portal outbox (motcua.national_portal).

The portal (the local simulator) is down while N dossiers are received and advanced through the real transitions;
the worker keeps trying during `--downtime` seconds. Then the simulator comes back on the same port and the worker
drains the outbox. The script checks that every dossier and every history entry arrived, in order per dossier,
none twice, and that the simulator's validation accepted every payload; it prints the figures as Markdown.

`--latency S` makes the simulator take S seconds to answer each call (a real portal answers in hundreds of
milliseconds); `--threads N` drains with N delivery threads, as `portal_outbox_worker --threads N` (1: one
dossier at a time).

Run:  .venv/bin/python benchmarks/national_portal_outbox.py [--dossiers 200] [--downtime 300] [--transport proxy]
      [--latency 0.2] [--threads 4]
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench_portal .venv/bin/python benchmarks/...
"""

import argparse
import datetime
import json
import os
import platform
import sys
import tempfile
import time
import urllib.request


def setup_django():
    if not os.environ.get("DATABASE_URL"):
        folder = tempfile.mkdtemp(prefix="motcua-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.test_settings")
    url = os.environ["DATABASE_URL"]
    if url.startswith("postgres"):
        import psycopg

        base, name = url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=200)
    parser.add_argument(
        "--downtime", type=float, default=10.0, help="seconds the worker runs against a dead portal"
    )
    parser.add_argument("--transport", default="direct", choices=["direct", "proxy"])
    parser.add_argument(
        "--latency", type=float, default=0.0, help="seconds the portal takes to answer a call"
    )
    parser.add_argument("--threads", type=int, default=1, help="delivery threads while draining")
    args = parser.parse_args()
    setup_django()

    from django.conf import settings
    from django.utils import timezone

    from motcua.accounts.tests.factories import UserFactory
    from motcua.dossiers import services
    from motcua.dossiers.tests.factories import ApplicantFactory, ProcedureWithProcessFactory
    from motcua.national_portal import conf, outbox
    from motcua.national_portal.models import OutboxMessage
    from motcua.national_portal.simulator import SimulatorServer

    probe = SimulatorServer(port=0).start()
    url, port = probe.url, probe.port
    probe.stop()
    settings.NATIONAL_PORTAL = {
        "url": url,
        "transport": args.transport,
        "username": "motcua",
        "password": "simulator-password",
        "unit_code": "000.00.99.H06",
        "dstcode": "SIMULATOR",
        "timeout": "5",
    }
    settings.NATIONAL_PORTAL_RETRY_BASE_SECONDS = 1
    settings.NATIONAL_PORTAL_RETRY_MAX_SECONDS = 5

    actor = UserFactory(username="bench", is_superuser=True, is_staff=True, full_name="Cán bộ thử nghiệm")
    procedure = ProcedureWithProcessFactory(name="Thủ tục thử nghiệm đồng bộ")
    started = time.perf_counter()
    dossiers = []
    for n in range(args.dossiers):
        dossier = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=actor)
        steps = n % 5
        for _ in range(min(steps, 4)):
            dossier = services.advance(dossier, actor)
        if steps == 4:
            dossier = services.return_result(dossier, actor)
        dossiers.append(dossier.pk)
    intake_seconds = time.perf_counter() - started
    messages = OutboxMessage.objects.count()

    # The worker keeps running while the portal is down.
    connector = conf.get_connector()
    down_until = time.monotonic() + args.downtime
    down_passes = 0
    while time.monotonic() < down_until:
        report = outbox.deliver_pending(connector)
        assert report.delivered == 0
        down_passes += 1
        time.sleep(min(1.0, max(down_until - time.monotonic(), 0)))

    server = SimulatorServer(port=port).start()
    server.app.agency_codes = {procedure.resolving_agency.identity_code}
    server.app.latency = args.latency
    executor = outbox.DeliveryThreads(args.threads) if args.threads > 1 else None
    started = time.perf_counter()
    passes = 0
    while OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING).exists():
        # The worker's loop, with the clock moved past the backoff the downtime built up.
        outbox.deliver_pending(
            connector, now=timezone.now() + datetime.timedelta(minutes=10), executor=executor
        )
        passes += 1
        if passes > 1000:
            break
    drain_seconds = time.perf_counter() - started
    if executor is not None:
        executor.shutdown()
    with urllib.request.urlopen(f"{server.url}/simulator/state", timeout=10) as response:
        state = json.loads(response.read())
    server.stop()

    from motcua.dossiers.models import Dossier

    problems = []
    failed = OutboxMessage.objects.exclude(state=OutboxMessage.State.SENT).count()
    if failed:
        problems.append(f"{failed} messages not sent")
    by_code = {}
    for entry in state["progress"]:
        by_code.setdefault(entry["MaHoSo"], []).append(entry)
    for dossier in Dossier.objects.filter(pk__in=dossiers):
        stored = state["dossiers"].get(dossier.code)
        events = list(dossier.events.order_by("id"))
        entries = by_code.get(dossier.code, [])
        if stored is None or stored["_inserts"] != 1 or stored["TrangThaiHoSo"] != str(dossier.status):
            problems.append(f"{dossier.code}: dossier missing, inserted twice or stale")
        if [e["TrangThai"] for e in entries] != [str(e.to_status) for e in events]:
            problems.append(f"{dossier.code}: history out of order, missing or duplicated")

    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{'PostgreSQL' if os.environ['DATABASE_URL'].startswith('postgres') else 'SQLite'}, "
        f"transport {args.transport}, portal latency {args.latency:g} s, {args.threads} delivery thread(s)"
    )
    print()
    print("| measure | value |")
    print("|---|---|")
    print(f"| dossiers received and advanced while the portal was down | {args.dossiers} |")
    print(f"| outbox messages written | {messages} |")
    print(
        f"| intake + transitions with outbox rows | {intake_seconds:.1f} s ({messages / intake_seconds:.0f} events/s) |"
    )
    print(f"| worker passes against the dead portal ({args.downtime:.0f} s) | {down_passes} |")
    print(
        f"| drain after the portal came back | {drain_seconds:.1f} s ({messages / drain_seconds:.0f} messages/s) |"
    )
    print(f"| HTTP requests to the portal while draining | {len(state['requests'])} |")
    print(f"| history entries at the portal / events | {len(state['progress'])} / {messages} |")
    print(f"| problems (missing, duplicated, out of order, refused) | {len(problems)} |")
    for problem in problems[:20]:
        print("  -", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
