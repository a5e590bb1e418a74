"""What billing tells owners: that a bill is ready (issue 14, "owners get the bill in the portal and by SMS").

Reminders of the ladder are in reminders.py. Everything goes through notify(), so customers are written
to in Chinese on their mobile and the message is kept (masked secrets aside) in the outbox.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from propdesk.archive.models import CustomerPhone
from propdesk.core.timeline import Message
from propdesk.notify.services import Contact, notify

from .models import Bill, BillRun

CHUNK = 500
PORTAL_FEES = "/portal/fees/"


def contacts(customer_ids) -> dict[int, str]:
    """Each customer's first phone number (the one the desk registered first)."""
    phones: dict[int, str] = {}
    for customer_id, number in CustomerPhone.objects.filter(customer_id__in=list(customer_ids)).order_by(
            "customer_id", "id").values_list("customer_id", "number"):
        phones.setdefault(customer_id, number)
    return phones


def announce_run(run_id: int) -> int:
    """Tell the payers of the bills issued since the last announcement of the run; returns how many.

    Claimed by a conditional UPDATE of `announced_at`, so the task running twice tells nobody twice."""
    run = BillRun.objects.select_related("project").get(pk=run_id)
    now = timezone.now()
    claimed = BillRun.objects.filter(pk=run.pk, announced_at=run.announced_at).update(announced_at=now)
    if not claimed:
        return 0
    bills = Bill.objects.filter(run=run, issued_at__lte=now)
    if run.announced_at is not None:
        bills = bills.filter(issued_at__gt=run.announced_at)
    payers = dict(bills.order_by().values_list("payer_id", "payer__name").distinct())
    phones = contacts(payers)
    message = Message(gettext_noop("%(project)s: your bill for %(month)s is ready. Please see it and pay in the "
                                   "owner portal, or at the service center."),
                      {"project": run.project.name, "month": run.label})
    told = 0
    ids = sorted(payers)
    for offset in range(0, len(ids), CHUNK):
        chunk = [Contact(customer_id=pk, name=payers[pk], phone=phones.get(pk, "")) for pk in ids[offset:offset + CHUNK]]
        with transaction.atomic():
            notify(project=run.project_id, event="billing.bill_ready", subject=message, body=message,
                   link=PORTAL_FEES, customers=chunk)
        told += len(chunk)
    return told
