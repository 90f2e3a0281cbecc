"""Benchmark of fees and e-receipts (motcua.payments).

Measures, on a fresh database (embedded SQLite in a temporary file, or PostgreSQL when DATABASE_URL is set):
  1. the amount in words (µs per amount);
  2. issuing receipts from one book: one cashier in a row, then many cashiers at once (receipts/s), checking that
     the numbers have no gap and no duplicate;
  3. online payments through the sandbox platform over local HTTP: INIT latency, then each signed callback
     delivered three times to the callback view (callbacks/s), checking that each payment got exactly one receipt;
  4. rendering the receipt PDF on A4, A5 and 80 mm paper (ms per receipt).

Run:  .venv/bin/python benchmarks/payments_bench.py [--quick]
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench .venv/bin/python benchmarks/payments_bench.py
(the PostgreSQL database is created if missing and its tables are rebuilt). Prints a Markdown table; the
figures in docs/PERFORMANCE.md come from it.
"""

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time


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


def bench_words(samples: int) -> float:
    from motcua.payments.words import amount_in_words

    rng = random.Random(7)
    amounts = [rng.randrange(0, 10**12) for _ in range(samples)]
    start = time.perf_counter()
    for amount in amounts:
        amount_in_words(amount)
    return (time.perf_counter() - start) / samples * 1e6


def bench_receipts(sequential: int, concurrent: int, workers: int) -> dict:
    from motcua.payments.tests.receipt_race import race, setup_book

    book, collector = setup_book()
    result = race(book, collector, issues=sequential, workers=1)
    assert sorted(result["numbers"]) == list(range(1, sequential + 1))
    seq_rate = sequential / result["seconds"]
    book2, collector2 = setup_book()
    result = race(book2, collector2, issues=concurrent, workers=workers)
    assert sorted(result["numbers"]) == list(range(1, concurrent + 1)), "gap or duplicate"
    return {"sequential": seq_rate, "concurrent": concurrent / result["seconds"]}


def bench_callbacks(payments: int) -> dict:
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from motcua.integrations.payment.sandbox_server import SandboxServer
    from motcua.payments.models import Receipt
    from motcua.payments.online import start_online_payment
    from motcua.payments.tests.factories import ReceiptBookFactory

    server = SandboxServer(port=0).start()
    settings.MOTCUA_PAYMENT_GATEWAYS = {"sandbox": {"plugin": "sandbox", "base_url": server.url}}
    book = ReceiptBookFactory()
    items = [{"kind": "admin_charge", "description": "Lệ phí", "unit_amount": 50_000}]
    init_times, created = [], []
    for _ in range(payments):
        began = time.perf_counter()
        created.append(start_online_payment(agency=book.agency, items=items, payer_name="Người nộp"))
        init_times.append(time.perf_counter() - began)
    callbacks = [server.app.settle(p.reference, "success", deliver=False)["callback"] for p in created]
    client = Client()
    url = reverse("payments:callback", args=["sandbox"])
    times = []
    began = time.perf_counter()
    for _ in range(3):
        for callback in callbacks:
            one = time.perf_counter()
            response = client.post(url, data=json.dumps(callback), content_type="application/json")
            times.append(time.perf_counter() - one)
            assert response.status_code == 200
    total = time.perf_counter() - began
    server.stop()
    per_payment = {p.pk: 0 for p in created}
    for payment_id in Receipt.objects.filter(payment__in=created).values_list("payment_id", flat=True):
        per_payment[payment_id] += 1
    assert set(per_payment.values()) == {1}, "a payment without exactly one receipt"
    first, repeats = times[:payments], times[payments:]
    return {
        "init_ms": statistics.median(init_times) * 1000,
        "rate": len(times) / total,
        "first_ms": statistics.median(first) * 1000,
        "repeat_ms": statistics.median(repeats) * 1000,
    }


def bench_pdf(samples: int) -> dict:
    from motcua.payments.models import FeeKind, PaymentMethod
    from motcua.payments.printing import receipt_pdf
    from motcua.payments.receipts import Item, issue_receipt
    from motcua.payments.tests.factories import ReceiptBookFactory, cashier

    book = ReceiptBookFactory()
    receipt = issue_receipt(
        book,
        items=[
            Item(FeeKind.SERVICE_FEE, "Phí thẩm định", 30_000),
            Item(FeeKind.ADMIN_CHARGE, "Lệ phí", 8_000, 5),
        ],
        payer_name="Nguyễn Văn An",
        method=PaymentMethod.CASH,
        collector=cashier(book.agency),
    )
    receipt_pdf(receipt, "a4")  # fonts registered, caches warm
    result = {}
    for paper in ("a4", "a5", "80mm"):
        times = []
        for _ in range(samples):
            began = time.perf_counter()
            receipt_pdf(receipt, paper)
            times.append(time.perf_counter() - began)
        result[paper] = statistics.median(times) * 1000
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    quick = args.quick
    words = bench_words(2_000 if quick else 50_000)
    receipts = bench_receipts(100 if quick else 500, 100 if quick else 400, 20)
    callbacks = bench_callbacks(30 if quick else 200)
    pdf = bench_pdf(5 if quick else 30)
    print(f"Database: {connection.vendor}; Python {platform.python_version()}; {os.cpu_count()} CPUs")
    print()
    print("| Measure | Figure |")
    print("|---|---:|")
    print(f"| amount in words | {words:.1f} µs per amount |")
    print(f"| receipts issued by one cashier in a row | {receipts['sequential']:.0f} receipts/s |")
    print(f"| receipts issued by 20 cashiers at once on one book | {receipts['concurrent']:.0f} receipts/s |")
    print(f"| INIT to the sandbox platform over HTTP (median) | {callbacks['init_ms']:.1f} ms |")
    print(f"| callbacks handled (each delivered 3 times) | {callbacks['rate']:.0f} callbacks/s |")
    print(f"| first delivery of a callback: confirm + e-receipt (median) | {callbacks['first_ms']:.1f} ms |")
    print(f"| repeated delivery, nothing changes (median) | {callbacks['repeat_ms']:.1f} ms |")
    for paper, ms in pdf.items():
        print(f"| receipt PDF, {paper} (median) | {ms:.0f} ms |")


if __name__ == "__main__":
    sys.exit(main())
