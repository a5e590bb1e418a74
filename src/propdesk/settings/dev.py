"""Local development and `make run`: debug on, loopback only."""

from .base import *  # noqa: F403

DEBUG = True
PORTAL_DEMO_SHOW_CODE = True
# A fixed, public key for local data only; production reads PROPDESK_DATA_KEY (see prod.py).
PROPDESK_DATA_KEY = "dev-only-not-secret-propdesk-data-key-0123456789"
