"""Monitoring over 1,000,000 dossiers on PostgreSQL: the dashboard counts, the drill-down lists, the API.

Run:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/monitoring_bench.py
      [--dossiers 1000000] [--open-share 0.1] [--recommendations 50000] [--awaiting-share 0.1]
      [--rounds 30] [--repeat 3] [--keep] [--build-only] [--churn] [--database motcua_monitoring_bench]

A throw-away database (`--database`, default motcua_monitoring_bench) is created, filled and destroyed (--keep
keeps it and reuses it on the next run when it already holds the dossiers; --build-only only fills it). The
generator:
- loads the demo center (agencies, counters, staff), adds one procedure of 3–15 working days with the standard
  process for each of its agencies and 5 specialists per agency;
- inserts the dossiers in SQL (generate_series, the dossier table's secondary indexes dropped during the load
  and built once afterwards): received over two years, most returned, `--open-share` of them open (received in
  the last 20 days, 1 in 10 of those paused), each held by a specialist of its agency;
- computes the monitoring due instants of the open ones with the working-time calendar (the same
  `motcua.monitoring.due.thresholds` the application uses) and COPYs them into the watch table;
- inserts the recommendations in SQL, `--awaiting-share` of them awaiting an answer (one in five of those not
  assigned yet), and writes their watch rows with `recommendation_watch.sync`;
- VACUUM ANALYZE (what autovacuum does after a bulk load).
Then it times, `--repeat` times `--rounds` runs with a warm cache, the service calls, full HTTP requests through
Django's test client and the raw SQL (with the server's EXPLAIN ANALYZE time), and prints the best, median and
90th percentile of all samples with the load averages seen. `--churn` first rewrites every watch row once and
measures before any VACUUM (no page all-visible: the worst case between two autovacuum runs).
"""

import argparse
import datetime
import io
import os
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.test_settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def table(model):
    return model._meta.db_table


