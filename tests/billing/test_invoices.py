"""Tax invoice requests (issue 14, "not in this issue" but recorded): an owner asks for an invoice for a payment
in the portal; the request is recorded once, handed to the recording backend, and checked."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from propdesk.archive.owners import owner_for_phone
from propdesk.billing import invoices, payments
from propdesk.billing.models import InvoiceRequest
from propdesk.core.errors import Conflict
from tests.billing.conftest import post_month
from tests.portal.conftest import sign_in


@pytest.fixture
def paid(home, clerk):
    post_month(clerk, home.project, dt.date(2027, 3, 1))
    payment, _ = payments.take_payment(clerk, home.unit, amount="233.75", method="cash")
    return payment


def test_an_invoice_is_requested_once_and_recorded_by_the_backend(paid):
    owner = owner_for_phone("13812345678")
    row = invoices.request_invoice(owner, paid, title="深圳市某某科技有限公司", tax_number="91440300MA5ABCDE1X",
                                   email="caiwu@example.com")
    assert (row.backend_ref, row.status, row.requested_by) == (f"REC-{row.pk}", "requested", "13812345678")
    with pytest.raises(Conflict):
        invoices.request_invoice(owner, paid, title="王建国")
    assert InvoiceRequest.objects.count() == 1


@pytest.mark.parametrize("fields", [{"title": " "}, {"title": "王建国", "tax_number": "123"},
                                    {"title": "王建国", "email": "not-an-address"}])
def test_a_bad_request_is_refused_with_nothing_written(paid, fields):
    with pytest.raises(ValidationError):
        invoices.request_invoice(owner_for_phone("13812345678"), paid, **fields)
    assert not InvoiceRequest.objects.exists()


def test_the_owner_asks_from_the_receipts_page(client, paid):
    sign_in(client, "13812345678")
    url = reverse("portal:fee_invoice", args=[paid.receipt.pk])
    assert client.post(url, {"title": "王建国"}).status_code == 302
    assert "王建国" in client.get(reverse("portal:fee_receipts")).content.decode()
    assert InvoiceRequest.objects.get().payment == paid
