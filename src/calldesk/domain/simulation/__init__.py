"""Discrete-event contact-center simulator (R-OPS-2).

`simulate(model, rng)` draws every call's arrival, handle time and patience from the numpy
Generator, then runs one of two engines on those same calls:

- "router": the production Router on a virtual clock (any staffing, breaks, wrap-up,
  answer delay);
- "fast": an exact FCFS recursion for one queue with constant staffing and no breaks
  (M/M/n, M/M/n+M and their general-distribution cousins), ~50x quicker.

engine="auto" takes the fast path whenever the model allows it; `SimulationResult.engine`
says which one ran. Same model + same seed => identical per-call results.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from calldesk.domain.simulation.engine import simulate_with_router, simulation_config
from calldesk.domain.simulation.fast import simulate_fcfs
from calldesk.domain.simulation.model import (
    Arrivals,
    Break,
    CallInputs,
    Duration,
    Empirical,
    Exponential,
    IntervalArrivals,
    LogNormal,
    ModelError,
    PoissonArrivals,
    ReplayedArrivals,
    SimulationModel,
    Staffing,
    check_model,
    draw_inputs,
)
from calldesk.domain.simulation.result import SimulationResult, SimulationSummary

EngineChoice = Literal["auto", "fast", "router"]


def check_fast_path(model: SimulationModel) -> str | None:
    """Why the fast path cannot simulate `model`, or None when it can."""
    if not model.staffing.is_constant:
        return "staffing changes between intervals"
    if model.breaks:
        return "agents take breaks"
    if model.answer_delay_s:
        return "agents answer after a delay"
    return None


def simulate(
    model: SimulationModel, rng: np.random.Generator, engine: EngineChoice = "auto"
) -> SimulationResult:
    """Simulate `model`; raise ModelError for bad models or an impossible engine choice."""
    check_model(model)
    if engine not in ("auto", "fast", "router"):
        raise ModelError(f"engine must be auto, fast or router, not {engine!r}")
    inputs = draw_inputs(model, rng)
    blocker = check_fast_path(model)
    if engine == "fast" and blocker is not None:
        raise ModelError(f"fast path impossible: {blocker}")
    if engine == "router" or blocker is not None:
        return simulate_with_router(model, inputs)
    return simulate_fcfs(inputs, model.staffing.agents[0], model.wrap_up_s, model.warmup_calls)


__all__ = [
    "Arrivals",
    "Break",
    "CallInputs",
    "Duration",
    "Empirical",
    "EngineChoice",
    "Exponential",
    "IntervalArrivals",
    "LogNormal",
    "ModelError",
    "PoissonArrivals",
    "ReplayedArrivals",
    "SimulationModel",
    "SimulationResult",
    "SimulationSummary",
    "Staffing",
    "check_fast_path",
    "check_model",
    "draw_inputs",
    "simulate",
    "simulate_fcfs",
    "simulate_with_router",
    "simulation_config",
]
