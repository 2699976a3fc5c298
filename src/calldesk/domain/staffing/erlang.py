"""Erlang B, C and A queue measures for one interval or many intervals at once.

Models
------
* Erlang B (M/M/n/n): a call that finds all agents busy is lost.
* Erlang C (M/M/n): a call that finds all agents busy waits as long as needed.
* Erlang A (M/M/n+M, Garnett, Mandelbaum and Reiman 2002): waiting callers abandon after
  an exponential patience with mean ``patience_s``.  ``patience -> 0`` gives Erlang B,
  ``patience -> inf`` gives Erlang C.

All measures are steady-state values for an interval with Poisson arrivals at rate
``calls / interval_s`` and exponential handling times with mean ``aht_s``.

Definitions used in the results
-------------------------------
* ``p_wait``: probability that an arriving call finds all agents busy (it waits in C and
  A, it is blocked in B).
* ``abandon_rate``: abandoned (A) or blocked (B) calls over offered calls; 0 in C.
* ``service_level``: see :class:`ServiceLevelDefinition`; every result names the
  definition it used.  In Erlang C all definitions coincide.
* ``asa_s``: average speed of answer, the mean wait of *answered* calls including those
  answered at once (Erlang C: the mean wait of all calls; Erlang B: 0).
* ``occupancy``: carried load per agent, ``offered_load * (1 - abandon_rate) / agents``;
  1.0 for an unstable Erlang C queue or for zero agents facing calls.

Derivation of the Erlang A service level
----------------------------------------
A caller who arrives behind ``j`` waiting callers has an offered wait ``V_j`` that is a
sum of exponentials with rates ``n mu + i theta`` (``i = 0..j``), so
``exp(-theta V_j) ~ Beta(n mu/theta, j+1)``.  Summing over the queue distribution gives
closed forms in Kummer's function ``M(a, z) = 1F1(1; a+1; z)``; with ``x = n mu/theta``,
``y = lambda/theta``, ``c = exp(-theta T)`` and ``pi_n`` the probability of exactly ``n``
calls in the system:

* ``P(wait) = pi_n M(x, y)``
* ``P(abandon) = pi_n T(x, y) / y`` with ``T = sum_j j r_j``
* ``P(answered after waiting, within T) = pi_n x/(x+1) [M(x+1, y) - c^(x+1) e^(y(1-c)) M(x+1, yc)]``
* ``P(offered wait > T) = pi_n c^x e^(y(1-c)) M(x, yc)``
* ``E[wait; answered] = (pi_n x / theta) integral_0^1 v^x e^(y(1-v)) (-ln v) dv``

``r_j = y^j / ((x+1)...(x+j))`` is the relative mass of ``j`` callers waiting and
``M = sum_j r_j``.  Where the bracketed difference for "answered within T" cancels
(few waiting callers answered within T) it is replaced by its positive integral
``x integral_0^(theta T) exp(-(x+1)s - y expm1(-s)) ds``.  Abandonment within T (for the
definitions that need it) is ``P(wait)`` minus answered-after-waiting-within-T minus
still-waiting-at-T (``c P(offered wait > T)``).

Numerical kernels live in :mod:`calldesk.domain.staffing._special`; accuracy against an
exact birth-death chain is about 1e-11 relative over patience/AHT from 1e-4 to 1e4.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from calldesk.domain.staffing._special import (
    FloatArray,
    IntArray,
    as_float_array,
    log_answered_within_integral,
    log_erlang_b_inverse_minus_one,
    log_kummer,
    logaddexp,
)

_S = TypeVar("_S", bound=np.generic)


class QueueModel(StrEnum):
    """Which queueing model produced a result."""

    ERLANG_B = "erlang_b"
    ERLANG_C = "erlang_c"
    ERLANG_A = "erlang_a"


class ServiceLevelDefinition(StrEnum):
    """How "service level at T seconds" is counted.

    * ``ANSWERED_WITHIN_T_OF_OFFERED``: calls answered within T over all offered calls
      (the default; abandoned calls count against the service level).
    * ``ANSWERED_WITHIN_T_OF_ANSWERED``: calls answered within T over answered calls.
    * ``ANSWERED_WITHIN_T_OF_OFFERED_EXCLUDING_SHORT_ABANDONS``: answered within T over
      offered calls minus those abandoned within T.
    * ``ANSWERED_OR_ABANDONED_WITHIN_T_OF_OFFERED``: answered or abandoned within T over
      offered calls (short abandons count as met).

    Without abandonment (Erlang C) all four are equal.
    """

    ANSWERED_WITHIN_T_OF_OFFERED = "answered_within_t/offered"
    ANSWERED_WITHIN_T_OF_ANSWERED = "answered_within_t/answered"
    ANSWERED_WITHIN_T_OF_OFFERED_EXCLUDING_SHORT_ABANDONS = (
        "answered_within_t/(offered-abandoned_within_t)"
    )
    ANSWERED_OR_ABANDONED_WITHIN_T_OF_OFFERED = "(answered+abandoned_within_t)/offered"


@dataclass(frozen=True, slots=True)
class QueueMetrics:
    """Steady-state measures of one interval at a given number of agents."""

    model: QueueModel
    agents: int
    offered_load_erlangs: float
    p_wait: float
    service_level: float
    service_level_seconds: float
    service_level_definition: ServiceLevelDefinition
    asa_s: float
    abandon_rate: float
    occupancy: float


@dataclass(frozen=True, slots=True)
class QueueMetricsArrays:
    """The fields of :class:`QueueMetrics`, one array element per interval (read-only)."""

    model: QueueModel
    agents: IntArray
    offered_load_erlangs: FloatArray
    p_wait: FloatArray
    service_level: FloatArray
    service_level_seconds: float
    service_level_definition: ServiceLevelDefinition
    asa_s: FloatArray
    abandon_rate: FloatArray
    occupancy: FloatArray

    def at(self, index: int) -> QueueMetrics:
        """The measures of one interval."""
        return QueueMetrics(
            model=self.model,
            agents=int(self.agents[index]),
            offered_load_erlangs=float(self.offered_load_erlangs[index]),
            p_wait=float(self.p_wait[index]),
            service_level=float(self.service_level[index]),
            service_level_seconds=self.service_level_seconds,
            service_level_definition=self.service_level_definition,
            asa_s=float(self.asa_s[index]),
            abandon_rate=float(self.abandon_rate[index]),
            occupancy=float(self.occupancy[index]),
        )


@dataclass(frozen=True, slots=True)
class RawMeasures:
    """Unlabelled measures shared by the evaluation and the staffing search.

    ``asa_aht`` is the average speed of answer in units of the handling time.
    """

    p_wait: FloatArray
    service_level: FloatArray
    asa_aht: FloatArray
    abandon_rate: FloatArray
    occupancy: FloatArray


def calculate_offered_load(calls: float, interval_s: float, aht_s: float) -> float:
    """Offered load in erlangs: ``calls * aht_s / interval_s``."""
    return calls * aht_s / interval_s


def calculate_erlang_b(agents: int, load_erlangs: float) -> float:
    """Erlang B blocking probability ``B(agents, load)``."""
    if agents < 0 or load_erlangs < 0:
        raise ValueError("agents and load must be non-negative")
    if load_erlangs == 0:
        return 0.0
    if agents == 0:
        return 1.0
    log_g = log_erlang_b_inverse_minus_one(as_float_array([agents]), as_float_array([load_erlangs]))
    return float(np.exp(-logaddexp(np.zeros(1), log_g))[0])


def calculate_erlang_c(agents: int, load_erlangs: float) -> float:
    """Erlang C probability of waiting ``C(agents, load)`` (1.0 when ``agents <= load``)."""
    if agents < 0 or load_erlangs < 0:
        raise ValueError("agents and load must be non-negative")
    if load_erlangs == 0:
        return 0.0
    return float(
        _erlang_c(as_float_array([agents]), as_float_array([load_erlangs]), as_float_array([0.0])).p_wait[0]
    )


def check_queue_inputs(
    *,
    calls: object,
    interval_s: float,
    aht_s: object,
    sl_seconds: float,
    model: QueueModel,
    patience_s: float | None,
) -> None:
    """Raise ``ValueError`` with a readable message for inputs outside the model's domain."""
    calls_arr = as_float_array(calls)
    aht_arr = as_float_array(aht_s)
    if not np.all(np.isfinite(calls_arr)) or np.any(calls_arr < 0):
        raise ValueError("calls must be finite and non-negative")
    if not math.isfinite(interval_s) or interval_s <= 0:
        raise ValueError("interval must be a positive number of seconds")
    if not np.all(np.isfinite(aht_arr)) or np.any(aht_arr <= 0):
        raise ValueError("AHT must be a positive number of seconds")
    if not math.isfinite(sl_seconds) or sl_seconds < 0:
        raise ValueError("service-level seconds must be finite and non-negative")
    if model is QueueModel.ERLANG_A:
        if patience_s is None or math.isnan(patience_s) or patience_s <= 0:
            raise ValueError("Erlang A needs a positive mean patience in seconds")
    elif patience_s is not None:
        raise ValueError(f"patience only applies to Erlang A, not {model.value}")


