"""What to simulate: arrivals, handle times, patience, staffing and breaks (R-OPS-2).

Times are float seconds from the start of the run. Randomness comes only from the
numpy Generator handed to `draw_inputs`, drawn in a fixed order (arrivals, handle times,
patience), so both engines see the same calls for the same seed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Exponential:
    mean_s: float


@dataclass(frozen=True, slots=True)
class LogNormal:
    mean_s: float
    sd_s: float


@dataclass(frozen=True, slots=True)
class Empirical:
    """Resample observed durations with replacement."""

    samples_s: tuple[float, ...]


Duration = Exponential | LogNormal | Empirical


@dataclass(frozen=True, slots=True)
class PoissonArrivals:
    """A constant-rate Poisson stream of exactly `calls` calls."""

    rate_per_s: float
    calls: int


@dataclass(frozen=True, slots=True)
class IntervalArrivals:
    """Poisson arrivals with a rate per interval (e.g. per half hour), back to back from 0."""

    interval_s: float
    rates_per_s: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class ReplayedArrivals:
    """Observed arrival timestamps, replayed as they are (sorted)."""

    times_s: tuple[float, ...]


Arrivals = PoissonArrivals | IntervalArrivals | ReplayedArrivals


@dataclass(frozen=True, slots=True)
class Staffing:
    """Agents logged in per interval, from time 0; the last figure holds afterwards."""

    agents: tuple[int, ...]
    interval_s: float = math.inf

    @classmethod
    def constant(cls, agents: int) -> Staffing:
        return cls((agents,))

    @property
    def is_constant(self) -> bool:
        return len(set(self.agents)) == 1

    @property
    def peak(self) -> int:
        return max(self.agents)


@dataclass(frozen=True, slots=True)
class Break:
    """Agent number `agent` (0-based) takes a break at `start_s` (after the current call)."""

    agent: int
    start_s: float
    duration_s: float
    reason: str = "break"


@dataclass(frozen=True, slots=True)
class SimulationModel:
    arrivals: Arrivals
    handle_time: Duration
    staffing: Staffing
    patience: Duration | None = None  # None: nobody abandons
    breaks: tuple[Break, ...] = ()
    wrap_up_s: float = 0.0
    answer_delay_s: float = 0.0
    # The first calls warm the system up from empty and are left out of the summary.
    warmup_calls: int = 0


class ModelError(ValueError):
    """The simulation model is invalid; the message says which value."""


def check_model(model: SimulationModel) -> None:
    arrivals = model.arrivals
    if isinstance(arrivals, PoissonArrivals):
        if arrivals.rate_per_s <= 0 or arrivals.calls < 1:
            raise ModelError("Poisson arrivals need rate_per_s > 0 and calls >= 1")
    elif isinstance(arrivals, IntervalArrivals):
        if arrivals.interval_s <= 0 or any(r < 0 for r in arrivals.rates_per_s):
            raise ModelError("interval arrivals need interval_s > 0 and rates >= 0")
    elif any(t < 0 for t in arrivals.times_s):
        raise ModelError("replayed arrival times must be >= 0")
    for name, duration in (("handle_time", model.handle_time), ("patience", model.patience)):
        if duration is None:
            continue
        if isinstance(duration, Empirical):
            if not duration.samples_s or min(duration.samples_s) < 0:
                raise ModelError(f"{name}: empirical samples must be non-empty and >= 0")
        elif duration.mean_s <= 0:
            raise ModelError(f"{name}: mean_s must be > 0")
        elif isinstance(duration, LogNormal) and duration.sd_s < 0:
            raise ModelError(f"{name}: sd_s must be >= 0")
    if not model.staffing.agents or min(model.staffing.agents) < 0:
        raise ModelError("staffing needs agent counts >= 0")
    if model.staffing.peak < 1:
        raise ModelError("staffing needs at least one agent in some interval")
    if model.staffing.interval_s <= 0:
        raise ModelError("staffing interval_s must be > 0")
    if model.wrap_up_s < 0 or model.answer_delay_s < 0 or model.warmup_calls < 0:
        raise ModelError("wrap_up_s, answer_delay_s and warmup_calls must be >= 0")
    for item in model.breaks:
        if not 0 <= item.agent < model.staffing.peak or item.duration_s <= 0:
            raise ModelError(f"bad break {item}")


@dataclass(frozen=True, slots=True, eq=False)
class CallInputs:
    """Per-call random inputs, drawn once so every engine simulates the same calls."""

    arrival_s: FloatArray
    handle_s: FloatArray
    patience_s: FloatArray  # inf when nobody abandons


def draw_durations(duration: Duration, size: int, rng: np.random.Generator) -> FloatArray:
    if isinstance(duration, Exponential):
        return rng.exponential(duration.mean_s, size)
    if isinstance(duration, LogNormal):
        if duration.sd_s == 0:
            return np.full(size, duration.mean_s)
        # Parameters of the underlying normal from the lognormal's mean and sd.
        sigma2 = math.log1p((duration.sd_s / duration.mean_s) ** 2)
        mu = math.log(duration.mean_s) - sigma2 / 2
        return rng.lognormal(mu, math.sqrt(sigma2), size)
    samples = np.asarray(duration.samples_s, dtype=np.float64)
    return samples[rng.integers(0, len(samples), size)]


def draw_arrivals(arrivals: Arrivals, rng: np.random.Generator) -> FloatArray:
    if isinstance(arrivals, PoissonArrivals):
        return np.cumsum(rng.exponential(1.0 / arrivals.rate_per_s, arrivals.calls))
    if isinstance(arrivals, IntervalArrivals):
        # Given the count, Poisson arrival times within an interval are uniform.
        parts = []
        for k, rate in enumerate(arrivals.rates_per_s):
            count = int(rng.poisson(rate * arrivals.interval_s))
            start = k * arrivals.interval_s
            parts.append(np.sort(rng.uniform(start, start + arrivals.interval_s, count)))
        return np.concatenate(parts) if parts else np.zeros(0)
    return np.sort(np.asarray(arrivals.times_s, dtype=np.float64))


def draw_inputs(model: SimulationModel, rng: np.random.Generator) -> CallInputs:
    arrival = draw_arrivals(model.arrivals, rng)
    size = len(arrival)
    handle = draw_durations(model.handle_time, size, rng)
    if model.patience is None:
        patience = np.full(size, np.inf)
    else:
        patience = draw_durations(model.patience, size, rng)
    return CallInputs(arrival, handle, patience)
