"""Benchmark of the working-time calendar (motcua.workdays.core).

Compares the compiled calendar (prefix sums + bisection) with
  1. a plain day-by-day loop over the same holidays (the way due dates are usually computed), and
  2. the `holidays` package's own working-day helpers (`get_nth_working_day`, `get_working_days_count`),
for adding N working days and counting working days, over random start days from 2015 to 2035.

Run:  .venv/bin/python benchmarks/workdays_bench.py [--quick] [--django]
(--django also times `services.get_calendar()` on an in-memory SQLite database: the cached call with its
change check, and the rebuild after an override is added.)
Prints a Markdown table; the figures in docs/PERFORMANCE.md come from it.
"""

import argparse
import datetime as dt
import platform
import random
import statistics
import sys
import time

import holidays

from motcua.workdays import core

MORNING, AFTERNOON = (7 * 60, 11 * 60 + 30), (13 * 60 + 30, 17 * 60)


def build_loop_calendar():
    package = holidays.Vietnam(years=range(2010, 2046))
    off = set(package)
    swapped = {d for d in package.weekend_workdays if 2010 <= d.year <= 2045}
    return off, swapped, package


def loop_add_working_days(start: dt.datetime, n: int, off, swapped) -> dt.datetime:
    """Day-by-day loop: walk the days and windows consuming n × 8 hours (minutes resolution)."""

    def working(day):
        if day in off:
            return False
        return day in swapped if day.weekday() >= 5 else True

    day, clock = start.date(), start.hour * 60 + start.minute
    remaining = n * 8 * 60
    # normalise
    while True:
        if working(day) and clock < AFTERNOON[1]:
            break
        day += dt.timedelta(days=1)
        clock = 0
    if remaining == 0:
        for opening, closing in (MORNING, AFTERNOON):
            if clock < closing:
                clock = max(clock, opening)
                break
        return dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=clock)
    while True:
        if working(day):
            for opening, closing in (MORNING, AFTERNOON):
                low = max(opening, clock)
                if low >= closing:
                    continue
                if remaining <= closing - low:
                    return dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=low + remaining)
                remaining -= closing - low
        day += dt.timedelta(days=1)
        clock = 0


def loop_count_working_days(first: dt.date, last: dt.date, off, swapped) -> int:
    count, day = 0, first
    while day <= last:
        if day not in off and (day.weekday() < 5 or day in swapped):
            count += 1
        day += dt.timedelta(days=1)
    return count


def per_call_us(func, args_list, repeat=5) -> float:
    """Best-of-`repeat` mean time per call, in microseconds."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for args in args_list:
            func(*args)
        best = min(best, time.perf_counter() - t0)
    return best / len(args_list) * 1e6


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples")
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--django", action="store_true", help="also time the Django layer's get_calendar()")
    options = parser.parse_args(argv)
    samples = 300 if options.quick else options.samples
    rng = random.Random(20251128)

    t0 = time.perf_counter()
    calendar = core.WorkCalendar()
    first_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    core.WorkCalendar(overrides=[core.Override(dt.date(2025, 1, 2), core.DAY_OFF, "x")])
    rebuild = time.perf_counter() - t0
    off, swapped, package = build_loop_calendar()

    base = dt.datetime(2015, 1, 1)
    starts = [
        base + dt.timedelta(days=rng.randrange(0, 7670), minutes=rng.randrange(0, 24 * 60))
        for _ in range(samples)
    ]
    print(
        f"Python {platform.python_version()}, holidays {holidays.__version__}, {samples} random start instants 2015–2035"
    )
    print()
    print(
        f"Compile the calendar 2010–2045: first build {first_build * 1000:.0f} ms (includes the package's holidays), "
        f"rebuild after an override {rebuild * 1000:.0f} ms"
    )
    print()
    print(
        "| Operation | N | compiled (µs/call) | day-by-day loop (µs/call) | holidays helper (µs/call) | loop ÷ compiled | helper ÷ compiled |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for n in (1, 5, 20, 60, 250):
        cases = [(s, n) for s in starts]
        # correctness check of the baseline on the same cases
        for s in starts[:50]:
            assert calendar.add(s, n, "working_days").replace(tzinfo=None) == loop_add_working_days(
                s, n, off, swapped
            )
        compiled = per_call_us(lambda s, n: calendar.add(s, n, "working_days"), cases)
        loop = per_call_us(lambda s, n: loop_add_working_days(s, n, off, swapped), cases)
        days = [(s.date(), n) for s in starts]
        compiled_days = per_call_us(calendar.nth_working_day, days)
        helper = per_call_us(package.get_nth_working_day, days, repeat=3)
        print(
            f"| add N working days (instant, hours) | {n} | {compiled:.1f} | {loop:.1f} | – | {loop / compiled:.0f}× | – |"
        )
        print(
            f"| N-th working day (date only) | {n} | {compiled_days:.1f} | – | {helper:.1f} | – | {helper / compiled_days:.0f}× |"
        )
    for span in (30, 365):
        cases = [(s.date(), s.date() + dt.timedelta(days=span)) for s in starts]
        compiled = per_call_us(calendar.count_working_days, cases)
        loop = per_call_us(lambda a, b: loop_count_working_days(a, b, off, swapped), cases)
        helper = per_call_us(package.get_working_days_count, cases, repeat=3)
        print(
            f"| count working days over {span} days | – | {compiled:.1f} | {loop:.1f} | {helper:.1f} | {loop / compiled:.0f}× | {helper / compiled:.0f}× |"
        )
    pairs = [(s, s + dt.timedelta(days=rng.randrange(0, 90), hours=rng.randrange(0, 24))) for s in starts]
    between = per_call_us(calendar.working_time_between, pairs)
    remaining = per_call_us(calendar.describe_remaining, pairs)
    normalize = per_call_us(calendar.normalize, [(s,) for s in starts])
    print(f"| working_time_between | – | {between:.1f} | – | – | – | – |")
    print(f"| describe_remaining | – | {remaining:.1f} | – | – | – | – |")
    print(f"| normalize | – | {normalize:.1f} | – | – | – | – |")
    if options.django:
        bench_django()
    return 0


def bench_django() -> None:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.test_settings")
    os.environ["DATABASE_URL"] = "sqlite://:memory:"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from motcua.workdays import services
    from motcua.workdays.models import CalendarOverride

    services.get_calendar()
    cached = per_call_us(services.get_calendar, [()] * 2000)
    rebuilds = []
    for k in range(5):
        CalendarOverride.objects.create(
            date=dt.date(2030, 1, 2 + k), kind="day_off", name="x", legal_reference="x"
        )
        t0 = time.perf_counter()
        services.get_calendar()
        rebuilds.append(time.perf_counter() - t0)
    print()
    print(
        f"Django layer (SQLite in memory): get_calendar() cached with its change check {cached:.0f} µs/call; "
        f"after an override is added {statistics.median(rebuilds) * 1000:.0f} ms (median of 5)"
    )


if __name__ == "__main__":
    sys.exit(main())
