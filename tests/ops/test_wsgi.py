"""The served application: what a granian worker holds once it has loaded propdesk.wsgi."""

import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"


def test_a_worker_loads_every_view_up_front_and_hides_them_from_the_collector():
    code = ("import gc, sys, propdesk.wsgi; "
            "print(gc.get_freeze_count(), 'propdesk.console.urls' in sys.modules, 'propdesk.portal.urls' in sys.modules)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")} | {
        "DJANGO_SETTINGS_MODULE": "propdesk.settings.dev", "PYTHONPATH": str(SRC)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60,
                         check=True).stdout.split()
    frozen, console, portal = int(out[0]), out[1], out[2]
    assert console == portal == "True"  # the views were imported before the first request
    assert frozen > 50_000  # Django, propdesk and their libraries: full collections no longer walk them
