"""No float anywhere in the money code (issue 14, item 2): a scan of the billing package's source.

Every module of propdesk.billing (and the billing entry points: API, console and portal modules) is
parsed; a float literal (1.5, 1e3), a call of float() or a FloatField fails the test with the file and
line. `isinstance(x, float)` (refusing floats) is allowed.
"""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "propdesk"
FILES = sorted([*(SRC / "billing").rglob("*.py"),
                *(p for p in SRC.rglob("*billing*.py") if "billing" not in p.parent.parts),
                *(SRC / "console" / "views" / "billing").rglob("*.py"),
                *(SRC / "portal" / "views" / "billing").rglob("*.py")])


def offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, float):
            found.append(f"{path.name}:{node.lineno} float literal {node.value!r}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "float":
            found.append(f"{path.name}:{node.lineno} float() call")
        elif isinstance(node, ast.Attribute) and node.attr == "FloatField":
            found.append(f"{path.name}:{node.lineno} FloatField")
        elif isinstance(node, ast.Name) and node.id == "FloatField":
            found.append(f"{path.name}:{node.lineno} FloatField")
    return found


def test_the_scan_sees_the_billing_code():
    names = {p.name for p in FILES}
    assert {"money.py", "calc.py", "runs.py", "ledger.py"} <= names


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_float_in_money_code(path):
    assert offences(path) == []


def test_the_scan_catches_what_it_looks_for(tmp_path):
    sample = tmp_path / "bad.py"
    sample.write_text("x = 1.5\ny = float('2')\nfrom django.db import models\nz = models.FloatField()\n")
    assert len(offences(sample)) == 3
