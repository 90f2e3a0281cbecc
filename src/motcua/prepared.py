"""Hot read queries built and compiled by the ORM once per server thread, then only executed.

For a short query the ORM spends more CPU building the QuerySet and compiling it to SQL than the database spends
answering it (the public status lookup: about two thirds of its time). `PreparedValues` takes a function that
builds a `values_list` QuerySet from sentinel arguments, compiles it on first use in each thread (and again when
the thread's database connection object changes), and afterwards only substitutes the real arguments into the
compiled statement's parameters, executes it and applies the ORM's own value converters (time zones, SQLite
dates), so results are exactly what the QuerySet would give. On PostgreSQL the statement is also prepared on the
server (see `_cursor`): its plan is made once per pooled connection instead of once per request.

Only for plain `values_list` queries whose arguments are compared by equality (each sentinel must appear as a
parameter of its own); a query that has any doubt stays an ordinary QuerySet. `PreparedSQL` does the same for a
raw read that has no model (the lookup throttle's read of the database cache table).
"""

import datetime
import threading
from collections.abc import Callable
from itertools import chain

from django.db import connections, router
from django.db.models import QuerySet


def _sentinel(kind: type, i: int):
    """A parameter value of this type that no request uses, found back in the compiled parameters."""
    if kind is int:
        return -8_675_309_000_000 - i
    if kind is datetime.date:
        return datetime.date(1, 1, 1) + datetime.timedelta(days=i)
    return f"\x00motcua-prepared-{i}\x00"


def _server_binding_cursor_class(connection):
    """Django's cursor class that binds parameters on the server, when `connection` is PostgreSQL through psycopg 3
    and does not bind on the server already; else None (Django's ordinary cursor serves)."""
    if connection.vendor != "postgresql" or connection.settings_dict.get("OPTIONS", {}).get(
        "server_side_binding"
    ):
        return None
    from django.db.backends.postgresql import base

    return getattr(base, "ServerBindingCursor", None)  # defined only with psycopg 3


def _cursor(connection, server_binding_class):
    """A cursor for a prepared read: on PostgreSQL with psycopg 3, one that binds its parameters on the server,
    so that psycopg turns the statement into a server-side prepared statement of the pooled connection once the
    connection's `prepare_threshold` is reached (settings.py: with the pool) and the database stops planning it
    again for every request. Elsewhere, and for every other query, Django's ordinary cursor. The cursor is
    wrapped by Django as usual (query logging, execute wrappers)."""
    if server_binding_class is None:
        return connection.cursor()
    connection.ensure_connection()
    return connection._prepare_cursor(server_binding_class(connection.connection))


def _state_of(local: threading.local, alias: str, connection, work_out: Callable[[], tuple]) -> tuple:
    """What `work_out()` gives for this thread's connection of `alias`, worked out again only when the connection
    object changes: `(connection, *work_out())`."""
    states = getattr(local, "states", None)
    if states is None:
        states = local.states = {}
    state = states.get(alias)
    if state is None or state[0] is not connection:
        state = states[alias] = (connection, *work_out())
    return state


class PreparedValues:
    def __init__(self, build: Callable[..., QuerySet], args: tuple[type, ...], using: str | None = None):
        """`build(*args)` returns the QuerySet; `args` are the arguments' types (str, int or
        datetime.date). Without `using`, each call reads where the database router sends a read of the query's
        model (the primary, or a replica inside a replica-reads scope, see motcua.db_routing)."""
        self.build = build
        self.arg_types = args
        self.using = using
        self._model = None
        self._local = threading.local()

    def _sentinels(self) -> list:
        return [_sentinel(kind, i) for i, kind in enumerate(self.arg_types)]

    def _alias(self) -> str:
        if self.using:
            return self.using
        if self._model is None:
            self._model = self.build(*self._sentinels()).model
        return router.db_for_read(self._model)

    def _compiled(self, connection, alias):
        return _state_of(self._local, alias, connection, lambda: self._compile(connection, alias))[1:]

    def _compile(self, connection, alias) -> tuple:
        sentinels = self._sentinels()
        queryset = self.build(*sentinels)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        params = list(params)
        positions, adapters = [], []
        for sentinel in sentinels:
            adapt = None
            if isinstance(sentinel, datetime.date):
                # The backend may bind dates as text (SQLite): a date argument is adapted the same way.
                adapt = connection.ops.adapt_datefield_value
                sentinel = adapt(sentinel)
            found = [i for i, value in enumerate(params) if value == sentinel]
            if len(found) != 1:
                raise ValueError("each argument of a prepared query must be one parameter of its own")
            positions.append(found[0])
            adapters.append(adapt)
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        converters = compiler.get_converters(fields)  # the same for every execution: found once
        cursor_class = _server_binding_cursor_class(connection)  # likewise
        return sql, params, (positions, adapters), compiler, converters, cursor_class

    def _bind(self, *args) -> tuple:
        """`(connection, cursor_class, sql, params, decoding)` of one execution for these arguments."""
        alias = self._alias()
        connection = connections[alias]
        sql, params, (positions, adapters), compiler, converters, cursor_class = self._compiled(
            connection, alias
        )
        params = list(params)
        for position, adapt, value in zip(positions, adapters, args, strict=True):
            params[position] = value if adapt is None else adapt(value)
        return connection, cursor_class, sql, params, (compiler, converters)

    @staticmethod
    def _result(connection, rows: list, decoding: tuple) -> list[tuple]:
        compiler, converters = decoding
        result = chain.from_iterable([rows])
        if converters:
            result = compiler.apply_converters(result, converters)
        return [tuple(row) for row in result]

    def __call__(self, *args) -> list[tuple]:
        """The rows (tuples of values) of the query for these arguments."""
        connection, cursor_class, sql, params, decoding = self._bind(*args)
        with _cursor(connection, cursor_class) as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return self._result(connection, rows, decoding)


