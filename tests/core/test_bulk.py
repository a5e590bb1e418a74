"""core.bulk: the set-based writers store what the ORM would store (the bill run's post, issue 14 item 2)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from propdesk.core import bulk
from propdesk.core.models import TimelineEvent

AT = dt.datetime(2027, 3, 1, 0, 30, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_rows_come_back_as_written_and_ids_in_the_order_of_the_rows(monkeypatch):
    monkeypatch.setattr(bulk, "MAX_PARAMS", 14)  # 2 rows a statement: the ids span several statements
    rows = [(AT + dt.timedelta(hours=n), "test.bulk", f"row {n}", {"total": str(Decimal("1.05") * n)}, {}, n % 2 == 0)
            for n in range(5)]
    with transaction.atomic():
        ids = bulk.insert(TimelineEvent, ["at", "verb", "message", "params", "changes", "internal"], rows,
                          returning=("id", "message"))
    assert [message for _pk, message in ids] == [f"row {n}" for n in range(5)]
    stored = {e.pk: e for e in TimelineEvent.objects.filter(verb="test.bulk")}
    for (pk, _message), (at, _verb, message, params, _changes, internal) in zip(ids, rows, strict=True):
        assert (stored[pk].at, stored[pk].message, stored[pk].params, stored[pk].internal) == (
            at, message, params, internal)


def test_it_runs_only_inside_the_transaction_of_the_change():
    # no database access is allowed here: the refusal comes before any statement
    with pytest.raises(RuntimeError, match="inside the transaction"):
        bulk.insert(TimelineEvent, ["at", "verb", "message", "params", "changes", "internal"],
                    [(AT, "test.bulk", "x", {}, {}, False)])
