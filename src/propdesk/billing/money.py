"""Money: Decimal end to end, two places, ROUND_HALF_UP per line (issue 14, item 2).

Every amount the billing app stores or shows passes through this module: `money()` rounds to the fen,
`prorate()` is the ONE proration rule, `parse_amount()` reads what a person typed, `in_capitals()`
writes the amount in Chinese capitals (大写金额) for receipts and letters. No float ever enters: the
functions refuse one (tests/billing/test_no_float.py also scans the package's source for floats).
"""

import calendar
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CENT = Decimal("0.01")
PRICE_PLACES = Decimal("0.0001")  # prices per m² may need 4 places (2.3500 元/m²/月)
ZERO = Decimal("0.00")
# The largest amount one row may hold (DecimalField max_digits=14, 2 places): 千亿 yuan.
MAX_AMOUNT = Decimal("999999999999.99")


def _decimal(value) -> Decimal:
    if isinstance(value, float):
        raise TypeError("money never comes from a float: pass a Decimal, an int or a string")
    return value if isinstance(value, Decimal) else Decimal(value)


def money(value) -> Decimal:
    """`value` rounded to the fen, half up (0.005 → 0.01)."""
    return _decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def fen(value) -> int:
    """`value` in whole fen (rounded to the fen first): for the open amounts kept as integers."""
    return int(money(value) * 100)


def price(value) -> Decimal:
    return _decimal(value).quantize(PRICE_PLACES, rounding=ROUND_HALF_UP)


def days_in_month(day: dt.date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=days_in_month(day))


def next_month(day: dt.date) -> dt.date:
    return (month_end(day) + dt.timedelta(days=1)).replace(day=1)


def previous_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def prorate(quantity, unit_price, days: int, days_in_period: int) -> Decimal:
    """The one proration rule (docs/architecture.md, "Fees"): a month's charge for part of the month.

        amount = round_half_up(quantity × price × days / days in that calendar month, 0.01)

    computed exactly and rounded once, per line. A whole month is simply quantity × price rounded.
    `days` counts both ends of the part billed (the 16th to the 31st of a 31-day month is 16 days).
    """
    if not 0 <= days <= days_in_period or days_in_period <= 0:
        raise ValueError(f"{days} days of a {days_in_period}-day month")
    exact = _decimal(quantity) * _decimal(unit_price)
    if days != days_in_period:
        exact = exact * days / days_in_period
    return money(exact)


def parse_amount(text, *, field: str = "amount", allow_zero: bool = False) -> Decimal:
    """A yuan amount typed by a person or sent by a client ("1,234.5", "¥88"), else a clear error.

    Refused: empty, non-numeric, negative (or zero unless allowed), more than two decimal places,
    more than MAX_AMOUNT.
    """
    if isinstance(text, float):
        raise TypeError("money never comes from a float")
    raw = str(text if text is not None else "").strip().replace(",", "").replace("，", "")
    raw = raw.removeprefix("¥").removeprefix("￥").removesuffix("元").strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValidationError({field: _("Enter an amount in yuan, for example 1234.50.")}) from None
    if not value.is_finite():
        raise ValidationError({field: _("Enter an amount in yuan, for example 1234.50.")})
    if value < 0 or (value == 0 and not allow_zero):
        raise ValidationError({field: _("The amount must be greater than zero.")})
    if value > MAX_AMOUNT:
        raise ValidationError({field: _("The amount is too large.")})
    if value != value.quantize(CENT):
        raise ValidationError({field: _("An amount has at most two decimal places (fen).")})
    return value.quantize(CENT)


# -- 大写金额: the amount in Chinese capitals ------------------------------------------------------

DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL = ((1000, "仟"), (100, "佰"), (10, "拾"), (1, ""))
GROUPS = ("", "万", "亿", "万亿")


def _group(number: int) -> str:
    """0 < number < 10000 in capitals; a zero between two digits becomes one 零 (1010 → 壹仟零壹拾)."""
    out, zero = [], False
    for size, name in SMALL:
        digit = number // size % 10
        if digit == 0:
            zero = bool(out)
        else:
            if zero:
                out.append("零")
                zero = False
            out.append(DIGITS[digit] + name)
    return "".join(out)


def _yuan(number: int) -> str:
    groups = []
    while number:
        groups.append(number % 10000)
        number //= 10000
    if len(groups) > len(GROUPS):
        raise ValueError("amount too large for Chinese capitals")
    out, gap = [], False
    for index in reversed(range(len(groups))):
        value = groups[index]
        if value == 0:
            gap = bool(out)
            continue
        # A lower group under a thousand, or a whole group of zeros skipped, is marked by one 零.
        if out and (gap or value < 1000):
            out.append("零")
        out.append(_group(value) + GROUPS[index])
        gap = False
    return "".join(out)


def in_capitals(amount) -> str:
    """The amount in Chinese capitals as written on receipts (中国人民银行《支付结算办法》附一):

    1234.50 → 壹仟贰佰叁拾肆元伍角整, 0.05 → 伍分, 10.00 → 壹拾元整, 1000005.30 → 壹佰万零伍元叁角整,
    100000000 → 壹亿元整, 100.05 → 壹佰元零伍分, 0 → 零元整. 整 follows 元 or 角 when there are no fen;
    a zero 角 between 元 and 分 is written 零. Negative amounts are prefixed 负.
    """
    value = money(amount)
    if value < 0:
        return "负" + in_capitals(-value)
    fen_total = int(value * 100)
    yuan, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    if fen_total == 0:
        return "零元整"
    out = _yuan(yuan) + "元" if yuan else ""
    if jiao:
        out += DIGITS[jiao] + "角"
    elif fen and yuan:
        out += "零"
    if fen:
        out += DIGITS[fen] + "分"
    else:
        out += "整"
    return out


def yuan(amount) -> str:
    """¥1,234.50 — how amounts read on pages and receipts."""
    value = money(amount)
    sign = "-" if value < 0 else ""
    return f"{sign}¥{abs(value):,.2f}"
