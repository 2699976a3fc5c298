"""Opening hours and holidays (R-HL-5)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from calldesk.domain.routing.config import OpeningHours


def check_open(hours: OpeningHours, at: float) -> bool:
    """Is the hotline open at `at` (seconds since the Unix epoch, UTC)?"""
    if not hours.weekly and not hours.holidays:
        return True
    local = datetime.fromtimestamp(at, UTC).astimezone(ZoneInfo(hours.timezone))  # ZoneInfo caches zones itself
    if local.date().isoformat() in hours.holidays:
        return False
    if not hours.weekly:
        return True
    minute = local.hour * 60 + local.minute
    day = local.weekday()
    return any(d == day and start <= minute < end for d, start, end in hours.weekly)
