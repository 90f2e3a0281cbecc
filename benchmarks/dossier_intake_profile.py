"""Where the CPU of one API intake goes: statements per intake, CPU per intake, and the share of each part of
the system that reacts to a new dossier.

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench .venv/bin/python benchmarks/dossier_intake_profile.py \
        [--intakes 200] [--rounds 3] [--profile]

What it does: prepares the same database as `dossier_intake_bench.py` (dropped and recreated), then, in this one
process and one at a time (no concurrency, no HTTP socket: Django's test client calls the WSGI handler), posts
intakes to `POST /api/v1/dossiers` (with the production task backend, see `dossier_intake_bench.py`) and measures
the process CPU per intake:

- "everything": as in production;
- then with the receivers of one more app switched off at each phase (reports' facts, notifications,
  documents' digitisation, monitoring's due watch and the national-portal outbox), so the difference between
  two phases is the CPU that app adds to every intake; the last phase is the dossiers app alone (with the
  audit trail, which is part of every save).

Each phase runs `--rounds` times in turn and the smallest figure is kept (the machine is shared; the minimum is
the least disturbed run). `--profile` also prints the cProfile listing of one "everything" round.

`--mix` uses the realistic mix of `dossier_intake_bench.py --mix` instead (30 agencies x 10 procedures, 90 tokens,
the checklist on a third of the intakes, the National Portal outbox on) and also prints, per reference cache, how
often an intake found its row there: a row is read once per process until the reference data changes, so what
is read is the first use of each procedure and token (fewer as the run is longer).

`--drain N` then measures the other half of the reports' work, done by the task worker (or a report) outside the
request: N more intakes are left pending and `reports.facts.drain` rebuilds their facts; CPU and statements per
dossier are printed.
"""

import argparse
import cProfile
import json
import os
import pstats
import sys
import time
import weakref
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT.parent / "src"))

import dossier_intake_bench as bench  # noqa: E402  (sets the environment and prepares the database)

# (label, apps whose receivers are switched off from this phase on)
PHASES = [
    ("everything", ()),
    ("without the reports' facts", ("reports",)),
    ("without notifications", ("notifications",)),
    ("without documents' digitisation", ("documents",)),
    ("dossiers alone (no due watch, no portal outbox)", ("monitoring", "national_portal")),
]


def receivers_of(apps):
    """(signal, receiver entry) of the given apps among the signals an intake sends."""
    from django.db.models.signals import post_save

    from motcua.dossiers.signals import components_received, dossier_changed

    found = []
    for signal in (dossier_changed, components_received, post_save):
        for entry in list(signal.receivers):
            ref = entry[1]
            # A receiver connected with weak=False is stored as itself: calling it here would run it (the
            # reference caches' receiver would clear every cache before each phase's sample).
            target = ref() if isinstance(ref, weakref.ReferenceType) else ref
            module = getattr(target, "__module__", "") or ""
            parts = module.split(".")
            if len(parts) > 1 and parts[0] == "motcua" and parts[1] in apps:
                found.append((signal, entry))
    return found


def switch_off(found):
    for signal, entry in found:
        signal.receivers.remove(entry)
        signal.sender_receivers_cache.clear()


