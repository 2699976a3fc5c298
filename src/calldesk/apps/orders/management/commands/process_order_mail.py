"""Take the order e-mails dropped in a folder through the order flow (R-ORD-13).

Each *.eml is moved to accepted/ or rejected/ beside it once processed, so a run can be
repeated (by cron or the scheduler) without taking an order twice; the outcome and any
reason are stored as InboundEmail rows as well.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from calldesk.apps.orders.mail import receive_email_order
from calldesk.apps.orders.models import InboundEmail


class Command(BaseCommand):
    help = "Process order e-mails (.eml files) from a folder."

    def add_arguments(self, parser: Any) -> None:
        default = getattr(settings, "CALLDESK_ORDER_MAIL_DIR", Path(settings.VAR_DIR) / "mail-in")
        parser.add_argument("--folder", default=str(default), help=f"folder with .eml files (default {default})")

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["folder"])
        if not folder.is_dir():
            self.stderr.write(f"No folder {folder}")
            return
        done = {status: folder / status for status in (InboundEmail.Status.ACCEPTED, InboundEmail.Status.REJECTED)}
        for path in done.values():
            path.mkdir(exist_ok=True)
        counts = {status: 0 for status in done}
        for path in sorted(folder.glob("*.eml")):
            record = receive_email_order(path.read_bytes(), source=f"folder:{path.name}")
            counts[record.status] += 1
            path.rename(done[record.status] / path.name)
            outcome = record.order.number if record.order_id else record.reason
            self.stdout.write(f"{path.name}: {record.status} {outcome}")
        self.stdout.write(f"accepted={counts['accepted']} rejected={counts['rejected']}")
