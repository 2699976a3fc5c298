from __future__ import annotations

import numpy as np
import pytest

from calldesk.domain.metrics import (
    ServiceLevelDefinition,
    calculate_abandon_rate,
    calculate_service_level,
)
from calldesk.domain.simulation import (
    Break,
    Empirical,
    Exponential,
    IntervalArrivals,
    LogNormal,
    ModelError,
    PoissonArrivals,
    ReplayedArrivals,
    SimulationModel,
    Staffing,
    check_fast_path,
    simulate,
)
from calldesk.domain.simulation.model import draw_durations


def _erlang_a(calls: int = 3_000, agents: int = 10, **extra: object) -> SimulationModel:
    return SimulationModel(
        arrivals=PoissonArrivals(9.5 / 180, calls),
        handle_time=Exponential(180),
        staffing=Staffing.constant(agents),
        patience=Exponential(120),
        **extra,  # type: ignore[arg-type]
    )


def _same(a: object, b: object) -> bool:
    fields = ("offered_at", "wait_s", "talk_s", "outcome", "found_free")
    return all(np.array_equal(getattr(a, f), getattr(b, f)) for f in fields)


# R-OPS-2: same seed -> same per-call results, on both engines
@pytest.mark.parametrize("engine", ["fast", "router"])
def test_same_seed_gives_identical_per_call_results(engine: str) -> None:
    model = _erlang_a()
    first = simulate(model, np.random.default_rng(42), engine)  # type: ignore[arg-type]
    second = simulate(model, np.random.default_rng(42), engine)  # type: ignore[arg-type]
    other = simulate(model, np.random.default_rng(43), engine)  # type: ignore[arg-type]
    assert _same(first, second)
    assert not _same(first, other)


# R-OPS-2: the fast path and the production router agree call by call
def test_fast_path_and_router_agree_call_by_call() -> None:
    model = _erlang_a(calls=4_000, wrap_up_s=15.0)
    fast = simulate(model, np.random.default_rng(5), "fast")
    routed = simulate(model, np.random.default_rng(5), "router")
    assert fast.engine.startswith("fast") and routed.engine.startswith("router")
    assert np.array_equal(fast.outcome, routed.outcome)
    assert np.array_equal(fast.found_free, routed.found_free)
    assert np.allclose(fast.wait_s, routed.wait_s, rtol=0, atol=1e-6)


# R-OPS-2: auto picks the router when the model needs it, and says so
def test_auto_engine_uses_the_router_for_changing_staffing() -> None:
    model = SimulationModel(
        arrivals=IntervalArrivals(1800, (0.02, 0.05, 0.01)),
        handle_time=LogNormal(200, 120),
        staffing=Staffing((3, 8, 2), interval_s=1800),
        patience=Exponential(90),
    )
    assert check_fast_path(model) == "staffing changes between intervals"
    result = simulate(model, np.random.default_rng(1))
    assert result.engine.startswith("router")
    with pytest.raises(ModelError, match="fast path impossible"):
        simulate(model, np.random.default_rng(1), "fast")
    summary = result.summarize(20)
    assert summary.offered == summary.answered + summary.abandoned + summary.voicemail


# R-HL-5: an interval without agents sends callers to voicemail; nothing is lost
def test_unstaffed_interval_sends_calls_to_voicemail() -> None:
    model = SimulationModel(
        arrivals=ReplayedArrivals((10.0, 20.0, 4000.0, 4010.0)),
        handle_time=Exponential(60),
        staffing=Staffing((2, 0), interval_s=3600),
    )
    summary = simulate(model, np.random.default_rng(3)).summarize(20)
    assert (summary.offered, summary.answered, summary.voicemail) == (4, 2, 2)


# R-OPS-2: breaks take agents away for their duration
def test_breaks_reduce_capacity() -> None:
    base = _erlang_a(calls=2_000, agents=4)
    breaks = tuple(Break(k, 3_600.0, 7_200.0, "lunch") for k in range(3))
    with_breaks = SimulationModel(**{**_fields(base), "breaks": breaks})
    plain = simulate(base, np.random.default_rng(9), "router").summarize(20)
    tired = simulate(with_breaks, np.random.default_rng(9), "router").summarize(20)
    assert tired.abandon_rate > plain.abandon_rate
    assert tired.offered == tired.answered + tired.abandoned


def _fields(model: SimulationModel) -> dict[str, object]:
    return {name: getattr(model, name) for name in model.__slots__}  # type: ignore[attr-defined]


# R-OPS-2: the summary uses exactly the metrics package's definitions
def test_summary_agrees_with_metrics_definitions() -> None:
    result = simulate(_erlang_a(calls=3_000, warmup_calls=300), np.random.default_rng(8), "router")
    summary = result.summarize(20)
    records = result.records()
    assert len(records) == summary.offered == 2_700
    sl = calculate_service_level(records, ServiceLevelDefinition(20, "offered"))
    assert summary.service_level == pytest.approx(sl.value)
    assert dict(summary.definitions)["service_level"] == sl.definition
    assert summary.abandon_rate == pytest.approx(calculate_abandon_rate(records).value)
    assert summary.occupancy is not None and 0 < summary.occupancy <= 1


# R-OPS-2: handle time distributions have the requested means
def test_duration_distributions() -> None:
    rng = np.random.default_rng(0)
    assert draw_durations(LogNormal(180, 90), 200_000, rng).mean() == pytest.approx(180, rel=0.01)
    assert draw_durations(LogNormal(180, 90), 200_000, rng).std() == pytest.approx(90, rel=0.03)
    empirical = draw_durations(Empirical((60.0, 120.0)), 1_000, rng)
    assert set(empirical.tolist()) == {60.0, 120.0}


# R-OPS-2: nobody abandons without patience
def test_no_patience_means_no_abandons() -> None:
    model = SimulationModel(PoissonArrivals(9.9 / 180, 3_000), Exponential(180),
                            Staffing.constant(10))
    assert simulate(model, np.random.default_rng(2)).summarize(20).abandoned == 0


# R-OPS-2
def test_invalid_models_are_refused() -> None:
    with pytest.raises(ModelError, match="rate_per_s"):
        simulate(SimulationModel(PoissonArrivals(0, 10), Exponential(1), Staffing.constant(1)),
                 np.random.default_rng(0))
    with pytest.raises(ModelError, match="at least one agent"):
        simulate(SimulationModel(PoissonArrivals(1, 10), Exponential(1), Staffing.constant(0)),
                 np.random.default_rng(0))
