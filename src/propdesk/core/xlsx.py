"""Every .xlsx the product writes is saved through `to_bytes()`: text stays text (no formula injection).

Owners and staff type free text (names, descriptions, survey answers) that ends up in exports. openpyxl
stores a string that starts with "=" as a formula, which the accountant's spreadsheet would evaluate when
the file is opened (=HYPERLINK(…) to leak data, =cmd|… on old Excel). propdesk never writes a formula on
purpose, so before saving every such cell is turned back into a text cell, and every text cell that a
spreadsheet would read as the start of a formula when edited or re-saved as CSV (= + - @, tab, carriage
return) is marked "quote prefix" (Excel's leading apostrophe) — the stored value itself is unchanged,
so an export read back (archive re-import) sees exactly what was written.
"""

import io

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(workbook) -> None:
    """Make every formula-looking text cell of `workbook` plain, quoted text (in place)."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if not isinstance(value, str) or not value.startswith(FORMULA_START):
                    continue
                if cell.data_type == "f":
                    cell.data_type = "s"
                cell.quotePrefix = True


def to_bytes(workbook) -> bytes:
    """The workbook as .xlsx bytes, with every formula-looking text made plain text."""
    neutralise(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
