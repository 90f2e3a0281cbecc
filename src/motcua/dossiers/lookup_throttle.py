"""The one throttle of every public path that confirms a dossier code and a secret (phone or ID number).

The status lookup page, the API's lookup (GET and POST), the payment page, the evaluation kiosk — and any
path added later — call `confirm()`, never `services.lookup()` directly, so they share one count.

**Keyed by source.** Only failed confirmations (unknown code or wrong pair) are counted, per client address,
in Django's cache (which must be shared between the application's processes: the database cache by default).
Once an address has `limit()` failures (LOOKUP_FAILURES_PER_MINUTE, default 30) within a minute, every
confirmation from it, on every path, is refused (HTTP 429) for `lock_seconds()` (LOOKUP_LOCK_SECONDS, default
300), whether the pair is right or wrong, so guessing cannot go on. The count is per source and never per
dossier: an attacker guessing a citizen's dossier locks out only their own address, never the citizen, who
confirms from theirs. A citizen sharing the attacker's address (same NAT) waits at most `lock_seconds()`.

**And per dossier code.** An attacker who rotates addresses escapes the count per source, so failures are also
counted per dossier code (a digest of it, whether the code exists or not, so the answer never tells): at
`code_limit()` failures (LOOKUP_FAILURES_PER_CODE_PER_HOUR, default 10) within a clock hour, that code's online
confirmation is locked for everyone for `code_lock_seconds()` (LOOKUP_CODE_LOCK_SECONDS, default 3600) with a
message telling the citizen to call the center (`CodeLocked`, HTTP 429). One source adds at most
`code_share_per_source()` (LOOKUP_CODE_FAILURES_PER_SOURCE, default 3) failures to a code's count, so a single
address — a guesser, or the citizen mistyping — cannot lock a dossier by itself; only guesses from several
addresses, which the count per source does not stop, do. The citizen is then served at the counter or by phone.

Behind a reverse proxy, LOOKUP_CLIENT_IP_HEADER names the header that carries the client's address.
"""

import base64
import hashlib
import pickle

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import models, router
from django.utils import timezone
from django.utils.translation import gettext_lazy

from motcua.client_address import client_address
from motcua.prepared import PreparedBeside, PreparedSQL

WINDOW_SECONDS = 60
MESSAGE = gettext_lazy("Bạn đã tra cứu sai quá nhiều lần. Vui lòng thử lại sau ít phút.")


CODE_WINDOW_SECONDS = 3600
CODE_MESSAGE = gettext_lazy(
    "Hồ sơ này đã bị tạm khóa tra cứu trực tuyến vì thông tin xác minh bị nhập sai nhiều lần. Vui lòng gọi điện "
    "đến Bộ phận Một cửa để được hỗ trợ."
)


class Throttled(Exception):
    """Too many failed confirmations from this source; `message` is the Vietnamese text to show."""

    message = MESSAGE


class CodeLocked(Throttled):
    """Too many failed confirmations of this dossier code, from any source: call the center."""

    message = CODE_MESSAGE


def limit() -> int:
    return int(getattr(settings, "LOOKUP_FAILURES_PER_MINUTE", 30))


def lock_seconds() -> int:
    return int(getattr(settings, "LOOKUP_LOCK_SECONDS", 300))


def code_limit() -> int:
    return int(getattr(settings, "LOOKUP_FAILURES_PER_CODE_PER_HOUR", 10))


def code_lock_seconds() -> int:
    return int(getattr(settings, "LOOKUP_CODE_LOCK_SECONDS", 3600))


def code_share_per_source() -> int:
    return int(getattr(settings, "LOOKUP_CODE_FAILURES_PER_SOURCE", 3))


def _key(address: str) -> str:
    window = int(timezone.now().timestamp()) // WINDOW_SECONDS
    return f"motcua:lookup-failures:{address}:{window}"


def _lock_key(address: str) -> str:
    return f"motcua:lookup-locked:{address}"