class PreparedSQL:
    def __init__(self, build: Callable[[object], str], using: Callable[[], str]):
        """A raw read statement executed like `PreparedValues`' (on PostgreSQL with the pool, prepared on the
        server once per pooled connection): `build(connection)` writes the SQL for that connection (quoting its
        names) once per thread and connection; `using()` names the database alias of each call."""
        self.build = build
        self.using = using
        self._local = threading.local()

    def execute(self, params: list) -> tuple[object, list[tuple]]:
        """The connection of this call and the rows of the statement for these parameters, as the database
        driver gives them."""
        alias = self.using()
        connection = connections[alias]
        _connection, sql, cursor_class = _state_of(
            self._local,
            alias,
            connection,
            lambda: (self.build(connection), _server_binding_cursor_class(connection)),
        )
        with _cursor(connection, cursor_class) as cursor:
            cursor.execute(sql, params)
            return connection, cursor.fetchall()


class PreparedBeside:
    def __init__(
        self, aggregate: Callable[[object], str], width: int, values: PreparedValues, using: Callable[[], str]
    ):
        """One statement for two reads that go to the same PostgreSQL database: a query of exactly one row and
        `width` columns (`aggregate(connection)` writes its SQL, e.g. array_agg over a few rows of a table) and,
        beside it on each row, the rows of a `PreparedValues` query, whose first column must never be NULL (the
        primary key):

            SELECT a.*, v.* FROM (aggregate) a LEFT JOIN LATERAL (query) v ON TRUE

        One round trip and one statement, prepared on the server like the others, instead of two (and less of the
        driver's CPU than two). The query's rows keep its own order: the join has no condition, so PostgreSQL can
        only run it as a nested loop over the one row of `aggregate`. `using()` names the database of the
        aggregate's read. Elsewhere than on PostgreSQL, or when the query's read is routed to another database (a
        replica), nothing is read and the call gives None: the caller reads them apart."""
        self.aggregate = aggregate
        self.width = width
        self.values = values
        self.using = using
        self._local = threading.local()

    def _compose(self, connection, alias) -> tuple:
        if connection.vendor != "postgresql":
            return None, None
        query = self.values._compiled(connection, alias)[0]
        sql = f"SELECT a.*, v.* FROM ({self.aggregate(connection)}) a LEFT JOIN LATERAL ({query}) v ON TRUE"
        return sql, _server_binding_cursor_class(connection)

    def __call__(self, params: list, *args) -> tuple[object, tuple, list[tuple]] | None:
        """`(connection, the aggregate's row, the query's rows for args as PreparedValues gives them)` with the
        aggregate's `params`; or None, and nothing is read."""
        alias = self.using()
        if self.values._alias() != alias:
            return None
        connection = connections[alias]
        _connection, sql, cursor_class = _state_of(
            self._local, alias, connection, lambda: self._compose(connection, alias)
        )
        if sql is None:
            return None
        _connection, _cursor_class, _sql, values_params, decoding = self.values._bind(*args)
        with _cursor(connection, cursor_class) as cursor:
            cursor.execute(sql, [*params, *values_params])
            rows = cursor.fetchall()
        width = self.width
        found = [row[width:] for row in rows if row[width] is not None]
        return connection, rows[0][:width], self.values._result(connection, found, decoding)
