"""Shift scheduling: cover the staffing need per interval at least cost.

The horizon is a run of whole days starting at ``start`` (the local midnight of day 0)
cut into intervals of ``interval_minutes``; day ``d`` runs from ``start + d days`` (a
fixed 24 hours; DST days are not shortened or stretched).  Shift templates give the
allowed start times, the length and the unpaid break window; the optimiser chooses which
operator works which shift, where the break goes, and which skill each working operator
serves in each interval.

Model (mixed-integer linear program)
------------------------------------
* ``x[o, v]`` (binary): operator ``o`` works shift variant ``v`` (day, template, start,
  break placement).  Variants are generated only inside the operator's availability and
  within the daily hour limit.
* ``y[o, t, k] >= 0``: share of operator ``o`` serving skill ``k`` in interval ``t``;
  ``sum_k y[o, t, k] <= sum_v coverage[v, t] x[o, v]`` (an interval partly on break
  counts partly).
* ``u[t, k] >= 0``: agents missing for skill ``k`` in interval ``t``;
  ``sum_o y[o, t, k] + u[t, k] >= need[t, k]``.  With ``allow_understaffing=False`` the
  ``u`` are fixed at zero and an uncoverable need makes the problem infeasible.
* Labour rules: at most one shift starting per operator and day; paid hours per
  operator and calendar week of the horizon (days 0-6, 7-13, ...) at most the weekly
  maximum; between the end of one shift and the start of the next at least the minimum
  rest (for every shift start ``s``, at most one of the operator's shifts may be "active"
  at ``s``, where a shift is active from its start until its end plus the rest time).
* Objective: paid hours times the operator's hourly cost, plus
  ``understaffing_penalty`` per missing agent-interval.

Why scipy.optimize.milp (HiGHS) and not OR-Tools
------------------------------------------------
(ADR material.)  HiGHS ships inside SciPy, which Calldesk already depends on for the
Erlang functions, so the scheduler adds no dependency, no second native wheel and no
protobuf version pinning (OR-Tools pins protobuf and has lagged new Python releases).
HiGHS is an MIT-licensed, state-of-the-art open-source MIP solver and is deterministic
for a given input.  The problems here (one hotline, one or two weeks, tens of operators,
a few templates) solve in seconds.  OR-Tools' CP-SAT would pay off for large rosters with
many combinatorial rules (rotations, fairness, sequence constraints); the model is
solver-neutral (a plain MILP), so switching later only touches :func:`calculate_schedule`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

import numpy as np
from scipy import optimize, sparse

from calldesk.domain.staffing._special import FloatArray

MINUTES_PER_DAY = 24 * 60
_HOURS_TOLERANCE = 1e-9


@dataclass(frozen=True, slots=True)
class ShiftTemplate:
    """A kind of shift.

    ``start_minutes``: allowed start times in minutes after the local midnight (a start
    late in the day may run past midnight).  ``break_minutes`` is unpaid and starts
    between ``break_earliest_minutes`` and ``break_latest_minutes`` after the shift start,
    in steps of the planning interval.
    """

    name: str
    start_minutes: tuple[int, ...]
    length_minutes: int
    break_minutes: int = 0
    break_earliest_minutes: int = 0
    break_latest_minutes: int = 0

    def __post_init__(self) -> None:
        if not self.start_minutes or any(not 0 <= s < MINUTES_PER_DAY for s in self.start_minutes):
            raise ValueError(f"template {self.name!r}: start times must be within the day")
        if self.length_minutes <= 0:
            raise ValueError(f"template {self.name!r}: length must be positive")
        if self.break_minutes < 0 or self.break_minutes >= self.length_minutes:
            raise ValueError(f"template {self.name!r}: break must be shorter than the shift")
        if self.break_minutes and not (
            0 <= self.break_earliest_minutes <= self.break_latest_minutes
            and self.break_latest_minutes + self.break_minutes <= self.length_minutes
        ):
            raise ValueError(f"template {self.name!r}: break window must lie inside the shift")

    @property
    def paid_hours(self) -> float:
        return (self.length_minutes - self.break_minutes) / 60.0


@dataclass(frozen=True, slots=True)
class LabourRules:
    """Limits that every operator's schedule must respect."""

    max_hours_per_day: float = 10.0
    max_hours_per_week: float = 40.0
    min_rest_hours: float = 11.0


