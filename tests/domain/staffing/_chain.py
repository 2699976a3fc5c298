"""Exact birth-death reference for M/M/n+M (Erlang A), independent of the closed forms.

State k = calls in the system; births at rate lambda, deaths at min(k, n) mu +
max(k - n, 0) theta.  Units: mu = 1 (time in AHTs), lambda = offered load A, theta =
1 / (patience / AHT).  The chain is truncated where the stationary mass is below 1e-300
of the mode, which is checked.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import betaincc, logsumexp


@dataclass(frozen=True)
class ChainMeasures:
    p_wait: float
    abandon_rate: float
    service_level: float  # answered within T over offered
    asa_aht: float  # mean wait of answered calls, in AHTs


def erlang_a_chain(agents: int, load: float, patience_ratio: float, tau: float) -> ChainMeasures:
    n, lam, theta = agents, load, 1.0 / patience_ratio
    # Queue centre when overloaded: (lambda - n mu) / theta; spread ~ sqrt(lambda / theta).
    centre = n + max(0.0, (lam - n) * patience_ratio)
    size = int(centre + 40.0 * math.sqrt(lam * patience_ratio + lam + 10.0) + 1000)
    while True:
        k = np.arange(size + 1, dtype=np.float64)
        death = np.minimum(k, n) + np.maximum(k - n, 0.0) * theta
        log_pi = np.concatenate([[0.0], np.cumsum(np.log(lam) - np.log(death[1:]))])
        if log_pi[-1] < log_pi.max() - 750.0 and log_pi[-1] < log_pi[-2]:
            break  # the truncated mass is below 1e-320 of the mode
        size *= 2
    log_pi -= logsumexp(log_pi)
    pi = np.exp(log_pi)

    queue = k - n
    waiting = queue >= 0
    ahead = queue[waiting]
    p_wait = float(pi[waiting].sum())
    abandon = float((pi * np.maximum(queue, 0.0)).sum() * theta / lam)

    # A caller behind j others: offered wait V_j = sum of Exp(n mu + i theta), i = 0..j,
    # so exp(-theta V_j) ~ Beta(x, j + 1) with x = n mu / theta; answered within T with
    # probability x/(x+j+1) * P(Beta(x+1, j+1) > exp(-theta T)).
    x = n * patience_ratio
    c = math.exp(-tau * theta)
    answered_share = x / (x + ahead + 1.0)
    within = _answered_within(pi[waiting], answered_share, x, c)
    service_level = float(pi[~waiting].sum()) + within
    # E[V_j; answered] = x/(x+j+1) * sum_{i=1}^{j+1} 1/(x+i) / theta.
    harmonic = np.cumsum(1.0 / (x + np.arange(1, ahead.size + 2)))
    waited = float((pi[waiting] * answered_share * harmonic[ahead.astype(int)]).sum() / theta)
    return ChainMeasures(p_wait, abandon, service_level, waited / (1.0 - abandon))


def _answered_within(pi_queue: np.ndarray, answered_share: np.ndarray, x: float, c: float) -> float:
    """Sum over queue positions j of pi * x/(x+j+1) * P(Beta(x+1, j+1) > c), from j = 0.

    The Beta tail falls faster than any geometric rate in j while the queue mass grows at
    most geometrically, so once the terms fall and are negligible the rest is too.
    """
    total = 0.0
    start, chunk = 0, 64
    while start < pi_queue.size:
        stop = min(start + chunk, pi_queue.size)
        tail = betaincc(x + 1.0, np.arange(start, stop, dtype=np.float64) + 1.0, c)
        terms = pi_queue[start:stop] * answered_share[start:stop] * tail
        total += float(terms.sum())
        if tail[-1] == 0.0:
            break  # pi <= 1, so every later term is below the smallest double
        if total > 0.0 and terms.size > 1 and terms[-1] <= terms[-2] and terms[-1] <= 1e-22 * total:
            break
        start = stop
        chunk *= 2
    return total


def erlang_b_recursion(agents: int, load: float) -> float:
    blocking = 1.0
    for k in range(1, agents + 1):
        blocking = load * blocking / (k + load * blocking)
    return blocking


def erlang_c_from_b(agents: int, load: float) -> float:
    b = erlang_b_recursion(agents, load)
    return agents * b / (agents - load * (1.0 - b))
