"""Fast path: one FCFS queue, identical agents, constant staffing (covers M/M/n and M/M/n+M).

With first-come-first-served service, identical agents and callers who leave when their
patience runs out, call i starts with the agent that frees first among those taken by the
earlier calls that did not abandon. A heap of the n agents' free times therefore gives every
call's wait exactly, in arrival order, with no event calendar. The arithmetic mirrors the
router engine (answer + handle, then + wrap-up) so both give the same per-call waits.
"""

from __future__ import annotations

from heapq import heapreplace

import numpy as np

from calldesk.domain.simulation.model import CallInputs
from calldesk.domain.simulation.result import ABANDONED_CODE, SimulationResult

ENGINE = "fast: FCFS heap of agent free times (exact for one queue, constant staffing)"


def simulate_fcfs(
    inputs: CallInputs, agents: int, wrap_up_s: float, warmup_calls: int
) -> SimulationResult:
    arrivals = inputs.arrival_s.tolist()
    handles = inputs.handle_s.tolist()
    patience = inputs.patience_s.tolist()
    size = len(arrivals)
    free = [0.0] * agents
    wait = [0.0] * size
    abandoned = bytearray(size)
    found_free = bytearray(size)
    replace = heapreplace
    wrap = wrap_up_s
    for i in range(size):
        arrival = arrivals[i]
        earliest = free[0]
        if earliest <= arrival:
            found_free[i] = 1
            replace(free, arrival + handles[i] + wrap if wrap else arrival + handles[i])
            continue
        waited = earliest - arrival
        if waited > patience[i]:
            abandoned[i] = 1
            wait[i] = patience[i]
            continue
        wait[i] = waited
        replace(free, earliest + handles[i] + wrap if wrap else earliest + handles[i])
    abandoned_mask = np.frombuffer(bytes(abandoned), dtype=np.uint8).astype(bool)
    outcome = np.where(abandoned_mask, ABANDONED_CODE, 0).astype(np.int8)
    talk = np.where(abandoned_mask, 0.0, inputs.handle_s)
    return SimulationResult(
        engine=ENGINE,
        offered_at=inputs.arrival_s,
        wait_s=np.asarray(wait, dtype=np.float64),
        talk_s=talk,
        outcome=outcome,
        found_free=np.frombuffer(bytes(found_free), dtype=np.uint8).astype(bool),
        warmup_calls=min(warmup_calls, size),
        wrap_s=wrap_up_s,
    )
