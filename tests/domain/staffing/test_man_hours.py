"""Man-hours per operator / hotline / month (R-WFM-1, R-REP-2, R-REP-5)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import numpy as np
import pytest

from calldesk.domain.staffing import (
    AgentStateInterval,
    ServiceLevelTarget,
    calculate_hotline_man_hours,
    calculate_man_hours,
    calculate_planned_man_hours,
)

PRODUCTIVE = frozenset({"talk", "wrap"})
PLUS2 = timezone(timedelta(hours=2))


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


LOG = [
    AgentStateInterval("a1", "ready", _utc(2024, 1, 31, 20), _utc(2024, 1, 31, 22), "h1"),
    # spans midnight at the January/February boundary (UTC)
    AgentStateInterval("a1", "talk", _utc(2024, 1, 31, 22), _utc(2024, 2, 1, 2), "h1"),
    AgentStateInterval("a1", "wrap", _utc(2024, 2, 1, 2), _utc(2024, 2, 1, 2, 15), "h1"),
    AgentStateInterval("a1", "break", _utc(2024, 1, 15, 10), _utc(2024, 1, 15, 10, 30), "h1"),
    AgentStateInterval("a1", "offline", _utc(2024, 1, 15, 11), _utc(2024, 1, 15, 20), "h1"),
    AgentStateInterval("a1", "talk", _utc(2024, 1, 16, 9), _utc(2024, 1, 16, 10), "h2"),
    # local midnight (+02:00) is not the split point: 23:00-01:00 UTC is split at 00:00 UTC
    AgentStateInterval("a2", "talk", datetime(2024, 2, 1, 1, tzinfo=PLUS2), datetime(2024, 2, 1, 3, tzinfo=PLUS2), "h1"),
]


def test_man_hours_split_by_utc_month_per_operator_and_hotline():
    # R-WFM-1, R-REP-2: productive vs logged-in hours; midnight-spanning state split by month.
    rows = calculate_man_hours(LOG, productive_states=PRODUCTIVE, logged_out_states=frozenset({"offline"}))
    table = {(r.month, r.agent_id, r.hotline_id): (r.productive_hours, r.logged_in_hours) for r in rows}
    jan, feb = date(2024, 1, 1), date(2024, 2, 1)
    assert table == {
        (jan, "a1", "h1"): (Decimal("2.0000"), Decimal("4.5000")),  # talk 22-24, ready 2 h, break 0.5 h
        (jan, "a1", "h2"): (Decimal("1.0000"), Decimal("1.0000")),
        (jan, "a2", "h1"): (Decimal("1.0000"), Decimal("1.0000")),
        (feb, "a1", "h1"): (Decimal("2.2500"), Decimal("2.2500")),  # talk 00-02 + wrap 15 min
        (feb, "a2", "h1"): (Decimal("1.0000"), Decimal("1.0000")),
    }


def test_hotline_totals_sum_operators_per_month():
    # R-WFM-1, R-REP-5
    rows = calculate_man_hours(LOG, productive_states=PRODUCTIVE, logged_out_states=frozenset({"offline"}))
    totals = {(t.month, t.hotline_id): (t.agents, t.productive_hours, t.logged_in_hours) for t in calculate_hotline_man_hours(rows)}
    assert totals[(date(2024, 1, 1), "h1")] == (2, Decimal("3.0000"), Decimal("5.5000"))
    assert totals[(date(2024, 2, 1), "h1")] == (2, Decimal("3.2500"), Decimal("3.2500"))
    assert totals[(date(2024, 1, 1), "h2")] == (1, Decimal("1.0000"), Decimal("1.0000"))


def test_year_boundary_and_bad_intervals():
    # R-WFM-1
    rows = calculate_man_hours(
        [AgentStateInterval("a", "talk", _utc(2023, 12, 31, 23, 30), _utc(2024, 1, 1, 0, 45), "h")],
        productive_states=PRODUCTIVE,
    )
    assert [(r.month, r.productive_hours) for r in rows] == [(date(2023, 12, 1), Decimal("0.5000")), (date(2024, 1, 1), Decimal("0.7500"))]
    with pytest.raises(ValueError, match="timezone-aware"):
        calculate_man_hours([AgentStateInterval("a", "talk", datetime(2024, 1, 1), datetime(2024, 1, 1, 1), "h")], productive_states=PRODUCTIVE)
    with pytest.raises(ValueError, match="ends before"):
        calculate_man_hours([AgentStateInterval("a", "talk", _utc(2024, 1, 1, 2), _utc(2024, 1, 1, 1), "h")], productive_states=PRODUCTIVE)


def test_planned_man_hours_come_from_forecast_volume_and_staffing():
    # R-WFM-1, R-REP-5: 4 half-hours of 100 calls need 14 agents each (20 with 30% shrinkage).
    planned = calculate_planned_man_hours(
        hotline_id="h1",
        month=date(2024, 3, 1),
        calls=np.array([100.0, 100.0, 100.0, 100.0, 0.0]),
        aht_s=180,
        interval_s=1800,
        target=ServiceLevelTarget(0.8, 20),
        shrinkage=0.3,
    )
    assert planned.intervals == 5
    assert planned.productive_hours == Decimal("28.0000")
    assert planned.paid_hours == Decimal("40.0000")
    with pytest.raises(ValueError, match="first day"):
        calculate_planned_man_hours(
            hotline_id="h1", month=date(2024, 3, 2), calls=np.array([1.0]), aht_s=180, interval_s=1800,
            target=ServiceLevelTarget(0.8, 20),
        )
