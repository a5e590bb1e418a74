"""Receipt numbers stay gap-free under concurrent payments, with real threads (issue 14, item 3).

Runs on the suite's database: SQLite (one writer at a time, immediate transactions) and PostgreSQL (the
receipt counter row locked with SELECT … FOR UPDATE in each payment's transaction).
"""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from propdesk.billing import payments, reconcile
from propdesk.billing.models import Payment, Receipt
from tests.billing.conftest import add_home, post_month

D = Decimal
THREADS, EACH = 6, 4


@pytest.mark.django_db(transaction=True)
def test_receipt_numbers_are_gap_free_under_concurrent_payments(fees, clerk):
    homes = [add_home(fees.project, f"{n + 1}08") for n in range(THREADS)]
    post_month(clerk, fees.project, dt.date(2027, 3, 1))
    barrier = threading.Barrier(THREADS)
    refused, errors = [], []

    def cashier(home, index):
        try:
            barrier.wait(timeout=30)
            for k in range(EACH):
                # every third payment asks for more than is open without prepayment: refused, rolled back
                amount = "9999" if (index + k) % 3 == 0 else "10.01"
                try:
                    payments.take_payment(clerk, home.unit, amount=amount, method="cash")
                except ValidationError:
                    refused.append((index, k))
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=cashier, args=(home, i)) for i, home in enumerate(homes)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    taken = THREADS * EACH - len(refused)
    assert refused and taken == Payment.objects.count()
    numbers = sorted(Receipt.objects.values_list("number", flat=True))
    assert numbers == list(range(1, taken + 1)), "receipt numbers must run 1…N with no gap and no repeat"
    assert reconcile.check_project(fees.project.pk) == []
