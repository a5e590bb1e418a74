"""`manage.py backup [--output PATH]`: one archive of the database and the uploads, taken while serving."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError
from django.utils.translation import gettext as _

from propdesk.core.backup import BackupError, create_backup, human_size


class Command(BaseCommand):
    help = "Write one backup archive (database + uploaded files + manifest) while the system keeps running."

    # No system checks: they import every URL module, and a backup must not depend on them.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", metavar="PATH",
                            help="archive file to write (default: VAR_DIR/backups/propdesk-backup-<time>.tar)")

    def handle(self, *args, output=None, **options):
        started = time.monotonic()
        try:
            path, manifest = create_backup(Path(output) if output else None, progress=self._progress)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        except OperationalError as exc:
            raise CommandError(_("Cannot reach the database: %(error)s") % {"error": exc}) from exc
        rows = sum(entry["rows"] for entry in manifest["tables"].values())
        self.stdout.write(self.style.SUCCESS(
            _("Backup written: %(path)s (size: %(size)s; tables: %(tables)d, rows: %(rows)d, files: %(files)d; "
              "%(seconds).1f s)")
            % {"path": path, "size": human_size(path.stat().st_size), "tables": len(manifest["tables"]),
               "rows": rows, "files": len(manifest["media"]), "seconds": time.monotonic() - started}))

    def _progress(self, message: str) -> None:
        self.stderr.write(message)
        self.stderr.flush()
