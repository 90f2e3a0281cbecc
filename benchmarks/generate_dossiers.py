"""Generate N realistic dossiers with their events on PostgreSQL, then time the reports and the monitoring.

Run:  .venv/bin/python benchmarks/generate_dossiers.py --count 1000000 \
        --database-url postgres://postgres@127.0.0.1:5432/motcua_big [--measure] [--drop]
      ... --count 10000000 --chunk 1000000 --rollup sql --measure     (10M: the one-statement rollup, see below)
      ... --finish --rollup sql --measure     (an interrupted load: index, watch, rollup and time what it holds)
      ... --measure-only                      (time an existing database again)
      ... --count 20000 --check-rollup --check-facts   (the generated facts and rollup against the project's)

The database is created when missing, migrated, and gets the demo province (the district, its 14 communes with
their people's committees, the district offices, staff) and the demo catalog. Every dossier is written by
PostgreSQL itself (INSERT ... SELECT over generate_series, one transaction per chunk of `--chunk` dossiers, the
secondary indexes dropped during the load and built once at the end, no per-row foreign-key trigger): nothing
goes through Python row by row except the monitoring due instants of the open dossiers. What is generated:

- dossiers received over `--years` years up to now, in time order (the ids and rows follow the days, as in a
  database that received them day by day), in office hours (Sunday moved to Monday), spread over every
  (procedure, agency) pair of the catalog, the commune-level procedures at each commune, with a skewed
  popularity (a few procedures take most dossiers); ~30 % online, 1 % by post, the rest at the counter; "5 tại
  chỗ" procedures resolved on the day for most of their dossiers;
- their fate: resolved (about 75 % before the due date, 20 % on it, 3 % late), 1 % withdrawn, 0.5 % refused,
  4 % with one supplement request (paused three days, the due date moved by three days); those whose planned
  end is still to come are open (in a step, or paused when they wait for a supplement), and 2 % of the dossiers
  of the last 60 days stay open past their due date (the overdue backlog): about 0.6 % of all dossiers open;
- their events, the add-only history (`dossiers_dossierevent`, ~4.3 per dossier): online submission, reception,
  hand-over to the specialist, supplement request and supplement, result registered, result returned,
  withdrawal or refusal; and the documents app's digitisation row (half the dossiers' components digitised);
- what the reports read: the statistics facts and open spells, written in SQL from the same draws with the
  rules of `motcua.reports.facts.derive` (`--check-facts` rebuilds them from the events with the project's
  `rebuild_report_facts` and compares: identical on 20,000 dossiers), then the daily rollup: the project's
  own `rollup.roll_up(rebuild=True)` (`motcua rollup_reports --rebuild`, month by month: 400 s at 1M on the
  loaded machine) or, with `--rollup sql`, the same sums in one INSERT ... SELECT (`--check-rollup` compares
  it with the rollup in the database: identical on 20,000 dossiers), each followed by the monthly summary
  of the daily rows (`rollup.summarise`, or one more INSERT ... SELECT; `--check-rollup` compares it too);
- what the monitoring reads: the due instants of every open dossier (`monitoring.due.thresholds`, the working
  calendar, as the application computes them), COPYed into the watch table.
Not generated: fee lines and receipts, National Portal outbox messages, evaluations and recommendations (their
report queries run over empty tables).

Each phase's wall-clock time is printed. `--measure` then times (median of `--rounds` after one warm-up, and the
Python CPU of this process) Biểu 06 over the last year and over the whole span, the Decision 766 index and
ranking over the last year, the monitoring dashboard (service, and the HTTP page the center's supervisor opens)
and its overdue and near-due lists, each through the project's own code. `--report-ratio` times Biểu 06 against
one raw SQL aggregate over the same facts (the speed guard's ratio). `--drop` drops the database at the end.
"""

import argparse
import datetime
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import psycopg

SRC = Path(__file__).resolve().parents[1] / "src"
TZ = "Asia/Ho_Chi_Minh"
EVENT_SLOTS = 8  # event ids per dossier: base + ordinal * EVENT_SLOTS + k


def ensure_database(url: str) -> None:
    """Create the database of `url` when it does not exist."""
    name = url.rsplit("/", 1)[1].split("?")[0]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    from django.db import connection

    connection.close()
    name = url.rsplit("/", 1)[1].split("?")[0]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup_django(url: str) -> None:
    sys.path.insert(0, str(SRC))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.test_settings")
    import django

    django.setup()


class Phases:
    def __init__(self):
        self.times: dict[str, float] = {}

    def run(self, label, fn, *args, **kwargs):
        started = time.perf_counter()
        result = fn(*args, **kwargs)
        self.times[label] = self.times.get(label, 0.0) + time.perf_counter() - started
        return result

    def print(self):
        total = sum(self.times.values())
        print("\n| phase | seconds |\n|---|---:|")
        for label, seconds in self.times.items():
            print(f"| {label} | {seconds:.0f} |")
        print(f"| total | {total:.0f} |", flush=True)


def prepare():
    from django.core.management import call_command

    from motcua.catalog.models import Procedure

    call_command("migrate", verbosity=0)
    if not Procedure.objects.exists():
        from motcua.catalog import demo as catalog_demo
        from motcua.org import demo as org_demo

        org_demo.load()
        catalog_demo.load()


