"""Local development and `make run`: debug on, loopback only."""

import os

from .base import *  # noqa: F403

DEBUG = True
PORTAL_DEMO_SHOW_CODE = True
# The demo's SMS go to a simulated handset (the cache) so the sign-in page can show the code; the
# database keeps only the masked text. Production refuses this backend (prod.py).
NOTIFY_SMS_BACKEND = os.environ.get("NOTIFY_SMS_BACKEND", "propdesk.notify.backends.DemoHandsetSmsBackend")
# A fixed, public key for local data only; production reads PROPDESK_DATA_KEY (see prod.py).
PROPDESK_DATA_KEY = "dev-only-not-secret-propdesk-data-key-0123456789"
