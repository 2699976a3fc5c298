"""Workforce planning use cases (R-WFM-1, R-REP-2, R-REP-5).

Reads (``get_*``) put the history through the pure staffing core: forecast, agents needed
per interval (Erlang C, or Erlang A when a patience is given), coverage by the saved
schedule, a simulated plan check and man-hours. Writes: ``build_schedule`` (the shift MILP,
saved as a ShiftPlan) and ``import_interval_volumes`` (history from a CSV export).
"""

from __future__ import annotations

import csv
import io
import math
import time as wall
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from django.db import transaction
from django.utils import timezone

from calldesk.apps.hotlines.models import Hotline
from calldesk.domain.routing import AgentState
from calldesk.domain.simulation import (
    Exponential,
    IntervalArrivals,
    SimulationModel,
    Staffing,
    simulate,
)
from calldesk.domain.staffing import (
    AgentStateInterval,
    BacktestResult,
    Forecast,
    IntervalHistory,
    LabourRules,
    LevelProfileModel,
    ManHours,
    Operator,
    SameWeekdayMeanModel,
    Schedule,
    SchedulingProblem,
    ServiceLevelTarget,
    StaffingRequirement,
    calculate_backtest,
    calculate_forecast,
    calculate_hotline_man_hours,
    calculate_man_hours,
    calculate_plan_check,
    calculate_planned_man_hours,
    calculate_required_agents,
    calculate_schedule,
)
from calldesk.domain.staffing import (
    ShiftTemplate as DomainTemplate,
)

from . import selectors
from .models import IntervalVolume, PlannedShift, PlanningSettings, ShiftPlan, ShiftTemplate
from .selectors import INTERVAL_MINUTES, INTERVAL_S, INTERVALS_PER_DAY, HotlineHistory

HISTORY_WEEKS = 16
BACKTEST_DAYS = 14
SIMULATION_RUNS = 12
SCHEDULE_TIME_LIMIT_S = 8.0
# Counted as working time in man-hours: on the phones or ready for a call.
PRODUCTIVE_STATES = frozenset(
    s.value for s in (AgentState.READY, AgentState.RESERVED, AgentState.TALKING, AgentState.ON_HOLD,
                      AgentState.WRAP_UP, AgentState.OUTBOUND)
)
LOGGED_OUT_STATES = frozenset({AgentState.OFFLINE.value})


class WorkforceError(ValueError):
    """A planning request that cannot be answered; ``detail`` is shown to the user."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


# --- Parameters -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanParameters:
    """What the staffing is computed for (the what-if form)."""

    aht_s: float
    volume_pct: float = 100.0
    service_level: float = 0.8
    sl_seconds: float = 20.0
    patience_s: float | None = None
    shrinkage: float = 0.3
    max_occupancy: float = 0.9

    def __post_init__(self) -> None:
        checks = (
            (math.isfinite(self.aht_s) and 1 <= self.aht_s <= 36_000, "AHT must be between 1 and 36000 seconds."),
            (math.isfinite(self.volume_pct) and 0 <= self.volume_pct <= 1000, "Volume must be between 0 and 1000 %."),
            (0 < self.service_level < 1, "The service-level target must be between 1 and 99 %."),
            (math.isfinite(self.sl_seconds) and 0 <= self.sl_seconds <= 3600, "The answer time must be between 0 and 3600 seconds."),
            (self.patience_s is None or (math.isfinite(self.patience_s) and self.patience_s > 0), "Patience must be a positive number of seconds."),
            (0 <= self.shrinkage < 0.95, "Shrinkage must be between 0 and 95 %."),
            (0 < self.max_occupancy <= 1, "Maximum occupancy must be between 1 and 100 %."),
        )
        for ok, message in checks:
            if not ok:
                raise WorkforceError(message)

    @property
    def target(self) -> ServiceLevelTarget:
        return ServiceLevelTarget(level=self.service_level, seconds=self.sl_seconds)

    @property
    def model_name(self) -> str:
        return "Erlang A" if self.patience_s is not None else "Erlang C"

    def as_dict(self) -> dict[str, Any]:
        return {k: (round(v, 6) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def get_settings(hotline: Hotline) -> PlanningSettings:
    """The hotline's planning settings (unsaved defaults when it has none)."""
    return PlanningSettings.objects.filter(hotline=hotline).first() or PlanningSettings(hotline=hotline)


