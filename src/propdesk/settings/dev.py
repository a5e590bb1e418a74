"""Local development and `make run`: debug on, loopback only."""

from .base import *  # noqa: F403

DEBUG = True
PORTAL_DEMO_SHOW_CODE = True