def calculate_queue_metrics(
    *,
    calls: float,
    interval_s: float,
    aht_s: float,
    agents: int,
    sl_seconds: float,
    model: QueueModel = QueueModel.ERLANG_C,
    patience_s: float | None = None,
    sl_definition: ServiceLevelDefinition = ServiceLevelDefinition.ANSWERED_WITHIN_T_OF_OFFERED,
) -> QueueMetrics:
    """Measures of one interval with ``calls`` offered and ``agents`` on the phones."""
    if agents < 0 or int(agents) != agents:
        raise ValueError("agents must be a non-negative whole number")
    arrays = calculate_queue_metrics_array(
        calls=as_float_array([calls]),
        interval_s=interval_s,
        aht_s=as_float_array([aht_s]),
        agents=np.array([int(agents)], dtype=np.int64),
        sl_seconds=sl_seconds,
        model=model,
        patience_s=patience_s,
        sl_definition=sl_definition,
    )
    return arrays.at(0)


def calculate_queue_metrics_array(
    *,
    calls: FloatArray,
    interval_s: float,
    aht_s: FloatArray | float,
    agents: IntArray,
    sl_seconds: float,
    model: QueueModel = QueueModel.ERLANG_C,
    patience_s: float | None = None,
    sl_definition: ServiceLevelDefinition = ServiceLevelDefinition.ANSWERED_WITHIN_T_OF_OFFERED,
) -> QueueMetricsArrays:
    """Vectorised :func:`calculate_queue_metrics` over intervals (1-D arrays broadcast)."""
    check_queue_inputs(
        calls=calls, interval_s=interval_s, aht_s=aht_s, sl_seconds=sl_seconds, model=model, patience_s=patience_s
    )
    calls_arr, aht_arr, agents_arr = np.broadcast_arrays(
        as_float_array(calls), as_float_array(aht_s), np.asarray(agents, dtype=np.int64)
    )
    if np.any(agents_arr < 0):
        raise ValueError("agents must be non-negative")
    load = calls_arr * aht_arr / interval_s
    measures = evaluate_measures(
        model=model,
        agents=agents_arr.astype(np.float64),
        load=load,
        tau=sl_seconds / aht_arr,
        patience_ratio=None if patience_s is None else patience_s / aht_arr,
        sl_definition=sl_definition,
        want_asa=True,
    )
    return QueueMetricsArrays(
        model=model,
        agents=_frozen(agents_arr.astype(np.int64)),
        offered_load_erlangs=_frozen(load),
        p_wait=_frozen(measures.p_wait),
        service_level=_frozen(measures.service_level),
        service_level_seconds=float(sl_seconds),
        service_level_definition=sl_definition,
        asa_s=_frozen(measures.asa_aht * aht_arr),
        abandon_rate=_frozen(measures.abandon_rate),
        occupancy=_frozen(measures.occupancy),
    )