def _database_cache_read(connection) -> str:
    quote = connection.ops.quote_name
    return (
        f"SELECT {quote('cache_key')}, {quote('value')}, {quote('expires')} FROM {quote(caches['default']._table)} "
        f"WHERE {quote('cache_key')} IN (%s, %s, %s)"
    )


def _cache_database() -> str:
    """The database the shared cache reads from (the primary: motcua.db_routing)."""
    return router.db_for_read(caches["default"].cache_model_class)


# The throttle's one read per confirmation, when the shared cache is Django's database cache (the default): a
# statement prepared once per connection instead of the cache's own query, which was built, bound on the client
# and planned again for every lookup (a sixth of the public lookup's CPU). It reads where the cache reads (the
# primary).
_database_cache_rows = PreparedSQL(_database_cache_read, using=_cache_database)
_EXPIRES = models.Expression(output_field=models.DateTimeField())
_EXPIRES_CONVERTERS: dict[str, list] = {}


def _expires_converters(connection) -> list:
    """The ORM's converters of a datetime column read by a raw cursor (as the database cache applies them)."""
    found = _EXPIRES_CONVERTERS.get(connection.alias)
    if found is None:
        found = _EXPIRES_CONVERTERS[connection.alias] = [
            *connection.ops.get_db_converters(_EXPIRES),
            *_EXPIRES.get_db_converters(connection),
        ]
    return found


def _database_cache_names(keys: list[str]) -> tuple[dict, list] | None:
    """With the database cache and at most three keys: the cache's names of `keys` (`{name: key}`) and the
    prepared read's three parameters; else None (the cache's own read serves)."""
    backend = caches["default"]
    if not isinstance(backend, DatabaseCache) or len(keys) > 3:
        return None
    # the throttle's own keys (ASCII, short): the memcached compatibility warnings of make_and_validate_key
    # have nothing to say about them
    stored = {backend.make_key(key): key for key in keys}
    names = list(stored)
    names += names[-1:] * (3 - len(names))
    return stored, names


def _get_many(keys: list[str]) -> dict:
    """`cache.get_many(keys)` for at most three keys: with the database cache, the prepared read above, which
    decodes the rows exactly as the cache does (expired rows count as absent; the cache removes them when it
    next writes them); with any other cache backend, the backend's own read."""
    names = _database_cache_names(keys)
    if names is None:
        return cache.get_many(keys)
    stored, params = names
    connection, rows = _database_cache_rows.execute(params)
    return _decode(stored, connection, rows)


def _database_cache_aggregate(connection) -> str:
    """The read of `_database_cache_read` as one row of three arrays (the rows' names, values and expiry
    instants; NULL when no row is found), to be read beside another query (`PreparedBeside`)."""
    quote = connection.ops.quote_name
    return (
        f"SELECT array_agg({quote('cache_key')}), array_agg({quote('value')}), array_agg({quote('expires')}) "
        f"FROM {quote(caches['default']._table)} WHERE {quote('cache_key')} IN (%s, %s, %s)"
    )


# The counts' read beside a lookup's own prepared read (`find.prepared_rows`), one statement per such read.
_BESIDE: dict = {}


def _get_many_and_read(keys: list[str], read, args: tuple) -> tuple[dict, list | None]:
    """`_get_many(keys)` and, when they can come in the same statement, `read(*args)` (`read`, a
    `PreparedValues`, going to the same PostgreSQL database as the database cache, not to a replica); else
    `(_get_many(keys), None)` and `read` is not executed."""
    names = _database_cache_names(keys)
    if names is None:
        return cache.get_many(keys), None
    stored, params = names
    beside = _BESIDE.get(read)
    if beside is None:
        beside = _BESIDE.setdefault(read, PreparedBeside(_database_cache_aggregate, 3, read, _cache_database))
    both = beside(params, *args)
    if both is None:
        connection, rows = _database_cache_rows.execute(params)
        return _decode(stored, connection, rows), None
    connection, (names, values, expires), read_rows = both
    rows = zip(names, values, expires, strict=True) if names is not None else ()
    return _decode(stored, connection, rows), read_rows


