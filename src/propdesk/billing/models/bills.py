"""Bill runs, bills and their charge lines (issue 14, item 2)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from propdesk.archive.models import Customer
from propdesk.org.models import Building, Project, Unit

from .base import PostedRow, money_field, positive, price_field
from .standards import FeeItem, FeeStandard, MeterReading


class BillRun(models.Model):
    """The month's bill run (计费) of a project: previewed, then posted, possibly again for new units.

    One per project and month. Posting claims the row (status → posting) with a conditional UPDATE, so
    two browsers posting at once cannot both run it; each batch of units is one transaction, so a run
    that stopped half-way posts only the missing bills when posted again. `preview` holds the summary
    (totals by fee item beside the previous month, skipped units and why, the plan's digest)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Not previewed")
        PREVIEWING = "previewing", _("Previewing")
        PREVIEWED = "previewed", _("Previewed")
        POSTING = "posting", _("Posting")
        POSTED = "posted", _("Posted")
        FAILED = "failed", _("Failed")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="bill_runs")
    period = models.DateField(_("month"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    preview = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    previewed_at = models.DateTimeField(_("previewed"), null=True, blank=True)
    posted_at = models.DateTimeField(_("posted"), null=True, blank=True)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("posted by"))
    # Progress of the running step (preview or post), for the console's progress bar.
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    bills_posted = models.PositiveIntegerField(_("bills posted"), default=0)
    # Payers are told of the bills issued up to this time (SMS and portal).
    announced_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-period", "project_id"]
        verbose_name = _("bill run")
        verbose_name_plural = _("bill runs")
        constraints = [models.UniqueConstraint(fields=["project", "period"], name="bill_run_once")]

    def __str__(self):
        return f"{self.project} {self.period:%Y-%m}"

    @property
    def label(self) -> str:
        return f"{self.period:%Y-%m}"

    @property
    def busy(self) -> bool:
        return self.status in (self.Status.PREVIEWING, self.Status.POSTING)

    @property
    def percent(self) -> int:
        return int(100 * self.progress_done / self.progress_total) if self.progress_total else 0


class Bill(PostedRow):
    """What one payer is asked to pay for one unit: a month of a run, or a one-off charge. Immutable, but
    for its open amount (`open_fen`), which falls and rises with its lines' through the ledger."""

    DERIVED_FIELDS = frozenset({"open_fen"})

    class Kind(models.TextChoices):
        PERIODIC = "periodic", _("Monthly bill")
        ONE_OFF = "one_off", _("One-off charge")
        ADJUSTMENT = "adjustment", _("Adjustment")
        LATE_FEE = "late_fee", _("Late fee")

    # The unit's project, copied for the project's queries: no foreign-key check of its own (the unit's
    # is checked, and billing.reconcile checks the copy), one check fewer per bill in a run of 100,000.
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", db_constraint=False)
    # The unit's building, copied likewise for the arrears by building (not checked, not indexed alone).
    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="+", db_constraint=False,
                                 db_index=False)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="bills")
    payer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="bills")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PERIODIC)
    run = models.ForeignKey(BillRun, null=True, blank=True, on_delete=models.PROTECT, related_name="bills")
    period = models.DateField(_("month"))
    # Where a charge from another domain came from ("service.work_order:123"): posting is idempotent on it.
    source = models.CharField(_("source"), max_length=80, blank=True)
    issued_at = models.DateTimeField(pgettext_lazy("receipt", "issued"))
    due_date = models.DateField(_("due"))
    total = money_field(_("total"))
    # What is still to be paid, in whole fen: the sum of the lines' open amounts (a line's due date is its
    # bill's), kept by billing.ledger with each line's and checked by billing.reconcile. The arrears ageing
    # reads it: one row per bill instead of one per line; integers, so SQL adds them exactly.
    open_fen = models.BigIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-period", "-id"]
        verbose_name = _("bill")
        verbose_name_plural = _("bills")
        constraints = [
            models.UniqueConstraint(fields=["run", "unit", "payer"], name="bill_once_per_run",
                                    condition=Q(run__isnull=False)),
            models.UniqueConstraint(fields=["project", "source"], name="bill_source_once", condition=~Q(source="")),
            models.CheckConstraint(condition=Q(total__gt=0), name="bill_total_positive"),
            models.CheckConstraint(condition=Q(open_fen__gte=0), name="bill_open_not_negative"),
        ]
        indexes = [
            # Unpaid bills only: everything the arrears ageing reads, by building and unit (billing.arrears:
            # one pass over the index, no table reads, however many years of paid bills the project keeps).
            models.Index(fields=["project", "building", "unit", "due_date", "open_fen"], name="bill_unpaid_ageing",
                         condition=positive("open_fen")),
            models.Index(fields=["unit", "-period"], name="bill_unit_period"),
            models.Index(fields=["project", "period", "kind"], name="bill_project_period"),
        ]

    def __str__(self):
        return self.number

    @property
    def number(self) -> str:
        return f"ZD{self.pk:08d}" if self.pk else ""

    @property
    def open_amount(self) -> Decimal:
        """What is still to be paid, in yuan (the sum of the lines' open amounts, kept in fen)."""
        return Decimal(self.open_fen).scaleb(-2)


