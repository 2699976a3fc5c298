"""Staffing per interval (R-WFM-1)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calldesk.domain.staffing import (
    AbandonmentTarget,
    AsaTarget,
    QueueModel,
    ServiceLevelDefinition,
    ServiceLevelTarget,
    calculate_agents_with_shrinkage,
    calculate_queue_metrics,
    calculate_required_agents,
    calculate_staffing,
)

FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
INTERVAL = 1800.0

calls_st = st.floats(min_value=1.0, max_value=4000.0, allow_nan=False)
aht_st = st.floats(min_value=30.0, max_value=900.0, allow_nan=False)
level_st = st.floats(min_value=0.05, max_value=0.99, allow_nan=False)
seconds_st = st.floats(min_value=0.0, max_value=120.0, allow_nan=False)
patience_ratio_st = st.floats(min_value=-3.0, max_value=3.0).map(lambda e: 10.0**e)
occupancy_st = st.sampled_from([1.0, 0.95, 0.85, 0.7])


def _meets(m, target, max_occupancy):
    if isinstance(target, ServiceLevelTarget):
        ok = m.service_level >= target.level
    elif isinstance(target, AsaTarget):
        ok = m.asa_s <= target.seconds
    else:
        ok = m.abandon_rate <= target.max_rate
    return ok and m.occupancy <= max_occupancy


def _evaluate(agents, calls, aht, target, model, patience):
    sl_seconds = target.seconds if isinstance(target, ServiceLevelTarget) else target.sl_seconds
    return calculate_queue_metrics(
        calls=calls, interval_s=INTERVAL, aht_s=aht, agents=agents, sl_seconds=sl_seconds, model=model, patience_s=patience
    )


def _assert_least(calls, aht, target, model, patience=None, max_occupancy=1.0):
    result = calculate_staffing(
        calls=calls, aht_s=aht, interval_s=INTERVAL, target=target, model=model, patience_s=patience, max_occupancy=max_occupancy
    )
    n = result.agents
    assert result.metrics == _evaluate(n, calls, aht, target, model, patience)
    assert _meets(result.metrics, target, max_occupancy), result
    if n > 1:
        below = _evaluate(n - 1, calls, aht, target, model, patience)
        assert not _meets(below, target, max_occupancy), (below, result)
    return result


def test_published_worked_example_needs_14_agents_and_20_with_shrinkage():
    # R-WFM-1: 100 calls / 30 min, AHT 180 s, 80% in 20 s, 30% shrinkage.
    result = calculate_staffing(
        calls=100, aht_s=180, interval_s=1800, target=ServiceLevelTarget(0.8, 20), shrinkage=0.3
    )
    assert result.agents == 14
    assert result.agents_with_shrinkage == 20
    assert result.metrics.p_wait == pytest.approx(0.1741319, abs=5e-8)
    assert result.metrics.service_level == pytest.approx(0.88835, abs=5e-6)
    assert result.metrics.asa_s == pytest.approx(7.8359, abs=5e-5)


@FAST
@given(calls=calls_st, aht=aht_st, agents=st.integers(1, 400), seconds=seconds_st)
def test_more_agents_never_lower_erlang_c_service_level(calls, aht, agents, seconds):
    # R-WFM-1 (property)
    lower = calculate_queue_metrics(calls=calls, interval_s=INTERVAL, aht_s=aht, agents=agents, sl_seconds=seconds)
    upper = calculate_queue_metrics(calls=calls, interval_s=INTERVAL, aht_s=aht, agents=agents + 1, sl_seconds=seconds)
    assert upper.service_level >= lower.service_level - 1e-12
    assert upper.p_wait <= lower.p_wait + 1e-12


@FAST
@given(calls=calls_st, aht=aht_st, agents=st.integers(1, 400), seconds=seconds_st, ratio=patience_ratio_st)
def test_more_agents_never_lower_erlang_a_service_level(calls, aht, agents, seconds, ratio):
    # R-WFM-1 (property): and never raise abandonment.
    kw = dict(calls=calls, interval_s=INTERVAL, aht_s=aht, sl_seconds=seconds, model=QueueModel.ERLANG_A, patience_s=ratio * aht)
    lower = calculate_queue_metrics(agents=agents, **kw)
    upper = calculate_queue_metrics(agents=agents + 1, **kw)
    assert upper.service_level >= lower.service_level - 1e-12
    assert upper.abandon_rate <= lower.abandon_rate + 1e-12


@FAST
@given(calls=calls_st, aht=aht_st, level=level_st, seconds=seconds_st, occupancy=occupancy_st)
def test_erlang_c_staffing_is_the_least_number_meeting_the_service_level(calls, aht, level, seconds, occupancy):
    # R-WFM-1 (property): N meets the target, N - 1 does not.
    _assert_least(calls, aht, ServiceLevelTarget(level, seconds), QueueModel.ERLANG_C, max_occupancy=occupancy)


@FAST
@given(calls=calls_st, aht=aht_st, asa=st.floats(min_value=1.0, max_value=300.0))
def test_erlang_c_staffing_is_the_least_number_meeting_the_asa(calls, aht, asa):
    # R-WFM-1 (property)
    _assert_least(calls, aht, AsaTarget(asa), QueueModel.ERLANG_C)


@FAST
@given(calls=calls_st, aht=aht_st, level=level_st, seconds=seconds_st, ratio=patience_ratio_st, occupancy=occupancy_st)
def test_erlang_a_staffing_is_the_least_number_meeting_the_service_level(calls, aht, level, seconds, ratio, occupancy):
    # R-WFM-1 (property)
    _assert_least(calls, aht, ServiceLevelTarget(level, seconds), QueueModel.ERLANG_A, ratio * aht, occupancy)


@FAST
@given(calls=calls_st, aht=aht_st, rate=st.floats(min_value=0.001, max_value=0.5), ratio=patience_ratio_st)
def test_erlang_a_staffing_is_the_least_number_meeting_the_abandonment_cap(calls, aht, rate, ratio):
    # R-WFM-1 (property)
    _assert_least(calls, aht, AbandonmentTarget(rate), QueueModel.ERLANG_A, ratio * aht)


@settings(max_examples=15, deadline=None)
@given(calls=calls_st, aht=aht_st, asa=st.floats(min_value=2.0, max_value=120.0), ratio=patience_ratio_st)
def test_erlang_a_staffing_is_the_least_number_meeting_the_asa(calls, aht, asa, ratio):
    # R-WFM-1 (property)
    _assert_least(calls, aht, AsaTarget(asa), QueueModel.ERLANG_A, ratio * aht)


def test_erlang_b_staffing_meets_a_blocking_cap():
    # R-WFM-1
    result = _assert_least(100, 180, AbandonmentTarget(0.01), QueueModel.ERLANG_B)
    assert result.metrics.model is QueueModel.ERLANG_B and result.metrics.asa_s == 0.0


def test_vectorised_staffing_equals_interval_by_interval():
    # R-WFM-1: one call computes a whole period; results match the scalar function.
    rng = np.random.default_rng(7)
    calls = rng.integers(0, 900, size=96).astype(float)
    aht = rng.uniform(120, 480, size=96)
    target = ServiceLevelTarget(0.8, 20)
    for patience in (None, 90.0):
        period = calculate_required_agents(
            calls=calls, aht_s=aht, interval_s=INTERVAL, target=target, patience_s=patience, shrinkage=0.25
        )
        assert period.agents.shape == (96,)
        for i in range(0, 96, 7):
            single = calculate_staffing(
                calls=calls[i], aht_s=aht[i], interval_s=INTERVAL, target=target, patience_s=patience, shrinkage=0.25
            )
            assert period.at(i) == single
    assert period.agents[calls == 0].tolist() == [0] * int((calls == 0).sum())


def test_large_load_staffing_is_finite_and_sensible():
    # R-WFM-1: 5,000 erlangs.
    result = calculate_staffing(calls=100_000, aht_s=180, interval_s=3600, target=ServiceLevelTarget(0.8, 20))
    assert 5_000 < result.agents < 5_000 + 10 * math.sqrt(5_000)
    assert 0.8 <= result.metrics.service_level < 1 and 0 < result.metrics.p_wait < 1
    assert math.isfinite(result.metrics.asa_s)
    patient = calculate_staffing(
        calls=100_000, aht_s=180, interval_s=3600, target=ServiceLevelTarget(0.8, 20), patience_s=120
    )
    assert 0 < patient.agents <= result.agents
    _assert_least(100_000 / 2, 180, ServiceLevelTarget(0.8, 20), QueueModel.ERLANG_A, 120)


def test_max_occupancy_caps_the_load_per_agent():
    # R-WFM-1: at 1,000 erlangs 80/20 alone needs ~1,010 agents (99% occupancy).
    capped = calculate_staffing(
        calls=10_000, aht_s=180, interval_s=1800, target=ServiceLevelTarget(0.8, 20), max_occupancy=0.85
    )
    assert capped.agents == math.ceil(1000 / 0.85)
    assert capped.metrics.occupancy <= 0.85


@pytest.mark.parametrize(("agents", "shrinkage", "expected"), [(14, 0.3, 20), (9, 0.1, 10), (10, 0.0, 10), (7, 0.35, 11), (0, 0.5, 0)])
def test_shrinkage_rounds_up_but_not_on_float_noise(agents, shrinkage, expected):
    # R-WFM-1: ceil(agents / (1 - shrinkage)); 14 / 0.7 is 20, not 21.
    assert int(calculate_agents_with_shrinkage(agents, shrinkage)) == expected


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"target": ServiceLevelTarget(1.0, 20)}, "service-level target"),
        ({"target": ServiceLevelTarget(0.0, 20)}, "service-level target"),
        ({"target": AsaTarget(0.0)}, "ASA"),
        ({"target": AbandonmentTarget(0.05)}, "abandonment"),
        ({"shrinkage": 1.0}, "shrinkage"),
        ({"max_occupancy": 0.0}, "occupancy"),
        ({"calls": -5.0}, "calls"),
        (
            {"patience_s": 60.0, "target": ServiceLevelTarget(0.8, 20, ServiceLevelDefinition.ANSWERED_WITHIN_T_OF_ANSWERED)},
            "only defined for Erlang C",
        ),
    ],
)
def test_bad_staffing_input_is_rejected_with_a_message(kwargs, message):
    # R-WFM-1
    args = {"calls": 100.0, "aht_s": 180.0, "interval_s": INTERVAL, "target": ServiceLevelTarget(0.8, 20)} | kwargs
    with pytest.raises(ValueError, match=message):
        calculate_staffing(**args)