def _decode(stored: dict, connection, rows: list) -> dict:
    """The values of the database cache's rows, by key, as the cache decodes them."""
    converters = _expires_converters(connection)
    now = timezone.now()
    found = {}
    for name, value, expires in rows:
        for converter in converters:
            expires = converter(expires, _EXPIRES, connection)
        if expires >= now:
            found[stored[name]] = pickle.loads(base64.b64decode(connection.ops.process_clob(value).encode()))
    return found


def is_throttled(address: str) -> bool:
    lock, count = _lock_key(address), _key(address)
    found = _get_many([lock, count])  # one read of the shared cache
    return bool(found.get(lock)) or (found.get(count) or 0) >= limit()


def record_failure(address: str) -> int:
    """Count one failed confirmation from `address`; returns the number of failures in the current minute."""
    key = _key(address)
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
        count = 1
    if count >= limit():
        cache.set(_lock_key(address), 1, timeout=lock_seconds())
    return count


def _code_digest(code: str) -> str:
    """A fixed-length key part for any typed code (codes compare case-insensitively, as the lookup does)."""
    return hashlib.sha256(code.strip().upper().encode("utf-8", "replace")).hexdigest()[:32]


def _code_key(code: str) -> str:
    window = int(timezone.now().timestamp()) // CODE_WINDOW_SECONDS
    return f"motcua:lookup-code-failures:{_code_digest(code)}:{window}"


def _code_lock_key(code: str) -> str:
    return f"motcua:lookup-code-locked:{_code_digest(code)}"


def is_code_locked(code: str) -> bool:
    return bool(cache.get(_code_lock_key(code)))


def _increment(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1


def record_code_failure(code: str, address: str = "") -> int:
    """Count one failed confirmation of `code` from `address`; returns the code's failures in the current hour
    (not counting this one when `address` has already given its share of them)."""
    key = _code_key(code)
    if address:
        share = _increment(f"{key}:{address}", CODE_WINDOW_SECONDS * 2)
        if share > code_share_per_source():
            return cache.get(key) or 0
    count = _increment(key, CODE_WINDOW_SECONDS * 2)
    if count >= code_limit():
        cache.set(_code_lock_key(code), 1, timeout=code_lock_seconds())
    return count


def confirm(request, code: str, secret: str = "", *, phone: str = "", id_number: str = "", find=None):
    """The dossier `code` when `secret` (its applicant's or submitter's phone or ID number; or `phone` /
    `id_number` given apart) matches, else None (a wrong pair is the same None as an unknown code). `find` is
    the lookup under the same rule that gives the answer: `services.lookup` (the dossier) by default, or
    `services.public_status` (only what the public sees, one query).

    Raises `Throttled` when the request's source has failed too often, and `CodeLocked` when the code has been
    confirmed wrongly too often from anywhere, before looking anything up.
    """
    from . import services

    address = client_address(request)
    code, secret = (code or "").strip(), (secret or "").strip()
    phone, id_number = (phone or "").strip() or secret, (id_number or "").strip() or secret
    find = find or services.lookup
    lock, count = _lock_key(address), _key(address)
    keys = [lock, count, _code_lock_key(code)] if code else [lock, count]
    read = getattr(find, "prepared_rows", None) if code and (phone or id_number) else None
    # The counts and the dossier's rows in one statement when `find` has a prepared read that goes to the cache's
    # database (PostgreSQL, no replica): the rows are read before the counts are known, and are not used when
    # the source or the code is locked.
    if read is None:
        found, rows = _get_many(keys), None  # one read of the shared cache
    else:
        found, rows = _get_many_and_read(keys, read, (code,))
    if found.get(lock) or (found.get(count) or 0) >= limit():
        raise Throttled
    if code and found.get(keys[2]):
        raise CodeLocked
    dossier = None
    if rows is not None:
        dossier = find(code, phone=phone, id_number=id_number, rows=rows)
    elif code and (phone or id_number):
        dossier = find(code, phone=phone, id_number=id_number)
    if dossier is None:
        record_failure(address)
        if code:
            record_code_failure(code, address)
    return dossier
