"""Benchmark: vectorised Erlang C staffing for a month of 30-minute intervals vs pyworkforce.

A month of 1,488 intervals with 10 to 2,000 calls each (seeded) and AHT 180 to 600 s,
target 80% answered within 20 s.  Both implementations must give identical agent
counts; the last line reports our wall time and pyworkforce's time over ours.

Run: .venv/bin/python bench/staffing.py
"""

from __future__ import annotations

import statistics
import time

import numpy as np
from pyworkforce.queuing import ErlangC

from calldesk.domain.staffing import ServiceLevelTarget, calculate_required_agents

INTERVALS = 31 * 48
INTERVAL_S = 1800.0
TARGET = ServiceLevelTarget(level=0.8, seconds=20.0)
REPEATS = 30
PEER_REPEATS = 3


def _ours(calls: np.ndarray, aht_s: np.ndarray) -> np.ndarray:
    return calculate_required_agents(calls=calls, aht_s=aht_s, interval_s=INTERVAL_S, target=TARGET).agents


def _pyworkforce(calls: np.ndarray, aht_s: np.ndarray) -> np.ndarray:
    # pyworkforce takes minutes; "asa" is its name for the service-level threshold.
    return np.array(
        [
            ErlangC(
                transactions=float(c), aht=float(a) / 60.0, asa=TARGET.seconds / 60.0, interval=INTERVAL_S / 60.0
            ).required_positions(service_level=TARGET.level, max_occupancy=1.0)["raw_positions"]
            for c, a in zip(calls, aht_s, strict=True)
        ],
        dtype=np.int64,
    )


def main() -> None:
    rng = np.random.default_rng(20030303)
    calls = rng.integers(10, 2001, size=INTERVALS).astype(np.float64)
    aht_s = rng.uniform(180.0, 600.0, size=INTERVALS)

    ours = _ours(calls, aht_s)  # warm-up (imports, caches)
    ours_times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        ours = _ours(calls, aht_s)
        ours_times.append(time.perf_counter() - start)

    theirs_times = []
    for _ in range(PEER_REPEATS):
        start = time.perf_counter()
        theirs = _pyworkforce(calls, aht_s)
        theirs_times.append(time.perf_counter() - start)

    mismatched = np.flatnonzero(ours != theirs)
    assert mismatched.size == 0, f"agent counts differ at intervals {mismatched[:10].tolist()}"
    ours_s = statistics.median(ours_times)
    theirs_s = statistics.median(theirs_times)
    print(f"agents total={int(ours.sum())} max={int(ours.max())} identical_to_pyworkforce=yes")
    print(f"ours median of {REPEATS} runs: {ours_s * 1e3:.2f} ms; pyworkforce median of {PEER_REPEATS}: {theirs_s * 1e3:.1f} ms")
    print(f"staffing intervals={INTERVALS} seconds={ours_s:.6f} ratio_vs_pyworkforce={theirs_s / ours_s:.1f}")


if __name__ == "__main__":
    main()