def get_default_parameters(hotline: Hotline, history: HotlineHistory | None = None) -> PlanParameters:
    settings = get_settings(hotline)
    aht = history.aht_s if history is not None and history.aht_s else float(settings.default_aht_s)
    return PlanParameters(
        aht_s=round(aht),
        service_level=float(settings.service_level),
        sl_seconds=float(settings.service_level_seconds),
        patience_s=float(settings.patience_s) if settings.patience_s else None,
        shrinkage=float(settings.shrinkage),
        max_occupancy=float(settings.max_occupancy),
    )


def get_next_week_start(hotline: Hotline, now: datetime | None = None) -> date:
    today = (now or timezone.now()).astimezone(selectors.hotline_zone(hotline)).date()
    return today - timedelta(days=today.weekday()) + timedelta(days=7)


def week_monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


# --- Forecast and staffing ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ForecastChoice:
    forecast: Forecast
    model: str
    backtests: tuple[BacktestResult, ...]


def _history_for(hotline: Hotline, start: date, days: int) -> HotlineHistory:
    tz = selectors.hotline_zone(hotline)
    since = selectors.local_midnight(start - timedelta(weeks=HISTORY_WEEKS), tz)
    until = selectors.local_midnight(start + timedelta(days=days), tz)
    return selectors.get_hotline_history(hotline, since, until)


def _choose_forecast(history: IntervalHistory, days: Sequence[date]) -> ForecastChoice:
    """Forecast ``days`` with the model that backtested better (level-profile on ties).

    Both models are scored day-ahead over the last two weeks of history; with less history
    the level-profile model is used unscored.
    """
    models = (LevelProfileModel(), SameWeekdayMeanModel())
    backtests: list[BacktestResult] = []
    past = history.before(days[0])
    if len(past.days) > BACKTEST_DAYS + 7:
        for model in models:
            try:
                backtests.append(calculate_backtest(past, model, days=BACKTEST_DAYS))
            except ValueError:
                backtests = []
                break
    chosen = models[0]
    if len(backtests) == 2 and backtests[1].wape < backtests[0].wape:
        chosen = models[1]
    forecast = calculate_forecast(past, days, chosen)
    return ForecastChoice(forecast, chosen.name, tuple(backtests))


@dataclass(frozen=True, slots=True)
class WeekPlan:
    """Everything the plan page shows for one hotline and week (arrays over 7 x 48 intervals)."""

    hotline: Hotline
    week_start: date
    tz: ZoneInfo
    parameters: PlanParameters
    history: HotlineHistory
    forecast_model: str
    backtests: tuple[BacktestResult, ...]
    starts: list[datetime]
    base_calls: np.ndarray  # the forecast before the volume factor
    calls: np.ndarray
    actual: np.ndarray | None  # calls recorded in the week itself (a past week), per interval
    staffing: StaffingRequirement
    plan: ShiftPlan | None
    shifts: list[PlannedShift]
    scheduled: np.ndarray
    past_days: tuple[date, ...] = field(default=())
    past_counts: np.ndarray | None = None

    @property
    def days(self) -> list[date]:
        return [self.week_start + timedelta(days=d) for d in range(7)]

    @property
    def need(self) -> np.ndarray:
        return self.staffing.agents_with_shrinkage

    @property
    def gap(self) -> np.ndarray:
        return self.scheduled - self.need

    @property
    def on_phones(self) -> np.ndarray:
        """Scheduled agents on the phones: the paid ones minus shrinkage, whole agents only."""
        return np.floor(self.scheduled * (1.0 - self.parameters.shrinkage) + 1e-9).astype(np.int64)

    @property
    def plan_is_stale(self) -> bool:
        return self.plan is not None and self.plan.parameters != self.parameters.as_dict()

    def day_slice(self, day_index: int) -> slice:
        return slice(day_index * INTERVALS_PER_DAY, (day_index + 1) * INTERVALS_PER_DAY)

    def open_intervals(self) -> np.ndarray:
        """Indexes of the week's intervals with forecast calls or scheduled staff."""
        return np.flatnonzero((self.calls > 0.005) | (self.scheduled > 0))


