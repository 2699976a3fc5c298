"""Import customers, products, prices, the receivables ledger or orders from CSV/XLSX.

    calldesk manage import_data customers clients.xlsx [--dry-run] [--user finance]

All or nothing: a file with a bad row changes nothing and every bad row is listed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from calldesk.apps.customers.imports import IMPORTERS, ImportFailed, run_import


class Command(BaseCommand):
    help = "Import distributor data from a CSV or XLSX export (all or nothing)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("kind", choices=sorted(IMPORTERS))
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="check every row, change nothing")
        parser.add_argument("--user", help="login recorded in the audit log as the importer")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"No file {path}")
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"No user {options['user']}")
        try:
            result = run_import(options["kind"], path.read_bytes(), path.name, actor=actor, dry_run=options["dry_run"])
        except ImportFailed as exc:
            for error in exc.errors:
                self.stderr.write(f"line {error.row}, {error.column or '-'}: {error.message}")
            raise CommandError(f"{len(exc.errors)} error(s); nothing was imported.") from exc
        verb = "checked" if result.dry_run else "imported"
        self.stdout.write(f"{verb} {result.rows} rows: {result.created} created, {result.updated} updated")