@dataclass(frozen=True, slots=True)
class Operator:
    """Someone who can be scheduled: skills, availability windows and cost.

    ``availability`` holds ``[start, end)`` windows (aware datetimes); a shift must lie
    inside one window.  ``max_hours_per_week`` tightens the general rule (part-timers).
    """

    operator_id: str
    skills: frozenset[str]
    availability: tuple[tuple[datetime, datetime], ...]
    hourly_cost: Decimal = Decimal("1")
    max_hours_per_week: float | None = None


@dataclass(frozen=True, slots=True)
class SchedulingProblem:
    """Everything the optimiser needs.

    ``need`` maps each skill to the agents needed per interval over the whole horizon
    (``days * 24 * 60 / interval_minutes`` values, e.g. the ``agents`` of a staffing
    requirement; fractions are allowed).
    """

    start: datetime
    days: int
    interval_minutes: int
    need: Mapping[str, tuple[float, ...]]
    templates: tuple[ShiftTemplate, ...]
    operators: tuple[Operator, ...]
    rules: LabourRules = LabourRules()
    understaffing_penalty: float = 1000.0
    allow_understaffing: bool = True
    time_limit_s: float = 30.0

    @property
    def intervals(self) -> int:
        return self.days * MINUTES_PER_DAY // self.interval_minutes


