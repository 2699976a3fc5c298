"""Demo data for workforce planning (R-WFM-1, R-REP-2): call `load_workforce_demo(rng, today)`
after the hotlines, operators and the demo week of calls exist.

* 8 weeks of interval history (IntervalVolume) per live hotline, ending the day before the
  demo's week of recorded calls, with a weekday pattern, a two-peak intraday profile in the
  hotline's time zone and Poisson noise; the forecast combines it with the recorded calls;
* planning settings per live hotline (the order desk plans with Erlang A, patience 120 s);
* three shift templates (day, late, 4-hour part-time) and evening-only part-timers;
* two weeks of logged agent states for man-hours.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np
from django.contrib.auth import get_user_model
from django.db import transaction

from calldesk.apps.accounts.roles import Role
from calldesk.apps.calls.models import AgentStateLog
from calldesk.apps.hotlines.models import Hotline

from .models import (
    INTERVAL_MINUTES,
    IntervalVolume,
    OperatorAvailability,
    PlanningSettings,
    ShiftTemplate,
)

HISTORY_WEEKS = 8
RECORDED_DAYS = 7  # the demo loader records calls for the last 7 days itself
WEEKDAY_FACTOR = (1.18, 1.08, 1.02, 1.0, 0.97, 0.62, 0.45)


def _profile(kind: str) -> np.ndarray:
    """Share of a day's calls per 30-minute interval, 09:00-21:00 local, two peaks."""
    hours = np.arange(48) / 2 + 0.25
    open_ = (hours >= 9) & (hours < 21)
    morning, afternoon = (10.5, 14.5) if kind == Hotline.Kind.ORDER_DESK else (11.0, 16.0)
    shape = 0.35 + np.exp(-(((hours - morning) / 1.4) ** 2)) + 0.75 * np.exp(-(((hours - afternoon) / 1.8) ** 2))
    shape = np.where(open_, shape, 0.0)
    return shape / shape.sum()


def _numpy_rng(rng: random.Random | np.random.Generator) -> np.random.Generator:
    return rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng.getrandbits(64))


@transaction.atomic
def load_workforce_demo(rng: random.Random | np.random.Generator, today: date) -> dict[str, int]:
    """Write the workforce demo data; returns counts of what was written."""
    gen = _numpy_rng(rng)
    hotlines = list(Hotline.objects.filter(status=Hotline.Status.LIVE).order_by("pk"))
    volumes = []
    first_recorded = today - timedelta(days=RECORDED_DAYS)
    for hotline in hotlines:
        tz = ZoneInfo(hotline.time_zone or "UTC")
        order_desk = hotline.kind == Hotline.Kind.ORDER_DESK
        daily = 260.0 if order_desk else 90.0
        aht = 200.0 if order_desk else 230.0
        profile = _profile(hotline.kind)
        start_day = first_recorded - timedelta(weeks=HISTORY_WEEKS)
        for offset in range(HISTORY_WEEKS * 7):
            day = start_day + timedelta(days=offset)
            # A gentle upward trend over the weeks, so the forecast has a level to follow.
            level = daily * WEEKDAY_FACTOR[day.weekday()] * (0.92 + 0.1 * offset / (HISTORY_WEEKS * 7))
            counts = gen.poisson(level * profile)
            midnight = datetime.combine(day, time.min, tz)
            for slot in np.flatnonzero(counts).tolist():
                start = (midnight + timedelta(minutes=INTERVAL_MINUTES * slot)).astimezone(UTC)
                volumes.append(IntervalVolume(
                    hotline=hotline, interval_start=start, calls=int(counts[slot]),
                    aht_s=round(float(gen.normal(aht, 12.0)), 1), source=IntervalVolume.Source.DEMO,
                ))
        PlanningSettings.objects.update_or_create(hotline=hotline, defaults={
            "service_level": Decimal("0.800"), "service_level_seconds": 20,
            "patience_s": 120 if order_desk else None, "shrinkage": Decimal("0.300"),
            "max_occupancy": Decimal("0.900"),
        })
    IntervalVolume.objects.bulk_create(volumes, batch_size=2000, ignore_conflicts=True)

    templates = [
        ShiftTemplate(name="Day 8h", start_times="08:00 09:00 10:00", length_minutes=540, break_minutes=60,
                      break_earliest_minutes=180, break_latest_minutes=270),
        ShiftTemplate(name="Late 8h", start_times="12:00 13:00", length_minutes=540, break_minutes=60,
                      break_earliest_minutes=180, break_latest_minutes=270),
        ShiftTemplate(name="Part-time 4h", start_times="10:00 16:00 17:00", length_minutes=240),
    ]
    ShiftTemplate.objects.bulk_create(templates)

    operators = list(get_user_model().objects.filter(role=Role.OPERATOR).order_by("username"))
    availability = [
        OperatorAvailability(operator=op, weekday=weekday, start=time(16), end=time(22))
        for op in operators[-6:] for weekday in range(5)
    ]
    OperatorAvailability.objects.bulk_create(availability)

    states = _state_log(gen, today, operators, hotlines)
    AgentStateLog.objects.bulk_create(states, batch_size=2000)
    return {"interval_volumes": len(volumes), "shift_templates": len(templates),
            "availability": len(availability), "state_log": len(states)}


def _state_log(gen: np.random.Generator, today: date, operators: list, hotlines: list[Hotline]) -> list[AgentStateLog]:
    """14 days of closed state stretches: ready, a lunch break, sometimes training."""
    out = []
    if not operators or not hotlines:
        return out
    for days_ago in range(14, 0, -1):
        day = today - timedelta(days=days_ago)
        staffed = operators[: 16 if day.weekday() < 5 else 8]
        for n, operator in enumerate(staffed):
            hotline = hotlines[n % len(hotlines)]
            tz = ZoneInfo(hotline.time_zone or "UTC")
            begin = datetime.combine(day, time(9 if n % 2 == 0 else 12), tz) + timedelta(minutes=int(gen.integers(0, 10)))
            lunch = begin + timedelta(hours=4)
            back = lunch + timedelta(minutes=int(gen.integers(30, 45)))
            end = begin + timedelta(hours=9)
            pieces = [("ready", begin, lunch), ("break", lunch, back), ("ready", back, end)]
            if gen.random() < 0.15:
                pieces[-1] = ("ready", back, end - timedelta(hours=1))
                pieces.append(("training", end - timedelta(hours=1), end))
            for state, start, finish in pieces:
                out.append(AgentStateLog(agent=operator, state=state, hotline=hotline, started_at=start, ended_at=finish,
                                         reason="lunch" if state == "break" else ""))
    return out
