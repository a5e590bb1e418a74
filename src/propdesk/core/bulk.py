"""Set-based inserts: plain rows written without a model instance per row.

`QuerySet.bulk_create()` builds a model instance per row and compiles every value through the ORM: for the
bill run's post (100,000 bills ≈ 600,000 rows with lines, timeline events and links) and a notice's fan-out
(a receipt and a message per household) that Python work, not the database, was most of the time. Both
writers here take plain values; each value still goes through its field's `get_db_prep_save()` (memoised per
column, as the same dates, prices and ids repeat), so the stored values are exactly what the ORM would store.
No signals are sent (neither does bulk_create).

- `insert()` — rows given as tuples of named columns, ids (or other columns) returned in the order of the
  rows; runs inside the caller's transaction (the bill run's post: billing.runs).
- `insert_rows()` — rows given as dicts plus the values they share, a row that would break a unique
  constraint skipped (ON CONFLICT DO NOTHING), nothing returned (the notice fan-out: engage.notices.dispatch,
  notify.services.send_bulk).
"""

from django.db import connection, transaction

# A chunk's parameters stay under SQLite's default variable limit (32,766) and PostgreSQL's (65,535).
MAX_PARAMS = 30000


def insert(model, columns: list[str], rows: list[tuple], returning: tuple[str, ...] = ()) -> list[tuple]:
    """INSERT `rows` (tuples in the order of `columns`, field names) into `model`'s table; return the
    `returning` columns of every row inserted, in the order of `rows` (on SQLite one multi-row INSERT …
    RETURNING per chunk, whose rows come in the order of the VALUES, as bulk_create relies on; on
    PostgreSQL a COPY, see _copy()). Without `returning`, on SQLite one prepared statement
    executed for every row (executemany). Must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("bulk.insert() runs inside the transaction of the change it writes")
    if not rows:
        return []
    fields = [model._meta.get_field(name) for name in columns]
    preps = [(i, _preparer(field)) for i, field in enumerate(fields) if not _as_is(field)]
    given = rows
    if preps:
        rows = [_prepared(row, preps) for row in rows]
    if connection.vendor == "postgresql":
        return _copy(model, fields, columns, rows, given, returning)
    quote = connection.ops.quote_name
    head, one = _head(model, fields), _marks(len(fields))
    with connection.cursor() as cursor:
        if not returning and connection.vendor == "sqlite":
            # SQLite prepares the statement once and steps it per row, in C: faster than long statements.
            cursor.executemany(head + one, rows)
            return []
        tail = (" RETURNING " + ", ".join(quote(model._meta.get_field(name).column) for name in returning)
                if returning else "")
        size = max(1, MAX_PARAMS // len(fields))
        out: list[tuple] = []
        for start in range(0, len(rows), size):
            chunk = rows[start:start + size]
            cursor.execute(head + ", ".join([one] * len(chunk)) + tail, [v for row in chunk for v in row])
            if returning:
                out.extend(tuple(r) for r in cursor.fetchall())
    return out



def insert_rows(model, rows: list[dict], *, common: dict | None = None) -> None:
    """Insert many rows of `model` with one executemany, skipping those that would break a unique constraint
    (ON CONFLICT DO NOTHING, on SQLite and PostgreSQL alike; on PostgreSQL the rows are pipelined).

    `rows` give the values that differ from row to row, `common` those shared by all (prepared once); every
    other concrete field takes its default. No primary keys come back: the caller reads back what it needs.
    """
    if not rows:
        return
    common = common or {}
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    varying = [f for f in fields if f.attname in rows[0] or f.name in rows[0]]
    fixed = [f for f in fields if f not in varying]
    fixed_values = tuple(
        field.get_db_prep_save(common[_key(field, common)] if _key(field, common) else field.get_default(),
                               connection)
        for field in fixed)
    keys = [_key(f, rows[0]) for f in varying]
    preps = [(i, _preparer(field)) for i, field in enumerate(varying) if not _as_is(field)]
    prepared = [_prepared(tuple(row[k] for k in keys), preps) + fixed_values for row in rows]
    sql = _head(model, varying + fixed) + _marks(len(varying) + len(fixed)) + " ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":  # SQLite is in-process: a statement run per row is the fastest
            cursor.executemany(sql, prepared)
            return
    # PostgreSQL: Django's cursors bind parameters in the client (the driver parses the statement each time);
    # a cursor binding on the server sends the rows of one executemany pipelined, not a round trip each.
    from psycopg import Cursor

    with Cursor(connection.connection) as raw:
        raw.executemany(sql, prepared)


def _key(field, row: dict) -> str | None:
    """The key naming `field` in `row` (its attname, e.g. notice_id, or its name), or None."""
    return field.attname if field.attname in row else field.name if field.name in row else None


def _head(model, fields) -> str:
    quote = connection.ops.quote_name
    return f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES "


def _marks(width: int) -> str:
    return "(" + ", ".join(["%s"] * width) + ")"

def _copy(model, fields, columns, rows, given, returning) -> list[tuple]:
    """PostgreSQL: COPY … FROM STDIN (a statement per row, or long statements converted by the driver,
    cost more than the database's work). Ids, when asked for, are drawn from the table's sequence first."""
    quote = connection.ops.quote_name
    table = model._meta.db_table
    names = [f.column for f in fields]
    with connection.cursor() as cursor:
        ids = []
        if returning:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [table, model._meta.pk.column, len(rows)])
            ids = [r[0] for r in cursor.fetchall()]
            names = [model._meta.pk.column, *names]
            rows = [(pk, *row) for pk, row in zip(ids, rows, strict=True)]
        with cursor.copy(f"COPY {quote(table)} ({', '.join(quote(n) for n in names)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    if not returning:
        return []
    at = {name: i for i, name in enumerate(columns)}
    return [tuple(pk if name in ("id", model._meta.pk.name) else row[at[name]] for name in returning)
            for pk, row in zip(ids, given, strict=True)]


# Values the database drivers take as Python gives them (what get_db_prep_save returns unchanged).
AS_IS = frozenset({"AutoField", "BigAutoField", "IntegerField", "BigIntegerField", "SmallIntegerField",
                   "PositiveIntegerField", "PositiveSmallIntegerField", "PositiveBigIntegerField", "CharField",
                   "TextField", "BooleanField"})


def _as_is(field) -> bool:
    target = field.target_field if field.is_relation else field
    return target.get_internal_type() in AS_IS


def _prepared(row: tuple, preps) -> tuple:
    row = list(row)
    for i, prep in preps:
        row[i] = prep(row[i])
    return tuple(row)


def _preparer(field):
    """The field's database value of a Python value, memoised for hashable values."""
    cache: dict = {}

    def prep(value):
        try:
            return cache[value]
        except KeyError:
            cache[value] = out = field.get_db_prep_save(value, connection)
            return out
        except TypeError:  # unhashable (a dict for a JSON column)
            return field.get_db_prep_save(value, connection)

    return prep
