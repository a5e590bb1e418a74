"""Import and export of one project's archive as one Excel workbook (PRODUCT.md area 1).

Four sheets — 楼栋, 房屋, 客户, 入住关系 — with Chinese headers (layout in excel_format). An import is
all-or-nothing: every row of every sheet is checked first and the whole file is refused with the
list of every bad row, or everything is written in one transaction with bulk queries and one
summary event on the project's timeline. Records are matched on their natural keys, so importing
an export again changes nothing.
"""

import re
import zipfile
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from propdesk.core import timeline, xlsx
from propdesk.org.access import ADMINS, ARCHIVE_TRANSFER, require_project, require_role
from propdesk.org.models import Building, Project, Unit

from .excel_format import (
    CUSTOMER_TYPE,
    GENDER,
    HELP_LINES,
    ID_TYPE,
    INCOME_BAND,
    ROLE,
    SHEET_BUILDINGS,
    SHEET_CUSTOMERS,
    SHEET_HELP,
    SHEET_OCCUPANCIES,
    SHEET_UNITS,
    SHEETS,
    UNIT_STATUS,
    RowError,
    cell_text,
    header_key,
)
from .excel_import import ArchiveImporter
from .models import Customer, CustomerPhone, Occupancy
from .services import refresh_archive_statistics

__all__ = ["build_template", "export_project", "import_project", "ImportReport", "ImportRejected", "RowError",
           "SheetCounts"]

# The whole archive of a project leaves or enters the system: a manager's job, not every desk's.
MAX_ROWS_PER_SHEET = 50_000
PHONE_JOIN = "；"


@dataclass
class SheetCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportReport:
    """What an import did, per sheet."""

    buildings: SheetCounts = field(default_factory=SheetCounts)
    units: SheetCounts = field(default_factory=SheetCounts)
    customers: SheetCounts = field(default_factory=SheetCounts)
    occupancies: SheetCounts = field(default_factory=SheetCounts)

    def sheets(self) -> list[tuple[str, SheetCounts]]:
        """(sheet name, counts) in workbook order, for display."""
        return [(SHEET_BUILDINGS, self.buildings), (SHEET_UNITS, self.units),
                (SHEET_CUSTOMERS, self.customers), (SHEET_OCCUPANCIES, self.occupancies)]

    @property
    def counts(self) -> dict[str, int]:
        """Flat {label: number} pairs, for a report table."""
        labels = ((self.buildings, _("Buildings created"), _("Buildings updated")),
                  (self.units, _("Units created"), _("Units updated")),
                  (self.customers, _("Customers created"), _("Customers updated")),
                  (self.occupancies, _("Occupancies created"), _("Occupancies updated")))
        out = {}
        for counts, created, updated in labels:
            out[created], out[updated] = counts.created, counts.updated
        return out

    @property
    def created(self) -> int:
        return sum(c.created for _s, c in self.sheets())

    @property
    def updated(self) -> int:
        return sum(c.updated for _s, c in self.sheets())


class ImportRejected(Exception):
    """The file was refused and nothing was written; `errors` lists every problem found."""

    def __init__(self, errors: list[RowError]):
        order = list(SHEETS)
        self.errors = sorted(errors, key=lambda e: (order.index(e.sheet) if e.sheet in order else -1, e.row))
        super().__init__("; ".join(e.message for e in self.errors[:5]))


# -- writing workbooks --------------------------------------------------------------------------

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _new_workbook() -> Workbook:
    """The four sheets with their headers (format notes as comments), frozen header rows and a help sheet."""
    wb = Workbook()
    wb.remove(wb.active)
    for sheet, columns in SHEETS.items():
        ws = wb.create_sheet(sheet)
        ws.append([c.header for c in columns])
        for i, column in enumerate(columns, start=1):
            cell = ws.cell(row=1, column=i)
            cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
            if column.note:
                cell.comment = Comment(column.note, "propdesk", width=260, height=90)
            letter = get_column_letter(i)
            ws.column_dimensions[letter].width = column.width
            if column.text:
                ws.column_dimensions[letter].number_format = "@"
        ws.freeze_panes = "A2"
    help_ws = wb.create_sheet(SHEET_HELP)
    for line in HELP_LINES:
        help_ws.append([line])
    help_ws["A1"].font = _HEADER_FONT
    help_ws.column_dimensions["A"].width = 110
    for row in help_ws.iter_rows():
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    return wb


def _to_bytes(wb: Workbook) -> bytes:
    return xlsx.to_bytes(wb)


def build_template() -> bytes:
    """An empty import workbook: headers with their format notes, frozen header row, help sheet."""
    return _to_bytes(_new_workbook())


def _blank(value):
    """Empty strings are written as empty cells so a file reads back exactly as it was written."""
    return None if value == "" else value


def _natural(text: str) -> list:
    """Sort key that puts building 2 before building 10."""
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text or "")]


def _unit_sort_key(unit: Unit):
    return (_natural(unit.building.code), _natural(unit.entrance), _natural(unit.number))


