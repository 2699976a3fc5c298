"""Small, fast planning fixtures: a few weeks of interval history, one template, operators."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from calldesk.apps.workforce.models import IntervalVolume, ShiftTemplate

WEEK = date(2025, 3, 3)  # a Monday
# Calls per half hour from 09:00 to 13:00 local: small enough for a MILP of a few binaries.
PROFILE = {18: 6, 19: 10, 20: 12, 21: 12, 22: 10, 23: 8, 24: 6, 25: 4}


def make_history(hotline, weeks: int = 3, until: date = WEEK, scale: float = 1.0) -> int:
    tz = ZoneInfo(hotline.time_zone)
    rows = []
    day = until - timedelta(weeks=weeks)
    while day < until:
        midnight = datetime.combine(day, time.min, tz)
        for slot, calls in PROFILE.items():
            rows.append(IntervalVolume(
                hotline=hotline, interval_start=(midnight + timedelta(minutes=30 * slot)).astimezone(UTC),
                calls=round(calls * scale), aht_s=180.0,
            ))
        day += timedelta(days=1)
    IntervalVolume.objects.bulk_create(rows)
    return len(rows)


def make_template(**extra) -> ShiftTemplate:
    values = {"name": "Morning", "start_times": "09:00", "length_minutes": 240}
    return ShiftTemplate.objects.create(**{**values, **extra})


def make_operators(count: int = 4):
    from calldesk.apps.accounts.roles import Role
    from tests.conftest import make_user

    return [make_user(f"wf_op{i}", Role.OPERATOR) for i in range(count)]
