"""Ticket numbers: the kind's letter and a three-digit number that restarts at 001 each day (A001, A002, …).

The number comes from one statement that creates the kind's row for the day or adds one to it (`INSERT ... ON
CONFLICT DO UPDATE ... RETURNING`, the same pattern as dossier codes), inside the transaction that stores the
ticket: the row stays locked until that transaction ends, so kiosks and app processes never give a number twice.
After 999 the number simply grows (A1000).
"""

import datetime

from django.db import connection, transaction

from .models import TicketKind, TicketNumberCounter, format_number


def next_number(kind: TicketKind, day: datetime.date) -> tuple[int, str]:
    """Take the next number of `kind` for `day`: (number, code); call inside the transaction that uses it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside the transaction that stores the ticket.")
    table = connection.ops.quote_name(TicketNumberCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (kind_id, day, last_number) VALUES (%s, %s, 1) "
            f"ON CONFLICT (kind_id, day) DO UPDATE SET last_number = {table}.last_number + 1 "
            "RETURNING last_number",
            [kind.pk, day.isoformat()],
        )
        (number,) = cursor.fetchone()
    return number, format_number(kind.letter, number)
