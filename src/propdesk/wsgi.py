"""The WSGI application granian serves (scripts/serve.sh), one per worker process.

Once the application is loaded, with every view module imported, the objects loaded so far are moved
out of the garbage collector's sight (`gc.freeze()`): they live as long as the process, and without it
every full collection walks all of them again. On the arrears page over 100,000 units such collections
added 200–350 ms to one request in five to seven (docs/performance.md, "Fees at scale").
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "propdesk.settings.dev")
application = get_wsgi_application()


def freeze_loaded_objects() -> int:
    """Import every view now rather than at the first request, then freeze the heap; return how many
    objects the collector no longer walks."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports the URLconf and, through it, the views)
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


freeze_loaded_objects()
