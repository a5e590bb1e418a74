"""Fee items and standards with effective dates, who pays, meter readings (issue 14, items 1 and 10)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from propdesk.archive.models import Occupancy
from propdesk.billing import standards
from propdesk.billing.models import Bill, FeeStandard
from propdesk.core.errors import Conflict
from tests.billing.conftest import post_month
from tests.factories import CustomerFactory, OccupancyFactory, StaffFactory

D = Decimal
MARCH = dt.date(2027, 3, 1)


def test_a_price_change_ends_the_previous_standard_the_day_before(fees, clerk):
    new = standards.add_standard(clerk, fees.property, price="2.80", effective_from=dt.date(2027, 7, 1))
    old = FeeStandard.objects.get(fee_item=fees.property, effective_from=dt.date(2020, 1, 1))
    assert old.effective_to == dt.date(2027, 6, 30) and new.effective_to is None and new.price == D("2.8000")


@pytest.mark.parametrize(("price", "message"), [(None, "price"), ("", "price"), ("abc", "price"), ("-1", "price"),
                                                ("0", "price"), ("1.23456", "price")])
def test_a_standard_needs_a_price(fees, clerk, price, message):
    with pytest.raises(ValidationError) as exc:
        standards.add_standard(clerk, fees.rubbish, price=price, effective_from=dt.date(2027, 7, 1))
    assert message in exc.value.message_dict
    assert FeeStandard.objects.filter(fee_item=fees.rubbish).count() == 1


def test_an_overlapping_standard_is_refused(fees, clerk):
    standards.add_standard(clerk, fees.parking, price="350", effective_from=dt.date(2027, 7, 1),
                           effective_to=dt.date(2027, 12, 31))
    with pytest.raises(ValidationError) as exc:
        standards.add_standard(clerk, fees.parking, price="360", effective_from=dt.date(2027, 10, 1))
    assert "effective_from" in exc.value.message_dict
    with pytest.raises(ValidationError):  # on or before the start of the one in force: an overlap too
        standards.add_standard(clerk, fees.property, price="9", effective_from=dt.date(2020, 1, 1))
    assert FeeStandard.objects.filter(fee_item=fees.parking).count() == 2


def test_each_unit_type_has_its_own_standards(fees, clerk):
    shop = standards.add_standard(clerk, fees.property, unit_type="shop", price="6", effective_from=MARCH)
    assert shop.unit_type == "shop"
    assert FeeStandard.objects.get(fee_item=fees.property, unit_type="").effective_to is None


def test_only_clerks_keep_standards(fees, project):
    guard = StaffFactory(username="guard", role="security", projects=[project])
    with pytest.raises(PermissionDenied):
        standards.add_standard(guard, fees.property, price="1", effective_from=MARCH)


def test_a_tenant_who_pays_is_billed_instead_of_the_owner(home, clerk):
    tenant = CustomerFactory(project=home.project, name="租户小刘")
    lease = OccupancyFactory(unit=home.unit, customer=tenant, role=Occupancy.Role.TENANT,
                             start_date=dt.date(2027, 1, 1), end_date=dt.date(2027, 12, 31))
    standards.set_tenant_pays(clerk, lease, True, note="租约第5条")
    post_month(clerk, home.project, MARCH)
    assert Bill.objects.get().payer == tenant
    with pytest.raises(ValidationError):
        standards.set_tenant_pays(clerk, home.occupancy, True)  # an owner's occupancy


def test_readings_are_billed_by_usage(home, clerk):
    standards.enter_reading(clerk, home.unit, home.fees.water, period=dt.date(2027, 2, 1), value="100")
    reading = standards.enter_reading(clerk, home.unit, home.fees.water, period=MARCH, value="112.30",
                                      read_on=dt.date(2027, 3, 25))
    assert reading.usage == D("12.30")
    post_month(clerk, home.project, MARCH)
    assert Bill.objects.get().lines.get(fee_item=home.fees.water).amount == D("43.05")


def test_a_reading_lower_than_the_last_is_refused(home, clerk):
    standards.enter_reading(clerk, home.unit, home.fees.water, period=dt.date(2027, 2, 1), value="100")
    with pytest.raises(ValidationError) as exc:
        standards.enter_reading(clerk, home.unit, home.fees.water, period=MARCH, value="99.5")
    assert "value" in exc.value.message_dict
    for bad in ("abc", "-3", "1.234"):
        with pytest.raises(ValidationError):
            standards.enter_reading(clerk, home.unit, home.fees.water, period=MARCH, value=bad)


def test_a_billed_reading_cannot_be_replaced(home, clerk):
    standards.enter_reading(clerk, home.unit, home.fees.water, period=dt.date(2027, 2, 1), value="100")
    standards.enter_reading(clerk, home.unit, home.fees.water, period=MARCH, value="110")
    post_month(clerk, home.project, MARCH)
    with pytest.raises(Conflict):
        standards.enter_reading(clerk, home.unit, home.fees.water, period=MARCH, value="111")


def test_late_fees_need_the_contract_clause(project, manager, clerk):
    with pytest.raises(ValidationError):
        standards.save_settings(manager, project, {"late_fee_daily_rate": D("0.0003")})
    with pytest.raises(PermissionDenied):
        standards.save_settings(clerk, project, {"due_day": 10})
    saved = standards.save_settings(manager, project, {"late_fee_daily_rate": D("0.0003"),
                                                       "late_fee_contract_clause": "物业服务合同第十二条"})
    assert saved.late_fees_on
