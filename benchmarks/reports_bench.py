"""Statistics reports over 1,000,000 dossiers on PostgreSQL: time of every report.

Run:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_reports_bench \
        .venv/bin/python benchmarks/reports_bench.py [--dossiers 1000000] [--keep]

The database is migrated and gets the demo center and catalog (288 procedures, 13 agencies). The generator then
writes N dossiers received over three years (2023–2025; ~6% online, a few postal, "5 tại chỗ" for the
flagged procedures) with what the reports read: the dossier rows and their statistics facts and open spells
(`motcua.reports.models`, with the digitisation counts the documents app keeps: half the dossiers digitised),
i.e. the rollup that the dossier events keep current. Outcomes: 97% resolved (most
early, some on the due date, ~1% late), 1% withdrawn, 0.5% refused, 3% with a supplement pause, and the
dossiers of the last weeks still open (some overdue, some paused). The rows go in with PostgreSQL COPY. Writing
full event histories for a million dossiers is the demo generator's job at a smaller scale (see
docs/PERFORMANCE.md); the report queries never read events.

Each report runs 7 times (after one warm-up); the median and the worst wall-clock times are printed. The
generated rows are removed at the end unless --keep.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.test_settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from motcua.catalog.models import Procedure  # noqa: E402
from motcua.dossiers.models import Applicant, Dossier  # noqa: E402
from motcua.reports import figures, rollup  # noqa: E402
from motcua.reports.bulk import reserve_ids  # noqa: E402
from motcua.reports.models import DossierFact, DossierSpell  # noqa: E402
from motcua.reports.resolution import resolution_report  # noqa: E402

PREFIX = "BENCH-"
FIRST = datetime.date(2023, 1, 1)
DAYS = 3 * 365
HCM = datetime.timezone(datetime.timedelta(hours=7))


def prepare():
    call_command("migrate", verbosity=0)
    if not Procedure.objects.exists():
        from motcua.catalog import demo as catalog_demo
        from motcua.org import demo as org_demo

        org_demo.load()
        catalog_demo.load()


def clear():
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM reports_dossierspell WHERE fact_id IN (SELECT id FROM dossiers_dossier WHERE code LIKE %s)",
            [PREFIX + "%"],
        )
        cursor.execute(
            "DELETE FROM reports_dossierfact WHERE dossier_id IN (SELECT id FROM dossiers_dossier WHERE code LIKE %s)",
            [PREFIX + "%"],
        )
        cursor.execute("DELETE FROM dossiers_dossier WHERE code LIKE %s", [PREFIX + "%"])


def copy(table, columns, rows):
    raw = connection.connection
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as out:
        for row in rows:
            out.write_row(row)


def generate(total: int, seed: int = 1):
    rng = random.Random(seed)
    procedures = list(Procedure.objects.select_related("resolving_agency__unit").order_by("id"))
    weights = [1 / (i + 1) ** 0.8 for i in range(len(procedures))]
    rng.shuffle(weights)
    applicant, _ = Applicant.objects.get_or_create(
        id_type="cccd", id_number="027099800000", defaults={"name": "Người nộp mẫu (benchmark)"}
    )
    ids = reserve_ids(Dossier, total)
    now = datetime.datetime.now(datetime.UTC)
    dossier_cols = [
        "id",
        "code",
        "procedure_id",
        "procedure_code",
        "on_the_spot",
        "applicant_id",
        "channel",
        "agency_id",
        "resolving_agency_id",
        "status",
        "state",
        "summary",
        "set_count",
        "return_method",
        "regime",
        "submitted_at",
        "received_at",
        "due_at",
        "appointment_at",
        "finished_at",
        "supplement_count",
        "supplement_items",
        "apology_count",
        "closing_reason",
        "paused_state",
        "created_at",
        "updated_at",
    ]
    fact_cols = [
        "dossier_id",
        "agency_id",
        "receiving_agency_id",
        "procedure_id",
        "field_id",
        "unit_id",
        "level_id",
        "channel",
        "on_the_spot",
        "received_on",
        "ended_on",
        "ending",
        "outcome",
        "due_on",
        "supplement_on",
        "last_event_id",
        "components_total",
        "components_digitised",
        "components_reused",
        "result_digitised",
        "has_result",
    ]
    spell_cols = [
        "id",
        "fact_id",
        "agency_id",
        "procedure_id",
        "field_id",
        "unit_id",
        "level_id",
        "start_on",
        "end_on",
        "paused",
        "due_on",
    ]
    dossiers, fact_rows, spells = [], [], []
    end_day = FIRST + datetime.timedelta(days=DAYS - 1)
    for n, pk in enumerate(ids):
        p = (
            rng.choices(procedures, weights)[0]
            if n % 64 == 0
            else procedures[int(rng.random() ** 2 * len(procedures))]
        )
        agency = p.resolving_agency
        received_on = FIRST + datetime.timedelta(days=int(n * DAYS / total))
        received = datetime.datetime.combine(received_on, datetime.time(8 + n % 8, n % 60), tzinfo=HCM)
        due_on = received_on + datetime.timedelta(days=rng.choice((0, 3, 5, 7, 10, 15, 20)))
        channel = "online" if rng.random() < 0.06 else ("postal" if rng.random() < 0.01 else "counter")
        fate = rng.random()
        supplement_on = None
        if (end_day - received_on).days < 20 and fate < 0.6:
            ending, ended_on, outcome_ = "", None, ""
        elif fate < 0.01:
            ending, ended_on, outcome_ = "withdrawn", received_on + datetime.timedelta(days=1), ""
        elif fate < 0.015:
            ending, ended_on, outcome_ = "refused", received_on + datetime.timedelta(days=2), ""
        else:
            spread = (due_on - received_on).days
            r = rng.random()
            if r < 0.01:
                ended_on = due_on + datetime.timedelta(days=rng.randint(1, 5))
            elif r < 0.25:
                ended_on = due_on
            else:
                ended_on = received_on + datetime.timedelta(days=rng.randint(0, max(spread - 1, 0)))
            ending = "resolved"
            outcome_ = "early" if ended_on < due_on else ("on_time" if ended_on == due_on else "late")
        components = 1 + n % 5
        digitised = components if rng.random() < 0.5 else 0
        digitisation = (
            components,
            digitised,
            1 if digitised and rng.random() < 0.08 else 0,
            bool(digitised) and ending == "resolved" and rng.random() < 0.6,
            ending == "resolved",
        )
        dims = (agency.pk, p.pk, p.field_id, agency.unit_id, agency.unit.level_id if agency.unit_id else None)
        if rng.random() < 0.03 and (ended_on is None or (ended_on - received_on).days >= 2):
            supplement_on = received_on + datetime.timedelta(days=1)
            back = supplement_on + datetime.timedelta(days=3)
            if ended_on is not None and back >= ended_on:
                back = ended_on
            spells.append((None, pk, *dims, received_on, supplement_on, False, due_on))
            still_paused = ended_on is None and rng.random() < 0.5
            spells.append((None, pk, *dims, supplement_on, None if still_paused else back, True, None))
            if not still_paused and (ended_on is None or back < ended_on):
                spells.append((None, pk, *dims, back, ended_on, False, due_on + datetime.timedelta(days=3)))
        elif ended_on is None or ended_on > received_on:
            spells.append((None, pk, *dims, received_on, ended_on, False, due_on))
        state = {"resolved": "returned", "withdrawn": "withdrawn", "refused": "stopped", "": "in_step"}[
            ending
        ]
        status = {"returned": 10, "withdrawn": 7, "stopped": 8, "in_step": 4}[state]
        due = datetime.datetime.combine(due_on, datetime.time(16, 0), tzinfo=HCM)
        finished = (
            datetime.datetime.combine(ended_on, datetime.time(15, 0), tzinfo=HCM)
            if ending == "resolved"
            else None
        )
        dossiers.append(
            (
                pk,
                f"{PREFIX}{pk}",
                p.pk,
                p.code,
                False,
                applicant.pk,
                channel,
                agency.pk,
                agency.pk,
                status,
                state,
                p.name[:500],
                1,
                "counter",
                "2018",
                received,
                received,
                due,
                due,
                finished,
                1 if supplement_on else 0,
                "[]",
                0,
                "",
                "",
                now,
                now,
            )
        )
        fact_rows.append(
            (
                pk,
                *dims[:1],
                agency.pk,
                *dims[1:],
                channel,
                False,
                received_on,
                ended_on,
                ending,
                outcome_,
                due_on,
                supplement_on,
                0,
                *digitisation,
            )
        )
    spell_ids = reserve_ids(DossierSpell, len(spells))
    spells = [(sid, *row[1:]) for sid, row in zip(spell_ids, spells, strict=True)]
    copy("dossiers_dossier", dossier_cols, dossiers)
    copy("reports_dossierfact", fact_cols, fact_rows)
    copy("reports_dossierspell", spell_cols, spells)
    return len(dossiers), len(spells)


def timed(label, call, rounds=7):
    call()
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    print(f"| {label} | {statistics.median(samples):.0f} | {max(samples):.0f} |", flush=True)
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the dossiers of an earlier --keep run instead of generating",
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("This benchmark is meant for PostgreSQL (set DATABASE_URL).", file=sys.stderr)
    prepare()
    if not (args.reuse and Dossier.objects.filter(code__startswith=PREFIX).exists()):
        rollup.forget()
        clear()
        started = time.perf_counter()
        with transaction.atomic():
            count, spell_count = generate(args.dossiers)
        print(
            f"generated {count} dossiers, {spell_count} spells in {time.perf_counter() - started:.0f} s",
            flush=True,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE dossiers_dossier; ANALYZE reports_dossierfact; ANALYZE reports_dossierspell")
    print(f"facts in the database: {DossierFact.objects.count()}")
    rollup.forget()
    print("\nWithout the daily rollup (every flow read from the facts):\n")
    reports(rounds=args.rounds)
    started = time.perf_counter()
    written, through = rollup.roll_up(rebuild=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reports_dailycount")
    print(
        f"\nrollup_reports --rebuild: {written} rows through {through} in {time.perf_counter() - started:.1f} s\n",
        flush=True,
    )
    print("With the daily rollup (finished days from the rollup, later days from the facts):\n")
    reports(rounds=args.rounds)
    if not args.keep:
        rollup.forget()
        clear()


def reports(rounds=7):
    print("| Report | median ms | worst ms |\n|---|---:|---:|")
    year = (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    quarter = (datetime.date(2025, 7, 1), datetime.date(2025, 9, 30))
    everything = (FIRST, FIRST + datetime.timedelta(days=DAYS - 1))
    for group_by in ("agency", "field", "procedure", "unit", "level"):
        timed(
            f"Biểu 06, one year, by {group_by}",
            lambda g=group_by: resolution_report(*year, group_by=g),
            rounds=rounds,
        )
    timed("Biểu 06, three years, by agency", lambda: resolution_report(*everything), rounds=rounds)
    timed(
        "Biểu 06, one quarter, by procedure",
        lambda: resolution_report(*quarter, group_by="procedure"),
        rounds=rounds,
    )
    timed(
        "Biểu 06, one year, one commune unit", lambda: resolution_report(*year, unit="09454"), rounds=rounds
    )
    timed("Online figures, one year", lambda: figures.online_figures(*year), rounds=rounds)
    timed("“5 tại chỗ” figures, one year", lambda: figures.on_the_spot_figures(*year), rounds=rounds)
    timed("Decision 766 index and ranking, one year", lambda: figures.quality_index(*year), rounds=rounds)
    timed("Month by month by agency, one year", lambda: figures.monthly_by_agency(*year), rounds=rounds)
    timed(
        "Fees, satisfaction, recommendations, digitisation, accounts, one year",
        lambda: figures.other_figures(*year),
        rounds=rounds,
    )
    timed(
        "The whole indicators page (every figure above), one year",
        lambda: indicators_page(*year),
        rounds=rounds,
    )


def indicators_page(date_from, date_to):
    """What the indicators page computes (`views._indicator_context`), for every agency."""
    digitised = figures.digitisation_by_agency(date_from, date_to)
    figures.online_figures(date_from, date_to)
    figures.on_the_spot_figures(date_from, date_to)
    figures.quality_index(date_from, date_to, digitised=digitised)
    figures.monthly_by_agency(date_from, date_to)
    resolution_report(date_from, date_to)
    figures.other_figures(date_from, date_to, digitised=digitised)


if __name__ == "__main__":
    main()
