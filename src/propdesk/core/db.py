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
