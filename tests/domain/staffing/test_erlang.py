"""Erlang B / C / A measures (R-WFM-1)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.linalg import expm
from scipy.special import betaincc

from calldesk.domain.staffing import (
    QueueModel,
    ServiceLevelDefinition,
    calculate_erlang_b,
    calculate_erlang_c,
    calculate_queue_metrics,
    calculate_queue_metrics_array,
)
from tests.domain.staffing._chain import erlang_a_chain, erlang_b_recursion, erlang_c_from_b

Def = ServiceLevelDefinition
PATIENCE_RATIOS = [1e-4, 1e-3, 1e-2, 1e-1, 1.0, 1e1, 1e2, 1e3, 1e4]


def _metrics(agents: int, *, calls: float = 100, aht: float = 180, sl_s: float = 20, **kw: object):
    return calculate_queue_metrics(calls=calls, interval_s=1800, aht_s=aht, agents=agents, sl_seconds=sl_s, **kw)


def test_published_worked_example_at_14_and_11_agents():
    # R-WFM-1: 100 calls / 30 min, AHT 180 s, 80% in 20 s.
    m14 = _metrics(14)
    assert m14.model is QueueModel.ERLANG_C
    assert m14.offered_load_erlangs == pytest.approx(10.0)
    assert m14.p_wait == pytest.approx(0.1741319, abs=5e-8)
    assert m14.service_level == pytest.approx(0.88835, abs=5e-6)
    assert m14.asa_s == pytest.approx(7.8359, abs=5e-5)
    assert m14.occupancy == pytest.approx(10 / 14)
    assert m14.service_level_definition is Def.ANSWERED_WITHIN_T_OF_OFFERED
    m11 = _metrics(11)
    assert m11.p_wait == pytest.approx(0.6821182, abs=5e-8)
    assert m11.service_level == pytest.approx(0.3896138, abs=5e-8)


@pytest.mark.parametrize("load", [0.3, 2.5, 10.0, 97.3, 800.0, 5000.0])
def test_erlang_b_matches_the_recursion(load):
    # R-WFM-1: log-space Erlang B agrees with the textbook recursion at every size.
    for agents in sorted({1, 2, max(1, int(load * 0.5)), int(load) or 1, int(load) + 1, int(load * 1.2) + 3}):
        assert calculate_erlang_b(agents, load) == pytest.approx(erlang_b_recursion(agents, load), rel=1e-11)


@pytest.mark.parametrize("load", [0.3, 10.0, 97.3, 5000.0])
def test_erlang_c_matches_b_based_formula(load):
    # R-WFM-1
    for agents in (int(load) + 1, int(load) + 3, int(load * 1.3) + 5):
        assert calculate_erlang_c(agents, load) == pytest.approx(erlang_c_from_b(agents, load), rel=1e-10)
    assert calculate_erlang_c(int(load), load) == 1.0  # unstable: everybody waits


def test_five_thousand_erlangs_give_finite_sensible_measures():
    # R-WFM-1: large-load stability (no factorials, no overflow).
    calls, aht = 100_000.0, 180.0  # per hour -> 5000 erlangs
    for agents in (4_990, 5_001, 5_050, 5_200, 6_000):
        for model, patience in ((QueueModel.ERLANG_C, None), (QueueModel.ERLANG_A, 90.0), (QueueModel.ERLANG_B, None)):
            m = calculate_queue_metrics(
                calls=calls, interval_s=3600, aht_s=aht, agents=agents, sl_seconds=20, model=model, patience_s=patience
            )
            values = [m.p_wait, m.service_level, m.abandon_rate, m.occupancy]
            assert all(math.isfinite(v) and 0.0 <= v <= 1.0 for v in values), (model, agents, m)
            assert m.asa_s >= 0
            if model is not QueueModel.ERLANG_C or agents > 5000:
                assert math.isfinite(m.asa_s)
    c = calculate_queue_metrics(calls=calls, interval_s=3600, aht_s=aht, agents=5_050, sl_seconds=20)
    assert 0.0 < c.p_wait < 1.0 and 0.8 < c.service_level < 1.0


def test_twenty_thousand_erlangs_erlang_b_is_finite():
    # R-WFM-1
    assert 0.0 < calculate_erlang_b(20_000, 20_000.0) < 0.01
    assert calculate_erlang_b(10, 20_000.0) == pytest.approx(1 - 10 / 20_000, rel=1e-6)


def test_chain_reference_formula_matches_transient_markov_chain():
    # R-WFM-1: validates the per-state "answered within T" formula used by the reference
    # chain against a matrix exponential of the tagged caller's absorbing chain.
    n, mu, theta, t = 3, 1.0, 0.7, 0.4
    x = n * mu / theta
    for ahead in range(5):
        # states: ahead, ahead-1, ..., 0 (waiting), then served, abandoned
        m = ahead + 1
        q = np.zeros((m + 2, m + 2))
        for i in range(m):
            others = ahead - i  # callers still ahead of the tagged one
            q[i, i + 1 if i + 1 < m else m] += n * mu + others * theta
            q[i, m + 1] += theta
            q[i, i] = -q[i].sum()
        served_by_t = expm(q * t)[0, m]
        formula = x / (x + ahead + 1) * betaincc(x + 1, ahead + 1, math.exp(-theta * t))
        assert formula == pytest.approx(served_by_t, rel=1e-12)


@pytest.mark.parametrize("ratio", PATIENCE_RATIOS)
def test_erlang_a_matches_exact_birth_death_chain(ratio):
    # R-WFM-1: P(wait), abandonment, service level (answered within T / offered) and ASA
    # against the exact chain, 1e-10 relative, patience/AHT from 1e-4 to 1e4.
    for load in (3.0, 10.0, 47.3):
        for offset in (-3, -1, 0, 1, 2, 5):
            agents = max(1, int(load) + offset)
            for tau in (0.0, 20.0 / 180.0, 1.0):
                ref = erlang_a_chain(agents, load, ratio, tau)
                got = calculate_queue_metrics(
                    calls=load * 10, interval_s=1800, aht_s=180, agents=agents, sl_seconds=tau * 180,
                    model=QueueModel.ERLANG_A, patience_s=ratio * 180,
                )
                case = (load, agents, ratio, tau)
                assert got.p_wait == pytest.approx(ref.p_wait, rel=1e-10), case
                assert got.abandon_rate == pytest.approx(ref.abandon_rate, rel=1e-10), case
                assert got.service_level == pytest.approx(ref.service_level, rel=1e-10), case
                assert got.asa_s / 180 == pytest.approx(ref.asa_aht, rel=1e-9), case


@pytest.mark.parametrize("load", [500.0, 2000.0])
def test_erlang_a_matches_chain_at_large_load(load):
    # R-WFM-1
    for offset in (-30, 0, 20):
        for ratio in (1e-4, 1.0, 1e4):
            agents = int(load) + offset
            ref = erlang_a_chain(agents, load, ratio, 0.1)
            got = calculate_queue_metrics(
                calls=load * 10, interval_s=1800, aht_s=180, agents=agents, sl_seconds=18,
                model=QueueModel.ERLANG_A, patience_s=ratio * 180,
            )
            assert got.p_wait == pytest.approx(ref.p_wait, rel=1e-10)
            assert got.abandon_rate == pytest.approx(ref.abandon_rate, rel=1e-10)
            assert got.service_level == pytest.approx(ref.service_level, rel=1e-10)


@pytest.mark.parametrize("agents", [8, 10, 12, 15])
def test_erlang_a_tends_to_erlang_b_when_callers_have_no_patience(agents):
    # R-WFM-1: theta -> inf.
    m = _metrics(agents, model=QueueModel.ERLANG_A, patience_s=180e-9)
    b = erlang_b_recursion(agents, 10.0)
    assert m.p_wait == pytest.approx(b, rel=1e-6)
    assert m.abandon_rate == pytest.approx(b, rel=1e-6)
    assert m.service_level == pytest.approx(1 - b, rel=1e-6)
    blocked = _metrics(agents, model=QueueModel.ERLANG_B)
    assert blocked.p_wait == pytest.approx(b, rel=1e-12) and blocked.abandon_rate == blocked.p_wait


@pytest.mark.parametrize("agents", [11, 12, 14, 20])
def test_erlang_a_tends_to_erlang_c_when_callers_never_give_up(agents):
    # R-WFM-1: theta -> 0; infinite patience is Erlang C exactly.
    c = _metrics(agents)
    nearly = _metrics(agents, model=QueueModel.ERLANG_A, patience_s=180e9)
    assert nearly.p_wait == pytest.approx(c.p_wait, rel=1e-6)
    assert nearly.service_level == pytest.approx(c.service_level, rel=1e-6)
    assert nearly.asa_s == pytest.approx(c.asa_s, rel=1e-6)
    assert nearly.abandon_rate < 1e-6
    exact = _metrics(agents, model=QueueModel.ERLANG_A, patience_s=math.inf)
    assert (exact.p_wait, exact.service_level, exact.asa_s) == (c.p_wait, c.service_level, c.asa_s)


def test_service_level_definitions_are_reported_and_ordered():
    # R-WFM-1: the definition is explicit in every result; with abandonment the
    # over-answered and excluding-short-abandons variants are at least the over-offered one.
    values = {}
    for definition in Def:
        m = _metrics(9, model=QueueModel.ERLANG_A, patience_s=60, sl_definition=definition)
        assert m.service_level_definition is definition
        values[definition] = m.service_level
    base = values[Def.ANSWERED_WITHIN_T_OF_OFFERED]
    assert values[Def.ANSWERED_WITHIN_T_OF_ANSWERED] > base
    assert values[Def.ANSWERED_WITHIN_T_OF_OFFERED_EXCLUDING_SHORT_ABANDONS] > base
    assert values[Def.ANSWERED_OR_ABANDONED_WITHIN_T_OF_OFFERED] > base
    # Without abandonment they coincide.
    c_values = {d: _metrics(14, sl_definition=d).service_level for d in Def}
    assert len(set(c_values.values())) == 1


def test_abandoned_within_t_counts_are_consistent_with_the_chain():
    # R-WFM-1: (answered + abandoned) within T at T -> inf is 1 (everybody is done).
    m = _metrics(9, model=QueueModel.ERLANG_A, patience_s=60, sl_s=1e6, sl_definition=Def.ANSWERED_OR_ABANDONED_WITHIN_T_OF_OFFERED)
    assert m.service_level == pytest.approx(1.0, abs=1e-12)
    answered = _metrics(9, model=QueueModel.ERLANG_A, patience_s=60, sl_s=1e6)
    assert answered.service_level == pytest.approx(1 - answered.abandon_rate, rel=1e-12)


def test_zero_calls_and_zero_agents_are_handled():
    # R-WFM-1
    idle = _metrics(3, calls=0)
    assert (idle.p_wait, idle.service_level, idle.asa_s, idle.occupancy) == (0.0, 1.0, 0.0, 0.0)
    arrays = calculate_queue_metrics_array(
        calls=np.array([100.0, 100.0]), interval_s=1800, aht_s=180.0, agents=np.array([0, 0]),
        sl_seconds=20, model=QueueModel.ERLANG_A, patience_s=60,
    )
    assert arrays.p_wait.tolist() == [1.0, 1.0] and arrays.abandon_rate.tolist() == [1.0, 1.0]
    assert arrays.service_level.tolist() == [0.0, 0.0]


def test_vectorised_and_scalar_evaluation_agree():
    # R-WFM-1
    calls = np.array([50.0, 100.0, 400.0])
    agents = np.array([7, 14, 45])
    arrays = calculate_queue_metrics_array(calls=calls, interval_s=1800, aht_s=180.0, agents=agents, sl_seconds=20)
    for i in range(3):
        assert arrays.at(i) == _metrics(int(agents[i]), calls=float(calls[i]))
    with pytest.raises(ValueError):
        arrays.p_wait[0] = 0.5  # results are read-only


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"calls": -1}, "calls"),
        ({"aht": 0}, "AHT"),
        ({"sl_s": -5}, "seconds"),
        ({"model": QueueModel.ERLANG_A}, "patience"),
        ({"model": QueueModel.ERLANG_C, "patience_s": 30.0}, "patience"),
    ],
)
def test_bad_input_is_rejected_with_a_message(kwargs, message):
    # R-WFM-1
    with pytest.raises(ValueError, match=message):
        _metrics(10, **kwargs)
