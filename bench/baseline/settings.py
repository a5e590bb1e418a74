"""The bare Django + Ninja JSON endpoint the intake is compared with (bench/intake_throughput.py).

No database, no session, no authentication: what Django and Ninja cost per request when served the
same way as propdesk (granian, WSGI, 2 workers).
"""

SECRET_KEY = "bench-baseline-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["ninja"]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
ROOT_URLCONF = "baseline.urls"
DATABASES = {}
USE_TZ = True
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
