"""Reads for workforce planning: interval history, operators, plans and logged states.

History per 30-minute interval comes from two places, bucketed on the hotline's local wall
clock (R-WFM-1):

* ``IntervalVolume`` rows (a PBX export imported on the plan page, or demo data);
* the calls Calldesk itself recorded (``calls.Call``: offered_at, talk + hold + wrap-up).

A local day that has any imported interval is taken from the import alone, otherwise from
the recorded calls: an export usually covers whole days, and adding both would count the
same calls twice where the periods overlap.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from django.contrib.auth import get_user_model
from django.db.models import F, Q

from calldesk.apps.accounts.roles import Role
from calldesk.apps.calls.models import AgentStateLog, Call
from calldesk.apps.hotlines.models import Hotline
from calldesk.domain.staffing import IntervalHistory

from .models import INTERVAL_MINUTES, IntervalVolume, OperatorAvailability, PlannedShift, ShiftPlan

INTERVAL_S = INTERVAL_MINUTES * 60
INTERVALS_PER_DAY = 24 * 60 // INTERVAL_MINUTES
_EPOCH_DAY = date(1970, 1, 1).toordinal()


@dataclass(frozen=True, slots=True)
class HotlineHistory:
    """Calls per local day and interval (full days, 48 columns) and the recent mean AHT.

    ``history`` is None when there is no data at all. ``aht_s`` is the call-weighted mean
    handle time of the last 28 days with data (None when nothing says it).
    """

    hotline_id: int
    tz: ZoneInfo
    history: IntervalHistory | None
    aht_s: float | None
    imported_days: int
    recorded_days: int


def hotline_zone(hotline: Hotline) -> ZoneInfo:
    return ZoneInfo(hotline.time_zone or "UTC")


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tz)


def _local_buckets(epoch_s: np.ndarray, tz: ZoneInfo) -> tuple[np.ndarray, np.ndarray]:
    """(local day ordinal, interval of the day) of each UTC epoch second.

    The UTC offset is looked up once per distinct half hour (offsets change on half-hour
    boundaries at the finest), so a year of calls costs a few thousand zone look-ups.
    """
    halves = epoch_s // INTERVAL_S
    unique, inverse = np.unique(halves, return_inverse=True)
    offsets = np.array(
        [datetime.fromtimestamp(int(h) * INTERVAL_S, tz).utcoffset().total_seconds() for h in unique],  # type: ignore[union-attr]
        dtype=np.int64,
    )
    local = epoch_s + offsets[inverse.reshape(-1)]
    return local // 86_400 + _EPOCH_DAY, (local % 86_400) // INTERVAL_S


def get_hotline_history(hotline: Hotline, since: datetime, until: datetime) -> HotlineHistory:
    """Interval history of ``hotline`` for offered times in ``[since, until)`` (two queries)."""
    tz = hotline_zone(hotline)
    imported = np.array(
        IntervalVolume.objects.filter(hotline=hotline, interval_start__gte=since, interval_start__lt=until)
        .values_list("interval_start", "calls", "aht_s"),
        dtype=object,
    ).reshape(-1, 3)
    recorded = np.array(
        Call.objects.filter(
            hotline=hotline, direction=Call.Direction.INBOUND, offered_at__gte=since, offered_at__lt=until
        )
        .annotate(handle=F("talk_seconds") + F("hold_seconds") + F("wrap_seconds"))
        .values_list("offered_at", "handle"),
        dtype=object,
    ).reshape(-1, 2)

    def epochs(column: np.ndarray) -> np.ndarray:
        return np.array([int(ts.timestamp()) for ts in column], dtype=np.int64)

    imp_day, imp_slot = _local_buckets(epochs(imported[:, 0]), tz)
    imp_calls = imported[:, 1].astype(np.float64)
    imp_aht = imported[:, 2].astype(np.float64)
    rec_day, rec_slot = _local_buckets(epochs(recorded[:, 0]), tz)
    rec_handle = recorded[:, 1].astype(np.float64)

    imported_days = set(np.unique(imp_day).tolist())
    keep = ~np.isin(rec_day, list(imported_days)) if imported_days else np.ones(rec_day.shape, dtype=bool)
    rec_day, rec_slot, rec_handle = rec_day[keep], rec_slot[keep], rec_handle[keep]
    recorded_days = set(np.unique(rec_day).tolist())
    days = sorted(imported_days | recorded_days)
    if not days:
        return HotlineHistory(hotline.pk, tz, None, None, 0, 0)

    row = {d: i for i, d in enumerate(days)}
    counts = np.zeros((len(days), INTERVALS_PER_DAY))
    np.add.at(counts, (np.array([row[d] for d in imp_day.tolist()], dtype=np.int64), imp_slot), imp_calls)
    np.add.at(counts, (np.array([row[d] for d in rec_day.tolist()], dtype=np.int64), rec_slot), 1.0)

    # Mean AHT of the last 28 days with data: imported intervals weigh by their calls (when
    # they know the AHT), recorded calls count when they were handled at all.
    recent = days[-1] - 27
    imp_w = np.where((imp_day >= recent) & (imp_aht > 0), imp_calls, 0.0)
    rec_w = (rec_day >= recent) & (rec_handle > 0)
    weight = float(imp_w.sum() + rec_w.sum())
    aht = float((imp_w * imp_aht).sum() + rec_handle[rec_w].sum()) / weight if weight else None
    history = IntervalHistory(tuple(date.fromordinal(d) for d in days), counts, INTERVAL_MINUTES, 0)
    return HotlineHistory(hotline.pk, tz, history, aht, len(imported_days), len(recorded_days))


def get_operators(hotline: Hotline) -> list:
    """Operators who may take the hotline's calls: the qualified ones, else every operator."""
    operators = get_user_model().objects.filter(role=Role.OPERATOR, is_active=True).order_by("username")
    try:
        from calldesk.apps.hotlines.selectors import get_qualified_operator_ids
    except ImportError:  # pragma: no cover - the hotlines app always has it today
        qualified: set[int] = set()
    else:
        qualified = get_qualified_operator_ids(hotline.pk)
    if qualified:
        operators = operators.filter(pk__in=qualified)
    return list(operators)


