"""Workbooks finance fills in: meter readings (抄表) and income and expense statements (收支报表).

All or nothing: every row is checked first, and the file is refused with every bad row named (第 N 行…),
or everything is written in one transaction through the same services as the console's forms.
"""

import datetime as dt
import zipfile

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from propdesk.archive.excel_format import cell_text, header_key
from propdesk.org.models import Unit

from . import access, money
from .models import FeeItem

MAX_ROWS = 20_000
READING_COLUMNS = ("房号", "收费项目", "月份", "本次读数", "抄表日期", "上次读数")
READING_REQUIRED = READING_COLUMNS[:4]
STATEMENT_COLUMNS = ("收支", "科目", "金额", "备注")


def read_rows(fileobj, columns, required) -> list[tuple[int, dict]]:
    """The first sheet's non-empty rows as (Excel row number, {column: text}); refuses what is not a workbook."""
    try:
        wb = load_workbook(fileobj, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError) as exc:
        raise ValidationError(_("The file is not an Excel workbook (.xlsx).")) from exc
    try:
        ws = wb.worksheets[0]
        ws.reset_dimensions()
        rows = ws.iter_rows(values_only=True)
        keys = [header_key(h) for h in next(rows, ())]
        missing = [c for c in required if header_key(c) not in keys]
        if missing:
            raise ValidationError(_("Row 1: column “%(column)s” is missing.") % {"column": missing[0]})
        index = {c: keys.index(header_key(c)) for c in columns if header_key(c) in keys}
        out = []
        for number, values in enumerate(rows, start=2):
            if all(cell_text(v) == "" for v in values):
                continue
            if len(out) >= MAX_ROWS:
                raise ValidationError(_("The file has more than %(limit)d rows.") % {"limit": MAX_ROWS})
            out.append((number, {c: (values[i] if i < len(values) else None) for c, i in index.items()}))
        return out
    finally:
        wb.close()


def _month(value) -> dt.date | None:
    if isinstance(value, dt.datetime | dt.date):
        return dt.date(value.year, value.month, 1)
    text = cell_text(value).replace("/", "-").replace("年", "-").replace("月", "")
    try:
        return dt.datetime.strptime(text[:7], "%Y-%m").date()
    except ValueError:
        return None


def _day(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.replace("/", "-")[:10])
    except ValueError:
        return None


def _number_text(value) -> str:
    """A number cell as the text a person typed: openpyxl hands numbers over as binary floats, whose
    shortest decimal form (cell_text) is what was typed; the services parse that text into a Decimal,
    so no arithmetic is ever done on the float."""
    return cell_text(value)


def unit_index(project) -> dict[str, Unit]:
    units = Unit.objects.filter(project=project).select_related("building")
    return {u.label: u for u in units}


def import_readings(actor, project, fileobj) -> int:
    """Meter readings from a workbook: 房号, 收费项目 (code or name of a metered item), 月份 (2027-03),
    本次读数, 抄表日期 (optional), 上次读数 (optional, a new meter). Returns how many were saved."""
    from .standards import enter_reading

    access.require(actor, project.pk, access.clerks())
    rows = read_rows(fileobj, READING_COLUMNS, READING_REQUIRED)
    units = unit_index(project)
    items = {}
    for item in FeeItem.objects.filter(project=project, kind=FeeItem.Kind.METERED):
        items[item.code] = items[item.name] = item
    errors = []
    with transaction.atomic():
        for number, row in rows:
            unit = units.get(cell_text(row["房号"]).replace("栋", "-").replace("单元", "-"))
            item = items.get(cell_text(row["收费项目"]))
            month = _month(row["月份"])
            problem = None
            if unit is None:
                problem = _("unit “%(unit)s” is not in this project") % {"unit": cell_text(row["房号"])}
            elif item is None:
                problem = _("“%(item)s” is not a metered fee item") % {"item": cell_text(row["收费项目"])}
            elif month is None:
                problem = _("the month is not like 2027-03")
            if problem is None:
                try:
                    enter_reading(actor, unit, item, period=month, value=_number_text(row["本次读数"]),
                                  read_on=_day(row.get("抄表日期")), previous=_number_text(row.get("上次读数")) or None)
                except ValidationError as exc:
                    problem = "；".join(exc.messages)
            if problem:
                errors.append(_("Row %(row)d: %(problem)s") % {"row": number, "problem": problem})
        if errors:
            raise ValidationError(errors)
    return len(rows)


def read_statement_lines(fileobj) -> list[dict]:
    """收支 (收入/支出), 科目, 金额, 备注 → [{"side", "category", "amount", "note"}], every bad row named."""
    rows = read_rows(fileobj, STATEMENT_COLUMNS, STATEMENT_COLUMNS[:3])
    sides = {"收入": "income", "支出": "expense", "income": "income", "expense": "expense"}
    out, errors = [], []
    for number, row in rows:
        side = sides.get(cell_text(row["收支"]).lower())
        category = cell_text(row["科目"])[:60]
        try:
            amount = money.parse_amount(_number_text(row["金额"]), allow_zero=True)
        except ValidationError as exc:
            amount = None
            errors.append(_("Row %(row)d: %(problem)s") % {"row": number, "problem": "；".join(exc.messages)})
        if side is None:
            errors.append(_("Row %(row)d: %(problem)s") % {"row": number, "problem": _("收支 is 收入 or 支出")})
        if not category:
            errors.append(_("Row %(row)d: %(problem)s") % {"row": number, "problem": _("the category is empty")})
        if side and category and amount is not None:
            out.append({"side": side, "category": category, "amount": amount,
                        "note": cell_text(row.get("备注"))[:200]})
    if errors:
        raise ValidationError(errors)
    return out
