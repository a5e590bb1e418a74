"""The engage domain's spreadsheets: one sheet per export, saved through core.xlsx (text stays text)."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.utils import timezone

from propdesk.core import xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cell(value):
    """A value as a spreadsheet shows it: local wall-clock times, text for everything unusual."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if value is None or isinstance(value, (str, int, float, Decimal, dt.date)):
        return value
    return str(value)


def workbook(title: str, header: list[str], rows: Iterable[Iterable], sheets: Iterable = ()) -> bytes:
    """An .xlsx of one sheet (`title`, `header`, `rows`) and any further (title, header, rows) `sheets`."""
    from openpyxl import Workbook

    book = Workbook()
    for index, (name, head, lines) in enumerate([(title, header, rows), *sheets]):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = str(name)[:31]
        sheet.append([str(h) for h in head])
        for line in lines:
            sheet.append([cell(v) for v in line])
    return xlsx.to_bytes(book)