def _frozen(array: npt.NDArray[_S]) -> npt.NDArray[_S]:
    out = np.array(array, copy=True)
    out.flags.writeable = False
    return out


def evaluate_measures(
    *,
    model: QueueModel,
    agents: FloatArray,
    load: FloatArray,
    tau: FloatArray | float,
    patience_ratio: FloatArray | float | None,
    sl_definition: ServiceLevelDefinition,
    want_asa: bool,
) -> RawMeasures:
    """Measures in handling-time units for arrays of agents and loads.

    ``tau`` is the service-level threshold over the AHT, ``patience_ratio`` the mean
    patience over the AHT (Erlang A only; ``inf`` means Erlang C).
    """
    agents, load, tau_arr = np.broadcast_arrays(
        as_float_array(agents), as_float_array(load), as_float_array(tau)
    )
    if model is QueueModel.ERLANG_C:
        return _erlang_c(agents, load, tau_arr)
    if model is QueueModel.ERLANG_B:
        return _erlang_b(agents, load, sl_definition)
    if patience_ratio is None:
        raise ValueError("Erlang A needs a patience")
    ratio = np.broadcast_to(as_float_array(patience_ratio), agents.shape)
    return _erlang_a(agents, load, tau_arr, ratio, sl_definition, want_asa)


