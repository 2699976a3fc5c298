"""Plan check: the Erlang estimate of each interval of a day's plan.

Given the forecast calls and the agents scheduled on the phones per interval, returns
one :class:`IntervalPlanEstimate` per interval.  The record is deliberately flat (start
time plus the same measures a discrete-event simulation reports: service level, ASA,
abandonment, occupancy) so a simulator's result for the same interval can be put next
to it and compared field by field; this module does not depend on any simulator.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from calldesk.domain.staffing.erlang import (
    QueueModel,
    ServiceLevelDefinition,
    calculate_queue_metrics_array,
)
from calldesk.domain.staffing.requirement import StaffingTarget, calculate_required_agents

# Scheduled agents may be fractional (a break inside an interval); a partly present agent
# is not a whole server, so counts are rounded down, forgiving float noise.
_WHOLE_AGENT_SLACK = 1e-9


@dataclass(frozen=True, slots=True)
class IntervalPlanEstimate:
    """Erlang estimate of one planned interval.

    ``staffing_gap`` is ``scheduled_agents - required_agents`` (negative = short).
    """

    start: datetime
    forecast_calls: float
    scheduled_agents: int
    required_agents: int
    staffing_gap: int
    model: QueueModel
    p_wait: float
    service_level: float
    service_level_seconds: float
    service_level_definition: ServiceLevelDefinition
    asa_s: float
    abandon_rate: float
    occupancy: float


def calculate_plan_check(
    *,
    interval_starts: Sequence[datetime],
    forecast_calls: Sequence[float],
    scheduled_agents: Sequence[float],
    aht_s: float | Sequence[float],
    interval_s: float,
    target: StaffingTarget,
    model: QueueModel | None = None,
    patience_s: float | None = None,
    max_occupancy: float = 1.0,
) -> tuple[IntervalPlanEstimate, ...]:
    """Erlang estimate per interval for a day's forecast and scheduled (productive) agents."""
    n = len(interval_starts)
    if len(forecast_calls) != n or len(scheduled_agents) != n:
        raise ValueError("interval starts, forecast and scheduled agents must have the same length")
    if any(not math.isfinite(a) or a < 0 for a in scheduled_agents):
        raise ValueError("scheduled agents must be finite and non-negative")
    calls = np.asarray(forecast_calls, dtype=np.float64)
    aht = np.broadcast_to(np.asarray(aht_s, dtype=np.float64), calls.shape)
    agents = np.floor(np.asarray(scheduled_agents, dtype=np.float64) + _WHOLE_AGENT_SLACK).astype(np.int64)
    required = calculate_required_agents(
        calls=calls,
        aht_s=aht,
        interval_s=interval_s,
        target=target,
        model=model,
        patience_s=patience_s,
        max_occupancy=max_occupancy,
    )
    metrics = calculate_queue_metrics_array(
        calls=calls,
        interval_s=interval_s,
        aht_s=aht,
        agents=agents,
        sl_seconds=required.metrics.service_level_seconds,
        model=required.metrics.model,
        patience_s=patience_s,
        sl_definition=required.metrics.service_level_definition,
    )
    return tuple(
        IntervalPlanEstimate(
            start=interval_starts[i],
            forecast_calls=float(calls[i]),
            scheduled_agents=int(agents[i]),
            required_agents=int(required.agents[i]),
            staffing_gap=int(agents[i] - required.agents[i]),
            model=metrics.model,
            p_wait=float(metrics.p_wait[i]),
            service_level=float(metrics.service_level[i]),
            service_level_seconds=metrics.service_level_seconds,
            service_level_definition=metrics.service_level_definition,
            asa_s=float(metrics.asa_s[i]),
            abandon_rate=float(metrics.abandon_rate[i]),
            occupancy=float(metrics.occupancy[i]),
        )
        for i in range(n)
    )