def calendar_days(value, unit) -> int:
    """The legal time limit as calendar days (a working week is 5 of 7 days)."""
    if value is None:
        return 10
    value = float(value)
    if unit == "working_days":
        return max(0, round(value * 7 / 5))
    if unit == "calendar_days":
        return round(value)
    return 0  # working hours, same day


def specs(seed: int) -> list[tuple]:
    """(procedure, implementing agency) pairs with their grouping columns, most popular first."""
    from motcua.catalog.models import Procedure, ProcedureImplementation
    from motcua.org.models import Agency

    agencies = {a.pk: a for a in Agency.objects.select_related("unit__level")}
    procedures = {p.pk: p for p in Procedure.objects.all()}
    pairs = {(p.pk, p.resolving_agency_id) for p in procedures.values() if p.resolving_agency_id}
    pairs |= set(ProcedureImplementation.objects.values_list("procedure_id", "agency_id"))
    # The commune-level procedures (civil status, certifications...) are received and resolved by every commune's
    # people's committee: they take most of a province's dossiers.
    communes = [a.pk for a in agencies.values() if a.unit_id and a.unit.level.code == "commune"]
    pairs |= {(p.pk, c) for p in procedures.values() if "commune" in (p.levels or "") for c in communes}
    rows = []
    for pid, aid in sorted(pairs):
        p, a = procedures[pid], agencies[aid]
        rows.append(
            (
                pid,
                p.code,
                p.name[:500],
                aid,
                p.field_id,
                a.unit_id,
                a.unit.level_id if a.unit_id else None,
                calendar_days(p.time_limit_value, p.time_limit_unit),
                bool(p.on_the_spot),
            )
        )
    random.Random(seed).shuffle(rows)
    return rows


