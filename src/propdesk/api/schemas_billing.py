"""Request and response shapes of the fees API (issue 14, item 9), with the limits of their columns."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from propdesk.billing.models import FeeItem, Method, Payment

from .schemas import NO_NUL, BodyId, Id, InSchema, PageQuery, page_of, text


class FeeStandardOut(Schema):
    id: int
    unit_type: str
    price: Decimal
    effective_from: date
    effective_to: date | None


class FeeItemOut(Schema):
    id: int
    project: int = Field(..., alias="project_id")
    code: str
    name: str
    kind: FeeItem.Kind
    accounting: FeeItem.Accounting
    meter_unit: str
    is_active: bool
    is_published: bool
    standards: list[FeeStandardOut]


class FeeItemFilter(PageQuery):
    project: Id | None = None


class LineOut(Schema):
    id: int
    fee_item: int = Field(..., alias="fee_item_id")
    kind: str
    description: str
    service_start: date
    service_end: date
    quantity: Decimal
    unit_price: Decimal
    days: int | None
    amount: Decimal
    outstanding: Decimal
    due_date: date


class BillOut(Schema):
    id: int
    project: int = Field(..., alias="project_id")
    unit: int = Field(..., alias="unit_id")
    unit_label: str = Field(..., alias="unit.label")
    payer: int = Field(..., alias="payer_id")
    payer_name: str = Field(..., alias="payer.name")
    kind: str
    period: date
    issued_at: datetime
    due_date: date
    lines: list[LineOut]


class BillFilter(PageQuery):
    project: Id | None = None
    unit: Id | None = None
    period: str | None = Field(None, pattern=r"^20[0-9]{2}-(0[1-9]|1[0-2])$",
                               description="The billed month, e.g. 2027-03.")
    open: bool = Field(False, description="Only bills with something still to pay.")


class PaymentIn(InSchema):
    unit: BodyId
    amount: str = Field(..., max_length=20, pattern=NO_NUL,
                        description="Yuan, at most two decimals, e.g. \"1234.50\" (text, never a float).")
    method: Method = Field(..., description="cash, bank or pos (online payments come from the provider).")
    lines: list[BodyId] | None = Field(None, max_length=500,
                                       description="The open charge lines to pay; else the oldest are paid first.")
    prepay_rest: bool = Field(False, description="Keep what is more than the open balance as prepayment (预存).")
    payer_name: str = text(Payment, "payer_name", "")
    reference: str = text(Payment, "reference", "")
    note: str = text(Payment, "note", "")


class PaymentOut(Schema):
    id: int
    project: int = Field(..., alias="project_id")
    unit: int = Field(..., alias="unit_id")
    payer_name: str
    method: str
    purpose: str
    amount: Decimal
    unallocated: Decimal = Field(..., description="What is held as the unit's prepayment.")
    received_at: datetime
    reference: str
    receipt: str | None = None
    voided: bool = False

    @staticmethod
    def resolve_receipt(obj) -> str | None:
        receipt = getattr(obj, "receipt", None)
        return receipt.code if receipt else None

    @staticmethod
    def resolve_voided(obj) -> bool:
        return hasattr(obj, "void")


class PaymentFilter(PageQuery):
    project: Id | None = None
    unit: Id | None = None


class ReceiptOut(Schema):
    id: int
    project: int = Field(..., alias="project_id")
    code: str
    number: int
    payment: int = Field(..., alias="payment_id")
    issued_at: datetime
    amount: Decimal
    amount_in_words: str
    payer_name: str
    unit_label: str
    method: str
    voided: bool = False

    @staticmethod
    def resolve_voided(obj) -> bool:
        return hasattr(obj.payment, "void")


class ReceiptFilter(PageQuery):
    project: Id | None = None
    q: str | None = Field(None, max_length=40, pattern=NO_NUL, description="Number, payer or unit.")


FeeItemPage = page_of("FeeItemPage", FeeItemOut)
BillPage = page_of("BillPage", BillOut)
PaymentPage = page_of("PaymentPage", PaymentOut)
ReceiptPage = page_of("ReceiptPage", ReceiptOut)
