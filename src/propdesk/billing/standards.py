"""Fee items, fee standards with effective dates, units' fee facts, tenants who pay, meter readings
(issue 14, item 1). Writes take the acting user, validate, write in one transaction and record the
timeline; reads are scoped through org.access."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from propdesk.archive.models import Occupancy
from propdesk.core import timeline
from propdesk.core.errors import Conflict
from propdesk.core.timeline import Message
from propdesk.org.access import get_scoped, scope
from propdesk.org.models import Project, Unit

from . import access, money
from .models import (
    BillingSettings,
    ChargeLine,
    FeeItem,
    FeeStandard,
    MeterReading,
    TenantPays,
    UnitAccount,
    UnitType,
)

ITEM_FIELDS = ("code", "name", "kind", "accounting", "meter_unit", "late_fee_applies", "is_active", "is_published",
               "sort", "description")
SETTINGS_FIELDS = ("start_rule", "due_day", "late_fee_daily_rate", "late_fee_contract_clause", "receipt_prefix",
                   "reminders_enabled")
ACCOUNT_FIELDS = ("unit_type", "fee_start", "parking_spaces")


# -- settings ------------------------------------------------------------------------------------

def settings_for(project) -> BillingSettings:
    """The project's billing settings, created with the defaults on first use."""
    project_id = getattr(project, "pk", project)
    found = BillingSettings.objects.filter(project_id=project_id).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return BillingSettings.objects.create(project_id=project_id)
    except IntegrityError:
        return BillingSettings.objects.get(project_id=project_id)


def save_settings(actor, project: Project, data: dict) -> BillingSettings:
    """A manager sets when fees start, when bills fall due and the contract's late fee (off by default)."""
    access.require(actor, project.pk, access.approvers())
    current = settings_for(project)
    data = {k: v for k, v in data.items() if k in SETTINGS_FIELDS}
    if data.get("late_fee_daily_rate") not in (None, "", 0, Decimal(0)) and not (
            data.get("late_fee_contract_clause") or current.late_fee_contract_clause).strip():
        raise ValidationError({"late_fee_contract_clause": _(
            "Late fees are charged only where the service contract sets them: name the clause.")})
    changes = timeline.diff(current, data)
    for name, value in data.items():
        setattr(current, name, value)
    current.full_clean(exclude=["project"])
    with transaction.atomic():
        current.save()
        timeline.record(actor, "billing.settings_changed", Message(gettext_noop("Billing settings changed")),
                        subjects=[project], changes=changes)
    return current


# -- fee items and standards ---------------------------------------------------------------------

def fee_items_for(user, project_id: int | None = None):
    access.require_reader(user)
    qs = scope(FeeItem.objects.select_related("project"), user).order_by("project__code", "sort", "code")
    return qs.filter(project_id=project_id) if project_id else qs


def get_fee_item(user, item_id: int) -> FeeItem:
    return get_scoped(FeeItem.objects.select_related("project"), user, pk=item_id)


def standards_for(user, project_id: int | None = None):
    qs = scope(FeeStandard.objects.select_related("fee_item__project", "created_by"), user)
    if project_id:
        qs = qs.filter(fee_item__project_id=project_id)
    return qs.order_by("fee_item__sort", "fee_item__code", "unit_type", "-effective_from")


def save_fee_item(actor, project: Project, data: dict, item: FeeItem | None = None) -> FeeItem:
    """Add a fee item to a project (item=None) or change one; its kind is fixed once standards exist."""
    project_id = item.project_id if item is not None else project.pk
    access.require(actor, project_id, access.clerks())
    item = item or FeeItem(project_id=project_id)
    data = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items() if k in ITEM_FIELDS}
    created = item.pk is None
    if not created and "kind" in data and data["kind"] != item.kind and item.standards.exists():
        raise ValidationError({"kind": _("The kind of an item with standards cannot change: add a new item.")})
    if data.get("kind") == FeeItem.Kind.DEPOSIT:
        data["accounting"] = FeeItem.Accounting.DEPOSIT
    changes = {} if created else timeline.diff(item, data)
    for name, value in data.items():
        setattr(item, name, value)
    if item.kind == FeeItem.Kind.METERED and not item.meter_unit:
        raise ValidationError({"meter_unit": _("Say what the meter counts (吨, 度, m³…).")})
    item.full_clean(exclude=["project"])
    with transaction.atomic():
        item.save()
        summary = (gettext_noop("Fee item %(name)s added") if created else gettext_noop("Fee item %(name)s changed"))
        timeline.record(actor, "billing.fee_item_saved", Message(summary, {"name": item.name}),
                        subjects=[item.project], changes=changes)
    return item


