"""What the task worker spends to send the notifications of API intakes: CPU per notification, in the worker
process and in its PostgreSQL backend.

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench .venv/bin/python benchmarks/notifications_worker_bench.py \
        [--intakes 600] [--per-run 25] [--rounds 2]

What it does: prepares the database as `dossier_intake_bench.py` does (dropped and recreated; the production task
backend, the database queue), sends to the sandbox notifiers that an API intake's applicant reaches there (SMS and
Zalo: the applicant gives a phone number, no e-mail; the sandboxes append to files in a temporary folder), and
repeats, `--intakes / --per-run` times:

1. write the notification rows of `--per-run` intakes as the request does (one INSERT of two rows per intake; not
   timed) and queue what the request queues: one `deliver(ids)` task per intake where the code has no
   `deliver_due` (the code before the coalesced runs), else one `deliver_due` run for the whole group, as
   `background.enqueue_soon` queues it for a burst of intakes in one server process;
2. run the real worker once over the queue (`db_worker --batch`, in this process) and time it: the process CPU
   and the CPU of its PostgreSQL backend (read from /proc, so only when the server runs on this machine).

It prints the CPU per notification (best of `--rounds`) and checks that every row was sent exactly once.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT.parent / "src"))

import dossier_intake_bench as bench  # noqa: E402  (sets the environment and prepares the database)


def backend_cpu(pid: int | None) -> float:
    """CPU seconds used so far by the PostgreSQL backend process `pid` (0 when it cannot be read)."""
    if not pid:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--intakes", type=int, default=600)
    parser.add_argument("--per-run", type=int, default=25, help="intakes between two runs of the worker")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()

    bench.prepare_database()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from motcua.notifications import tasks
    from motcua.notifications.models import Notification

    outbox = tempfile.mkdtemp(prefix="notifications-bench-")
    settings.MOTCUA_OUTBOX_DIR = outbox
    coalesced = hasattr(tasks, "deliver_due")

    def backend_pid() -> int | None:
        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return cursor.fetchone()[0]

    def write_and_queue(first: int, count: int) -> None:
        for n in range(first, first + count):
            rows = Notification.objects.bulk_create(
                Notification(event="received", channel=channel, recipient=f"09{n:08d}", body=f"Hồ sơ {n}.")
                for channel in ("sms", "zalo")
            )
            if not coalesced:
                tasks.deliver.enqueue([row.pk for row in rows])
        if coalesced:
            tasks.deliver_due.enqueue()

    def worker() -> None:
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    best = None
    serial = 0
    for _round in range(args.rounds):
        cpu = pg = 0.0
        sent_before = Notification.objects.filter(status="sent").count()
        for _group in range(args.intakes // args.per_run):
            write_and_queue(serial, args.per_run)
            serial += args.per_run
            pid = backend_pid()
            started, pg_started = time.process_time(), backend_cpu(pid)
            worker()
            cpu += time.process_time() - started
            pg += backend_cpu(pid) - pg_started if backend_pid() == pid else 0.0
        rows = Notification.objects.filter(status="sent").count() - sent_before
        if rows != args.intakes // args.per_run * args.per_run * 2:
            raise SystemExit(f"expected every row sent, {rows} were")
        figures = (cpu * 1000 / rows, pg * 1000 / rows)
        best = figures if best is None or sum(figures) < sum(best) else best

    total = Notification.objects.count()
    for path in Path(outbox).glob("*.jsonl"):
        recipients = [json.loads(line)["to"] for line in path.read_text(encoding="utf-8").splitlines()]
        if len(recipients) != total // 2 or len(set(recipients)) != len(recipients):
            raise SystemExit(f"{path.stem}: a notification was not sent exactly once")

    print(
        f"database: {connection.vendor}; queued: {'one deliver_due run per group' if coalesced else 'one deliver task per intake'}; "
        f"{args.intakes} intakes x 2 notifications per round, worker run every {args.per_run} intakes, "
        f"{args.rounds} rounds (best)"
    )
    print(f"worker process: {best[0]:.2f} ms CPU per notification; its PostgreSQL backend: {best[1]:.2f} ms")
    print(f"load average at the end (other work on this machine): {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
