"""Agents needed per interval to meet a service target (vectorised over a period).

``agents`` is the least whole number of agents on the phones that meets the target and
keeps occupancy at or below the maximum; ``agents_with_shrinkage`` adds the agents who
are paid but not on the phones (breaks, training, absence):
``ceil(agents / (1 - shrinkage))``.

The search starts at the offered load, never at one agent:

* Erlang C walks upwards from the stability bound ``floor(A) + 1`` with the Erlang B
  recursion ``G(n+1) = (n+1) (1 + G(n)) / A`` (``G = 1/B - 1``), all intervals at once;
  only the starting point needs an incomplete gamma function.
* Erlang A and B gallop upwards from the offered load (or from a lower bound that is
  provably infeasible) and bisect, evaluating all intervals at once.

The Erlang A/B search decides with the same function that reports the measures; the
Erlang C walk re-decides near-ties (within 1e-9 of the target, where the recursion and
the direct formula could disagree in the last bits) with it too.  So "``N`` meets the
target and ``N - 1`` does not" holds for the reported numbers.  Targets must be
monotone in the number of agents for "least" to mean anything, which is why staffing
for the service-level definitions that divide by answered calls is refused under
Erlang A (see :func:`calculate_required_agents`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from calldesk.domain.staffing._special import (
    FloatArray,
    IntArray,
    as_float_array,
    log_erlang_b_inverse_minus_one,
)
from calldesk.domain.staffing.erlang import (
    QueueMetrics,
    QueueMetricsArrays,
    QueueModel,
    ServiceLevelDefinition,
    calculate_queue_metrics_array,
    check_queue_inputs,
    evaluate_measures,
)

BoolArray = npt.NDArray[np.bool_]

# Results this close to the target are re-checked with the reporting function, because
# the fast recursion and the direct formula may differ in the last bits.
_BORDERLINE = 1e-9
# Shrinkage quotients this close to a whole number count as that number: 14 / 0.7 is
# 20.000000000000004 in binary floating point, and nobody means 21 agents by it.
_SHRINKAGE_SLACK = 1e-9
_MAX_GALLOP_STEPS = 64


@dataclass(frozen=True, slots=True)
class ServiceLevelTarget:
    """At least ``level`` of calls answered within ``seconds`` (per ``definition``)."""

    level: float
    seconds: float
    definition: ServiceLevelDefinition = ServiceLevelDefinition.ANSWERED_WITHIN_T_OF_OFFERED


@dataclass(frozen=True, slots=True)
class AsaTarget:
    """Average speed of answer at most ``seconds``; service level reported at ``sl_seconds``.

    Under Erlang A the ASA counts answered calls only: callers who would wait long hang
    up, so with very impatient callers even one agent "meets" a loose ASA target.  Check
    the abandonment rate of the result (or staff to an :class:`AbandonmentTarget`).
    """

    seconds: float
    sl_seconds: float = 20.0


@dataclass(frozen=True, slots=True)
class AbandonmentTarget:
    """At most ``max_rate`` of offered calls abandoned (Erlang A) or blocked (Erlang B)."""

    max_rate: float
    sl_seconds: float = 20.0


StaffingTarget = ServiceLevelTarget | AsaTarget | AbandonmentTarget


@dataclass(frozen=True, slots=True)
class StaffingResult:
    """Staffing of one interval."""

    agents: int
    agents_with_shrinkage: int
    shrinkage: float
    max_occupancy: float
    target: StaffingTarget
    metrics: QueueMetrics


@dataclass(frozen=True, slots=True)
class StaffingRequirement:
    """Staffing of every interval of a period; ``metrics`` are evaluated at ``agents``."""

    agents: IntArray
    agents_with_shrinkage: IntArray
    shrinkage: float
    max_occupancy: float
    target: StaffingTarget
    metrics: QueueMetricsArrays

    def at(self, index: int) -> StaffingResult:
        """The staffing of one interval."""
        return StaffingResult(
            agents=int(self.agents[index]),
            agents_with_shrinkage=int(self.agents_with_shrinkage[index]),
            shrinkage=self.shrinkage,
            max_occupancy=self.max_occupancy,
            target=self.target,
            metrics=self.metrics.at(index),
        )


def calculate_agents_with_shrinkage(agents: IntArray | int, shrinkage: float) -> IntArray:
    """``ceil(agents / (1 - shrinkage))``, treating near-whole quotients as whole."""
    _check_shrinkage(shrinkage)
    quotient = np.asarray(agents, dtype=np.float64) / (1.0 - shrinkage)
    return np.ceil(quotient - _SHRINKAGE_SLACK * np.maximum(quotient, 1.0)).astype(np.int64)


def calculate_staffing(
    *,
    calls: float,
    aht_s: float,
    interval_s: float,
    target: StaffingTarget,
    model: QueueModel | None = None,
    patience_s: float | None = None,
    max_occupancy: float = 1.0,
    shrinkage: float = 0.0,
) -> StaffingResult:
    """Staffing of one interval (see :func:`calculate_required_agents`)."""
    return calculate_required_agents(
        calls=as_float_array([calls]),
        aht_s=as_float_array([aht_s]),
        interval_s=interval_s,
        target=target,
        model=model,
        patience_s=patience_s,
        max_occupancy=max_occupancy,
        shrinkage=shrinkage,
    ).at(0)


def calculate_required_agents(
    *,
    calls: FloatArray,
    aht_s: FloatArray | float,
    interval_s: float,
    target: StaffingTarget,
    model: QueueModel | None = None,
    patience_s: float | None = None,
    max_occupancy: float = 1.0,
    shrinkage: float = 0.0,
) -> StaffingRequirement:
    """Least agents per interval meeting ``target`` with occupancy at most ``max_occupancy``.

    ``calls`` and ``aht_s`` are per-interval arrays (``aht_s`` may be a scalar);
    ``model`` defaults to Erlang A when ``patience_s`` is given, else Erlang C.
    """
    chosen = model or (QueueModel.ERLANG_A if patience_s is not None else QueueModel.ERLANG_C)
    calls_arr, aht_arr = np.broadcast_arrays(as_float_array(calls), as_float_array(aht_s))
    if calls_arr.ndim != 1:
        raise ValueError("calls must be a one-dimensional array of intervals")
    sl_seconds, sl_definition = _reporting_threshold(target)
    check_queue_inputs(
        calls=calls_arr, interval_s=interval_s, aht_s=aht_arr, sl_seconds=sl_seconds, model=chosen, patience_s=patience_s
    )
    _check_target(target, chosen)
    if not 0.0 < max_occupancy <= 1.0:
        raise ValueError("maximum occupancy must be in (0, 1]")
    _check_shrinkage(shrinkage)

    load = calls_arr * aht_arr / interval_s
    tau = sl_seconds / aht_arr
    ratio = None if patience_s is None else patience_s / aht_arr
    agents = np.zeros(load.shape, dtype=np.float64)
    busy = np.flatnonzero(load > 0)
    if busy.size:
        problem = _Problem(
            model=chosen,
            target=target,
            load=load[busy],
            aht=aht_arr[busy],
            tau=tau[busy],
            ratio=None if ratio is None else ratio[busy],
            max_occupancy=max_occupancy,
        )
        if chosen is QueueModel.ERLANG_C:
            agents[busy] = _search_erlang_c(problem)
        else:
            agents[busy] = _search_generic(problem)
    agents_int = agents.astype(np.int64)
    metrics = calculate_queue_metrics_array(
        calls=calls_arr,
        interval_s=interval_s,
        aht_s=aht_arr,
        agents=agents_int,
        sl_seconds=sl_seconds,
        model=chosen,
        patience_s=patience_s,
        sl_definition=sl_definition,
    )
    with_shrinkage = calculate_agents_with_shrinkage(agents_int, shrinkage)
    agents_int.flags.writeable = False
    with_shrinkage.flags.writeable = False
    return StaffingRequirement(
        agents=agents_int,
        agents_with_shrinkage=with_shrinkage,
        shrinkage=shrinkage,
        max_occupancy=max_occupancy,
        target=target,
        metrics=metrics,
    )


def _reporting_threshold(target: StaffingTarget) -> tuple[float, ServiceLevelDefinition]:
    if isinstance(target, ServiceLevelTarget):
        return target.seconds, target.definition
    return target.sl_seconds, ServiceLevelDefinition.ANSWERED_WITHIN_T_OF_OFFERED


def _check_shrinkage(shrinkage: float) -> None:
    if not 0.0 <= shrinkage < 1.0:
        raise ValueError("shrinkage must be in [0, 1)")


def _check_target(target: StaffingTarget, model: QueueModel) -> None:
    if isinstance(target, ServiceLevelTarget):
        if not 0.0 < target.level < 1.0:
            raise ValueError("service-level target must be in (0, 1)")
        if (
            model is not QueueModel.ERLANG_C
            and target.definition is not ServiceLevelDefinition.ANSWERED_WITHIN_T_OF_OFFERED
        ):
            # Over answered calls (or counting short abandons as met) a handful of agents
            # can score high because impatient callers leave; the measure is not monotone
            # in agents, so "least agents meeting it" would be meaningless.
            raise ValueError(
                f"staffing to a '{target.definition.value}' service level is only defined for "
                "Erlang C; use answered_within_t/offered or an abandonment target"
            )
    elif isinstance(target, AsaTarget):
        if not (math.isfinite(target.seconds) and target.seconds > 0):
            raise ValueError("ASA target must be a positive number of seconds")
        if model is QueueModel.ERLANG_B:
            raise ValueError("Erlang B has no waiting, so an ASA target cannot be staffed for")
    else:
        if not 0.0 < target.max_rate < 1.0:
            raise ValueError("maximum abandonment rate must be in (0, 1)")
        if model is QueueModel.ERLANG_C:
            raise ValueError("Erlang C has no abandonment; give a patience (Erlang A)")


@dataclass(frozen=True, slots=True)
class _Problem:
    model: QueueModel
    target: StaffingTarget
    load: FloatArray
    aht: FloatArray
    tau: FloatArray
    ratio: FloatArray | None
    max_occupancy: float

    def meets(self, index: IntArray, agents: FloatArray) -> BoolArray:
        """Whether ``agents`` meets the target for the intervals ``index``."""
        measures = evaluate_measures(
            model=self.model,
            agents=agents,
            load=self.load[index],
            tau=self.tau[index],
            patience_ratio=None if self.ratio is None else self.ratio[index],
            sl_definition=_reporting_threshold(self.target)[1],
            want_asa=isinstance(self.target, AsaTarget),
        )
        target = self.target
        if isinstance(target, ServiceLevelTarget):
            ok = measures.service_level >= target.level
        elif isinstance(target, AsaTarget):
            ok = measures.asa_aht * self.aht[index] <= target.seconds
        else:
            ok = measures.abandon_rate <= target.max_rate
        return np.asarray(ok & (measures.occupancy <= self.max_occupancy), dtype=np.bool_)

    def lower_bound(self) -> FloatArray:
        """Agents known to fail, so the search can start near the offered load.

        Erlang C: at most ``A`` agents are unstable.  Erlang A and B: the carried load is
        below the number of agents, so answering a fraction ``f`` of the calls (or losing
        at most ``1 - f``) needs more than ``f * A`` agents.
        """
        load = self.load
        if self.model is QueueModel.ERLANG_C:
            # Occupancy is A / n here, so it also bounds n from below.
            stable = np.maximum(np.floor(load), np.ceil(load / self.max_occupancy) - 2.0)
        elif isinstance(self.target, ServiceLevelTarget):
            stable = np.floor(load * self.target.level) - 1.0
        elif isinstance(self.target, AbandonmentTarget):
            stable = np.floor(load * (1.0 - self.target.max_rate)) - 1.0
        else:
            stable = np.zeros(load.shape)
        return np.maximum(stable, 0.0)


def _search_erlang_c(problem: _Problem) -> FloatArray:
    load = problem.load
    target = problem.target
    lo = problem.lower_bound()
    n = lo + 1.0
    with np.errstate(over="ignore"):  # G = inf for n >> A gives C = 0, which is right
        g = np.exp(log_erlang_b_inverse_minus_one(n, load))
    if isinstance(target, ServiceLevelTarget):
        goal = target.level
    elif isinstance(target, AsaTarget):
        goal = target.seconds
    else:  # pragma: no cover - rejected by _check_target
        raise ValueError("Erlang C cannot staff for abandonment")
    last_failing_value = np.full(load.shape, np.nan)
    max_occupancy = problem.max_occupancy
    with np.errstate(over="ignore"):
        while True:
            excess = n - load
            c = n / (n + excess * g)
            if isinstance(target, ServiceLevelTarget):
                value = 1.0 - c * np.exp(-excess * problem.tau)
                ok = value >= goal
            else:
                value = c / excess * problem.aht
                ok = value <= goal
            ok &= load / n <= max_occupancy
            if ok.all():
                break
            step = ~ok
            last_failing_value = np.where(step, value, last_failing_value)
            g = np.where(step, (n + 1.0) * (1.0 + g) / load, g)
            n = n + step
    # The recursion and the reporting formula may differ in the last bits: re-check
    # near-ties (at the answer or just below it) with the reporting formula.
    tolerance = _BORDERLINE * max(1.0, abs(goal))
    borderline = (np.abs(last_failing_value - goal) <= tolerance) | (np.abs(value - goal) <= tolerance)
    index = np.flatnonzero(borderline)
    if index.size:
        n[index] = _bisect(problem, index, lo[index], n[index])
    return n


def _search_generic(problem: _Problem) -> FloatArray:
    index = np.arange(problem.load.size)
    lo = problem.lower_bound()
    guess = np.maximum(np.round(problem.load), lo + 1.0)
    return _bisect(problem, index, lo, guess)


def _bisect(problem: _Problem, index: IntArray, lo: FloatArray, guess: FloatArray) -> FloatArray:
    """Least agents meeting the target for ``index``; ``lo`` is known to fail.

    Evaluates ``guess``; gallops upwards (1, 2, 4, ... agents) while failing, then bisects.
    """
    lo = lo.astype(np.float64, copy=True)
    hi = np.full(lo.shape, np.inf)
    probe = np.maximum(guess, lo + 1.0)
    _record(problem.meets(index, probe), probe, lo, hi, np.arange(lo.size))
    step = np.ones(lo.shape)
    for _ in range(_MAX_GALLOP_STEPS):
        open_ = np.flatnonzero(np.isinf(hi))
        if not open_.size:
            break
        probe = lo[open_] + step[open_]
        _record(problem.meets(index[open_], probe), probe, lo, hi, open_)
        step[open_] *= 2.0
    else:  # pragma: no cover - every target is reachable with enough agents
        raise ArithmeticError("staffing search did not find a feasible number of agents")
    while True:
        gap = np.flatnonzero(hi - lo > 1.0)
        if not gap.size:
            return hi
        mid = np.floor((lo[gap] + hi[gap]) / 2.0)
        _record(problem.meets(index[gap], mid), mid, lo, hi, gap)


def _record(ok: BoolArray, probe: FloatArray, lo: FloatArray, hi: FloatArray, where: IntArray) -> None:
    hi[where[ok]] = probe[ok]
    lo[where[~ok]] = probe[~ok]

