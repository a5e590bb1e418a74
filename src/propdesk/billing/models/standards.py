"""Fee items, fee standards with effective dates, each unit's fee facts, meter readings (issue 14, item 1)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from propdesk.archive.models import Occupancy
from propdesk.org.models import Project, Unit

from .base import price_field


class UnitType(models.TextChoices):
    """What a standard is priced for: property fees differ between flats, villas and shops."""

    RESIDENTIAL = "residential", _("Residential")
    VILLA = "villa", _("Villa")
    SHOP = "shop", _("Shop")
    OFFICE = "office", _("Office")
    OTHER = "other", _("Other")


class BillingSettings(models.Model):
    """A project's billing rules: when fees start, when bills fall due, late fees, the receipt prefix."""

    class StartRule(models.TextChoices):
        PRORATE = "prorate", _("Pro rata from the handover day")
        NEXT_MONTH = "next_month", _("From the month after handover")

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="billing_settings")
    start_rule = models.CharField(_("fees start"), max_length=20, choices=StartRule.choices,
                                  default=StartRule.PRORATE)
    due_day = models.PositiveSmallIntegerField(
        _("bills fall due on day"), default=15, validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("Day of the billed month by which the bill is to be paid."))
    # 滞纳金: only where the service contract sets a daily rate; off (0) by default (LAW.md, art. 585).
    late_fee_daily_rate = models.DecimalField(
        _("late fee per day"), max_digits=7, decimal_places=6, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("0.01"))],
        help_text=_("As a fraction of the overdue amount, e.g. 0.0003 for 0.03 % a day; 0 = no late fees."))
    late_fee_contract_clause = models.CharField(_("contract clause"), max_length=200, blank=True,
                                                help_text=_("Where the service contract sets the late fee."))
    receipt_prefix = models.CharField(_("receipt number prefix"), max_length=8, default="SJ")
    reminders_enabled = models.BooleanField(_("reminders on"), default=True)

    class Meta:
        verbose_name = _("billing settings")
        verbose_name_plural = _("billing settings")

    def __str__(self):
        return str(self.project)

    @property
    def late_fees_on(self) -> bool:
        return self.late_fee_daily_rate > 0


class FeeItem(models.Model):
    """A fee item (收费项目) of a project: what is charged and how its amount is computed."""

    class Kind(models.TextChoices):
        PROPERTY = "property", _("Property fee (per m² of floor area per month)")
        PARKING = "parking", _("Parking rent (per space per month)")
        FIXED = "fixed", _("Fixed monthly amount")
        METERED = "metered", _("Metered (reading × unit price)")
        ONE_OFF = "one_off", _("One-off charge")
        DEPOSIT = "deposit", _("Deposit (held, refunded)")
        LATE_FEE = "late_fee", _("Late fee")

    class Accounting(models.TextChoices):
        """Where the income goes in the statements; special services are kept apart from property fees."""

        PROPERTY_FEE = "property_fee", _("Property fees")
        PARKING = "parking", _("Parking")
        UTILITIES = "utilities", _("Utilities recharged")
        SPECIAL_SERVICE = "special_service", _("Special services")
        OTHER = "other", _("Other income")
        DEPOSIT = "deposit", _("Deposits held (liability)")

    PERIODIC = (Kind.PROPERTY, Kind.PARKING, Kind.FIXED)
    BILLED_BY_RUN = (Kind.PROPERTY, Kind.PARKING, Kind.FIXED, Kind.METERED)

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="fee_items")
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    accounting = models.CharField(_("accounted as"), max_length=20, choices=Accounting.choices,
                                  default=Accounting.PROPERTY_FEE)
    meter_unit = models.CharField(_("meter unit"), max_length=10, blank=True, help_text=_("e.g. 吨, 度, m³"))
    late_fee_applies = models.BooleanField(_("late fees apply"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_published = models.BooleanField(_("published to owners"), default=True)
    sort = models.PositiveSmallIntegerField(_("order"), default=0)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        ordering = ["project_id", "sort", "code"]
        verbose_name = _("fee item")
        verbose_name_plural = _("fee items")
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="fee_item_code_unique")]

    def __str__(self):
        return self.name

    @property
    def is_periodic(self) -> bool:
        return self.kind in self.PERIODIC