def build(n: int, open_share: float):
    from decimal import Decimal

    from motcua.accounts.models import User
    from motcua.catalog.models import Field, Procedure, ProcessStep
    from motcua.catalog.processes import set_standard_process
    from motcua.dossiers.models import Applicant, Dossier
    from motcua.monitoring import due
    from motcua.monitoring.models import DueWatch
    from motcua.org import demo
    from motcua.org.models import Agency, Role, StaffAssignment
    from motcua.workdays.services import get_calendar

    t0 = time.perf_counter()
    demo.load()
    field = Field.objects.create(code="BENCH", name="Lĩnh vực thử tải")
    agencies = list(Agency.objects.order_by("pk"))
    specs = []  # (procedure_id, agency_id, appraisal_step_id, days, specialist ids)
    for k, agency in enumerate(agencies):
        days = 3 + (k % 13)
        procedure = Procedure.objects.create(
            code=f"9.{k:06d}",
            name=f"Thủ tục thử tải {k}",
            field=field,
            resolving_agency=agency,
            levels="district",
            time_limit_value=Decimal(days),
            time_limit_unit="working_days",
            online_level="partial",
            status="published",
        )
        template = set_standard_process(procedure)
        step = template.steps.get(kind=ProcessStep.Kind.APPRAISAL)
        users = User.objects.bulk_create(
            User(username=f"bench.{k}.{j}", full_name=f"Chuyên viên thử tải {k}.{j}") for j in range(5)
        )
        StaffAssignment.objects.bulk_create(
            StaffAssignment(user=u, role=Role.SPECIALIST, agency=agency) for u in users
        )
        specs.append((procedure.pk, agency.pk, step.pk, days, [u.pk for u in users], procedure.code))
    applicant = Applicant.objects.create(
        name="Người nộp thử tải", id_number="027090999999", phone="0912345678"
    )

    with connection.cursor() as cur:
        # A bulk load: no WAL flush per commit, and the dossier table's secondary indexes are dropped during
        # the insert and built once afterwards (much faster than maintaining them row by row).
        cur.execute("SET synchronous_commit = off")
        cur.execute("SET maintenance_work_mem = '256MB'")
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexdef NOT LIKE '%%UNIQUE%%'",
            [table(Dossier)],
        )
        secondary = cur.fetchall()
        for name, _definition in secondary:
            cur.execute(f'DROP INDEX "{name}"')
        cur.execute(
            "CREATE TEMP TABLE bench_spec (idx int, procedure_id int, agency_id int, step_id int, days int, code text, holders int[])"
        )
        for idx, (pid, aid, sid, days, holders, code) in enumerate(specs):
            cur.execute(
                "INSERT INTO bench_spec VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [idx, pid, aid, sid, days, code, holders],
            )
        open_every = max(1, round(1 / open_share)) if open_share > 0 else n + 1
        cur.execute(
            f"""
            INSERT INTO {table(Dossier)} (
                code, procedure_id, procedure_code, on_the_spot, applicant_id, channel, agency_id,
                resolving_agency_id, status, state, summary, set_count, return_method, regime, received_at,
                due_at, appointment_at, finished_at, returned_at, current_step_id, current_agency_id,
                current_step_started_at, current_step_due_at, holder_id, paused_at, paused_state,
                supplement_count, supplement_items, apology_count, closing_reason, created_at, updated_at)
            SELECT
                'BENCH-' || g, s.procedure_id, s.code, false, %(applicant)s, 'counter', s.agency_id,
                s.agency_id,
                CASE WHEN o THEN (CASE WHEN p THEN 5 ELSE 4 END) ELSE 10 END,
                CASE WHEN o THEN (CASE WHEN p THEN 'paused_supplement' ELSE 'in_step' END) ELSE 'returned' END,
                '', 1, 'counter', '2018', r,
                r + make_interval(days => (s.days * 7 / 5)::int),
                r + make_interval(days => (s.days * 7 / 5)::int),
                CASE WHEN o THEN NULL ELSE r + make_interval(days => (random() * s.days * 1.6)::int) END,
                CASE WHEN o THEN NULL ELSE r + make_interval(days => (s.days * 1.6)::int) END,
                CASE WHEN o THEN s.step_id END, CASE WHEN o THEN s.agency_id END,
                CASE WHEN o THEN r END,
                CASE WHEN o THEN r + make_interval(hours => (s.days * 0.6 * 24 * 7 / 5)::int) END,
                CASE WHEN o THEN s.holders[1 + (g / 26) %% 5] END,
                CASE WHEN o AND p THEN r + interval '1 day' END, CASE WHEN o AND p THEN 'in_step' ELSE '' END,
                0, '[]'::jsonb, 0, '', r, r
            FROM (
                SELECT g, (g %% %(open_every)s = 0) AS o, (g %% (%(open_every)s * 10) = 0) AS p,
                       CASE WHEN g %% %(open_every)s = 0
                            THEN now() - random() * interval '20 days'
                            ELSE now() - interval '25 days' - random() * interval '700 days' END AS r
                FROM generate_series(1, %(n)s) g
            ) x JOIN bench_spec s ON s.idx = x.g %% %(agencies)s
            """,
            {"applicant": applicant.pk, "n": n, "open_every": open_every, "agencies": len(specs)},
        )
        for _name, definition in secondary:
            cur.execute(definition)
    t1 = time.perf_counter()

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
    with raw.cursor() as cur, cur.copy(f"COPY {table(DueWatch)} ({', '.join(columns)}) FROM STDIN") as copy:
        copy.write(buffer.read())
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    t2 = time.perf_counter()
    return {"insert_s": t1 - t0, "watch_s": t2 - t1, "open": count}


