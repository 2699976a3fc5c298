"""Plan check: Erlang estimate per planned interval (R-WFM-1)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from calldesk.domain.staffing import (
    IntervalPlanEstimate,
    QueueModel,
    ServiceLevelTarget,
    calculate_plan_check,
    calculate_queue_metrics,
)

STARTS = [datetime(2024, 3, 4, 8, tzinfo=UTC) + timedelta(minutes=30 * i) for i in range(4)]
TARGET = ServiceLevelTarget(0.8, 20)


def test_each_interval_gets_the_erlang_estimate_and_the_staffing_gap():
    # R-WFM-1
    estimates = calculate_plan_check(
        interval_starts=STARTS,
        forecast_calls=[100, 100, 200, 0],
        scheduled_agents=[14, 11, 20.6, 2],
        aht_s=180,
        interval_s=1800,
        target=TARGET,
    )
    assert [e.start for e in estimates] == STARTS
    assert [e.scheduled_agents for e in estimates] == [14, 11, 20, 2]  # 20.6 -> 20 whole agents
    assert [e.required_agents for e in estimates][:2] == [14, 14]
    assert [e.staffing_gap for e in estimates][:2] == [0, -3]
    assert estimates[0].service_level == pytest.approx(0.88835, abs=5e-6)
    assert estimates[1].service_level == pytest.approx(0.3896138, abs=5e-8)
    reference = calculate_queue_metrics(calls=200, interval_s=1800, aht_s=180, agents=20, sl_seconds=20)
    assert estimates[2].p_wait == reference.p_wait and estimates[2].asa_s == reference.asa_s
    assert estimates[3].required_agents == 0 and estimates[3].staffing_gap == 2
    assert estimates[0].model is QueueModel.ERLANG_C


def test_estimates_are_frozen_records_a_simulation_can_sit_next_to():
    # R-WFM-1: flat, immutable, one per interval, with abandonment under Erlang A.
    (estimate,) = calculate_plan_check(
        interval_starts=STARTS[:1], forecast_calls=[100], scheduled_agents=[12], aht_s=[180], interval_s=1800,
        target=TARGET, patience_s=120,
    )
    assert isinstance(estimate, IntervalPlanEstimate)
    assert estimate.model is QueueModel.ERLANG_A and 0 < estimate.abandon_rate < 0.1
    with pytest.raises(dataclasses.FrozenInstanceError):
        estimate.service_level = 1.0  # type: ignore[misc]
    assert {f.name for f in dataclasses.fields(estimate)} >= {"start", "service_level", "asa_s", "abandon_rate", "occupancy"}


def test_plan_check_rejects_mismatched_lengths():
    # R-WFM-1
    with pytest.raises(ValueError, match="same length"):
        calculate_plan_check(
            interval_starts=STARTS, forecast_calls=[1.0], scheduled_agents=[1.0], aht_s=180, interval_s=1800, target=TARGET
        )
