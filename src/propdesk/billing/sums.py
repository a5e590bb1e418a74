"""Exact sums of money in SQL, on SQLite as on PostgreSQL.

SQLite keeps a DecimalField as a REAL and adds REALs in binary floating point: SUM(amount) over many rows
comes back as 104.94999999999994, not 104.95. Each stored amount is the double nearest to its 2-place
value, so turning every row into whole fen first (ROUND(amount × 100), an exact integer) and adding
integers is exact on both databases. Every money aggregate of the billing app goes through `total()`;
the services never do money arithmetic in SQL either (no F("amount") - x): they compute the new amount
in Decimal on the locked row and write it (ledger.py).
"""

from decimal import Decimal

from django.db.models import BigIntegerField, F, Func, Sum, Value
from django.db.models.functions import Coalesce

from .money import CENT

ZERO = Decimal("0.00")


class Fen(Func):
    """The column as a whole number of fen (an exact integer on either database): ROUND(x × 100) as BIGINT.

    Written out rather than as Cast(Round(F(x) * 100)): Django wraps that in two more casts to NUMERIC on
    SQLite, which doubled the cost of the arrears page's aggregate over 240,000 open lines."""

    template = "CAST(ROUND(%(expressions)s * 100) AS BIGINT)"
    output_field = BigIntegerField()


def fen(field: str):
    return Fen(F(field))


def total(field: str, **kwargs):
    """SUM of a money column in fen (an aggregate): read it back with `yuan()`."""
    return Coalesce(Sum(fen(field), **kwargs), Value(0), output_field=BigIntegerField())


def yuan(value) -> Decimal:
    """A fen total from `total()` as yuan, 2 places."""
    return (Decimal(int(value or 0)) / 100).quantize(CENT)


def aggregate(qs, field: str) -> Decimal:
    return yuan(qs.aggregate(t=total(field))["t"])


def by(qs, key: str, field: str = "amount") -> dict:
    """{key value: Decimal total} of a money column grouped by `key`."""
    return {k: yuan(v) for k, v in qs.values(key).annotate(t=total(field)).values_list(key, "t")}
