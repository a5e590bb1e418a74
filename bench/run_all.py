"""Run every benchmark on SQLite (and on PostgreSQL when DATABASE_URL is set)."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = ["lookup.py", "excel_roundtrip.py", "triage_accuracy.py", "affairs_gate.py"]

if __name__ == "__main__":
    status = 0
    for name in BENCHES:
        print(f"== {name}", flush=True)
        status |= subprocess.call([sys.executable, str(HERE / name)], cwd=HERE)
    sys.exit(status)
