"""Money is Decimal, rounded half up per line; one proration rule; amounts in Chinese capitals (items 2, 3)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from propdesk.billing import money

D = Decimal


@pytest.mark.parametrize(("amount", "words"), [
    ("1234.50", "壹仟贰佰叁拾肆元伍角整"),     # the example
    ("0.05", "伍分"),
    ("10.00", "壹拾元整"),
    ("1000005.30", "壹佰万零伍元叁角整"),
    ("100000000", "壹亿元整"),
    ("0", "零元整"),
    ("0.10", "壹角整"),
    ("0.01", "壹分"),
    ("0.99", "玖角玖分"),
    ("1", "壹元整"),
    ("100.05", "壹佰元零伍分"),          # a zero 角 between 元 and 分 is written
    ("1005.07", "壹仟零伍元零柒分"),
    ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
    ("101", "壹佰零壹元整"),
    ("1010", "壹仟零壹拾元整"),
    ("1100", "壹仟壹佰元整"),
    ("10100", "壹万零壹佰元整"),
    ("11000", "壹万壹仟元整"),
    ("100010", "壹拾万零壹拾元整"),
    ("100001000", "壹亿零壹仟元整"),        # a whole group of zeros skipped
    ("100010000", "壹亿零壹万元整"),
    ("120000000.01", "壹亿贰仟万元零壹分"),
    ("999999999999.99", "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ("-25.50", "负贰拾伍元伍角整"),
])
def test_amounts_in_chinese_capitals(amount, words):
    assert money.in_capitals(D(amount)) == words


def test_capitals_refuse_a_float():
    with pytest.raises(TypeError):
        money.in_capitals(1234.5)


@pytest.mark.parametrize(("quantity", "price", "days", "month_days", "expected"), [
    ("89.50", "2.50", 31, 31, "223.75"),          # a whole month: area × price
    ("89.50", "2.50", 16, 31, "115.48"),          # 223.75 × 16/31 = 115.4838… → 115.48
    ("100", "2.35", 15, 30, "117.50"),
    ("1", "10", 1, 29, "0.34"),                   # 0.3448… (February of a leap year)
    ("0.01", "0.5", 31, 31, "0.01"),              # 0.005 rounds half up, not to even
    ("3", "0.0050", 31, 31, "0.02"),              # 0.015 → 0.02
    ("123.45", "1.2345", 10, 31, "49.16"),        # 152.3990… × 10 / 31 = 49.1610…
])
def test_one_proration_rule_rounds_half_up_per_line(quantity, price, days, month_days, expected):
    assert money.prorate(D(quantity), D(price), days, month_days) == D(expected)


def test_proration_refuses_more_days_than_the_month():
    with pytest.raises(ValueError):
        money.prorate(D(1), D(1), 32, 31)


@pytest.mark.parametrize("text", ["", "abc", "-5", "0", "1.234", "1e400", "NaN", "Infinity", "1000000000000"])
def test_bad_amounts_get_a_clear_error(text):
    with pytest.raises(ValidationError) as exc:
        money.parse_amount(text)
    assert "amount" in exc.value.message_dict


@pytest.mark.parametrize(("text", "value"), [("1,234.5", "1234.50"), ("¥88", "88.00"), (" 12.30元 ", "12.30")])
def test_amounts_as_people_type_them(text, value):
    assert money.parse_amount(text) == D(value)


def test_month_helpers_know_leap_years():
    assert money.days_in_month(dt.date(2028, 2, 10)) == 29
    assert money.next_month(dt.date(2027, 12, 31)) == dt.date(2028, 1, 1)
    assert money.previous_month(dt.date(2028, 3, 31)) == dt.date(2028, 2, 1)