class FeeStandard(models.Model):
    """A price of a fee item for a unit type from a date on (收费标准). Standards never overlap and are
    never edited: a change is a new standard from its date, the previous one ends the day before, and a
    posted bill keeps the price it was computed with."""

    scope_path = "fee_item__project_id"

    fee_item = models.ForeignKey(FeeItem, on_delete=models.PROTECT, related_name="standards")
    # Blank: every unit type without a standard of its own.
    unit_type = models.CharField(_("unit type"), max_length=20, choices=UnitType.choices, blank=True)
    price = price_field(_("price (yuan)"))
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["fee_item_id", "unit_type", "effective_from"]
        verbose_name = _("fee standard")
        verbose_name_plural = _("fee standards")
        constraints = [
            models.UniqueConstraint(fields=["fee_item", "unit_type", "effective_from"], name="fee_standard_once"),
            models.CheckConstraint(condition=models.Q(effective_to__isnull=True)
                                   | models.Q(effective_to__gte=models.F("effective_from")),
                                   name="fee_standard_dates"),
        ]

    def __str__(self):
        return f"{self.fee_item} {self.price} {self.effective_from}"

    def covers(self, day) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


class UnitAccount(models.Model):
    """A unit's fee facts (房屋收费档案): its type for the standards, the day fees start, parking spaces.

    A unit without one bills as residential from its first owner's occupancy, with no parking space."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="fee_account")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    unit_type = models.CharField(_("unit type"), max_length=20, choices=UnitType.choices,
                                 default=UnitType.RESIDENTIAL)
    # 交付日期: the owner is billed from this day (or from the month after, see BillingSettings).
    fee_start = models.DateField(_("fees start (handover)"), null=True, blank=True)
    parking_spaces = models.PositiveSmallIntegerField(_("rented parking spaces"), default=0,
                                                      validators=[MaxValueValidator(20)])

    class Meta:
        verbose_name = _("unit fee account")
        verbose_name_plural = _("unit fee accounts")

    def __str__(self):
        return str(self.unit)


class TenantPays(models.Model):
    """The lease says the tenant pays the fees (物业纠纷解释 2020 art. 4): bill the tenant, not the owner,
    for the days of this tenant occupancy."""

    scope_path = "occupancy__unit__project_id"

    occupancy = models.OneToOneField(Occupancy, on_delete=models.CASCADE, related_name="tenant_pays")
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tenant pays the fees")
        verbose_name_plural = _("tenants who pay the fees")

    def __str__(self):
        return str(self.occupancy)


class MeterReading(models.Model):
    """A meter reading of a unit for a metered fee item, billed in the month of `period`.

    The usage billed is `value − previous`; a reading lower than the last is refused."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="meter_readings")
    fee_item = models.ForeignKey(FeeItem, on_delete=models.PROTECT, related_name="readings")
    period = models.DateField(_("billed in month"))
    read_on = models.DateField(_("read on"))
    previous = models.DecimalField(_("previous reading"), max_digits=14, decimal_places=2)
    value = models.DecimalField(_("reading"), max_digits=14, decimal_places=2)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["unit_id", "fee_item_id", "period"]
        verbose_name = pgettext_lazy("billing", "meter reading")
        verbose_name_plural = _("meter readings")
        constraints = [
            models.UniqueConstraint(fields=["unit", "fee_item", "period"], name="meter_reading_once"),
            models.CheckConstraint(condition=models.Q(value__gte=models.F("previous")), name="meter_reading_up"),
        ]
        indexes = [models.Index(fields=["project", "fee_item", "period"], name="meter_reading_period")]

    def __str__(self):
        return f"{self.unit} {self.fee_item} {self.value}"

    @property
    def usage(self):
        return self.value - self.previous