def _erlang_c(agents: FloatArray, load: FloatArray, tau: FloatArray) -> RawMeasures:
    shape = agents.shape
    p_wait = np.ones(shape)
    sl = np.zeros(shape)
    asa = np.full(shape, np.inf)
    occupancy = np.ones(shape)
    idle = load == 0
    p_wait[idle] = 0.0
    sl[idle] = 1.0
    asa[idle] = 0.0
    occupancy[idle] = 0.0
    stable = (agents > load) & ~idle
    if np.any(stable):
        n = agents[stable]
        a = load[stable]
        with np.errstate(over="ignore"):  # G = inf (n >> A) gives C = 0, which is right
            g = np.exp(log_erlang_b_inverse_minus_one(n, a))
            c = n / (n + (n - a) * g)
        p_wait[stable] = c
        sl[stable] = 1.0 - c * np.exp(-(n - a) * tau[stable])
        asa[stable] = c / (n - a)
        occupancy[stable] = a / n
    return RawMeasures(p_wait, sl, asa, np.zeros(shape), occupancy)


def _apply_definition(
    definition: ServiceLevelDefinition,
    within: FloatArray,
    answered: FloatArray,
    abandoned_within: FloatArray,
) -> FloatArray:
    """Service level from the probabilities of answered-within-T, answered, abandoned-within-T."""
    if definition is ServiceLevelDefinition.ANSWERED_WITHIN_T_OF_OFFERED:
        return within
    if definition is ServiceLevelDefinition.ANSWERED_OR_ABANDONED_WITHIN_T_OF_OFFERED:
        return np.minimum(within + abandoned_within, 1.0)
    denominator = answered if definition is ServiceLevelDefinition.ANSWERED_WITHIN_T_OF_ANSWERED else 1.0 - abandoned_within
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(denominator > 0, within / denominator, 0.0)
    return np.minimum(np.asarray(ratio, dtype=np.float64), 1.0)


def _erlang_b(agents: FloatArray, load: FloatArray, definition: ServiceLevelDefinition) -> RawMeasures:
    shape = agents.shape
    blocked = np.zeros(shape)
    busy = (load > 0) & (agents > 0)
    blocked[(load > 0) & (agents == 0)] = 1.0
    if np.any(busy):
        log_g = log_erlang_b_inverse_minus_one(agents[busy], load[busy])
        blocked[busy] = np.exp(-logaddexp(np.zeros(log_g.shape), log_g))
    answered = 1.0 - blocked
    sl = _apply_definition(definition, answered, answered, blocked)
    with np.errstate(divide="ignore", invalid="ignore"):
        occupancy = np.where(agents > 0, load * answered / agents, np.where(load > 0, 1.0, 0.0))
    asa = np.where(answered > 0, 0.0, np.inf)
    return RawMeasures(blocked, sl, asa, blocked.copy(), np.asarray(occupancy, dtype=np.float64))


