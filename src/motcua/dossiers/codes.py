"""Dossier codes: `{agency identity code}-{YYMMDD}-{NNNN}` (Decree 61/2018 Art. 26, Circular 01/2018 Art. 19).

The sequence runs per receiving agency and per day of receipt. It is taken inside the intake transaction by one
statement that creates the day's counter row or adds one to it (`INSERT ... ON CONFLICT DO UPDATE ... RETURNING`,
on PostgreSQL and SQLite alike). The row stays locked until the transaction ends (on SQLite the IMMEDIATE
transaction mode serialises writers), so concurrent counters never collide and a failed intake gives its number
back: codes are unique and gap-free.
"""

import datetime

from django.db import connection, transaction

from .models import DossierCodeCounter

SEQUENCE_DIGITS = 4


def format_code(identity_code: str, day: datetime.date, number: int) -> str:
    return f"{identity_code}-{day:%y%m%d}-{number:0{SEQUENCE_DIGITS}d}"


def next_code(agency, day: datetime.date) -> str:
    """Take the next number of `agency`'s sequence for `day`; call inside the transaction that uses it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_code() must run inside the transaction that stores the dossier.")
    table = connection.ops.quote_name(DossierCodeCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (agency_id, day, last_number) VALUES (%s, %s, 1) "
            f"ON CONFLICT (agency_id, day) DO UPDATE SET last_number = {table}.last_number + 1 "
            "RETURNING last_number",
            [agency.pk, day.isoformat()],
        )
        (number,) = cursor.fetchone()
    return format_code(agency.identity_code, day, number)