def _overlaps(item: FeeItem, unit_type: str, start: dt.date, end: dt.date | None, exclude=None):
    qs = FeeStandard.objects.filter(fee_item=item, unit_type=unit_type).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=start))
    if end is not None:
        qs = qs.filter(effective_from__lte=end)
    return qs.exclude(pk=exclude) if exclude else qs


def add_standard(actor, item: FeeItem, *, unit_type: str = "", price=None, effective_from: dt.date | None = None,
                 effective_to: dt.date | None = None, note: str = "") -> FeeStandard:
    """A price for the item (and unit type) from a date on (收费标准; issue 14, item 1).

    - the price is required, a number above zero with at most 4 places;
    - standards of one item and unit type never overlap; the one open-ended standard that began earlier
      is ended the day before the new one starts (a price change), any other overlap is refused;
    - a posted bill is never changed: lines keep the price and the standard they were computed with.
    """
    access.require(actor, item.project_id, access.clerks())
    errors = {}
    value = None
    if price in (None, ""):
        errors["price"] = _("Enter the price.")
    else:
        try:
            value = Decimal(str(price).strip())
        except InvalidOperation:
            errors["price"] = _("Enter the price as a number, for example 2.35.")
        else:
            if not value.is_finite() or value <= 0:
                errors["price"] = _("The price must be greater than zero.")
            elif value != value.quantize(money.PRICE_PLACES) or value >= Decimal("100000000"):
                errors["price"] = _("A price has at most four decimal places and eight digits before them.")
    if effective_from is None:
        errors["effective_from"] = _("Enter the date the standard takes effect.")
    if item.kind in (FeeItem.Kind.DEPOSIT, FeeItem.Kind.LATE_FEE):
        errors["fee_item"] = _("Deposits and late fees have no standard: their amounts are set when charged.")
    if unit_type and unit_type not in UnitType.values:
        errors["unit_type"] = _("Select a valid choice.")
    if effective_to is not None and effective_from is not None and effective_to < effective_from:
        errors["effective_to"] = _("The end date is before the start date.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        FeeItem.objects.select_for_update().filter(pk=item.pk).first()  # one standard change at a time per item
        overlapping = list(_overlaps(item, unit_type, effective_from, effective_to))
        previous = None
        if (len(overlapping) == 1 and overlapping[0].effective_to is None
                and overlapping[0].effective_from < effective_from):
            previous = overlapping[0]
        elif overlapping:
            raise ValidationError({"effective_from": _(
                "This standard overlaps the standard from %(start)s; choose a later date.")
                % {"start": overlapping[0].effective_from}})
        if previous is not None:
            FeeStandard.objects.filter(pk=previous.pk).update(effective_to=effective_from - dt.timedelta(days=1))
        standard = FeeStandard.objects.create(fee_item=item, unit_type=unit_type, price=value,
                                              effective_from=effective_from, effective_to=effective_to,
                                              note=(note or "").strip()[:200], created_by=actor)
        timeline.record(actor, "billing.standard_added", Message(
            gettext_noop("Fee standard of %(item)s: ¥%(price)s from %(start)s"),
            {"item": item.name, "price": value, "start": effective_from}), subjects=[item.project],
            changes={"previous_ends": [None, str(effective_from - dt.timedelta(days=1))]} if previous else {})
    return standard


def published_standards(project_ids, on: dt.date):
    """The standards in force on `on` (and those announced for later) of the published items, for owners."""
    return (FeeStandard.objects.filter(fee_item__project_id__in=project_ids, fee_item__is_published=True,
                                       fee_item__is_active=True)
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
            .select_related("fee_item__project").order_by("fee_item__project__code", "fee_item__sort",
                                                          "fee_item__code", "unit_type", "effective_from"))


# -- units' fee facts ----------------------------------------------------------------------------

def account_for(unit: Unit) -> UnitAccount:
    """The unit's fee account, unsaved with the defaults when it has none."""
    return UnitAccount.objects.filter(unit=unit).first() or UnitAccount(unit=unit, project_id=unit.project_id)


def save_account(actor, unit: Unit, data: dict) -> UnitAccount:
    """The unit's type, handover day (fees start) and rented parking spaces."""
    access.require(actor, unit.project_id, access.clerks())
    account = account_for(unit)
    data = {k: v for k, v in data.items() if k in ACCOUNT_FIELDS}
    changes = timeline.diff(account, data) if account.pk else {k: [None, str(v)] for k, v in data.items()}
    for name, value in data.items():
        setattr(account, name, value)
    account.full_clean(exclude=["unit", "project"])
    with transaction.atomic():
        account.save()
        timeline.record(actor, "billing.account_changed", Message(gettext_noop("Fee facts of the unit changed")),
                        subjects=[unit], changes=changes)
    return account


def set_tenant_pays(actor, occupancy: Occupancy, pays: bool, note: str = "") -> TenantPays | None:
    """Record that the lease makes the tenant pay the fees (or no longer): later runs bill the tenant for
    the days of the lease; bills already posted are not changed."""
    unit = occupancy.unit
    access.require(actor, unit.project_id, access.clerks())
    if occupancy.role != Occupancy.Role.TENANT:
        raise ValidationError(_("Only a tenant's occupancy can make the tenant pay."))
    with transaction.atomic():
        existing = TenantPays.objects.filter(occupancy=occupancy).first()
        if pays and existing is None:
            existing = TenantPays.objects.create(occupancy=occupancy, note=(note or "").strip()[:200],
                                                 created_by=actor)
            summary = gettext_noop("From now on %(name)s (tenant) is billed for the fees of the lease")
        elif not pays and existing is not None:
            TenantPays.objects.filter(pk=existing.pk).delete()
            existing = None
            summary = gettext_noop("%(name)s (tenant) no longer billed: the owner pays")
        else:
            return existing
        timeline.record(actor, "billing.tenant_pays", Message(summary, {"name": occupancy.customer.name}),
                        subjects=[unit, occupancy.customer])
    return existing


# -- meter readings ------------------------------------------------------------------------------

def last_reading(unit_id: int, item_id: int, before: dt.date):
    return (MeterReading.objects.filter(unit_id=unit_id, fee_item_id=item_id, period__lt=before)
            .order_by("-period").first())


def enter_reading(actor, unit: Unit, item: FeeItem, *, period: dt.date, value, read_on: dt.date | None = None,
                  previous=None) -> MeterReading:
    """A meter reading billed in `period`'s month; usage = reading − the previous reading.

    Refused: an item that is not metered, a reading that is not a number, below zero or lower than the
    last reading (a meter does not run backwards: a replaced meter starts with `previous` given), a
    reading for a month already billed. Re-entering a month not yet billed replaces its reading.
    """
    access.require(actor, unit.project_id, access.clerks())
    period = money.month_start(period)
    errors = {}
    if item.project_id != unit.project_id or item.kind != FeeItem.Kind.METERED:
        errors["fee_item"] = _("Choose a metered fee item of this project.")
    reading = _decimal_or_error(value, "value", errors)
    last = last_reading(unit.pk, item.pk, period)
    start = last.value if last is not None else None
    if previous not in (None, ""):
        start = _decimal_or_error(previous, "previous", errors)
    if start is None and "value" not in errors:
        start = reading if reading is not None else Decimal(0)  # the first reading of a meter: nothing used yet
    if reading is not None and start is not None and reading < start:
        errors["value"] = _("The reading %(value)s is lower than the last reading %(last)s.") % {
            "value": reading, "last": start}
    if errors:
        raise ValidationError(errors)
    read_on = read_on or timezone.localdate()
    with transaction.atomic():
        existing = MeterReading.objects.select_for_update().filter(unit=unit, fee_item=item, period=period).first()
        if existing is not None:
            if ChargeLine.objects.filter(reading=existing).exists():
                raise Conflict(_("This month's reading is already billed; correct the bill with an adjustment."),
                               code="billed")
            MeterReading.objects.filter(pk=existing.pk).delete()
        saved = MeterReading.objects.create(project_id=unit.project_id, unit=unit, fee_item=item, period=period,
                                            read_on=read_on, previous=start, value=reading, entered_by=actor)
        timeline.record(actor, "billing.reading", Message(
            gettext_noop("Meter reading of %(item)s for %(month)s: %(value)s (used %(usage)s)"),
            {"item": item.name, "month": f"{period:%Y-%m}", "value": reading, "usage": saved.usage}),
            subjects=[unit])
    return saved


def _decimal_or_error(value, name: str, errors: dict):
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, TypeError):
        errors[name] = _("Enter the reading as a number.")
        return None
    if not number.is_finite() or number < 0 or number >= Decimal("1000000000000"):
        errors[name] = _("Enter the reading as a number.")
        return None
    if number != number.quantize(money.CENT):
        errors[name] = _("A reading has at most two decimal places.")
        return None
    return number


def readings_for(user, project_id: int | None = None, period: dt.date | None = None):
    qs = scope(MeterReading.objects.select_related("unit__building", "fee_item"), user)
    if project_id:
        qs = qs.filter(project_id=project_id)
    if period:
        qs = qs.filter(period=money.month_start(period))
    return qs.order_by("-period", "unit__building__code", "unit__number")
