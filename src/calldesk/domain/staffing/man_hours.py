"""Man-hours: logged and productive agent time per operator and hotline per month.

Logged agent states are ``[start, end)`` intervals with timezone-aware datetimes.  Which
state names count as productive (working) is passed in; every state counts as logged in
except those passed as ``logged_out_states``.

Months are calendar months in UTC: a state interval that crosses a month boundary (for
example 31 January 22:00 to 1 February 02:00 UTC) is split at 00:00 UTC and each part
counts in its own month.  UTC was chosen because stored times are UTC and the split
then never depends on the viewer's zone or on DST; a hotline reporting in local months
can convert the boundaries before calling.

Planned man-hours for a coming month are the staffing requirement of the forecast
volume summed over the month's intervals (see :func:`calculate_planned_man_hours`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import numpy as np

from calldesk.domain.staffing._special import FloatArray
from calldesk.domain.staffing.erlang import QueueModel
from calldesk.domain.staffing.requirement import StaffingTarget, calculate_required_agents

_HOURS_QUANTUM = Decimal("0.0001")


def _hours(duration: timedelta) -> Decimal:
    microseconds = (duration.days * 86_400 + duration.seconds) * 1_000_000 + duration.microseconds
    return (Decimal(microseconds) / Decimal(3_600_000_000)).quantize(_HOURS_QUANTUM)


@dataclass(frozen=True, slots=True)
class AgentStateInterval:
    """One logged agent state."""

    agent_id: str
    state: str
    start: datetime
    end: datetime
    hotline_id: str


@dataclass(frozen=True, slots=True)
class ManHours:
    """Time of one operator on one hotline in one UTC month (``month`` = its first day)."""

    month: date
    agent_id: str
    hotline_id: str
    productive: timedelta
    logged_in: timedelta

    @property
    def productive_hours(self) -> Decimal:
        return _hours(self.productive)

    @property
    def logged_in_hours(self) -> Decimal:
        return _hours(self.logged_in)


@dataclass(frozen=True, slots=True)
class HotlineManHours:
    """Time of all operators of one hotline in one UTC month."""

    month: date
    hotline_id: str
    agents: int
    productive: timedelta
    logged_in: timedelta

    @property
    def productive_hours(self) -> Decimal:
        return _hours(self.productive)

    @property
    def logged_in_hours(self) -> Decimal:
        return _hours(self.logged_in)


def _month_start(moment: datetime) -> datetime:
    return datetime(moment.year, moment.month, 1, tzinfo=UTC)


def _next_month(month_start: datetime) -> datetime:
    if month_start.month == 12:
        return datetime(month_start.year + 1, 1, 1, tzinfo=UTC)
    return datetime(month_start.year, month_start.month + 1, 1, tzinfo=UTC)


def _split_by_month(start: datetime, end: datetime) -> list[tuple[date, timedelta]]:
    parts = []
    cursor = start
    while cursor < end:
        month = _month_start(cursor)
        boundary = min(end, _next_month(month))
        parts.append((month.date(), boundary - cursor))
        cursor = boundary
    return parts


def calculate_man_hours(
    intervals: Iterable[AgentStateInterval],
    *,
    productive_states: frozenset[str],
    logged_out_states: frozenset[str] = frozenset(),
) -> tuple[ManHours, ...]:
    """Productive and logged-in time per (UTC month, operator, hotline), sorted.

    Raises ``ValueError`` for naive datetimes or an interval that ends before it starts.
    Overlapping intervals of one operator are summed as given (the log is trusted).
    """
    productive: dict[tuple[date, str, str], timedelta] = {}
    logged_in: dict[tuple[date, str, str], timedelta] = {}
    for item in intervals:
        if item.start.tzinfo is None or item.end.tzinfo is None:
            raise ValueError(f"state interval of {item.agent_id!r} must have timezone-aware times")
        if item.end < item.start:
            raise ValueError(f"state interval of {item.agent_id!r} ends before it starts")
        if item.state in logged_out_states:
            continue
        for month, duration in _split_by_month(item.start.astimezone(UTC), item.end.astimezone(UTC)):
            key = (month, item.agent_id, item.hotline_id)
            logged_in[key] = logged_in.get(key, timedelta()) + duration
            if item.state in productive_states:
                productive[key] = productive.get(key, timedelta()) + duration
    return tuple(
        ManHours(month, agent, hotline, productive.get((month, agent, hotline), timedelta()), total)
        for (month, agent, hotline), total in sorted(logged_in.items())
    )


def calculate_hotline_man_hours(rows: Iterable[ManHours]) -> tuple[HotlineManHours, ...]:
    """Sum per-operator man-hours per (UTC month, hotline)."""
    productive: dict[tuple[date, str], timedelta] = {}
    logged_in: dict[tuple[date, str], timedelta] = {}
    agents: dict[tuple[date, str], set[str]] = {}
    for row in rows:
        key = (row.month, row.hotline_id)
        productive[key] = productive.get(key, timedelta()) + row.productive
        logged_in[key] = logged_in.get(key, timedelta()) + row.logged_in
        agents.setdefault(key, set()).add(row.agent_id)
    return tuple(
        HotlineManHours(month, hotline, len(agents[(month, hotline)]), productive[(month, hotline)], total)
        for (month, hotline), total in sorted(logged_in.items())
    )


@dataclass(frozen=True, slots=True)
class PlannedManHours:
    """Planned hours of a hotline for a month from forecast volume and staffing.

    ``productive_hours``: agents on the phones summed over intervals; ``paid_hours``:
    the same with shrinkage (``agents_with_shrinkage``).
    """

    hotline_id: str
    month: date
    intervals: int
    productive_hours: Decimal
    paid_hours: Decimal


def calculate_planned_man_hours(
    *,
    hotline_id: str,
    month: date,
    calls: FloatArray,
    aht_s: FloatArray | float,
    interval_s: float,
    target: StaffingTarget,
    shrinkage: float = 0.0,
    model: QueueModel | None = None,
    patience_s: float | None = None,
    max_occupancy: float = 1.0,
) -> PlannedManHours:
    """Planned man-hours for ``month`` from the forecast calls of each of its intervals."""
    if month.day != 1:
        raise ValueError("month must be given as its first day")
    requirement = calculate_required_agents(
        calls=np.asarray(calls, dtype=np.float64),
        aht_s=aht_s,
        interval_s=interval_s,
        target=target,
        model=model,
        patience_s=patience_s,
        max_occupancy=max_occupancy,
        shrinkage=shrinkage,
    )
    interval_hours = Decimal(repr(float(interval_s))) / Decimal(3600)
    return PlannedManHours(
        hotline_id=hotline_id,
        month=month,
        intervals=int(requirement.agents.size),
        productive_hours=(Decimal(int(requirement.agents.sum())) * interval_hours).quantize(_HOURS_QUANTUM),
        paid_hours=(Decimal(int(requirement.agents_with_shrinkage.sum())) * interval_hours).quantize(_HOURS_QUANTUM),
    )