class ScheduleStatus(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"  # stopped at the time limit with a schedule that may not be optimal
    INFEASIBLE = "infeasible"
    NOT_SOLVED = "not_solved"  # stopped at the time limit without any schedule


@dataclass(frozen=True, slots=True)
class ShiftAssignment:
    """One shift worked by one operator."""

    operator_id: str
    template: str
    day: int
    start: datetime
    end: datetime
    break_start: datetime | None
    break_end: datetime | None
    paid_hours: float


@dataclass(frozen=True, slots=True)
class IntervalCoverage:
    """Need versus scheduled agents in one interval (totals over skills)."""

    start: datetime
    required: float
    scheduled: float
    understaffed: float
    overstaffed: float
    understaffed_by_skill: tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class Schedule:
    """Result of :func:`calculate_schedule`.  ``message`` explains a non-optimal status."""

    status: ScheduleStatus
    message: str
    assignments: tuple[ShiftAssignment, ...]
    coverage: tuple[IntervalCoverage, ...]
    cost: Decimal

    def assignments_of(self, operator_id: str) -> tuple[ShiftAssignment, ...]:
        return tuple(a for a in self.assignments if a.operator_id == operator_id)


@dataclass(frozen=True, slots=True)
class _Variant:
    template: ShiftTemplate
    day: int
    start: int  # minutes from horizon start
    end: int
    break_start: int | None
    coverage: tuple[tuple[int, float], ...]  # (interval, worked fraction)


def _check_problem(problem: SchedulingProblem) -> None:
    if problem.start.tzinfo is None:
        raise ValueError("horizon start must be timezone-aware")
    if problem.days < 1:
        raise ValueError("horizon must have at least one day")
    if problem.interval_minutes <= 0 or MINUTES_PER_DAY % problem.interval_minutes:
        raise ValueError("interval length must divide the day")
    for skill, values in problem.need.items():
        if len(values) != problem.intervals:
            raise ValueError(f"need for {skill!r} has {len(values)} intervals, expected {problem.intervals}")
        if any(not math.isfinite(v) or v < 0 for v in values):
            raise ValueError(f"need for {skill!r} must be finite and non-negative")
    ids = [o.operator_id for o in problem.operators]
    if len(set(ids)) != len(ids):
        raise ValueError("operator ids must be unique")
    for operator in problem.operators:
        for begin, end in operator.availability:
            if begin.tzinfo is None or end.tzinfo is None:
                raise ValueError(f"availability of {operator.operator_id!r} must be timezone-aware")
    if problem.understaffing_penalty <= 0:
        raise ValueError("understaffing penalty must be positive")


def _minutes(problem: SchedulingProblem, moment: datetime) -> float:
    return (moment - problem.start).total_seconds() / 60.0


def _variants(problem: SchedulingProblem) -> list[_Variant]:
    step = problem.interval_minutes
    horizon = problem.days * MINUTES_PER_DAY
    out = []
    for template in problem.templates:
        if template.paid_hours > problem.rules.max_hours_per_day + _HOURS_TOLERANCE:
            continue
        if template.break_minutes:
            offsets: list[int | None] = list(
                range(template.break_earliest_minutes, template.break_latest_minutes + 1, step)
            )
        else:
            offsets = [None]
        for day in range(problem.days):
            for start_of_day in template.start_minutes:
                start = day * MINUTES_PER_DAY + start_of_day
                end = start + template.length_minutes
                if end > horizon:
                    continue
                for offset in offsets:
                    break_start = None if offset is None else start + offset
                    out.append(
                        _Variant(template, day, start, end, break_start, _coverage(start, end, break_start, template, step))
                    )
    return out


def _coverage(
    start: int, end: int, break_start: int | None, template: ShiftTemplate, step: int
) -> tuple[tuple[int, float], ...]:
    cells = []
    for t in range(start // step, -(-end // step)):
        lo, hi = t * step, (t + 1) * step
        worked = max(0, min(hi, end) - max(lo, start))
        if break_start is not None:
            worked -= max(0, min(hi, break_start + template.break_minutes) - max(lo, break_start))
        if worked > 0:
            cells.append((t, worked / step))
    return tuple(cells)


def _available(problem: SchedulingProblem, operator: Operator, variant: _Variant) -> bool:
    return any(
        _minutes(problem, begin) <= variant.start and variant.end <= _minutes(problem, end)
        for begin, end in operator.availability
    )


def _shortage_message(problem: SchedulingProblem, pairs: list[tuple[int, _Variant]]) -> str:
    """Intervals whose need exceeds the qualified operators who could work in them at all."""
    step = problem.interval_minutes
    could_work: dict[tuple[int, str], set[str]] = {}
    for o, variant in pairs:
        operator = problem.operators[o]
        for t, _fraction in variant.coverage:
            for skill in operator.skills:
                could_work.setdefault((t, skill), set()).add(operator.operator_id)
    lines = []
    for skill, values in sorted(problem.need.items()):
        for t, needed in enumerate(values):
            have = len(could_work.get((t, skill), ()))
            if needed > have + _HOURS_TOLERANCE:
                begin = problem.start + timedelta(minutes=t * step)
                lines.append(f"{begin.isoformat()} skill {skill!r}: need {needed:g}, at most {have} available")
    if not lines:
        return ""
    shown = "; ".join(lines[:10])
    more = f" (and {len(lines) - 10} more intervals)" if len(lines) > 10 else ""
    return f"availability cannot cover the need: {shown}{more}"


def calculate_schedule(problem: SchedulingProblem) -> Schedule:
    """Cheapest assignment of shifts to operators covering the need (see module doc).

    Never raises for an impossible need: the result has status ``INFEASIBLE`` and a
    message naming the uncoverable intervals.  Bad input raises ``ValueError``.
    """
    _check_problem(problem)
    rules = problem.rules
    skills = sorted(problem.need)
    n_intervals = problem.intervals
    need = np.array([problem.need[k] for k in skills], dtype=np.float64).reshape(len(skills), n_intervals)

    variants = _variants(problem)
    pairs = [
        (o, v)
        for o, operator in enumerate(problem.operators)
        if operator.skills & set(skills)
        for v in variants
        if _available(problem, operator, v)
    ]
    if not problem.allow_understaffing:
        shortage = _shortage_message(problem, pairs)
        if shortage:
            return _empty(problem, ScheduleStatus.INFEASIBLE, shortage, skills, need)

    # Variable layout: x (one per pair), then y (operator, interval, skill), then u.
    n_x = len(pairs)
    y_index: dict[tuple[int, int, int], int] = {}
    for o, variant in pairs:
        for t, _fraction in variant.coverage:
            for s, skill in enumerate(skills):
                if skill in problem.operators[o].skills and need[s, t] > 0:
                    y_index.setdefault((o, t, s), n_x + len(y_index))
    n_y = len(y_index)
    u_offset = n_x + n_y
    n_vars = u_offset + len(skills) * n_intervals

    cost = np.zeros(n_vars)
    for i, (o, variant) in enumerate(pairs):
        cost[i] = float(problem.operators[o].hourly_cost) * variant.template.paid_hours
    cost[u_offset:] = problem.understaffing_penalty

    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lower: list[float] = []
    upper: list[float] = []

    def add_row(entries: Sequence[tuple[int, float]], lo: float, hi: float) -> None:
        r = len(lower)
        for c, v in entries:
            rows.append(r)
            cols.append(c)
            vals.append(v)
        lower.append(lo)
        upper.append(hi)

    # Capacity: skill shares of an operator never exceed the time they work.
    working: dict[tuple[int, int], list[tuple[int, float]]] = {}
    for i, (o, variant) in enumerate(pairs):
        for t, fraction in variant.coverage:
            working.setdefault((o, t), []).append((i, fraction))
    for (o, t), shifts in working.items():
        shares = [(y_index[(o, t, s)], 1.0) for s in range(len(skills)) if (o, t, s) in y_index]
        if shares:
            add_row(shares + [(i, -f) for i, f in shifts], -np.inf, 0.0)

    # Coverage of the need, with understaffing slack.
    serving: dict[tuple[int, int], list[int]] = {}
    for (_o, t, s), column in y_index.items():
        serving.setdefault((s, t), []).append(column)
    for s in range(len(skills)):
        for t in range(n_intervals):
            if need[s, t] > 0:
                entries = [(c, 1.0) for c in serving.get((s, t), [])]
                add_row(entries + [(u_offset + s * n_intervals + t, 1.0)], float(need[s, t]), np.inf)

    # Labour rules per operator.
    rest = rules.min_rest_hours * 60.0
    by_operator: dict[int, list[int]] = {}
    for i, (o, _variant) in enumerate(pairs):
        by_operator.setdefault(o, []).append(i)
    for o, indices in by_operator.items():
        per_day: dict[int, list[int]] = {}
        for i in indices:
            per_day.setdefault(pairs[i][1].day, []).append(i)
        for same_day in per_day.values():
            if len(same_day) > 1:
                add_row([(i, 1.0) for i in same_day], -np.inf, 1.0)
        weekly = rules.max_hours_per_week
        contract_hours = problem.operators[o].max_hours_per_week
        if contract_hours is not None:
            weekly = min(weekly, contract_hours)
        per_week: dict[int, list[int]] = {}
        for i in indices:
            per_week.setdefault(pairs[i][1].day // 7, []).append(i)
        for same_week in per_week.values():
            entries = [(i, pairs[i][1].template.paid_hours) for i in same_week]
            if sum(h for _, h in entries) > weekly + _HOURS_TOLERANCE:
                add_row(entries, -np.inf, weekly + _HOURS_TOLERANCE)
        starts = sorted({pairs[i][1].start for i in indices})
        for moment in starts:
            active = [i for i in indices if pairs[i][1].start <= moment < pairs[i][1].end + rest]
            if len(active) > 1:
                add_row([(i, 1.0) for i in active], -np.inf, 1.0)

    integrality = np.zeros(n_vars)
    integrality[:n_x] = 1
    upper_bounds = np.full(n_vars, np.inf)
    upper_bounds[:n_x] = 1.0
    if not problem.allow_understaffing:
        upper_bounds[u_offset:] = 0.0
    constraints = []
    if lower:
        matrix = sparse.csr_array((vals, (rows, cols)), shape=(len(lower), n_vars))
        constraints.append(optimize.LinearConstraint(matrix, np.array(lower), np.array(upper)))
    result = optimize.milp(
        cost,
        constraints=constraints,
        integrality=integrality,
        bounds=optimize.Bounds(np.zeros(n_vars), upper_bounds),
        options={"time_limit": problem.time_limit_s},
    )
    if result.x is None:
        if result.status == 2:
            return _empty(
                problem,
                ScheduleStatus.INFEASIBLE,
                "no schedule covers the need within the labour rules and availability",
                skills,
                need,
            )
        return _empty(problem, ScheduleStatus.NOT_SOLVED, f"solver stopped without a schedule: {result.message}", skills, need)

    solution = np.asarray(result.x, dtype=np.float64)
    chosen = [pairs[i] for i in range(n_x) if solution[i] > 0.5]
    status = ScheduleStatus.OPTIMAL if result.status == 0 else ScheduleStatus.FEASIBLE
    message = "" if status is ScheduleStatus.OPTIMAL else f"time limit reached: {result.message}"
    return _build(problem, status, message, chosen, skills, need, solution[u_offset:].reshape(len(skills), n_intervals))


def _empty(
    problem: SchedulingProblem, status: ScheduleStatus, message: str, skills: list[str], need: FloatArray
) -> Schedule:
    return _build(problem, status, message, [], skills, need, need.copy())


def _build(
    problem: SchedulingProblem,
    status: ScheduleStatus,
    message: str,
    chosen: list[tuple[int, _Variant]],
    skills: list[str],
    need: FloatArray,
    under: FloatArray,
) -> Schedule:
    step = problem.interval_minutes
    start = problem.start
    scheduled = np.zeros(problem.intervals)
    assignments = []
    total_cost = Decimal("0")
    for o, variant in sorted(chosen, key=lambda p: (problem.operators[p[0]].operator_id, p[1].start)):
        operator = problem.operators[o]
        for t, fraction in variant.coverage:
            scheduled[t] += fraction
        break_start = None if variant.break_start is None else start + timedelta(minutes=variant.break_start)
        break_end = (
            None if break_start is None else break_start + timedelta(minutes=variant.template.break_minutes)
        )
        paid_minutes = variant.template.length_minutes - variant.template.break_minutes
        total_cost += operator.hourly_cost * Decimal(paid_minutes) / Decimal(60)
        assignments.append(
            ShiftAssignment(
                operator_id=operator.operator_id,
                template=variant.template.name,
                day=variant.day,
                start=start + timedelta(minutes=variant.start),
                end=start + timedelta(minutes=variant.end),
                break_start=break_start,
                break_end=break_end,
                paid_hours=variant.template.paid_hours,
            )
        )
    under = np.where(need > 0, np.clip(np.round(under, 9), 0.0, None), 0.0)
    coverage = []
    for t in range(problem.intervals):
        required = float(need[:, t].sum())
        short = float(under[:, t].sum())
        coverage.append(
            IntervalCoverage(
                start=start + timedelta(minutes=t * step),
                required=required,
                scheduled=round(float(scheduled[t]), 9),
                understaffed=short,
                overstaffed=max(0.0, round(float(scheduled[t]) - (required - short), 9)),
                understaffed_by_skill=tuple((k, float(under[s, t])) for s, k in enumerate(skills) if under[s, t] > 0),
            )
        )
    return Schedule(
        status=status,
        message=message,
        assignments=tuple(assignments),
        coverage=tuple(coverage),
        cost=total_cost.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
    )