def export_project(user, project: Project, reveal_ids: bool = False) -> bytes:
    """The project's whole archive as one workbook.

    ID numbers are masked unless `reveal_ids`, which only a company administrator may ask for (anyone
    else is refused with PermissionDenied) and which is recorded on the project's timeline with the
    number of customers whose full number left (area 1 and PIPL: the ID document is sensitive).
    """
    require_project(user, project.pk)
    require_role(user, ARCHIVE_TRANSFER)
    if reveal_ids:
        require_role(user, ADMINS)
    wb = _new_workbook()

    ws = wb[SHEET_BUILDINGS]
    for b in sorted(Building.objects.filter(project=project), key=lambda b: _natural(b.code)):
        ws.append([b.code, b.name, b.floors])

    ws = wb[SHEET_UNITS]
    units = sorted(Unit.objects.filter(project=project).select_related("building"), key=_unit_sort_key)
    for u in units:
        ws.append([u.building.code, _blank(u.entrance), u.number, u.floor, u.area, _blank(u.layout),
                   UNIT_STATUS.label(u.status)])

    ws = wb[SHEET_CUSTOMERS]
    customers = Customer.objects.filter(project=project).order_by("code")
    phones: dict[int, list[str]] = {}
    for customer_id, number in (CustomerPhone.objects.filter(customer__project=project)
                                .order_by("id").values_list("customer_id", "number")):
        phones.setdefault(customer_id, []).append(number)
    revealed = []
    for c in customers:
        if reveal_ids and c.has_id_number:
            revealed.append(c)
        id_number = c.id_number if reveal_ids else c.masked_id_number
        ws.append([
            c.code, c.name, CUSTOMER_TYPE.label(c.customer_type), _blank(GENDER.label(c.gender)), c.birth_date,
            _blank(c.hometown), _blank(c.hobbies), _blank(INCOME_BAND.label(c.income_band)), c.household_size,
            _blank(ID_TYPE.label(c.id_type)), _blank(id_number), _blank(PHONE_JOIN.join(phones.get(c.pk, []))),
            _blank(c.email), _blank(c.wechat), _blank(c.emergency_contact), _blank(c.notes),
        ])

    ws = wb[SHEET_OCCUPANCIES]
    role_order = {r: i for i, r in enumerate(Occupancy.Role.values)}
    occupancies = sorted(
        Occupancy.objects.filter(unit__project=project).select_related("unit__building", "customer"),
        key=lambda o: (_unit_sort_key(o.unit), role_order.get(o.role, 9), o.start_date, o.customer.code, o.pk),
    )
    for o in occupancies:
        ws.append([o.unit.building.code, _blank(o.unit.entrance), o.unit.number, o.customer.code,
                   ROLE.label(o.role), _blank(o.relation), o.start_date, o.end_date])

    for sheet in SHEETS:
        if wb[sheet].max_row > 1:
            wb[sheet].auto_filter.ref = wb[sheet].dimensions
    if reveal_ids:
        # One event, shown on the project's card and on the card of every customer whose number left.
        with transaction.atomic():
            timeline.record(user, "archive.exported_with_ids",
                            timeline.Message(gettext_noop("Archive exported to Excel with the full ID numbers "
                                                          "of %(count)d customers"), {"count": len(revealed)}),
                            subjects=[project, *revealed])
    return _to_bytes(wb)


# -- reading workbooks --------------------------------------------------------------------------

def _read_workbook(fileobj) -> dict[str, list[tuple[int, dict]]]:
    """Each sheet's non-empty rows as (Excel row number, {header: value}); structural errors reject."""
    try:
        wb = load_workbook(fileobj, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError) as exc:
        raise ImportRejected([RowError("", 0, _("The file is not an Excel workbook (.xlsx)."))]) from exc
    errors: list[RowError] = []
    out: dict[str, list[tuple[int, dict]]] = {}
    try:
        for sheet, columns in SHEETS.items():
            if sheet not in wb.sheetnames:
                errors.append(RowError(sheet, 0, _("Sheet “%(sheet)s” is missing.") % {"sheet": sheet}))
                continue
            ws = wb[sheet]
            ws.reset_dimensions()  # some writers store a wrong size; read what is really there
            rows = ws.iter_rows(values_only=True)
            keys = [header_key(h) for h in next(rows, ())]
            index = {}
            for column in columns:
                key = header_key(column.header)
                if key in keys:
                    index[column.header] = keys.index(key)
                else:
                    errors.append(RowError(sheet, 1, _("Row 1: column “%(column)s” is missing.")
                                           % {"column": column.header}))
            if len(index) < len(columns):
                continue
            data = []
            for number, values in enumerate(rows, start=2):
                if all(cell_text(v) == "" for v in values):
                    continue
                if len(data) >= MAX_ROWS_PER_SHEET:
                    errors.append(RowError(sheet, number, _("Sheet “%(sheet)s” has more than %(limit)d rows.")
                                           % {"sheet": sheet, "limit": MAX_ROWS_PER_SHEET}))
                    break
                data.append((number, {h: values[i] if i < len(values) else None for h, i in index.items()}))
            out[sheet] = data
    finally:
        wb.close()
    if errors:
        raise ImportRejected(errors)
    return out


_REPORT_SHEETS = ("buildings", "units", "customers", "occupancies")  # ImportReport fields, in workbook order


def import_project(user, project: Project, fileobj) -> ImportReport:
    """Check every row of the workbook, then write all of it or nothing (see the module docstring).

    A masked ID number (with *) never overwrites a stored one. One timeline event on the project
    summarises the import.
    """
    require_project(user, project.pk)
    require_role(user, ARCHIVE_TRANSFER)
    rows = _read_workbook(fileobj)
    importer = ArchiveImporter(project)
    importer.check(rows)
    if importer.errors:
        raise ImportRejected(importer.errors)
    report = ImportReport()
    with transaction.atomic():
        counts = importer.write(now=timezone.now())
        for name, sheet_counts in zip(_REPORT_SHEETS, counts, strict=True):
            setattr(report, name, SheetCounts(**sheet_counts))
        summary = timeline.Message(
            gettext_noop("Archive imported from Excel: %(created)d records created, %(updated)d updated."),
            {"created": report.created, "updated": report.updated})
        timeline.record(user, "archive.imported", summary, subjects=[project],
                        changes={name: vars(getattr(report, name)) for name in _REPORT_SHEETS})
    refresh_archive_statistics()
    return report
