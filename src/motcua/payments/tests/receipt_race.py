"""Many cashiers issuing receipts from one book at the same moment (used by the tests and the benchmark).

Run as a script against a file database to try it on embedded SQLite:
    DATABASE_URL=sqlite:////tmp/race.sqlite3 python -m motcua.payments.tests.receipt_race 100 20
It migrates that database, races, and prints the numbers as JSON.
"""

import json
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor


def race(book, collector, issues: int, workers: int) -> dict:
    """Issue `issues` receipts from `book` on `workers` threads started together; return numbers and timing."""
    from django.db import connection

    from motcua.payments.models import PaymentMethod
    from motcua.payments.receipts import issue_receipt

    start = threading.Barrier(workers)
    per_worker = [issues // workers + (1 if i < issues % workers else 0) for i in range(workers)]

    def work(count: int) -> list[int]:
        try:
            start.wait()
            return [
                issue_receipt(
                    book,
                    items=[{"kind": "admin_charge", "description": "Lệ phí", "unit_amount": 10_000}],
                    payer_name="Người nộp",
                    method=PaymentMethod.CASH,
                    collector=collector,
                ).number
                for _ in range(count)
            ]
        finally:
            connection.close()

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        numbers = [n for chunk in pool.map(work, per_worker) for n in chunk]
    return {"numbers": numbers, "seconds": time.perf_counter() - began}


def setup_book():
    from motcua.org.models import Role
    from motcua.org.tests.factories import StaffAssignmentFactory

    from .factories import ReceiptBookFactory

    book = ReceiptBookFactory()
    collector = StaffAssignmentFactory(role=Role.RECEPTION_OFFICER, agency=book.agency).user
    return book, collector


def main(argv: list[str]) -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.test_settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    issues, workers = int(argv[0]), int(argv[1])
    book, collector = setup_book()
    result = race(book, collector, issues, workers)
    book.refresh_from_db()
    result["last_number"] = book.last_number
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