def _erlang_a(
    agents: FloatArray,
    load: FloatArray,
    tau: FloatArray,
    ratio: FloatArray,
    definition: ServiceLevelDefinition,
    want_asa: bool,
) -> RawMeasures:
    shape = agents.shape
    p_wait = np.zeros(shape)
    within = np.ones(shape)
    abandon = np.zeros(shape)
    abandon_within = np.zeros(shape)
    asa = np.zeros(shape)
    occupancy = np.zeros(shape)

    # Infinite patience is Erlang C exactly.
    patient = np.isinf(ratio)
    if np.any(patient):
        c = _erlang_c(agents[patient], load[patient], tau[patient])
        p_wait[patient] = c.p_wait
        within[patient] = c.service_level
        asa[patient] = c.asa_aht
        occupancy[patient] = c.occupancy

    nobody = (agents == 0) & (load > 0) & ~patient
    p_wait[nobody] = 1.0
    within[nobody] = 0.0
    abandon[nobody] = 1.0
    abandon_within[nobody] = -np.expm1(-tau[nobody] / ratio[nobody])
    asa[nobody] = np.inf
    occupancy[nobody] = 1.0

    live = (agents > 0) & (load > 0) & ~patient
    if np.any(live):
        n = agents[live]
        a = load[live]
        r = ratio[live]
        t = tau[live]
        x = n * r
        y = a * r
        theta_t = t / r
        c_t = np.exp(-theta_t)
        one_minus_c = -np.expm1(-theta_t)

        log_g = log_erlang_b_inverse_minus_one(n, a)
        kummer = log_kummer(x, y, want_u=want_asa)
        log_z = logaddexp(log_g, kummer.log_s)
        log_pi_n = -log_z
        pw = np.exp(kummer.log_s - log_z)
        no_wait = np.exp(log_g - log_z)
        ab = np.exp(kummer.log_t - np.log(y) - log_z)

        log_m1 = log_kummer(x + 1.0, y).log_s
        log_m1c = log_kummer(x + 1.0, y * c_t).log_s
        log_m0c = log_kummer(x, y * c_t).log_s
        growth = y * one_minus_c
        delta = -(x + 1.0) * theta_t + growth + log_m1c - log_m1
        answered_late_share = -np.expm1(np.minimum(delta, 0.0))
        within_after_wait = np.exp(log_pi_n + np.log(x / (x + 1.0)) + log_m1) * answered_late_share
        # delta is a difference of large logs; where it is too small to carry 12 digits,
        # integrate the (positive) answered-within-T density directly instead.
        delta_error = 1e-16 * (x * theta_t + growth + np.abs(log_m1c) + np.abs(log_m1) + 1.0)
        cancelled = (delta_error > 1e-12 * np.abs(delta)) & (theta_t > 0)
        if np.any(cancelled):
            log_integral = np.array(
                [
                    log_answered_within_integral(float(xi), float(yi), float(ti))
                    for xi, yi, ti in zip(x[cancelled], y[cancelled], theta_t[cancelled], strict=True)
                ],
                dtype=np.float64,
            )
            within_after_wait[cancelled] = np.exp(log_pi_n[cancelled] + np.log(x[cancelled]) + log_integral)
        offered_wait_beyond_t = np.exp(log_pi_n - x * theta_t + growth + log_m0c)
        still_waiting_at_t = c_t * offered_wait_beyond_t
        ab_within = np.clip(pw - within_after_wait - still_waiting_at_t, 0.0, None)

        p_wait[live] = pw
        within[live] = np.minimum(no_wait + within_after_wait, 1.0)
        abandon[live] = ab
        abandon_within[live] = np.minimum(ab_within, ab)
        # Clipped: at saturation the carried load equals n up to rounding in ab.
        occupancy[live] = np.minimum(a * (1.0 - ab) / n, 1.0)
        if want_asa:
            # Mean wait of answered calls, in AHT units: r * pi_n * (n/A) * U / P(answered).
            waited = r * np.exp(log_pi_n + np.log(n / a) + kummer.log_u)
            asa[live] = waited / (1.0 - ab)
        else:
            asa[live] = np.nan

    sl = _apply_definition(definition, within, 1.0 - abandon, abandon_within)
    if np.any(patient):
        sl[patient] = within[patient]
    return RawMeasures(p_wait, sl, asa, abandon, occupancy)
