"""`manage.py restore PATH`: bring a backup archive back into an empty installation and verify it."""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError
from django.utils.translation import gettext as _

from propdesk.core.backup import BackupError, inspect_archive, restore_backup, unknown_migrations


class Command(BaseCommand):
    help = ("Restore a backup archive into an empty installation (database and uploaded files), then check "
            "row counts and file checksums against its manifest.")

    # No system checks: they import every URL module, and a backup must not depend on them.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("archive", metavar="PATH", help="archive written by `manage.py backup`")
        parser.add_argument("--force", action="store_true",
                            help="replace a database that is not empty (asks for confirmation)")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, archive, force=False, yes=False, **options):
        started = time.monotonic()
        path = Path(archive)
        try:
            manifest = inspect_archive(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stderr.write(_("Archive of %(created)s: %(vendor)s, tables: %(tables)d, files: %(files)d")
                          % {"created": manifest.get("created_at"), "vendor": manifest["database"].get("vendor"),
                             "tables": len(manifest["tables"]), "files": len(manifest["media"])})
        newer = unknown_migrations(manifest)
        if newer:
            self.stderr.write(self.style.WARNING(
                _("Warning: the archive comes from a newer version of propdesk (unknown migrations: %(names)s).")
                % {"names": ", ".join(newer[:5])}))
        if force and not yes and not self._confirm():
            raise CommandError(_("Restore cancelled."))
        try:
            result = restore_backup(path, manifest, force=force, progress=self._progress)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        except OperationalError as exc:
            raise CommandError(_("Cannot reach the database: %(error)s") % {"error": exc}) from exc
        self.stdout.write(self.style.SUCCESS(
            _("Restored and verified: tables: %(tables)d, rows: %(rows)d, files: %(files)d (%(seconds).1f s)")
            % {"tables": result.tables, "rows": result.rows, "files": result.files,
               "seconds": time.monotonic() - started}))

    def _confirm(self) -> bool:
        if not sys.stdin.isatty():
            raise CommandError(_("--force replaces the current data: confirm with --yes when not run "
                                 "interactively."))
        answer = input(_("This replaces the current database and uploaded files. Type 'yes' to continue: "))
        return answer.strip().lower() in {"yes", "y", "是"}

    def _progress(self, message: str) -> None:
        self.stderr.write(message)
        self.stderr.flush()
