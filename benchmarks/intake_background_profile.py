"""Where the CPU of an intake's background work goes: the task worker's runs (notifications, statistics facts)
and the National Portal outbox, per dossier, in one process.

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench .venv/bin/python \
        benchmarks/intake_background_profile.py [--intakes 300] [--rounds 2] [--profile PART]

What it does: prepares the realistic mix of `dossier_intake_bench.py --mix` (database dropped and recreated, 30
agencies x 10 procedures, 90 tokens, the checklist on a third of the intakes), starts the portal simulator in a
child process (the outbox is delivered over HTTP, as in the benchmark), posts INTAKES intakes in this process
(Django's test client, production task backend: the work is queued, nothing is done), then does that work one
part after the other, as the workers do it, and prints the CPU of this process and the statements per dossier:

- "task queue": the task worker's loop (`db_worker`) over the queued runs, with the parts below already done
  (what the queue itself costs);
- "notifications": `notifications.services.drain` (the SMS and Zalo sandbox messages of every intake);
- "facts": `reports.facts.drain` (the statistics facts of every new dossier);
- "portal outbox": `national_portal.outbox.deliver_pending` until nothing is due (two portal calls per intake).

Each round posts new intakes (`--batch N`: N at a time, each batch then worked off, as the workers' runs see a few
seconds of intakes each); the smallest figure of the rounds is kept (the machine is shared). `--profile PART`
prints the cProfile listing of that part in the first round. The simulator's own CPU is not counted (it is another
process, as in the benchmark).
"""

import argparse
import cProfile
import os
import pstats
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT.parent / "src"))

import dossier_intake_bench as bench  # noqa: E402  (sets the environment and prepares the database)

PARTS = ("notifications", "facts", "portal outbox", "task queue")


def start_simulator(port: int, data_dir: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT.parent / "src")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "motcua", "portal_simulator", "--port", str(port)],
        env=env,
        cwd=data_dir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/simulator/state", timeout=2).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                process.terminate()
                raise SystemExit("the portal simulator did not start") from None
            time.sleep(0.3)
    config = urllib.request.Request(
        f"{url}/simulator/config",
        data=b'{"strict_prefix": false}',
        headers={"Content-Type": "application/json"},
    )
    urllib.request.urlopen(config, timeout=10).close()
    return process


def run_queue() -> int:
    """The task worker's loop over every queued run, due or not (what `db_worker` does, without the sleeps)."""
    from django.utils import timezone
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="profile",
        excluded_queue_names=[],
    )
    before = DBTaskResult.objects.count()
    worker.run()
    return before


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--intakes", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--profile", choices=PARTS, default=None)
    parser.add_argument(
        "--batch",
        type=int,
        default=0,
        help="intakes between two runs of the workers (default: all of a round; the benchmark's runs see 15-100)",
    )
    args = parser.parse_args()
    args.agencies, args.procedures, args.tokens = 30, 10, 3

    import tempfile

    from serve_bench import free_port

    data_dir = tempfile.mkdtemp(prefix="motcua-background-profile-")
    sim_port = free_port()
    os.environ.update(
        MOTCUA_DATA_DIR=data_dir,
        MOTCUA_SIGNING_PASSPHRASE="benchmark-only-passphrase",
        MOTCUA_PUBLIC_URL="http://127.0.0.1",
        NATIONAL_PORTAL_URL=f"http://127.0.0.1:{sim_port}",
        NATIONAL_PORTAL_USERNAME="motcua",
        NATIONAL_PORTAL_PASSWORD="simulator-password",
        NATIONAL_PORTAL_UNIT_CODE="000.00.99.H06",
        NATIONAL_PORTAL_DSTCODE="SIMULATOR",
    )
    bodies = bench.mix_bodies(bench.prepare_mix(args), 100_000)
    simulator = start_simulator(sim_port, data_dir)
    try:
        measure(args, bodies)
    finally:
        simulator.terminate()
        simulator.wait(30)
        import shutil

        shutil.rmtree(data_dir, ignore_errors=True)


def measure(args, bodies):
    from django.db import connection
    from django.test import Client

    from motcua.national_portal import conf, outbox
    from motcua.national_portal.models import OutboxMessage
    from motcua.notifications import services
    from motcua.notifications.models import Notification
    from motcua.reports import facts

    client = Client(HTTP_HOST="127.0.0.1")
    counter = iter(range(10**8))

    def intakes(count):
        for _ in range(count):
            bench.post_intake(client, *bodies[next(counter) % len(bodies)])

    def deliver_outbox():
        connector = conf.get_connector()
        delivered = 0
        while True:
            report = outbox.deliver_pending(connector)
            delivered += report.delivered
            if report.unreachable or report.failed:
                raise SystemExit(f"portal outbox: {report}")
            if not report.delivered:
                return delivered

    work = {
        "notifications": lambda: services.drain().counts["sent"],
        "facts": facts.drain,
        "portal outbox": deliver_outbox,
        "task queue": run_queue,
    }

    # warm-up: imports, caches, the portal session; everything drained
    intakes(40)
    for part in PARTS:
        work[part]()

    best: dict[str, float] = {}
    statements: dict[str, float] = {}
    batch = args.batch or args.intakes
    for round_number in range(args.rounds):
        used = {part: 0.0 for part in PARTS}
        executed = {part: 0 for part in PARTS}
        done = {part: 0 for part in PARTS}
        profiler = cProfile.Profile(time.process_time) if args.profile and round_number == 0 else None
        sent_before = Notification.objects.filter(status="sent").count()
        for _chunk in range(0, args.intakes, batch):
            intakes(batch)  # the intakes of one run's window, then each worker's run over them
            for part in PARTS:

                def count(execute, sql, params, many, context, part=part, executed=executed):
                    executed[part] += 1
                    return execute(sql, params, many, context)

                if profiler is not None and args.profile == part:
                    profiler.enable()
                started = time.process_time()
                with connection.execute_wrapper(count):
                    done[part] += work[part]()
                used[part] += time.process_time() - started
                if profiler is not None and args.profile == part:
                    profiler.disable()
        if profiler is not None:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(70)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
        total = batch * len(range(0, args.intakes, batch))
        for part in PARTS:
            cpu = used[part] * 1000 / total
            best[part] = min(best.get(part, cpu), cpu)
            statements[part] = executed[part] / total
        sent = Notification.objects.filter(status="sent").count() - sent_before
        left = {
            "notifications": Notification.objects.filter(status="pending").count(),
            "portal outbox": OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING).count(),
        }
        print(f"round {round_number + 1}: {sent} notifications sent, done {done}, left {left}")

    print(
        f"database: {connection.vendor}; {args.intakes} intakes x {args.rounds} rounds (best round), "
        "CPU of this process per dossier"
    )
    for part in PARTS:
        print(f"{part:<15} {best[part]:6.2f} ms  {statements[part]:5.1f} statements")
    print(f"{'in all':<15} {sum(best.values()):6.2f} ms  {sum(statements.values()):5.1f} statements")
    print(f"load average at the end (other work on this machine): {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