def switch_on(found):
    for signal, entry in found:
        signal.receivers.append(entry)
        signal.sender_receivers_cache.clear()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--intakes", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--drain", type=int, default=0, help="then time the drain of this many pending intakes"
    )
    parser.add_argument(
        "--mix", action="store_true", help="the realistic mix (see dossier_intake_bench.py --mix)"
    )
    args = parser.parse_args()

    if args.mix:
        args.agencies, args.procedures, args.tokens = 30, 10, 3
        os.environ.update(
            NATIONAL_PORTAL_URL="http://127.0.0.1:9",  # the outbox rows are written; nothing is sent here
            NATIONAL_PORTAL_USERNAME="motcua",
            NATIONAL_PORTAL_PASSWORD="simulator-password",
            NATIONAL_PORTAL_UNIT_CODE="000.00.99.H06",
            NATIONAL_PORTAL_DSTCODE="SIMULATOR",
        )
        bodies = bench.mix_bodies(bench.prepare_mix(args), 100_000)
    else:
        token, code = bench.prepare_database()
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    counter = iter(range(1, 10**8))

    def intake():
        n = next(counter)
        if args.mix:
            bench.post_intake(client, *bodies[n % len(bodies)])
            return
        body = {
            "procedure": code,
            "channel": "counter",
            "applicant": {
                "type": "citizen",
                "name": f"Nguyễn Văn Thử {n}",
                "id_number": f"0270{n:08d}",
                "phone": "0912345678",
            },
        }
        bench.post_intake(client, token, json.dumps(body))

    def statements():
        seen = []

        def wrapper(execute, sql, params, many, context):
            seen.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(wrapper):
            intake()
        return len(seen)

    for _ in range(20):  # warm-up: imports, calendar, prepared caches
        intake()
    if args.mix:  # how often the reference caches answer without reading the database
        from motcua import refcache

        asked, read = {}, {}
        original = refcache.ReferenceCache.get

        def counting_get(self, key, load):
            asked[self.name] = asked.get(self.name, 0) + 1

            def counted_load():
                read[self.name] = read.get(self.name, 0) + 1
                return load()

            return original(self, key, counted_load)

        refcache.ReferenceCache.get = counting_get
        for _ in range(args.intakes):
            intake()
        refcache.ReferenceCache.get = original
        print(
            "reference caches, rows read again per lookup: "
            + ", ".join(f"{name} {read.get(name, 0)}/{n}" for name, n in sorted(asked.items()))
        )

    best = {}
    counts = {}
    mean_statements = {}  # over the timed intakes of the last round (the sample above is one intake)
    for round_number in range(args.rounds):
        off = []
        for label, apps in PHASES:
            found = receivers_of(apps)
            switch_off(found)
            off.extend(found)
            counts[label] = statements()
            profiler = None
            if args.profile and round_number == 0 and not apps:
                profiler = cProfile.Profile(time.process_time)
                profiler.enable()
            executed = [0]

            def count_statement(execute, sql, params, many, context, executed=executed):
                executed[0] += 1
                return execute(sql, params, many, context)

            started = time.process_time()
            with connection.execute_wrapper(count_statement):
                for _ in range(args.intakes):
                    intake()
            cpu = (time.process_time() - started) * 1000 / args.intakes
            mean_statements[label] = executed[0] / args.intakes
            if profiler is not None:
                profiler.disable()
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
            best[label] = min(best.get(label, cpu), cpu)
        switch_on(off)

    from django.conf import settings

    print(
        f"database: {connection.vendor}; task backend: {settings.TASKS['default']['BACKEND']}; "
        f"{args.intakes} intakes x {args.rounds} rounds per phase (best round)"
    )
    previous = None
    for label, _apps in PHASES:
        line = (
            f"{label:<50} {counts[label]:>3} statements ({mean_statements[label]:4.1f} on average)"
            f"  {best[label]:6.1f} ms CPU per intake"
        )
        if previous is not None:
            line += f"  (that app: {best[previous] - best[label]:+.1f} ms)"
        print(line)
        previous = label
    if args.drain:
        from motcua.reports import facts

        facts.drain()  # what the phases above left pending (no worker runs here)
        for _ in range(args.drain):
            intake()
        seen = []

        def count(execute, sql, params, many, context):
            seen.append(sql)
            return execute(sql, params, many, context)

        started_wall, started = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(count):
            rebuilt = facts.drain()
        cpu = (time.process_time() - started) * 1000
        wall = (time.perf_counter() - started_wall) * 1000
        print(
            f"drain of {rebuilt} pending intakes: {cpu / rebuilt:.2f} ms CPU per dossier "
            f"({cpu:.0f} ms CPU, {wall:.0f} ms wall, {len(seen)} statements in all)"
        )
    print(f"load average at the end (other work on this machine): {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