def build_recommendations(n: int, awaiting_share: float) -> dict:
    """`n` recommendations sent over two years, most answered; `awaiting_share` of them awaiting an answer
    (sent in the last 30 days, one in five not assigned yet, the others with a deadline of 10 working days
    from their assignment), their watch rows written by the application's own `recommendation_watch.sync`."""
    from motcua.feedback.models import Recommendation
    from motcua.monitoring import due
    from motcua.monitoring import recommendation_watch as rw
    from motcua.org.models import Agency
    from motcua.workdays.services import get_calendar

    t0 = time.perf_counter()
    agencies = list(Agency.objects.order_by("pk").values_list("pk", flat=True))
    every = max(1, round(1 / awaiting_share)) if awaiting_share > 0 else n + 1
    with connection.cursor() as cur:
        cur.execute("SET synchronous_commit = off")
        cur.execute(
            f"""
            INSERT INTO {table(Recommendation)} (
                kind, sender_name, sender_phone, sender_email, dossier_code, title, content, consent_publish,
                state, agency_id, assigned_at, due_at, answer, answered_at, published, created_at)
            SELECT 'recommendation', 'Người gửi thử tải', '0912345678', '', '', 'Kiến nghị thử tải ' || g,
                'Nội dung', false,
                CASE WHEN NOT w THEN 'answered' WHEN u THEN 'new' ELSE 'assigned' END,
                CASE WHEN w AND u THEN NULL ELSE (%(agencies)s::bigint[])[1 + g %% %(k)s] END,
                CASE WHEN w AND u THEN NULL ELSE r + interval '1 day' END,
                CASE WHEN w AND u THEN NULL ELSE r + interval '15 days' END,
                CASE WHEN w THEN '' ELSE 'Đã trả lời' END,
                CASE WHEN w THEN NULL ELSE r + interval '10 days' END,
                false, r
            FROM (
                SELECT g, (g %% %(every)s = 0) AS w, (g %% (%(every)s * 5) = 0) AS u,
                       CASE WHEN g %% %(every)s = 0 THEN now() - random() * interval '30 days'
                            ELSE now() - interval '31 days' - random() * interval '700 days' END AS r
                FROM generate_series(1, %(n)s) g
            ) x
            """,
            {"agencies": agencies, "k": len(agencies), "n": n, "every": every},
        )
    cal, rules = get_calendar(), due.rules()
    awaiting = 0
    for rec in Recommendation.objects.open().iterator(chunk_size=2000):
        # the deadline as the feedback app sets it: 10 working days from the assignment
        if rec.assigned_at is not None:
            rec.due_at = cal.add(rec.assigned_at, 10, "working_days")
            Recommendation.objects.filter(pk=rec.pk).update(due_at=rec.due_at)
        rw.sync(rec, cal, rules)
        awaiting += 1
    return {"recommendations_s": time.perf_counter() - t0, "awaiting": awaiting}


