"""Exact sums of money in SQL, on SQLite as on PostgreSQL.

SQLite keeps a DecimalField as a REAL and adds REALs in binary floating point: SUM(amount) over many rows
comes back as 104.94999999999994, not 104.95. Each stored amount is the double nearest to its 2-place
value, so on SQLite every row is turned into whole fen first (ROUND(amount × 100), an exact integer) and
the integers are added. PostgreSQL's numeric adds exactly: the sum is taken as it is and turned into fen
once per group. Either way `total()` gives whole fen. Every money aggregate of the billing app goes through
`total()`; the services never do money arithmetic in SQL either (no F("amount") - x): they compute the new
amount in Decimal on the locked row and write it (ledger.py).
"""

from decimal import Decimal

from django.db.models import BigIntegerField, F, Func, Sum, Value
from django.db.models.functions import Coalesce

from .money import CENT

ZERO = Decimal("0.00")


class RowFen(Func):
    """On SQLite, one row's amount in whole fen: ROUND(x × 100) as an integer (written out: Django's
    Cast(Round(…)) adds two casts to NUMERIC, which doubled the cost of the arrears aggregate). On
    PostgreSQL the amount itself (numeric, exact)."""

    template = "CAST(ROUND(%(expressions)s * 100) AS BIGINT)"
    output_field = BigIntegerField()  # also keeps Django's CAST(… AS NUMERIC) for decimals away on SQLite

    def as_postgresql(self, compiler, connection, **extra):
        return compiler.compile(self.source_expressions[0])


class SumFen(Func):
    """The sum of RowFen values in whole fen: as it is on SQLite, × 100 once per group on PostgreSQL."""

    template = "%(expressions)s"
    output_field = BigIntegerField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="CAST(%(expressions)s * 100 AS BIGINT)", **extra)


def total(field: str, **kwargs):
    """SUM of a money column in whole fen (an aggregate): read it back with `yuan()`."""
    return Coalesce(SumFen(Sum(RowFen(F(field)), output_field=BigIntegerField(), **kwargs)), Value(0),
                    output_field=BigIntegerField())


def fen_total(field: str, **kwargs):
    """SUM of a column already in whole fen (a bill's open amount): integers, exact on either database."""
    return Coalesce(Sum(field, **kwargs), Value(0), output_field=BigIntegerField())


def yuan(value) -> Decimal:
    """A fen total from `total()` as yuan, 2 places."""
    return (Decimal(int(value or 0)) / 100).quantize(CENT)


def aggregate(qs, field: str) -> Decimal:
    return yuan(qs.aggregate(t=total(field))["t"])


def by(qs, key: str, field: str = "amount") -> dict:
    """{key value: Decimal total} of a money column grouped by `key`."""
    return {k: yuan(v) for k, v in qs.values(key).annotate(t=total(field)).values_list(key, "t")}
