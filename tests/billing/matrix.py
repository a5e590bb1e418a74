"""The billing domain's access matrix (see tests/domain_matrices.py for the shapes and who reads them).

The kwargs and "<attr>" form values name attributes of the `fee_world` fixture (tests/billing/world.py):
阳光花园's fee items, its March run, 王建国's unit, bills, receipt, deposits and requests. The domain's
own access tests (tests/billing/test_access.py) call every entry as staff of another project, as roles
that may not, and anonymously.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

OBJ, LIST, PUBLIC, ACTION = "object", "list", "public", "action"
UNIT = {"unit_id": "unit"}
RUN = {"run_id": "run"}
RECEIPT = {"receipt_id": "receipt"}
ITEM = {"item_id": "fee_item"}
XLSX = {"project": "<project>",
        "file": lambda: SimpleUploadedFile("r.xlsx", b"PK\x03\x04", content_type="application/octet-stream")}

CONSOLE = {
    # the fees desk, items and standards, settings, readings
    "fees": (LIST, ["GET"], {}, [{}, {"project": "<project>"}, {"project": "<project>", "unit": "3-2-1201"}]),
    "fee_items": (LIST, ["GET"], {}, [{}, {"project": "<project>"}]),
    "fee_item_add": (LIST, ["GET", "POST"], {}, {"project": "<project>", "code": "x", "name": "外人收费",
                                                 "kind": "fixed", "accounting": "other", "sort": "1"}),
    "fee_item_edit": (OBJ, ["GET", "POST"], ITEM, {"code": "x", "name": "改名", "kind": "property",
                                                   "accounting": "other", "sort": "1"}),
    "fee_standard_add": (OBJ, ["GET", "POST"], ITEM, {"price": "9.99", "effective_from": "2030-01-01"}),
    "fee_settings": (OBJ, ["GET", "POST"], {"project_id": "project"},
                     {"start_rule": "next_month", "due_day": "1", "late_fee_daily_rate": "0", "receipt_prefix": "X"}),
    "meter_readings": (LIST, ["GET", "POST"], {}, [{"project": "<project>"}, {
        "project": "<project>", "unit": "3-2-1201", "fee_item": "<water>", "month": "2027-03", "value": "999"}]),
    "meter_readings_import": (ACTION, ["POST"], {}, XLSX),
    # bill runs
    "bill_runs": (LIST, ["GET", "POST"], {}, [{"project": "<project>"}, {"project": "<project>", "month": "2027-05"}]),
    "bill_run": (OBJ, ["GET"], RUN, [{}, {"lines": "1"}]),
    "bill_run_preview": (OBJ, ["POST"], RUN, {}),
    "bill_run_post": (OBJ, ["POST"], RUN, {"digest": "x", "confirm": "1"}),
    "bill_run_progress": (OBJ, ["GET"], RUN, {}),
    # the cash desk; the fees panel of the unit and customer cards
    "fees_card": (OBJ, ["GET"], {}, [{"unit": "<unit>"}, {"customer": "<owner>"}]),
    "unit_fees": (OBJ, ["GET"], UNIT, {}),
    "unit_pay": (OBJ, ["POST"], UNIT, {"amount": "1", "method": "cash", "idempotency_key": "matrix"}),
    "unit_fee_account": (OBJ, ["GET", "POST"], UNIT, {"unit_type": "shop", "parking_spaces": "3"}),
    "unit_fee_request": (OBJ, ["POST"], UNIT, {"kind": "credit", "line": "<line>", "amount": "1", "reason": "外人"}),
    "unit_deposit": (OBJ, ["POST"], UNIT, {"fee_item": "<deposit_item>", "amount": "1"}),
    "tenant_pays": (OBJ, ["POST"], {"occupancy_id": "tenancy"}, {"pays": "1"}),
    "deposits": (LIST, ["GET"], {}, [{}, {"project": "<project>"}, {"status": "held"}]),
    "deposit_pay": (OBJ, ["POST"], {"deposit_id": "deposit_due"}, {"method": "cash"}),
    "deposit_release": (OBJ, ["POST"], {"deposit_id": "deposit_held"},
                        {"kind": "refund", "amount": "1", "reason": "外人", "method": "bank"}),
    "receipts": (LIST, ["GET"], {}, [{}, {"project": "<project>"}, {"q": "SJ"}]),
    "receipt": (OBJ, ["GET"], RECEIPT, {}),
    "receipt_pdf": (OBJ, ["GET"], RECEIPT, {}),
    "receipt_void": (OBJ, ["POST"], RECEIPT, {"reason": "外人", "confirm": "on"}),
    # the signed-in cashier's own day: another project's id falls back to one's own project
    "daily_close": (ACTION, ["GET", "POST"], {}, [{"project": "<project>"}, {"project": "<project>",
                                                                              "counted_cash": "0"}]),
    "fee_approvals": (LIST, ["GET"], {}, [{}, {"project": "<project>", "all": "1"}]),
    "fee_decide": (OBJ, ["POST"], {"kind": "=adjustment", "request_id": "adjustment"}, {"decision": "approve"}),
    "paid_services_billing": (LIST, ["GET"], {}, [{}, {"project": "<project>", "month": "2027-03"},
                                                  {"project": "<project>", "month": "2027-03", "kind": "repairs"}]),
    "paid_service_bill": (OBJ, ["POST"], {}, {"source": "work_order:<special_order>"}),
    # arrears, the reminder ladder, letters, payment plans
    "arrears": (LIST, ["GET"], {}, [{}, {"project": "<project>"}, {"project": "<project>", "building": "<building>"}]),
    "reminder_ladder": (OBJ, ["GET", "POST"], {"project_id": "project"}, {"days_1": "20", "active_1": "on"}),
    "reminder_letter": (OBJ, ["GET"], {"reminder_id": "letter"}, {}),
    "unit_plan": (OBJ, ["POST"], UNIT, {"terms": "外人", "until": "2099-01-01"}),
    "plan_end": (OBJ, ["POST"], {"plan_id": "plan"}, {}),
    # statements and exports: another project's staff fall back to their own project
    "fee_statements": (ACTION, ["GET", "POST"], {}, [{"project": "<project>"}, {"project": "<project>",
                                                                                  "month": "2027-05"}]),
    "fee_statement_import": (ACTION, ["POST"], {}, {**XLSX, "month": "2027-06"}),
    "fee_statement": (OBJ, ["GET", "POST"], {"statement_id": "statement"}, [
        {}, {"action": "save", "side": "income", "category": "外人", "amount": "1"}, {"action": "submit"},
        {"action": "approve"}, {"action": "reject", "reason": "外人"}, {"action": "publish"}]),
    "fee_statement_xlsx": (OBJ, ["GET"], {"statement_id": "statement"}, {}),
    "fee_export": (ACTION, ["GET"], {"kind": "=arrears"}, {"project": "<project>"}),
}
# Portal pages: kwargs name attributes of `fee_world` (an order's URL takes its order number).
PORTAL = {
    "fees": (LIST, ["GET"], {}, [{}, {"page": "2"}]),
    "fee_bill": (OBJ, ["GET"], {"bill_id": "bill"}, {}),
    # paying or prepaying for another's home: told to choose one of one's own homes, nothing created
    "fee_pay": (LIST, ["POST"], {}, [{"unit": "<unit>"}, {"unit": "<unit>", "lines": "<line>"}]),
    "fee_prepay": (LIST, ["GET", "POST"], {}, {"unit": "<unit>", "amount": "10"}),
    "pay_local": (OBJ, ["GET", "POST"], {"out_trade_no": "intent"}, [{"action": "pay"}, {"action": "cancel"}]),
    "fee_receipts": (LIST, ["GET"], {}, {}),
    "fee_receipt_pdf": (OBJ, ["GET"], {"receipt_id": "receipt"}, {}),
    "fee_invoice": (OBJ, ["POST"], {"receipt_id": "receipt"}, {"title": "外人公司"}),
    "fee_history": (LIST, ["GET"], {}, {}),
    # the project's published standards: a neighbour sees the same; an owner of another project not
    "fee_standards": (LIST, ["GET"], {}, {}),
    # the statements published to the project's owners: a neighbour sees them, an owner of another project not
    "fee_statements": (LIST, ["GET"], {}, {}),
    "fee_statement": (OBJ, ["GET"], {"statement_id": "statement"}, {}),
    "fee_statement_xlsx": (OBJ, ["GET"], {"statement_id": "statement"}, {}),
}
V = "/api/v1"
_PROJECT = lambda w: [{}, {"project": w.project.pk}]  # noqa: E731
# API lists: the query parameters to try; none may return a row of 阳光花园 to another project's staff.
API_LISTS = {
    (f"{V}/fee-items", "get"): _PROJECT,
    (f"{V}/bills", "get"): lambda w: [{}, {"project": w.project.pk}, {"unit": w.unit.pk},
                                      {"period": "2027-03", "open": "true"}],
    (f"{V}/payments", "get"): lambda w: [{}, {"project": w.project.pk}, {"unit": w.unit.pk}],
    (f"{V}/receipts", "get"): lambda w: [{}, {"project": w.project.pk}, {"q": "SJ"}],
}
# API operations: (path under /api/v1, body) aimed at 阳光花园's objects.
API_OBJECTS = {
    (f"{V}/bills/{{bill_id}}", "get"): lambda w: (f"/bills/{w.bill.pk}", None),
    (f"{V}/payments", "post"): lambda w: ("/payments", {"unit": w.unit.pk, "amount": "1.00", "method": "cash"}),
    (f"{V}/payments/{{payment_id}}", "get"): lambda w: (f"/payments/{w.payment.pk}", None),
    (f"{V}/receipts/{{receipt_id}}", "get"): lambda w: (f"/receipts/{w.receipt.pk}", None),
    # the provider's notification needs no credentials: a forged one (signed with a guessed key) records nothing
    ("/api/v1/payments/notify/{provider}", "post"): lambda w: ("/payments/notify/local", forged_notification(w)),
}


def forged_notification(world) -> dict:
    from propdesk.billing.providers import LocalProvider

    fields = LocalProvider().notification_for(world.intent, transaction_id="FORGED")
    fields["sign"] = LocalProvider(key="guessed").sign(fields)
    return fields