def get_week_plan(hotline: Hotline, week_start: date, parameters: PlanParameters | None = None) -> WeekPlan:
    """Forecast, staffing, saved schedule and coverage of ``hotline`` for the week."""
    week_start = week_monday(week_start)
    history = _history_for(hotline, week_start, 7)
    if history.history is None or not history.history.before(week_start).days:
        raise WorkforceError(
            "There is no call history for this hotline before the week: import interval volumes first."
        )
    plan = selectors.get_plan(hotline, week_start)
    params = parameters or _saved_parameters(plan) or get_default_parameters(hotline, history)
    days = [week_start + timedelta(days=d) for d in range(7)]
    choice = _choose_forecast(history.history, days)
    base = np.asarray(choice.forecast.counts, dtype=np.float64).reshape(-1)
    calls = base * (params.volume_pct / 100.0)
    staffing = _staffing(calls, params)
    shifts = selectors.get_plan_shifts(plan)
    actual = None
    grid = history.history
    if any(d in grid.days for d in days):
        actual = np.concatenate([grid.counts[grid.days.index(d)] if d in grid.days else np.full(INTERVALS_PER_DAY, np.nan) for d in days])
    past = grid.before(week_start)
    keep = [i for i, d in enumerate(past.days) if d >= week_start - timedelta(weeks=3)]
    return WeekPlan(
        hotline=hotline,
        week_start=week_start,
        tz=history.tz,
        parameters=params,
        history=history,
        forecast_model=choice.model,
        backtests=choice.backtests,
        starts=selectors.week_interval_starts(week_start, history.tz),
        base_calls=base,
        calls=calls,
        actual=actual,
        staffing=staffing,
        plan=plan,
        shifts=shifts,
        scheduled=scheduled_per_interval(shifts, week_start, history.tz, INTERVALS_PER_DAY * 7),
        past_days=tuple(past.days[i] for i in keep),
        past_counts=past.counts[keep] if keep else None,
    )


def replan(plan: WeekPlan, parameters: PlanParameters) -> WeekPlan:
    """The same week for other what-if parameters: staffing only, no queries (fast)."""
    calls = plan.base_calls * (parameters.volume_pct / 100.0)
    return replace(plan, parameters=parameters, calls=calls, staffing=_staffing(calls, parameters))


def _saved_parameters(plan: ShiftPlan | None) -> PlanParameters | None:
    """The parameters a saved schedule was built for (None if they no longer parse)."""
    if plan is None or not plan.parameters:
        return None
    try:
        return PlanParameters(**plan.parameters)
    except (TypeError, WorkforceError):
        return None


def _staffing(calls: np.ndarray, params: PlanParameters) -> StaffingRequirement:
    return calculate_required_agents(
        calls=calls,
        aht_s=params.aht_s,
        interval_s=INTERVAL_S,
        target=params.target,
        patience_s=params.patience_s,
        max_occupancy=params.max_occupancy,
        shrinkage=params.shrinkage,
    )