class ChargeLine(PostedRow):
    """One charge of a bill: an item for some days at a price. Its facts never change; `outstanding`
    (what is still to be paid) falls as payments and credits are allocated to it, through the services,
    each allocation kept as an immutable row. The database refuses an outstanding below 0 or above the
    amount, so a line can never be over-paid."""

    DERIVED_FIELDS = frozenset({"outstanding"})

    class Kind(models.TextChoices):
        CHARGE = "charge", _("Charge")
        LATE_FEE = "late_fee", _("Late fee")
        ADJUSTMENT = "adjustment", _("Adjustment")

    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="lines")
    # The bill's project and unit, copied for the queries by project and unit: the database checks the
    # bill, billing.reconcile checks the copies (a run of 100,000 units writes 200,000 lines; each foreign
    # key the database checks costs a lookup and a row lock per line at commit).
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", db_constraint=False)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", db_constraint=False)
    fee_item = models.ForeignKey(FeeItem, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CHARGE)
    # A monthly charge of a run: (unit, item, first day billed) is billed once, whatever happens.
    periodic = models.BooleanField(default=False)
    description = models.CharField(_("description"), max_length=200)
    service_start = models.DateField(_("from"))
    service_end = models.DateField(_("until"))
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=4)
    unit_price = price_field(_("unit price"))
    days = models.PositiveSmallIntegerField(_("days"), null=True, blank=True)
    days_in_period = models.PositiveSmallIntegerField(null=True, blank=True)
    amount = money_field(_("amount"))
    outstanding = money_field(_("outstanding"))
    due_date = models.DateField(_("due"))
    # Which standard priced the line (standards are never deleted): provenance, neither checked nor indexed.
    standard = models.ForeignKey(FeeStandard, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 db_constraint=False, db_index=False)
    # Indexed where set only (Meta.indexes); a late fee's line is found through the late_fee_once constraint.
    reading = models.ForeignKey(MeterReading, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                db_index=False)
    late_fee_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="late_fees", db_index=False)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("charge line")
        verbose_name_plural = _("charge lines")
        constraints = [
            models.UniqueConstraint(fields=["unit", "fee_item", "service_start"], name="charge_line_periodic_once",
                                    condition=Q(periodic=True)),
            models.UniqueConstraint(fields=["late_fee_of", "service_start"], name="late_fee_once",
                                    condition=Q(late_fee_of__isnull=False)),
            models.CheckConstraint(condition=Q(amount__gt=0), name="charge_line_amount_positive"),
            models.CheckConstraint(condition=Q(outstanding__gte=0) & Q(outstanding__lte=F("amount")),
                                   name="charge_line_outstanding_range"),
        ]
        indexes = [
            # Open lines only: a unit's card and the allocation read nothing else (a project's arrears are
            # read from its unpaid bills).
            models.Index(fields=["unit", "due_date"], name="charge_line_open_unit", condition=positive("outstanding")),
            models.Index(fields=["reading"], name="charge_line_reading", condition=Q(reading__isnull=False)),
        ]

    def __str__(self):
        return f"{self.description} {self.amount}"

    @property
    def paid(self):
        return self.amount - self.outstanding


# What is still to be paid: the condition of the open-line indexes, for queries (see base.positive).
OPEN = positive("outstanding")
# A bill with something still to be paid: the condition of the unpaid bills' index, for queries.
UNPAID = positive("open_fen")
