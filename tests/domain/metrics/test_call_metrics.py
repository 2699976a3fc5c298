from __future__ import annotations

import pytest

from calldesk.domain.metrics import (
    CallRecord,
    ServiceLevelDefinition,
    calculate_abandon_rate,
    calculate_aht,
    calculate_asa,
    calculate_occupancy,
    calculate_service_level,
    calculate_summary,
)

RECORDS = (
    CallRecord("answered", wait_s=5, talk_s=100, hold_s=20, wrap_s=30),
    CallRecord("answered", wait_s=15, talk_s=200, wrap_s=10),
    CallRecord("answered", wait_s=40, talk_s=60),
    CallRecord("abandoned", wait_s=3),  # short abandon
    CallRecord("abandoned", wait_s=50),
    CallRecord("voicemail", wait_s=30),
)


# R-OPS-2: service level = answered within T / answered
def test_service_level_over_answered() -> None:
    result = calculate_service_level(RECORDS, ServiceLevelDefinition(20, "answered"))
    assert result.value == pytest.approx(2 / 3)
    assert result.definition == "calls answered within 20 s / answered calls"


# R-OPS-2: ... over answered + abandoned
def test_service_level_over_answered_and_abandoned() -> None:
    result = calculate_service_level(RECORDS, ServiceLevelDefinition(20, "answered_abandoned"))
    assert (result.numerator, result.denominator) == (2, 5)
    assert "answered + abandoned" in result.definition


# R-OPS-2: ... over offered
def test_service_level_over_offered() -> None:
    result = calculate_service_level(RECORDS, ServiceLevelDefinition(20, "offered"))
    assert (result.numerator, result.denominator) == (2, 6)


# R-OPS-2: short abandons excluded from numerator and denominator
def test_service_level_excluding_short_abandons() -> None:
    definition = ServiceLevelDefinition(20, "offered", short_abandon_s=5)
    result = calculate_service_level(RECORDS, definition)
    assert (result.numerator, result.denominator) == (2, 5)
    assert result.definition.endswith("abandons within 5 s excluded from both")
    assert "40.0 %" in result.format()


# R-OPS-2
def test_asa_is_mean_wait_of_answered_calls() -> None:
    result = calculate_asa(RECORDS)
    assert result.value == pytest.approx(20.0)
    assert "answered calls" in result.definition


# R-OPS-2: AHT includes talk, hold and wrap-up
def test_aht_is_talk_plus_hold_plus_wrap_up() -> None:
    result = calculate_aht(RECORDS)
    assert result.value == pytest.approx((150 + 210 + 60) / 3)
    assert "talk + hold + wrap-up" in result.definition


# R-OPS-2
def test_abandon_rate_with_and_without_short_abandons() -> None:
    assert calculate_abandon_rate(RECORDS).value == pytest.approx(2 / 6)
    assert calculate_abandon_rate(RECORDS, short_abandon_s=5).value == pytest.approx(1 / 5)


# R-OPS-2
def test_occupancy_is_handle_time_over_available_time() -> None:
    result = calculate_occupancy(RECORDS, staffed_s=840)
    assert result.value == pytest.approx(420 / 840)
    assert "breaks" in result.definition


# R-OPS-2: no calls -> no figure, not a division error
def test_empty_input_gives_no_value() -> None:
    for result in calculate_summary((), ServiceLevelDefinition(20), staffed_s=0):
        assert result.value is None
        assert "n/a" in result.format()


# R-OPS-2
def test_bad_records_and_definitions_are_refused() -> None:
    with pytest.raises(ValueError, match="outcome"):
        CallRecord("lost", wait_s=1)
    with pytest.raises(ValueError, match=">= 0"):
        CallRecord("answered", wait_s=-1)
    with pytest.raises(ValueError, match="denominator"):
        ServiceLevelDefinition(20, "everything")  # type: ignore[arg-type]
