"""Dossier codes: `{agency identity code}-{YYMMDD}-{NNNN}` (Decree 61/2018 Art. 26, Circular 01/2018 Art. 19).

The sequence runs per receiving agency and per day of receipt. It is taken inside the intake transaction from a
counter row locked with SELECT ... FOR UPDATE (on SQLite the IMMEDIATE transaction mode serialises writers), so
concurrent counters never collide and a failed intake gives its number back: codes are unique and gap-free.
"""

import datetime

from django.db import transaction

from .models import DossierCodeCounter

SEQUENCE_DIGITS = 4


def format_code(identity_code: str, day: datetime.date, number: int) -> str:
    return f"{identity_code}-{day:%y%m%d}-{number:0{SEQUENCE_DIGITS}d}"


def next_code(agency, day: datetime.date) -> str:
    """Take the next number of `agency`'s sequence for `day`; call inside the transaction that uses it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_code() must run inside the transaction that stores the dossier.")
    counter, _created = DossierCodeCounter.objects.select_for_update().get_or_create(agency=agency, day=day)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return format_code(agency.identity_code, day, counter.last_number)