def get_availability(operator_ids: Iterable[int]) -> dict[int, list[OperatorAvailability]]:
    out: dict[int, list[OperatorAvailability]] = {}
    for item in OperatorAvailability.objects.filter(operator_id__in=list(operator_ids)):
        out.setdefault(item.operator_id, []).append(item)
    return out


def get_plan(hotline: Hotline, week_start: date) -> ShiftPlan | None:
    return ShiftPlan.objects.filter(hotline=hotline, week_start=week_start).first()


def get_plan_shifts(plan: ShiftPlan | None) -> list[PlannedShift]:
    if plan is None:
        return []
    return list(plan.shifts.select_related("operator").order_by("operator__username", "starts_at"))


def get_other_plans_shifts(hotline: Hotline, since: datetime, until: datetime) -> list[PlannedShift]:
    """Shifts already planned on other hotlines in ``[since, until)`` (operators are shared)."""
    return list(
        PlannedShift.objects.filter(starts_at__lt=until, ends_at__gt=since).exclude(plan__hotline=hotline)
    )


def get_state_log(since: datetime, until: datetime) -> list[tuple[int, str, int | None, datetime, datetime | None]]:
    """(agent, state, hotline, started, ended) of every state stretch overlapping the period."""
    return list(
        AgentStateLog.objects.filter(started_at__lt=until)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=since))
        .values_list("agent_id", "state", "hotline_id", "started_at", "ended_at")
    )


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """[first instant, first instant of the next month) of a UTC calendar month."""
    start = datetime(month.year, month.month, 1, tzinfo=UTC)
    end = datetime(month.year + (month.month == 12), month.month % 12 + 1, 1, tzinfo=UTC)
    return start, end


def get_planning_hotlines() -> list[Hotline]:
    return list(
        Hotline.objects.select_related("client").exclude(status=Hotline.Status.CLOSED).order_by("client__name", "name")
    )


def week_interval_starts(week_start: date, tz: ZoneInfo, days: int = 7) -> list[datetime]:
    """Local start of each interval of ``days`` days from ``week_start`` (fixed 24-hour days)."""
    origin = local_midnight(week_start, tz)
    return [origin + timedelta(minutes=INTERVAL_MINUTES * i) for i in range(days * INTERVALS_PER_DAY)]
