"""Database helpers that know nothing of the domain."""

from django.db import connection


def refresh_statistics(*tables: str) -> None:
    """Refresh the planner's statistics after a bulk load, so the first queries get good plans.

    PostgreSQL's autovacuum would do it eventually; until then a freshly loaded table looks empty to
    the planner and a join can take seconds instead of milliseconds.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in tables:
                cursor.execute(f'ANALYZE "{table}"')
        elif connection.vendor == "sqlite":
            cursor.execute("ANALYZE")


_AS_IS = (str, int, type(None))


def insert_rows(model, rows: list[dict], *, common: dict | None = None) -> None:
    """Insert many rows of `model` with one executemany, skipping those that would break a unique constraint
    (ON CONFLICT DO NOTHING, on SQLite and PostgreSQL alike; on PostgreSQL the rows are pipelined).

    For bulk writes where the ORM's per-object work (building instances, compiling a statement per batch)
    costs more than the database (a notice's fan-out: bench/notice_fanout.py). `rows` give the values that
    differ from row to row, `common` those shared by all (prepared once); every other concrete field takes
    its default. No signals are sent, no primary keys come back: the caller reads back what it needs.
    """
    if not rows:
        return
    common = common or {}
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    varying = [f for f in fields if f.attname in rows[0] or f.name in rows[0]]
    fixed = [f for f in fields if f not in varying]
    fixed_values = []
    for field in fixed:
        value = common.get(field.attname, common.get(field.name)) if (
            field.attname in common or field.name in common) else field.get_default()
        fixed_values.append(field.get_db_prep_save(value, connection))
    fixed_values = tuple(fixed_values)
    keys = [f.attname if f.attname in rows[0] else f.name for f in varying]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in varying + fixed)
    width = len(varying) + len(fixed)
    row_marks = f"({', '.join(['%s'] * width)})"
    head = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES "
    pairs = list(zip(varying, keys, strict=True))
    # Text, whole numbers and NULL go to the driver as they are; other values (JSON, datetimes) are prepared.
    prepared = [tuple(v if type(v) in _AS_IS else f.get_db_prep_save(v, connection)
                      for f, v in ((f, row[k]) for f, k in pairs)) + fixed_values for row in rows]
    sql = f"{head}{row_marks} ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":  # SQLite is in-process: a statement run per row is the fastest
            cursor.executemany(sql, prepared)
            return
    # PostgreSQL: Django's cursors bind parameters in the client (the driver parses the statement each time);
    # a cursor binding on the server sends the rows of one executemany pipelined, not a round trip each.
    from psycopg import Cursor

    with Cursor(connection.connection) as raw:
        raw.executemany(sql, prepared)