def drop_secondary_indexes(cur, tables) -> list[str]:
    """Drop the non-unique, non-primary indexes of `tables`; returns their definitions (to build them again)."""
    cur.execute(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
           JOIN pg_class c ON c.relname = i.indexname JOIN pg_index x ON x.indexrelid = c.oid
           WHERE i.tablename = ANY(%s) AND NOT x.indisunique AND NOT x.indisprimary""",
        [list(tables)],
    )
    found = cur.fetchall()
    # Kept in the database until they are built again, so that an interrupted load can be finished (--finish).
    cur.execute("CREATE TABLE IF NOT EXISTS gen_dropped_index (definition text)")
    for name, definition in found:
        cur.execute("INSERT INTO gen_dropped_index VALUES (%s)", [definition])
        cur.execute(f'DROP INDEX "{name}"')


def build_dropped_indexes(phases: Phases) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SET maintenance_work_mem = '512MB'")
        cur.execute("SELECT to_regclass('gen_dropped_index') IS NOT NULL")
        if not cur.fetchone()[0]:
            return
        cur.execute("SELECT DISTINCT definition FROM gen_dropped_index")
        for (definition,) in cur.fetchall():
            phases.run("build the secondary indexes", cur.execute, definition)
        cur.execute("DROP TABLE gen_dropped_index")
        cur.execute("DROP TABLE IF EXISTS gen_spec")
        cur.execute("DROP TABLE IF EXISTS gen_chunk")
        cur.execute(
            "SELECT setval('reports_dossierspell_id_seq', (SELECT max(id) FROM reports_dossierspell))"
        )


STAGE = """
CREATE UNLOGGED TABLE gen_chunk AS
WITH base AS (
    SELECT nextval('dossiers_dossier_id_seq') AS id,
           -- this chunk's slice of the span, the n dossiers in time order (one a stratum), so that the ids and
           -- the rows follow the days as they do in a real database (which receives its dossiers day by day)
           %(slice_start)s::timestamptz
               + ((g - 1) + random()) / %(n)s * (%(slice_stop)s::timestamptz - %(slice_start)s::timestamptz) AS r0,
           floor(power(random(), 2.2) * %(nspec)s)::int AS k,
           random() AS u_fate, random() AS u_out, random() AS u_k, random() AS u_ch, random() AS u_sup,
           random() AS u_dig, random() AS u_open, random() AS u_spot
    FROM generate_series(1, %(n)s) AS g
), received AS (
    SELECT b.*, s.*,
           LEAST(%(stop)s::timestamptz,
                 (date_trunc('day', b.r0 AT TIME ZONE 'Asia/Ho_Chi_Minh')
                  + CASE WHEN extract(isodow FROM b.r0 AT TIME ZONE 'Asia/Ho_Chi_Minh') = 7
                         THEN interval '1 day' ELSE interval '0' END
                  + interval '7 hours 30 minutes' + b.u_k * interval '9 hours')
                 AT TIME ZONE 'Asia/Ho_Chi_Minh') AS r
    FROM base b JOIN gen_spec s ON s.idx = b.k
), planned AS (
    SELECT *,
           CASE WHEN u_ch < 0.30 THEN 'online' WHEN u_ch < 0.31 THEN 'postal' ELSE 'counter' END AS channel,
           CASE WHEN spot AND u_spot < 0.7 THEN 0
                WHEN u_out < 0.03 THEN days + 1 + floor(u_k * 10)::int
                WHEN u_out < 0.23 THEN days
                ELSE floor(u_k * days)::int END AS kdays
    FROM received
), fated AS (
    SELECT *,
           (u_sup < 0.04 AND kdays >= 1 AND u_fate >= 0.015) AS sup,
           CASE WHEN u_fate < 0.01 THEN 'withdrawn' WHEN u_fate < 0.015 THEN 'refused' ELSE 'resolved' END AS ending,
           r + make_interval(days => days) AS due0
    FROM planned
), timed AS (
    SELECT *,
           CASE WHEN ending = 'withdrawn' THEN r + interval '1 day 1 hour'
                WHEN ending = 'refused' THEN r + interval '2 days 1 hour'
                ELSE r + make_interval(days => kdays + CASE WHEN sup THEN 3 ELSE 0 END) + interval '1 hour'
           END AS end_at
    FROM fated
)
SELECT id, id - %(first_id)s AS ord, procedure_id, code, name, agency_id, field_id, unit_id, level_id, days,
       spot AND channel = 'counter' AS on_the_spot, channel, r, due0, sup, u_dig,
       (end_at > %(stop)s::timestamptz OR (r > %(stop)s::timestamptz - interval '60 days' AND u_open < 0.02))
           AS open,
       ending, end_at
FROM timed
"""

# Derived columns of a staged dossier (used by every INSERT below).
DERIVED = """
    paused AS (SELECT g.*,
        (g.open AND g.sup AND g.r + interval '1 day' < %(stop)s::timestamptz) AS waiting,
        (NOT g.open AND g.sup) AS resumed
    FROM gen_chunk g)
"""

DOSSIERS = (
    "WITH "
    + DERIVED
    + """
INSERT INTO dossiers_dossier (
    id, code, procedure_id, procedure_code, on_the_spot, applicant_id, channel, agency_id, resolving_agency_id,
    status, state, summary, set_count, return_method, regime, submitted_at, received_at, due_at, appointment_at,
    finished_at, returned_at, current_agency_id, current_step_started_at, paused_at, paused_state,
    supplement_count, supplement_items, apology_count, closing_reason, created_at, updated_at)
SELECT id, 'G' || to_char(r AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYMMDD') || '-' || id, procedure_id, code,
    on_the_spot, %(applicant)s, channel, agency_id, agency_id,
    CASE WHEN waiting THEN 5 WHEN open THEN 4 WHEN ending = 'resolved' THEN 10
         WHEN ending = 'withdrawn' THEN 7 ELSE 8 END,
    CASE WHEN waiting THEN 'paused_supplement' WHEN open THEN 'in_step' WHEN ending = 'resolved' THEN 'returned'
         WHEN ending = 'withdrawn' THEN 'withdrawn' ELSE 'stopped' END,
    name, 1, CASE WHEN channel = 'online' THEN 'online' ELSE 'counter' END, '2018',
    CASE WHEN channel = 'online' THEN r - interval '2 hours' END, r,
    due0 + CASE WHEN resumed THEN interval '3 days' ELSE interval '0' END,
    due0 + CASE WHEN resumed THEN interval '3 days' ELSE interval '0' END,
    CASE WHEN NOT open AND ending = 'resolved' THEN end_at END,
    CASE WHEN NOT open AND ending = 'resolved' THEN end_at + interval '30 minutes' END,
    CASE WHEN open THEN agency_id END, CASE WHEN open THEN r + interval '10 minutes' END,
    CASE WHEN waiting THEN r + interval '1 day' END, CASE WHEN waiting THEN 'in_step' ELSE '' END,
    CASE WHEN sup AND (resumed OR waiting) THEN 1 ELSE 0 END, '[]'::jsonb, 0,
    CASE WHEN NOT open AND ending = 'withdrawn' THEN 'Công dân rút hồ sơ'
         WHEN NOT open AND ending = 'refused' THEN 'Không đủ điều kiện giải quyết' ELSE '' END,
    r, COALESCE(CASE WHEN NOT open THEN end_at END, r)
FROM paused
"""
)

# One row per event: (k, at, action, from_status, to_status, from_state, to_state, data), only those that happened.
EVENTS = (
    "WITH "
    + DERIVED
    + """
INSERT INTO dossiers_dossierevent (
    id, dossier_id, at, action, actor_name, agency_id, step_name, step_outcome, next_step_name, note,
    from_status, to_status, from_state, to_state, data)
SELECT %(event_base)s + p.ord * 8 + e.k, p.id, e.at, e.action, '', p.agency_id, '', '', '', '',
       e.from_status, e.to_status, e.from_state, e.to_state, e.data
FROM paused p CROSS JOIN LATERAL (VALUES
    (0, p.r - interval '2 hours', 'submit_online', NULL::smallint, 1, '', 'online_pending', '{}'::jsonb,
     p.channel = 'online'),
    (1, p.r, 'receive', CASE WHEN p.channel = 'online' THEN 1 END::smallint, 2,
     CASE WHEN p.channel = 'online' THEN 'online_pending' ELSE '' END, 'received', '{}'::jsonb, true),
    (2, p.r + interval '10 minutes', 'advance', 2::smallint, 4, 'received', 'in_step', '{}'::jsonb,
     true),
    (3, p.r + interval '1 day', 'request_supplement', 4::smallint, 5, 'in_step', 'paused_supplement',
     '{}'::jsonb, p.waiting OR p.resumed),
    (4, p.r + interval '4 days', 'supplement', 5::smallint, 4, 'paused_supplement', 'in_step',
     jsonb_build_object('due_before', to_char(p.due0 AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'),
                        'due_after', to_char((p.due0 + interval '3 days') AT TIME ZONE 'UTC',
                                             'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')),
     p.resumed),
    (5, p.end_at, CASE p.ending WHEN 'resolved' THEN 'register_result' WHEN 'withdrawn' THEN 'withdraw'
                  ELSE 'refuse' END, 4::smallint,
     CASE p.ending WHEN 'resolved' THEN 9 WHEN 'withdrawn' THEN 7 ELSE 8 END, 'in_step',
     CASE p.ending WHEN 'resolved' THEN 'result_ready' WHEN 'withdrawn' THEN 'withdrawn' ELSE 'stopped' END,
     '{}'::jsonb, NOT p.open),
    (6, p.end_at + interval '30 minutes', 'return_result', 9::smallint, 10, 'result_ready', 'returned',
     '{}'::jsonb, NOT p.open AND p.ending = 'resolved')
) AS e(k, at, action, from_status, to_status, from_state, to_state, data, happened)
WHERE e.happened
"""
)

# The facts as `motcua.reports.facts.derive` computes them from those events (dates are local dates).
FACTS = (
    "WITH "
    + DERIVED
    + """
INSERT INTO reports_dossierfact (
    dossier_id, agency_id, receiving_agency_id, procedure_id, field_id, unit_id, level_id, channel, on_the_spot,
    received_on, ended_on, ending, outcome, due_on, supplement_on, last_event_id, components_total,
    components_digitised, components_reused, result_digitised, has_result)
SELECT id, agency_id, agency_id, procedure_id, field_id, unit_id, level_id, channel, on_the_spot,
    (r AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
    CASE WHEN NOT open THEN (end_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date END,
    CASE WHEN open THEN '' ELSE ending END,
    CASE WHEN open OR ending <> 'resolved' THEN ''
         WHEN (end_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date < (due AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
         THEN 'early'
         WHEN (end_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date = (due AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
         THEN 'on_time'
         ELSE 'late' END,
    (due AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
    CASE WHEN waiting OR resumed THEN ((r + interval '1 day') AT TIME ZONE 'Asia/Ho_Chi_Minh')::date END,
    %(event_base)s + ord * 8 + CASE WHEN NOT open AND ending = 'resolved' THEN 6 WHEN NOT open THEN 5
                                    WHEN waiting THEN 3 ELSE 2 END,
    1 + id %% 5, CASE WHEN u_dig < 0.5 THEN 1 + id %% 5 ELSE 0 END, CASE WHEN u_dig < 0.04 THEN 1 ELSE 0 END,
    u_dig < 0.3 AND NOT open AND ending = 'resolved', NOT open AND ending = 'resolved'
FROM (SELECT *, due0 + CASE WHEN resumed THEN interval '3 days' ELSE interval '0' END AS due FROM paused) d
"""
)

# The open spells: active from reception (to the supplement request, or the end); paused from the request (to the
# supplement, or still); active again from the supplement to the end. Same-day spells are dropped, as `derive`
# does.
SPELLS = (
    "WITH "
    + DERIVED
    + """
INSERT INTO reports_dossierspell (
    fact_id, agency_id, procedure_id, field_id, unit_id, level_id, start_on, end_on, paused, due_on)
SELECT * FROM (
    SELECT p.id, p.agency_id, p.procedure_id, p.field_id, p.unit_id, p.level_id, s.start_on, s.end_on, s.paused,
           s.due_on
    FROM paused p CROSS JOIN LATERAL (VALUES
        ((p.r AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
         CASE WHEN p.waiting OR p.resumed THEN ((p.r + interval '1 day') AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
              WHEN NOT p.open THEN (p.end_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date END,
         false, (p.due0 AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, true),
        (((p.r + interval '1 day') AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
         CASE WHEN p.resumed THEN ((p.r + interval '4 days') AT TIME ZONE 'Asia/Ho_Chi_Minh')::date END,
         true, (p.due0 AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, p.waiting OR p.resumed),
        (((p.r + interval '4 days') AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
         (p.end_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
         false, ((p.due0 + interval '3 days') AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, p.resumed)
    ) AS s(start_on, end_on, paused, due_on, happened)
    WHERE s.happened
) x WHERE end_on IS NULL OR end_on > start_on
"""
)

# Digitisation: half the dossiers have their components digitised, some reused, 60 % of the resolved ones with a
# digitised result (the documents app's row, copied into the fact as its signal does).
DIGITISATION = """
INSERT INTO documents_dossierdigitisation (
    dossier_id, components_total, components_digitised, components_reused, result_digitised,
    digitisation_status, updated_at)
SELECT id, 1 + id %% 5, CASE WHEN u_dig < 0.5 THEN 1 + id %% 5 ELSE 0 END,
       CASE WHEN u_dig < 0.04 THEN 1 ELSE 0 END,
       u_dig < 0.3 AND NOT open AND ending = 'resolved',
       %(status)s, r
FROM gen_chunk
"""


def generate(count: int, years: int, chunk: int, seed: int, phases: Phases) -> None:
    from django.db import connection, transaction

    from motcua.dossiers.models import Applicant

    rows = specs(seed)
    applicant, _ = Applicant.objects.get_or_create(
        id_type="cccd", id_number="027099800001", defaults={"name": "Người nộp mẫu (dữ liệu thử tải)"}
    )
    stop = datetime.datetime.now(datetime.UTC).replace(microsecond=0) - datetime.timedelta(minutes=5)
    start = stop - datetime.timedelta(days=365 * years)
    tables = (
        "dossiers_dossier",
        "dossiers_dossierevent",
        "reports_dossierfact",
        "reports_dossierspell",
        "documents_dossierdigitisation",
    )
    digitisation_status = _digitisation_status()
    with connection.cursor() as cur:
        cur.execute("SET synchronous_commit = off")
        # A bulk load whose rows are consistent by construction: no foreign-key trigger per row.
        cur.execute("SET session_replication_role = replica")
        cur.execute("SET maintenance_work_mem = '512MB'")
        cur.execute("SET work_mem = '64MB'")
        cur.execute("DROP TABLE IF EXISTS gen_spec")
        cur.execute(
            "CREATE UNLOGGED TABLE gen_spec (idx int, procedure_id int, code text, name text, agency_id int, "
            "field_id int, unit_id int, level_id int, days int, spot bool)"
        )
        with cur.cursor.copy("COPY gen_spec FROM STDIN") as out:
            for idx, row in enumerate(rows):
                out.write_row((idx, *row))
        phases.run("drop secondary indexes", drop_secondary_indexes, cur, tables)
    done = 0
    while done < count:
        n = min(chunk, count - done)
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("SELECT last_value FROM dossiers_dossier_id_seq")
            first_id = cur.fetchone()[0] + 1
            cur.execute("SELECT COALESCE(max(id), 0) FROM dossiers_dossierevent")
            event_base = cur.fetchone()[0] + 1
            params = {
                "start": start,
                "stop": stop,
                "slice_start": start + (stop - start) * (done / count),
                "slice_stop": start + (stop - start) * ((done + n) / count),
                "nspec": len(rows),
                "n": n,
                "first_id": first_id,
                "applicant": applicant.pk,
                "event_base": event_base,
                "status": digitisation_status,
            }
            cur.execute("DROP TABLE IF EXISTS gen_chunk")
            phases.run("draw the dossiers (staging)", cur.execute, STAGE, params)
            phases.run("dossiers", cur.execute, DOSSIERS, params)
            phases.run("events", cur.execute, EVENTS, params)
            phases.run("statistics facts", cur.execute, FACTS, params)
            phases.run("open spells", cur.execute, SPELLS, params)
            phases.run("digitisation", cur.execute, DIGITISATION, params)
            cur.execute("DROP TABLE gen_chunk")
            cur.execute(
                "SELECT setval(pg_get_serial_sequence('dossiers_dossierevent', 'id'), "
                "(SELECT max(id) FROM dossiers_dossierevent))"
            )
        done += n
        print(f"  {done:,} / {count:,} dossiers, {sum(phases.times.values()):.0f} s", flush=True)
    build_dropped_indexes(phases)


def _digitisation_status() -> str:
    from motcua.documents.models import DigitisationStatus

    return DigitisationStatus.values[0]


def due_watch(phases: Phases) -> int:
    """The monitoring due instants of the open dossiers, computed as the application does, COPYed in."""
    from django.db import connection

    from motcua.catalog.models import Procedure, ProcessStep
    from motcua.dossiers.models import Dossier
    from motcua.monitoring import due
    from motcua.monitoring.models import DueWatch
    from motcua.workdays.services import get_calendar

    cal, rules = get_calendar(), due.rules()
    procedures = {p.pk: p for p in Procedure.objects.all()}
    steps = {s.pk: s for s in ProcessStep.objects.select_related("template__procedure")}
    columns = (
        "dossier_id",
        "agency_id",
        "resolving_agency_id",
        "holder_id",
        "held_since",
        "paused",
        "received_at",
        "due_at",
        "near_due_at",
        "badly_overdue_at",
        "step_due_at",
        "step_near_due_at",
        "appointment_at",
        "apology_from",
        "apology_until",
        "synced_at",
    )
    fields = (
        "pk",
        "state",
        "channel",
        "procedure_id",
        "current_step_id",
        "current_agency_id",
        "resolving_agency_id",
        "holder_id",
        "received_at",
        "due_at",
        "appointment_at",
        "current_step_started_at",
        "current_step_due_at",
    )
    now = datetime.datetime.now(datetime.UTC)
    buffer = io.StringIO()

    def iso(v):
        return v.isoformat() if v else "\\N"

    count = 0
    DueWatch.objects.all().delete()
    for values in (
        Dossier.objects.filter(state__in=due.OPEN_STATES).values_list(*fields).iterator(chunk_size=5000)
    ):
        d = SimpleNamespace(**dict(zip(fields, values, strict=True)))
        d.procedure, d.current_step = procedures[d.procedure_id], steps.get(d.current_step_id)
        th = due.thresholds(d, cal, rules)
        row = [
            d.pk,
            d.current_agency_id or d.resolving_agency_id,
            d.resolving_agency_id,
            d.holder_id or "\\N",
            iso(d.current_step_started_at),
            "t" if th.paused else "f",
            iso(d.received_at),
            iso(th.due_at),
            iso(th.near_due_at),
            iso(th.badly_overdue_at),
            iso(th.step_due_at),
            iso(th.step_near_due_at),
            iso(th.appointment_at),
            iso(th.apology_from),
            iso(th.apology_until),
            now.isoformat(),
        ]
        buffer.write("\t".join(str(v) for v in row) + "\n")
        count += 1
    buffer.seek(0)
    raw = connection.connection
    with (
        raw.cursor() as cur,
        cur.copy(f"COPY {DueWatch._meta.db_table} ({', '.join(columns)}) FROM STDIN") as out,
    ):
        out.write(buffer.read())
    return count


def check_facts() -> bool:
    """Rebuild the facts and spells from the events with the project's own code (`rebuild_report_facts`) and
    compare them with the generated ones (and the rollup rolled up from each); True when they are identical."""
    from django.db import connection

    from motcua.reports import facts
    from motcua.reports.rollup import COUNTS

    spell_columns = (
        "fact_id, agency_id, procedure_id, field_id, unit_id, level_id, start_on, end_on, paused, due_on"
    )
    daily_columns = "day, agency_id, procedure_id, field_id, unit_id, level_id, " + ", ".join(COUNTS)
    tables = {
        "reports_dossierfact": "*",
        "reports_dossierspell": spell_columns,
        "reports_dailycount": daily_columns,
    }
    with connection.cursor() as cur:
        for table, columns in tables.items():
            cur.execute(f"DROP TABLE IF EXISTS gen_check_{table}")
            cur.execute(f"CREATE UNLOGGED TABLE gen_check_{table} AS SELECT {columns} FROM {table}")
    started = time.perf_counter()
    count = facts.rebuild_all()
    print(f"rebuild_report_facts: {count:,} dossiers in {time.perf_counter() - started:.0f} s")
    same = True
    with connection.cursor() as cur:
        for table, columns in tables.items():
            for a, b in ((f"gen_check_{table}", table), (table, f"gen_check_{table}")):
                cur.execute(
                    f"SELECT count(*) FROM (SELECT {columns} FROM {a} EXCEPT SELECT {columns} FROM {b}) x"
                )
                differ = cur.fetchone()[0]
                print(f"  rows of {a} not in {b}: {differ}")
                same = same and differ == 0
            cur.execute(f"DROP TABLE gen_check_{table}")
    return same


ROLLUP_SQL = """
INSERT INTO {table} (day, agency_id, procedure_id, field_id, unit_id, level_id, received, online, on_the_spot, ended,
    early, on_time, late, refused, withdrawn, supplement_requested, with_digitised_components, with_result,
    results_digitised, components, components_reused)
SELECT day, agency_id, procedure_id, field_id, unit_id, level_id, sum(received), sum(online), sum(on_the_spot),
    sum(ended), sum(early), sum(on_time), sum(late), sum(refused), sum(withdrawn), sum(supplement_requested),
    sum(with_digitised_components), sum(with_result), sum(results_digitised), sum(components),
    sum(components_reused)
FROM (
    SELECT received_on AS day, agency_id, procedure_id, field_id, unit_id, level_id, 1 AS received,
        (channel = 'online')::int AS online, on_the_spot::int AS on_the_spot, 0 AS ended, 0 AS early,
        0 AS on_time, 0 AS late, 0 AS refused, 0 AS withdrawn, 0 AS supplement_requested,
        (components_digitised > 0)::int AS with_digitised_components, has_result::int AS with_result,
        (has_result AND result_digitised)::int AS results_digitised, components_total AS components,
        components_reused
    FROM reports_dossierfact WHERE received_on <= %(through)s
    UNION ALL
    SELECT ended_on, agency_id, procedure_id, field_id, unit_id, level_id, 0, 0, 0, 1,
        (ending = 'resolved' AND outcome = 'early')::int, (ending = 'resolved' AND outcome = 'on_time')::int,
        (ending = 'resolved' AND outcome = 'late')::int, (ending = 'refused')::int, (ending = 'withdrawn')::int,
        0, 0, 0, 0, 0, 0
    FROM reports_dossierfact WHERE ended_on <= %(through)s AND received_on IS NOT NULL
    UNION ALL
    SELECT supplement_on, agency_id, procedure_id, field_id, unit_id, level_id, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
        0, 0, 0, 0, 0
    FROM reports_dossierfact WHERE supplement_on <= %(through)s AND received_on IS NOT NULL
) flows
GROUP BY day, agency_id, procedure_id, field_id, unit_id, level_id
"""


# The monthly summary of the daily rollup (what `rollup.summarise` writes), in one statement.
MONTHLY_SQL = """
INSERT INTO reports_monthlycount (month, agency_id, procedure_id, field_id, unit_id, level_id, received, online,
    on_the_spot, ended, early, on_time, late, refused, withdrawn, supplement_requested,
    with_digitised_components, with_result, results_digitised, components, components_reused)
SELECT date_trunc('month', day)::date, agency_id, procedure_id, field_id, unit_id, level_id, sum(received),
    sum(online), sum(on_the_spot), sum(ended), sum(early), sum(on_time), sum(late), sum(refused), sum(withdrawn),
    sum(supplement_requested), sum(with_digitised_components), sum(with_result), sum(results_digitised),
    sum(components), sum(components_reused)
FROM reports_dailycount
GROUP BY 1, agency_id, procedure_id, field_id, unit_id, level_id
"""


def sql_rollup(table: str = "reports_dailycount") -> tuple[int, datetime.date]:
    """The daily rollup through yesterday in one INSERT ... SELECT (the sums `rollup.roll_up(rebuild=True)`
    writes month by month from the facts; `--check-rollup` compares the two)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from motcua.reports.models import RollupState

    through = timezone.localdate() - datetime.timedelta(days=1)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL work_mem = '256MB'")
        if table == "reports_dailycount":
            cur.execute("DELETE FROM reports_dailycount")
            RollupState.objects.update_or_create(pk=1, defaults={"rolled_through": through})
        cur.execute(ROLLUP_SQL.format(table=table), {"through": through})
        written = cur.rowcount
        if table == "reports_dailycount":
            cur.execute("DELETE FROM reports_monthlycount")
            cur.execute(MONTHLY_SQL)
    return written, through


def check_rollup() -> bool:
    """Compare the rollup in the database with the one `sql_rollup` computes; True when identical."""
    from django.db import connection

    from motcua.reports.rollup import COUNTS

    columns = "day, agency_id, procedure_id, field_id, unit_id, level_id, " + ", ".join(COUNTS)
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS gen_check_rollup")
        cur.execute("CREATE UNLOGGED TABLE gen_check_rollup (LIKE reports_dailycount INCLUDING ALL)")
    sql_rollup("gen_check_rollup")
    same = True
    with connection.cursor() as cur:
        for a, b in (("gen_check_rollup", "reports_dailycount"), ("reports_dailycount", "gen_check_rollup")):
            cur.execute(
                f"SELECT count(*) FROM (SELECT {columns} FROM {a} EXCEPT SELECT {columns} FROM {b}) x"
            )
            differ = cur.fetchone()[0]
            print(f"  rollup rows of {a} not in {b}: {differ}")
            same = same and differ == 0
        cur.execute("DROP TABLE gen_check_rollup")
        # The monthly summary against the sums of the daily rows it summarises.
        monthly = "month, agency_id, procedure_id, field_id, unit_id, level_id, " + ", ".join(COUNTS)
        summed = MONTHLY_SQL.split("SELECT", 1)[1].split("FROM reports_dailycount")[0]
        grouped = f"SELECT {summed} FROM reports_dailycount GROUP BY 1, agency_id, procedure_id, field_id, unit_id, level_id"
        for a, b in (
            (f"SELECT {monthly} FROM reports_monthlycount", grouped),
            (grouped, f"SELECT {monthly} FROM reports_monthlycount"),
        ):
            cur.execute(f"SELECT count(*) FROM ({a} EXCEPT {b}) x")
            differ = cur.fetchone()[0]
            print(f"  monthly summary rows that differ from the sums of the daily rows: {differ}")
            same = same and differ == 0
    return same


def vacuum_analyze(table: str = "") -> None:
    from django.db import connection

    with connection.cursor() as cur:
        if table:
            cur.execute(f"VACUUM ANALYZE {table}")
            return
        # What autovacuum does after a bulk load, for the tables the reports and the monitoring read (the visibility
        # map lets their index-only scans skip the table); the event history, which they never read, is analysed.
        cur.execute(
            "VACUUM ANALYZE dossiers_dossier, reports_dossierfact, reports_dossierspell, monitoring_duewatch, "
            "documents_dossierdigitisation"
        )
        cur.execute("ANALYZE dossiers_dossierevent")


def load() -> str:
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def timed(label, call, rounds):
    """Median and worst wall-clock ms after one warm-up; also this process's CPU ms (median), which the other
    work on a shared machine affects less (the database server's time is not in it)."""
    call()
    samples, cpu = [], []
    for _ in range(rounds):
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    print(
        f"| {label} | {statistics.median(samples):.0f} | {max(samples):.0f} | {statistics.median(cpu):.0f} |",
        flush=True,
    )
    return statistics.median(samples)


def measure(rounds: int) -> dict:
    """Time the reports and the monitoring through the project's own code."""
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from motcua.accounts.models import User
    from motcua.dossiers.models import Dossier
    from motcua.monitoring import dashboard
    from motcua.monitoring.dashboard import Filters
    from motcua.monitoring.models import DueWatch
    from motcua.reports import figures
    from motcua.reports.models import DossierFact
    from motcua.reports.resolution import resolution_report

    setup_test_environment()
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    first = DossierFact.objects.order_by("received_on").values_list("received_on", flat=True).first()
    year = (yesterday - datetime.timedelta(days=364), yesterday)
    everything = (first, yesterday)
    total = Dossier.objects.count()
    print(
        f"\n{total:,} dossiers, {DueWatch.objects.count():,} open; load averages (1/5/15 min) before: {load()}\n"
    )
    print("| measure | median ms | worst ms | Python CPU ms |\n|---|---:|---:|---:|")
    director = User.objects.get(username="giamdoc")
    client = Client()
    client.force_login(director)

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    results = {
        "Biểu 06, last year, by agency": timed(
            "Biểu 06, last year, by agency", lambda: resolution_report(*year), rounds
        ),
        "Biểu 06, three years, by agency": timed(
            "Biểu 06, whole span (three years), by agency", lambda: resolution_report(*everything), rounds
        ),
        "Biểu 06, last year, by procedure": timed(
            "Biểu 06, last year, by procedure",
            lambda: resolution_report(*year, group_by="procedure"),
            rounds,
        ),
        "766 index": timed(
            "Decision 766 index and ranking, last year", lambda: figures.quality_index(*year), rounds
        ),
        "dashboard service": timed(
            "monitoring dashboard counts (service)", lambda: dashboard.overview(director, Filters()), rounds
        ),
        "dashboard page": timed(
            "HTTP GET /theo-doi/ (the supervisor's dashboard)", lambda: get("/theo-doi/"), rounds
        ),
        "overdue list": timed(
            "HTTP GET /theo-doi/ho-so/?state=overdue", lambda: get("/theo-doi/ho-so/?state=overdue"), rounds
        ),
        "near-due list": timed(
            "HTTP GET /theo-doi/ho-so/?state=near_due", lambda: get("/theo-doi/ho-so/?state=near_due"), rounds
        ),
    }
    print(f"\nload averages after: {load()}", flush=True)
    return results


RAW_BIEU_06 = """
SELECT agency_id,
       count(*) FILTER (WHERE received_on < %(f)s) AS carried_over,
       count(*) FILTER (WHERE received_on >= %(f)s) AS new,
       count(*) FILTER (WHERE ending = 'resolved' AND ended_on <= %(t)s AND outcome = 'early') AS early,
       count(*) FILTER (WHERE ending = 'resolved' AND ended_on <= %(t)s AND outcome = 'on_time') AS on_time,
       count(*) FILTER (WHERE ending = 'resolved' AND ended_on <= %(t)s AND outcome = 'late') AS late,
       count(*) FILTER (WHERE ending = 'refused' AND ended_on <= %(t)s) AS refused,
       count(*) FILTER (WHERE ending = 'withdrawn' AND ended_on <= %(t)s) AS withdrawn,
       count(*) FILTER (WHERE ended_on IS NULL OR ended_on > %(t)s) AS in_progress,
       count(*) FILTER (WHERE supplement_on BETWEEN %(f)s AND %(t)s) AS supplement_requested
FROM reports_dossierfact
WHERE received_on <= %(t)s AND (ended_on IS NULL OR ended_on >= %(f)s)
GROUP BY agency_id
"""


def report_vs_raw(rounds: int) -> float:
    """Biểu 06 by agency over the last year through the project's code (`resolution_report`), against one raw
    SQL aggregate over the same facts; checks that the totals agree and returns the ratio of the medians."""
    from django.db import connection
    from django.utils import timezone

    from motcua.reports.resolution import resolution_report

    to = timezone.localdate() - datetime.timedelta(days=1)
    period = (to - datetime.timedelta(days=364), to)
    columns = ("carried_over", "new", "early", "on_time", "late", "refused", "withdrawn", "in_progress")

    def raw():
        with connection.cursor() as cur:
            cur.execute(RAW_BIEU_06, {"f": period[0], "t": period[1]})
            return cur.fetchall()

    rows = raw()
    sums = {c: sum(row[1 + i] for row in rows) for i, c in enumerate((*columns, "supplement_requested"))}
    total = resolution_report(*period).total
    report = {c: getattr(total, c) for c in (*columns, "supplement_requested")}
    if report != sums:
        raise AssertionError(f"Biểu 06 totals {report} differ from the raw SQL's {sums}")
    report_ms = timed(
        "Biểu 06, last year, by agency (the project's code)", lambda: resolution_report(*period), rounds
    )
    raw_ms = timed("the same counts, one raw SQL aggregate over the facts", raw, rounds)
    ratio = report_ms / raw_ms
    print(f"REPORT_RAW_RATIO {ratio:.2f} ({report_ms:.1f} ms / {raw_ms:.1f} ms)", flush=True)
    return ratio


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--chunk", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--measure", action="store_true", help="time the reports and monitoring afterwards")
    parser.add_argument(
        "--measure-only", action="store_true", help="no generation: time an existing database"
    )
    parser.add_argument(
        "--check-facts",
        action="store_true",
        help="rebuild the facts from the events with the project's code and compare (small counts: slow)",
    )
    parser.add_argument(
        "--report-ratio",
        action="store_true",
        help="time Biểu 06 against one raw SQL aggregate over the same facts (the speed guard's ratio)",
    )
    parser.add_argument(
        "--finish",
        action="store_true",
        help="no more dossiers: finish an interrupted load (indexes, watch, VACUUM, rollup) with what it holds",
    )
    parser.add_argument(
        "--rollup",
        choices=("project", "sql"),
        default="project",
        help="the daily rollup by the project's rollup_reports --rebuild (default) or one INSERT ... SELECT",
    )
    parser.add_argument(
        "--check-rollup", action="store_true", help="compare the rollup with the one-statement SQL rollup"
    )
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        sys.exit("The generator writes with PostgreSQL's SQL: give a postgres:// database URL.")
    ensure_database(args.database_url)
    setup_django(args.database_url)
    from motcua.reports import rollup

    phases = Phases()
    try:
        if not args.measure_only:
            print(f"load averages (1/5/15 min) at the start: {load()}", flush=True)
            phases.run("migrate and demo data", prepare)
            if args.finish:
                build_dropped_indexes(phases)
            else:
                generate(args.count, args.years, args.chunk, args.seed, phases)
            opened = phases.run("monitoring due instants (Python calendar + COPY)", due_watch, phases)
            phases.run("VACUUM ANALYZE", vacuum_analyze)
            if args.rollup == "sql":
                written, through = phases.run("daily rollup (one INSERT ... SELECT)", sql_rollup)
            else:
                written, through = phases.run(
                    "daily rollup (rollup_reports --rebuild)", rollup.roll_up, rebuild=True
                )
            phases.run("VACUUM ANALYZE", vacuum_analyze, "reports_dailycount")
            print(f"{opened:,} open dossiers watched; rollup: {written:,} rows through {through}")
            phases.print()
            print(f"load averages at the end: {load()}", flush=True)
        if args.check_rollup and not check_rollup():
            sys.exit("The rollup differs from the one-statement SQL rollup.")
        if args.check_facts and not check_facts():
            sys.exit("The generated facts differ from the ones rebuilt from the events.")
        if args.measure or args.measure_only:
            measure(args.rounds)
        if args.report_ratio:
            report_vs_raw(args.rounds)
    finally:
        if args.drop:
            drop_database(args.database_url)


if __name__ == "__main__":
    main()