def load() -> str:
    """The 1, 5 and 15-minute load averages (the machine may be shared)."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def measure(rounds: int) -> list[tuple[str, list[float]]]:
    """Every sample (ms) of every measure: service calls, full HTTP requests through the test client."""
    from django.test import Client

    from motcua.accounts.models import User
    from motcua.apitokens.models import ApiToken
    from motcua.dossiers.models import Dossier
    from motcua.monitoring import dashboard, watch
    from motcua.monitoring.dashboard import Filters
    from motcua.monitoring.models import DueWatch
    from motcua.org.models import Agency

    director = User.objects.get(username="giamdoc")
    holder = User.objects.get(username="bench.3.0")
    agency = Agency.objects.get(short_name="TP")
    results = []

    def add(label, fn):
        fn()  # warm up
        samples = []
        for _ in range(rounds):
            start = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - start) * 1000)
        results.append((label, samples))

    add(
        "dashboard counts (service): per agency, commune, counter",
        lambda: dashboard.overview(director, Filters()),
    )
    add(
        "recommendations awaiting an answer: counts per agency (service)",
        lambda: dashboard.recommendation_overview(director, Filters()),
    )
    for state in ("overdue", "near_due", "due_today", "paused"):
        add(
            f"drill-down `{state}`, page 1 (count + 50 rows)",
            lambda s=state: dashboard.drill_down(director, Filters(state=s)),
        )
    add(
        "drill-down `overdue` of one agency, page 1",
        lambda: dashboard.drill_down(director, Filters(state="overdue", agency=agency)),
    )
    add("drill-down, every open dossier, page 1", lambda: dashboard.drill_down(director, Filters()))
    add(
        "recommendations drill-down `overdue`, page 1",
        lambda: dashboard.recommendation_drill_down(director, Filters(state="overdue")),
    )
    add("my work (one holder), page 1", lambda: dashboard.drill_down_mine(holder, Filters()))
    add(
        "inbox order over `Dossier` (one holder's dossiers, 50 rows)",
        lambda: list(watch.inbox_order(Dossier.objects.filter(holder=holder), holder)[:50]),
    )
    add("count of open dossiers (watch table)", lambda: DueWatch.objects.count())

    client = Client()
    client.force_login(director)
    _row, token = ApiToken.issue(director)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def get(url, **extra):
        response = client.get(url, **extra)
        assert response.status_code == 200, (url, response.status_code)

    add("HTTP GET /theo-doi/ (dashboard page, dossiers + recommendations)", lambda: get("/theo-doi/"))
    add("HTTP GET /theo-doi/ho-so/?state=overdue", lambda: get("/theo-doi/ho-so/?state=overdue"))
    add("HTTP GET /theo-doi/ho-so/?state=near_due", lambda: get("/theo-doi/ho-so/?state=near_due"))
    add("HTTP GET /theo-doi/ho-so/ (every open dossier)", lambda: get("/theo-doi/ho-so/"))
    add("HTTP GET /theo-doi/kien-nghi/?state=overdue", lambda: get("/theo-doi/kien-nghi/?state=overdue"))
    add(
        "HTTP GET /api/v1/monitoring/dossiers?state=overdue",
        lambda: get("/api/v1/monitoring/dossiers?state=overdue", **headers),
    )
    add(
        "HTTP GET /api/v1/monitoring/dossiers?state=near_due&agency=TP",
        lambda: get(f"/api/v1/monitoring/dossiers?state=near_due&agency={agency.identity_code}", **headers),
    )
    return results


def raw_queries(rounds: int) -> list[tuple[str, list[float], float]]:
    """The SQL the screens send, run directly: client-side samples (ms) and the server's own execution time
    (EXPLAIN ANALYZE) of one run."""
    from django.db.models import Count
    from django.utils import timezone

    from motcua.accounts.models import User
    from motcua.monitoring import dashboard, watch
    from motcua.monitoring import recommendation_watch as rw
    from motcua.monitoring.dashboard import Filters

    director = User.objects.get(username="giamdoc")
    now = timezone.now()
    rec_counts = {f"n_{state}": Count("pk", filter=rw.state_q(state, now)) for state in rw.STATES}
    queries = [
        (
            "dashboard: GROUP BY (agency, resolving agency) with a FILTER per bucket",
            dashboard.watched(director, Filters(), now)
            .order_by()
            .values("agency", "resolving_agency")
            .annotate(**dashboard._bucket_counts(now)),
        ),
        (
            "recommendations: GROUP BY agency with a FILTER per state",
            rw.watched(director, now=now)
            .order_by()
            .values("agency")
            .annotate(n_total=Count("pk"), **rec_counts),
        ),
    ]
    for state in ("overdue", "near_due", "due_today"):
        qs = watch.most_urgent_first(dashboard.watched(director, Filters(state=state), now), now)
        queries.append((f"count `{state}`", qs.order_by()))
        queries.append((f"page 1 `{state}` (50 rows)", qs[:50]))
    results = []
    for label, qs in queries:
        if label.startswith("count"):
            sql, params = qs.values("pk").query.sql_with_params()
            sql = f"SELECT count(*) FROM ({sql}) AS q"
        else:
            sql, params = qs.query.sql_with_params()
        with connection.cursor() as cur:
            cur.execute(sql, params)
            cur.fetchall()
            samples = []
            for _ in range(rounds):
                start = time.perf_counter()
                cur.execute(sql, params)
                cur.fetchall()
                samples.append((time.perf_counter() - start) * 1000)
            cur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
            plan = cur.fetchone()[0]
            plan = plan[0] if isinstance(plan, list) else plan
        results.append((label, samples, plan["Execution Time"]))
    return results


def summary(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    return ordered[0], statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--open-share", type=float, default=0.1)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3, help="measure this many times (shared machines)")
    parser.add_argument("--recommendations", type=int, default=50_000)
    parser.add_argument("--awaiting-share", type=float, default=0.1)
    parser.add_argument(
        "--churn",
        action="store_true",
        help="rewrite every watch row once (as dossier saves do) and measure before any VACUUM",
    )
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--database", default="motcua_monitoring_bench", help="name of the throw-away database"
    )
    parser.add_argument(
        "--build-only", action="store_true", help="fill the database (with --keep), no timing"
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL server: the budget is for PostgreSQL.")
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.settings_dict.setdefault("TEST", {})["NAME"] = args.database
    connection.creation.create_test_db(
        verbosity=0, autoclobber=not args.keep, keepdb=args.keep, serialize=False
    )
    try:
        from motcua.dossiers.models import Dossier
        from motcua.monitoring.models import DueWatch

        built = None
        if not Dossier.objects.filter(code__startswith="BENCH-").exists():
            built = build(args.dossiers, args.open_share)
        from motcua.feedback.models import Recommendation

        if not Recommendation.objects.filter(title__startswith="Kiến nghị thử tải").exists():
            built_recs = build_recommendations(args.recommendations, args.awaiting_share)
            print(
                f"recommendations: {built_recs['recommendations_s']:.0f} s, "
                f"{built_recs['awaiting']:,} awaiting an answer"
            )
        if built or args.build_only:
            with connection.cursor() as cur:
                cur.execute("VACUUM ANALYZE")
        if args.churn:
            # the worst case between two autovacuum runs: every row has a dead version and no page is
            # all-visible, so index-only scans must visit the table
            with connection.cursor() as cur:
                cur.execute("UPDATE monitoring_duewatch SET synced_at = now()")
                cur.execute("UPDATE monitoring_recommendationwatch SET synced_at = now()")
                cur.execute("ANALYZE monitoring_duewatch")
                cur.execute("ANALYZE monitoring_recommendationwatch")
        total, watched = Dossier.objects.count(), DueWatch.objects.count()
        awaiting = Recommendation.objects.open().count()
        if built:
            print(
                f"generation: {built['insert_s']:.0f} s for the dossiers (SQL), {built['watch_s']:.0f} s for the "
                f"due instants of {built['open']:,} open dossiers (Python calendar + COPY)\n"
            )
        if args.build_only:
            print(f"{total:,} dossiers, {watched:,} open (watched) in {args.database}")
            return
        samples: dict = {}
        raw: dict = {}
        loads = []
        for _ in range(args.repeat):
            loads.append(load())
            for label, values in measure(args.rounds):
                samples.setdefault(label, []).extend(values)
            for label, values, server in raw_queries(args.rounds):
                entry = raw.setdefault(label, ([], []))
                entry[0].extend(values)
                entry[1].append(server)
        loads.append(load())
        print(
            f"\n{total:,} dossiers, {watched:,} open (watched), {awaiting:,} recommendations awaiting an "
            f"answer; {args.repeat} repeats of {args.rounds} runs, warm cache; load averages (1, 5, 15 min) "
            f"before each repeat and at the end: {' | '.join(loads)}\n"
        )
        print("| measure | best | median | 90th percentile |\n|---|---|---|---|")
        for label, values in samples.items():
            best, median, p90 = summary(values)
            print(f"| {label} | {best:.1f} ms | {median:.1f} ms | {p90:.1f} ms |")
        print(
            "\nRaw SQL (client-side, and the server's execution time from EXPLAIN ANALYZE, best / median):\n"
        )
        print("| query | best | median | 90th percentile | server best / median |\n|---|---|---|---|---|")
        for label, (values, server) in raw.items():
            best, median, p90 = summary(values)
            print(
                f"| {label} | {best:.1f} ms | {median:.1f} ms | {p90:.1f} ms | "
                f"{min(server):.1f} / {statistics.median(server):.1f} ms |"
            )
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
