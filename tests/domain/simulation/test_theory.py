"""Simulated M/M/n and M/M/n+M against exact birth-death chains (R-OPS-2).

Theory is computed here, independently of calldesk.domain.staffing: a birth-death chain on
k = 0..K calls in the system (birth lambda, death min(k, n) mu + max(k - n, 0) theta) gives
p_wait = P(k >= n) and abandon rate = theta E[queue] / lambda (PASTA). Service level under
Erlang A is P(served and wait <= T): an arrival that finds j callers queued ahead moves
forward at rate n mu + j theta and gives up at rate theta, a small absorbing chain solved with
a matrix exponential. Without patience, service level is Erlang C's closed form.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.linalg import expm
from scipy.stats import t as student_t

from calldesk.domain.simulation import (
    Exponential,
    PoissonArrivals,
    SimulationModel,
    Staffing,
    simulate,
)


def stationary(lam: float, mu: float, theta: float, n: int, size: int) -> np.ndarray:
    log_p = np.zeros(size + 1)
    for k in range(1, size + 1):
        death = min(k, n) * mu + max(k - n, 0) * theta
        log_p[k] = log_p[k - 1] + math.log(lam / death)
    p = np.exp(log_p - log_p.max())
    return p / p.sum()


def served_within(n: int, mu: float, theta: float, ahead_max: int, threshold: float) -> np.ndarray:
    """P(served with wait <= threshold | j callers ahead in queue), j = 0..ahead_max."""
    states = ahead_max + 1
    served, abandoned = states, states + 1
    q = np.zeros((states + 2, states + 2))
    for j in range(states):
        progress = n * mu + j * theta
        q[j, j - 1 if j else served] += progress
        q[j, abandoned] += theta
        q[j, j] = -(progress + theta)
    return expm(q * threshold)[:states, served]


def theory(n: int, erlangs: float, aht: float, patience: float | None, sl_t: float) -> dict:
    mu = 1 / aht
    lam = erlangs * mu
    theta = 0.0 if patience is None else 1 / patience
    size = n + (400 if patience is not None else max(400, int(40 / (1 - erlangs / n))))
    pi = stationary(lam, mu, theta, n, size)
    assert pi[-1] < 1e-12  # the truncation loses nothing measurable
    queued = np.maximum(np.arange(size + 1) - n, 0)
    p_wait = float(pi[n:].sum())
    if patience is None:
        service_level = 1 - p_wait * math.exp(-(n * mu - lam) * sl_t)
        abandon = 0.0
    else:
        within = served_within(n, mu, theta, size - n, sl_t)
        service_level = float(pi[:n].sum() + (pi[n:] * within).sum())
        abandon = float(theta * (queued * pi).sum() / lam)
    return {"p_wait": p_wait, "abandon_rate": abandon, "service_level": service_level}


def runs(n: int, erlangs: float, aht: float, patience: float | None, sl_t: float,
         calls: int, count: int, engine: str, seed: int) -> dict[str, np.ndarray]:
    found: dict[str, list[float]] = {"p_wait": [], "abandon_rate": [], "service_level": []}
    warmup = calls // 5
    for r in range(count):
        model = SimulationModel(
            arrivals=PoissonArrivals(erlangs / aht, calls + warmup),
            handle_time=Exponential(aht),
            staffing=Staffing.constant(n),
            patience=None if patience is None else Exponential(patience),
            warmup_calls=warmup,
        )
        summary = simulate(model, np.random.default_rng([seed, r]), engine).summarize(sl_t)  # type: ignore[arg-type]
        for key in found:
            found[key].append(getattr(summary, key))
    return {key: np.asarray(values) for key, values in found.items()}


def assert_inside_99_ci(samples: dict[str, np.ndarray], expected: dict[str, float]) -> None:
    for key, values in samples.items():
        count = len(values)
        half = student_t.ppf(0.995, count - 1) * values.std(ddof=1) / math.sqrt(count)
        mean = values.mean()
        if half == 0:  # no abandons possible: every run gives exactly 0
            assert mean == expected[key], key
            continue
        assert mean - half <= expected[key] <= mean + half, (
            f"{key}: theory {expected[key]:.5f} outside [{mean - half:.5f}, {mean + half:.5f}]"
        )


# R-OPS-2: Erlang C (no patience), fast engine
def test_fast_engine_matches_erlang_c() -> None:
    expected = theory(20, 17.0, 180.0, None, 20.0)
    samples = runs(20, 17.0, 180.0, None, 20.0, calls=20_000, count=30, engine="fast", seed=1)
    assert_inside_99_ci(samples, expected)


# R-OPS-2: Erlang A (Garnett, Mandelbaum, Reiman 2002) at the CLI's example, fast engine
def test_fast_engine_matches_erlang_a() -> None:
    expected = theory(100, 95.0, 180.0, 180.0, 20.0)
    samples = runs(100, 95.0, 180.0, 180.0, 20.0, calls=20_000, count=30, engine="fast", seed=2)
    assert_inside_99_ci(samples, expected)


# R-OPS-2: the production router on the virtual clock, overloaded Erlang A
def test_router_engine_matches_erlang_a() -> None:
    expected = theory(10, 10.0, 180.0, 120.0, 20.0)
    samples = runs(10, 10.0, 180.0, 120.0, 20.0, calls=2_000, count=30, engine="router", seed=3)
    assert_inside_99_ci(samples, expected)


# R-OPS-2: the chain itself agrees with Erlang C's closed form
def test_chain_reproduces_erlang_c_formula() -> None:
    n, a = 20, 17.0
    erlang_b = 1.0
    for k in range(1, n + 1):
        erlang_b = a * erlang_b / (k + a * erlang_b)
    erlang_c = n * erlang_b / (n - a * (1 - erlang_b))
    assert theory(n, a, 180.0, None, 20.0)["p_wait"] == pytest.approx(erlang_c, rel=1e-9)
    # With patience, the SL computation reduces to Erlang C as patience grows.
    nearly = theory(n, a, 180.0, 1e9, 20.0)["service_level"]
    assert nearly == pytest.approx(theory(n, a, 180.0, None, 20.0)["service_level"], rel=1e-5)
