"""What every billing table shares: money columns and the immutability of posted rows (issue 14, item 2)."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Value


def positive(field: str) -> Q:
    """`field` > 0, as the condition of a partial index (open lines, prepayments held) and of the queries
    that should use it: both must say it alike.

    SQLite uses a partial index only when the query's condition is the index's own, term for term. Django
    writes a DecimalField's `__gt=0` as the text '0' (in an index's definition and as a query parameter), and
    the planner then took the wrong index or none (2 s for the arrears page over 5 million lines instead of
    0.2 s); with an integer 0 on both sides it takes the covering one."""
    return Q(**{f"{field}__gt": Value(0)})


class ImmutableRow(RuntimeError):
    """Code tried to change or delete a posted ledger row: corrections are new rows (adjustments, credits)."""


def money_field(verbose_name, **kwargs):
    """An amount in yuan: 2 places, up to 千亿."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


def price_field(verbose_name, **kwargs):
    """A unit price: 4 places (yuan per m² per month may be 2.3500)."""
    kwargs.setdefault("validators", [MinValueValidator(Decimal("0"))])
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=4, **kwargs)


class PostedQuerySet(models.QuerySet):
    """Refuses UPDATE and DELETE of posted rows, except of the model's DERIVED_FIELDS.

    A derived field (a line's open amount, a payment's part still held as prepayment) is a running
    figure kept beside the immutable facts for fast queries; the services that change it also write
    the immutable allocation row that explains the change, and the reconciliation checks both agree.
    """

    def update(self, **kwargs):
        extra = set(kwargs) - self.model.DERIVED_FIELDS
        if extra:
            raise ImmutableRow(f"{self.model.__name__}: posted rows are immutable ({', '.join(sorted(extra))})")
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, batch_size=None):
        extra = set(fields) - self.model.DERIVED_FIELDS
        if extra:
            raise ImmutableRow(f"{self.model.__name__}: posted rows are immutable ({', '.join(sorted(extra))})")
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def delete(self):
        raise ImmutableRow(f"{self.model.__name__}: posted rows are never deleted")

    delete.queryset_only = True


class PostedRow(models.Model):
    """A ledger row: inserted once, never updated (but for DERIVED_FIELDS through the services), never deleted."""

    DERIVED_FIELDS: frozenset = frozenset()

    objects = PostedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRow(f"{type(self).__name__}: posted rows are immutable")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRow(f"{type(self).__name__}: posted rows are never deleted")
