"""Fees (费用, PRODUCT.md area 4; issue 14): the billing app's tables, one module per sub-domain."""

from .arrears import DEFAULT_LADDER, PaymentPlan, Reminder, ReminderAction, ReminderStep
from .base import ImmutableRow, PostedRow
from .bills import OPEN, UNPAID, Bill, BillRun, ChargeLine
from .corrections import Adjustment, Decision, Deposit, DepositRelease, Refund, RefundPart
from .online import InvoiceRequest, PaymentIntent
from .payments import (
    HELD,
    Allocation,
    DailyClose,
    Method,
    Payment,
    PaymentKey,
    PaymentVoid,
    Receipt,
    ReceiptCounter,
)
from .standards import BillingSettings, FeeItem, FeeStandard, MeterReading, TenantPays, UnitAccount, UnitType
from .statements import Statement, StatementLine

__all__ = [
    "DEFAULT_LADDER", "PaymentPlan", "Reminder", "ReminderAction", "ReminderStep", "ImmutableRow", "PostedRow", "OPEN", "UNPAID", "HELD",
    "Bill", "BillRun", "ChargeLine", "Adjustment", "Decision", "Deposit", "DepositRelease", "Refund", "RefundPart",
    "InvoiceRequest", "PaymentIntent", "Allocation", "DailyClose", "Method", "Payment", "PaymentKey", "PaymentVoid",
    "Receipt", "ReceiptCounter", "BillingSettings", "FeeItem", "FeeStandard", "MeterReading", "TenantPays",
    "UnitAccount", "UnitType", "Statement", "StatementLine",
]