def scheduled_per_interval(shifts: Sequence[PlannedShift], week_start: date, tz: ZoneInfo, intervals: int) -> np.ndarray:
    """Paid agents at work per interval (a break or a partial interval counts in part)."""
    origin = datetime.combine(week_start, datetime.min.time())
    out = np.zeros(intervals)
    step = INTERVAL_MINUTES

    def minutes(moment: datetime) -> float:
        # Wall-clock minutes from the local Monday midnight, the scheduler's own time line.
        return (moment.astimezone(tz).replace(tzinfo=None) - origin).total_seconds() / 60.0

    for shift in shifts:
        start, end = minutes(shift.starts_at), minutes(shift.ends_at)
        pauses = []
        if shift.break_start and shift.break_end:
            pauses.append((minutes(shift.break_start), minutes(shift.break_end)))
        first, last = max(0, int(start // step)), min(intervals, int(math.ceil(end / step)))
        for t in range(first, last):
            lo, hi = t * step, (t + 1) * step
            worked = max(0.0, min(hi, end) - max(lo, start))
            for b0, b1 in pauses:
                worked -= max(0.0, min(hi, b1) - max(lo, b0))
            out[t] += worked / step
    return np.round(out, 9)


# --- Schedule -------------------------------------------------------------------------------


def _domain_templates(hotline: Hotline) -> tuple[DomainTemplate, ...]:
    rows = ShiftTemplate.objects.filter(is_active=True).filter(hotline__isnull=True) | ShiftTemplate.objects.filter(
        is_active=True, hotline=hotline
    )
    out = []
    for row in rows.order_by("name", "pk"):
        try:
            out.append(
                DomainTemplate(
                    name=row.name,
                    start_minutes=row.start_minutes(),
                    length_minutes=row.length_minutes,
                    break_minutes=row.break_minutes,
                    break_earliest_minutes=row.break_earliest_minutes,
                    break_latest_minutes=row.break_latest_minutes,
                )
            )
        except ValueError as error:
            raise WorkforceError(f"Shift template {row.name!r} is invalid: {error}") from error
    if not out:
        raise WorkforceError("There are no active shift templates: add some in administration.")
    return tuple(out)


def _subtract(windows: list[tuple[datetime, datetime]], busy: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    for b0, b1 in busy:
        cut = []
        for w0, w1 in windows:
            if b1 <= w0 or b0 >= w1:
                cut.append((w0, w1))
                continue
            if w0 < b0:
                cut.append((w0, b0))
            if b1 < w1:
                cut.append((b1, w1))
        windows = cut
    return windows


def _operators(hotline: Hotline, week_start: date, tz: ZoneInfo, rules: LabourRules, skill: str) -> list[Operator]:
    """Schedulable operators: availability in the week, less what other hotlines planned."""
    people = selectors.get_operators(hotline)
    availability = selectors.get_availability(p.pk for p in people)
    origin = selectors.local_midnight(week_start, tz)
    horizon_end = origin + timedelta(days=8)
    rest = timedelta(hours=rules.min_rest_hours)
    busy: dict[int, list[PlannedShift]] = {}
    for shift in selectors.get_other_plans_shifts(hotline, origin - timedelta(days=1), horizon_end):
        busy.setdefault(shift.operator_id, []).append(shift)
    out = []
    for person in people:
        rows = availability.get(person.pk)
        if rows:
            windows = []
            for day in range(-1, 8):  # a window from Sunday night may reach into Monday
                local_day = week_start + timedelta(days=day)
                for row in rows:
                    if row.weekday != local_day.weekday():
                        continue
                    begin = datetime.combine(local_day, row.start, tz)
                    end = datetime.combine(local_day + timedelta(days=1 if row.end <= row.start else 0), row.end, tz)
                    windows.append((begin, end))
        else:
            windows = [(origin - timedelta(days=1), horizon_end)]
        taken = busy.get(person.pk, [])
        windows = _subtract(windows, [(s.starts_at - rest, s.ends_at + rest) for s in taken])
        hours_left = rules.max_hours_per_week - float(sum((s.paid_hours for s in taken), Decimal(0)))
        if not windows or hours_left <= 0:
            continue
        out.append(
            Operator(
                operator_id=str(person.pk),
                skills=frozenset({skill}),
                availability=tuple(windows),
                max_hours_per_week=hours_left if hours_left < rules.max_hours_per_week else None,
            )
        )
    return out


def _pool(operators: list[Operator], need: np.ndarray, rules: LabourRules, factor: float = 1.6) -> list[Operator]:
    """Enough operators to cover the need with room to spare, not all of them.

    Every extra operator multiplies the symmetric choices the MILP must rule out; ``factor``
    times the operator-weeks the need takes (and the peak spread over five working days)
    keeps the week's problem to a few seconds. Those with the most free hours come first.
    """
    need_hours = float(need.sum()) * INTERVAL_MINUTES / 60.0
    by_hours = math.ceil(factor * need_hours / max(rules.max_hours_per_week, 1.0))
    by_peak = math.ceil(float(need.max(initial=0)) * 7 / 5 * factor)
    size = max(by_hours, by_peak) + 2
    ranked = sorted(operators, key=lambda o: (-(o.max_hours_per_week or rules.max_hours_per_week), int(o.operator_id)))
    return ranked[:size]


def _solve(problem: SchedulingProblem, operators: list[Operator], need: np.ndarray, rules: LabourRules) -> Schedule:
    """Solve with a small pool; if it leaves the need uncovered, once more with twice the pool."""
    pool = _pool(operators, need, rules)
    schedule = calculate_schedule(replace(problem, operators=tuple(pool)))
    if len(pool) < len(operators) and any(c.understaffed > 0 for c in schedule.coverage):
        wider = calculate_schedule(replace(problem, operators=tuple(_pool(operators, need, rules, factor=3.2))))
        short = sum(c.understaffed for c in schedule.coverage)
        if wider.assignments and sum(c.understaffed for c in wider.coverage) < short:
            return wider
    return schedule


def build_schedule(
    hotline: Hotline, week_start: date, parameters: PlanParameters | None, user: Any = None
) -> ShiftPlan:
    """Build and save the cheapest schedule covering the week's need (R-WFM-1).

    The MILP runs outside the transaction (it takes seconds); the plan and its shifts are
    replaced in one transaction afterwards.
    """
    plan = get_week_plan(hotline, week_start, parameters)
    settings = get_settings(hotline)
    rules = LabourRules(
        max_hours_per_day=float(settings.max_hours_per_day),
        max_hours_per_week=float(settings.max_hours_per_week),
        min_rest_hours=float(settings.min_rest_hours),
    )
    skill = hotline.code
    operators = _operators(hotline, plan.week_start, plan.tz, rules, skill)
    if not operators:
        raise WorkforceError("No operator is available for this hotline in this week.")
    need = plan.need.astype(np.float64)
    problem = SchedulingProblem(
        start=selectors.local_midnight(plan.week_start, plan.tz),
        days=7,
        interval_minutes=INTERVAL_MINUTES,
        need={skill: tuple(need.tolist())},
        templates=_domain_templates(hotline),
        operators=(),
        rules=rules,
        time_limit_s=SCHEDULE_TIME_LIMIT_S,
    )
    began = wall.perf_counter()
    schedule = _solve(problem, operators, need, rules)
    elapsed = wall.perf_counter() - began
    with transaction.atomic():
        saved, _created = ShiftPlan.objects.update_or_create(
            hotline=hotline,
            week_start=plan.week_start,
            defaults={
                "status": schedule.status.value,
                "message": schedule.message,
                "cost": schedule.cost,
                "parameters": plan.parameters.as_dict(),
                "built_at": timezone.now(),
                "built_by": user if getattr(user, "is_authenticated", False) else None,
                "solve_seconds": round(elapsed, 3),
            },
        )
        saved.shifts.all().delete()
        PlannedShift.objects.bulk_create(
            PlannedShift(
                plan=saved,
                operator_id=int(a.operator_id),
                template=a.template,
                starts_at=a.start,
                ends_at=a.end,
                break_start=a.break_start,
                break_end=a.break_end,
                paid_hours=Decimal(str(a.paid_hours)).quantize(Decimal("0.01")),
            )
            for a in schedule.assignments
        )
    return saved


# --- Plan check (simulation) ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanCheckRow:
    start: datetime
    calls: float
    on_phones: int
    required: int
    erlang_sl: float
    erlang_abandon: float
    simulated_sl: float | None
    simulated_abandon: float | None
    simulated_calls: float


@dataclass(frozen=True, slots=True)
class PlanCheck:
    day: date
    rows: tuple[PlanCheckRow, ...]
    runs: int
    erlang_sl: float | None
    simulated_sl: float | None
    message: str = ""


def get_plan_check(plan: WeekPlan, day_index: int, runs: int = SIMULATION_RUNS) -> PlanCheck:
    """Erlang estimate and simulated service level per interval of one day of the plan.

    The simulator runs the day's forecast arrivals (Poisson per interval) against the
    scheduled agents on the phones, ``runs`` times with fixed seeds (same plan, same answer);
    the pooled service level per interval sits next to the Erlang figure.
    """
    if not 0 <= day_index < 7:
        raise WorkforceError("The day must be within the week.")
    day = plan.week_start + timedelta(days=day_index)
    part = plan.day_slice(day_index)
    calls = plan.calls[part]
    agents = plan.on_phones[part]
    active = np.flatnonzero((calls > 0.005) | (agents > 0))
    if not active.size:
        return PlanCheck(day, (), 0, None, None, "No calls are expected and nobody is scheduled on this day.")
    first, last = int(active[0]), int(active[-1]) + 1
    calls, agents = calls[first:last], agents[first:last]
    starts = plan.starts[part][first:last]
    params = plan.parameters
    estimate = calculate_plan_check(
        interval_starts=starts,
        forecast_calls=calls.tolist(),
        scheduled_agents=agents.astype(float).tolist(),
        aht_s=params.aht_s,
        interval_s=INTERVAL_S,
        target=params.target,
        patience_s=params.patience_s,
        max_occupancy=params.max_occupancy,
    )
    offered = np.zeros(last - first)
    within = np.zeros(last - first)
    abandoned = np.zeros(last - first)
    message = ""
    if agents.max() < 1:
        runs = 0
        message = "Nobody is scheduled on the phones this day, so the simulation was skipped."
    else:
        model = SimulationModel(
            arrivals=IntervalArrivals(float(INTERVAL_S), tuple(float(c) / INTERVAL_S for c in calls)),
            handle_time=Exponential(params.aht_s),
            staffing=Staffing(tuple(int(a) for a in agents), float(INTERVAL_S)),
            patience=Exponential(params.patience_s) if params.patience_s else None,
        )
        for run in range(runs):
            result = simulate(model, np.random.default_rng([plan.hotline.pk, day.toordinal(), run]))
            slot = np.minimum((result.offered_at // INTERVAL_S).astype(np.int64), last - first - 1)
            np.add.at(offered, slot, 1.0)
            np.add.at(within, slot, ((result.outcome == 0) & (result.wait_s <= params.sl_seconds)).astype(float))
            np.add.at(abandoned, slot, (result.outcome == 1).astype(float))
    rows = []
    for i, e in enumerate(estimate):
        rows.append(
            PlanCheckRow(
                start=e.start,
                calls=e.forecast_calls,
                on_phones=e.scheduled_agents,
                required=e.required_agents,
                erlang_sl=e.service_level,
                erlang_abandon=e.abandon_rate,
                simulated_sl=float(within[i] / offered[i]) if offered[i] else None,
                simulated_abandon=float(abandoned[i] / offered[i]) if offered[i] else None,
                simulated_calls=float(offered[i] / runs) if runs else 0.0,
            )
        )
    total = float(calls.sum())
    erlang_sl = float(sum(r.erlang_sl * r.calls for r in rows) / total) if total else None
    simulated_sl = float(within.sum() / offered.sum()) if offered.sum() else None
    return PlanCheck(day, tuple(rows), runs, erlang_sl, simulated_sl, message)


# --- History import -------------------------------------------------------------------------


def import_interval_volumes(hotline: Hotline, data: bytes) -> int:
    """Store interval history from CSV (``interval_start,calls[,aht_s]``); returns rows saved.

    ``interval_start`` is ISO 8601; without an offset it is read in the hotline's time zone.
    Starts must fall on a 30-minute boundary. Rows for an interval already stored replace
    it. The whole file is checked first: one bad line saves nothing.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise WorkforceError("The file is not UTF-8 text.") from error
    tz = selectors.hotline_zone(hotline)
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    rows: dict[datetime, tuple[int, float]] = {}
    for number, record in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        if not record or not "".join(record).strip():
            continue
        if number == 1 and not record[0].strip()[:1].isdigit():
            continue  # a header line
        if len(record) < 2:
            raise WorkforceError(f"Line {number}: expected interval_start,calls[,aht_s].")
        try:
            start = datetime.fromisoformat(record[0].strip())
            calls = int(record[1].strip())
            aht = float(record[2].strip().replace(",", ".")) if len(record) > 2 and record[2].strip() else 0.0
        except ValueError as error:
            raise WorkforceError(f"Line {number}: {error}.") from error
        if start.tzinfo is None:
            start = start.replace(tzinfo=tz)
        if start.second or start.microsecond or start.minute % INTERVAL_MINUTES:
            raise WorkforceError(f"Line {number}: intervals start on the hour or half hour.")
        if calls < 0 or not math.isfinite(aht) or aht < 0:
            raise WorkforceError(f"Line {number}: calls and AHT must not be negative.")
        rows[start.astimezone(UTC)] = (calls, aht)
    if not rows:
        raise WorkforceError("The file has no intervals.")
    with transaction.atomic():
        IntervalVolume.objects.filter(hotline=hotline, interval_start__in=list(rows)).delete()
        IntervalVolume.objects.bulk_create(
            IntervalVolume(hotline=hotline, interval_start=at, calls=calls, aht_s=aht, source=IntervalVolume.Source.IMPORT)
            for at, (calls, aht) in sorted(rows.items())
        )
    return len(rows)


# --- Man-hours ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ManHoursReport:
    month: date
    rows: tuple[ManHours, ...]
    hotlines: tuple[dict[str, Any], ...]
    clients: tuple[dict[str, Any], ...]
    names: dict[str, str]
    hotline_names: dict[str, str]


def get_man_hours(month: date, now: datetime | None = None) -> ManHoursReport:
    """Productive and logged-in hours per operator x hotline, hotline and client (R-REP-2).

    Months are UTC calendar months (the domain's rule); a state still open counts up to now.
    """
    if month.day != 1:
        month = month.replace(day=1)
    start, end = selectors.month_bounds(month)
    now = now or timezone.now()
    intervals = []
    for agent, state, hotline_id, began, ended in selectors.get_state_log(start, end):
        finish = min(ended or now, end)
        began = max(began, start)
        if finish <= began:
            continue
        intervals.append(AgentStateInterval(str(agent), state, began, finish, str(hotline_id or "")))
    rows = calculate_man_hours(intervals, productive_states=PRODUCTIVE_STATES, logged_out_states=LOGGED_OUT_STATES)
    from django.contrib.auth import get_user_model

    users = {str(u.pk): str(u) for u in get_user_model().objects.filter(pk__in={int(r.agent_id) for r in rows})}
    hotline_ids = {int(r.hotline_id) for r in rows if r.hotline_id}
    lines = {str(h.pk): h for h in Hotline.objects.filter(pk__in=hotline_ids).select_related("client")}
    hotlines = []
    clients: dict[str, dict[str, Any]] = {}
    for item in calculate_hotline_man_hours(rows):
        line = lines.get(item.hotline_id)
        client = str(line.client) if line else ""
        hotlines.append({
            "hotline_id": item.hotline_id, "hotline": str(line) if line else "", "client": client,
            "agents": item.agents, "productive_hours": item.productive_hours, "logged_in_hours": item.logged_in_hours,
        })
        total = clients.setdefault(client, {"client": client, "productive_hours": Decimal(0), "logged_in_hours": Decimal(0)})
        total["productive_hours"] += item.productive_hours
        total["logged_in_hours"] += item.logged_in_hours
    return ManHoursReport(
        month=month,
        rows=rows,
        hotlines=tuple(hotlines),
        clients=tuple(sorted(clients.values(), key=lambda c: c["client"])),
        names=users,
        hotline_names={k: str(v) for k, v in lines.items()},
    )


def month_days(month: date) -> list[date]:
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return [first + timedelta(days=i) for i in range((following - first).days)]


def get_planned_man_hours(hotline: Hotline, month: date) -> Decimal:
    """Paid man-hours the hotline needs in ``month`` (R-REP-5 cost estimates).

    Contract: forecast of every local day of the month from the history before it (the
    better-backtesting model), agents per 30-minute interval for the hotline's planning
    settings (service level, patience -> Erlang A, occupancy cap) at the recent mean AHT,
    plus shrinkage; summed as hours and rounded to 0.01. ``month`` may be any day of it.
    Raises WorkforceError when the hotline has no history before the month.
    """
    first = month.replace(day=1)
    days = month_days(first)
    history = _history_for(hotline, first, len(days))
    grid = history.history
    if grid is None or not grid.before(first).days:
        raise WorkforceError(f"Hotline {hotline.code} has no call history before {first:%Y-%m}.")
    params = get_default_parameters(hotline, history)
    calls = np.asarray(_choose_forecast(grid, days).forecast.counts, dtype=np.float64).reshape(-1)
    planned = calculate_planned_man_hours(
        hotline_id=str(hotline.pk),
        month=first,
        calls=calls,
        aht_s=params.aht_s,
        interval_s=INTERVAL_S,
        target=params.target,
        shrinkage=params.shrinkage,
        patience_s=params.patience_s,
        max_occupancy=params.max_occupancy,
    )
    return planned.paid_hours.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
