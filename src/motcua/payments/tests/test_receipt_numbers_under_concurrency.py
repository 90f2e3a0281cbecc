"""Receipt numbers have no gap and no duplicate when many cashiers issue from one book at once."""

import json
import os
import subprocess
import sys

import pytest
from django.db import connection

from motcua.payments.models import Receipt

from .receipt_race import race, setup_book


@pytest.mark.postgres
def test_100_concurrent_issues_on_postgresql_give_100_consecutive_numbers(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks are what this test is about")
    book, collector = setup_book()
    result = race(book, collector, issues=100, workers=25)
    assert sorted(result["numbers"]) == list(range(1, 101))
    assert sorted(Receipt.objects.filter(book=book).values_list("number", flat=True)) == list(range(1, 101))
    book.refresh_from_db()
    assert book.last_number == 100


def test_concurrent_issues_on_embedded_sqlite_give_consecutive_numbers(tmp_path):
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'race.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "motcua.test_settings",
    }
    done = subprocess.run(
        [sys.executable, "-m", "motcua.payments.tests.receipt_race", "60", "12"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert sorted(result["numbers"]) == list(range(1, 61))
    assert result["last_number"] == 60
