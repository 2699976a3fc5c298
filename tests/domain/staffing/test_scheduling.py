"""Shift scheduling with labour rules, skills and availability (R-WFM-1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from calldesk.domain.staffing import (
    LabourRules,
    Operator,
    ScheduleStatus,
    SchedulingProblem,
    ShiftTemplate,
    calculate_schedule,
)

START = datetime(2024, 3, 4, tzinfo=UTC)  # a Monday, local midnight of day 0
HOUR = 60


def _need(days: int, blocks: dict[tuple[int, int], float]) -> tuple[float, ...]:
    """Hourly need over ``days``; ``blocks`` maps (from_hour, to_hour) of every day to agents."""
    values = [0.0] * (24 * days)
    for day in range(days):
        for (begin, end), agents in blocks.items():
            for hour in range(begin, end):
                values[day * 24 + hour] = agents
    return tuple(values)


def _always(days: int) -> tuple[tuple[datetime, datetime], ...]:
    return ((START, START + timedelta(days=days)),)


def _operator(name: str, days: int = 1, skills: frozenset[str] = frozenset({"main"}), **kw: object) -> Operator:
    return Operator(name, skills, _always(days), **kw)


def test_known_optimum_is_found_and_costed_exactly():
    # R-WFM-1: need 2 agents 08-12 and 1 agent 12-16 -> 12 paid hours at 10/h.
    problem = SchedulingProblem(
        start=START,
        days=1,
        interval_minutes=HOUR,
        need={"main": _need(1, {(8, 12): 2, (12, 16): 1})},
        templates=(
            ShiftTemplate("early", (8 * HOUR,), 4 * HOUR),
            ShiftTemplate("late", (12 * HOUR,), 4 * HOUR),
            ShiftTemplate("day", (8 * HOUR,), 8 * HOUR),
        ),
        operators=tuple(_operator(f"op{i}", hourly_cost=Decimal("10")) for i in range(4)),
    )
    schedule = calculate_schedule(problem)
    assert schedule.status is ScheduleStatus.OPTIMAL and schedule.message == ""
    assert schedule.cost == Decimal("120.00")
    assert sum(a.paid_hours for a in schedule.assignments) == 12
    assert all(c.understaffed == 0 and c.overstaffed == 0 for c in schedule.coverage)
    assert [c.scheduled for c in schedule.coverage[8:16]] == [2, 2, 2, 2, 1, 1, 1, 1]


def test_labour_rules_are_respected_over_a_week():
    # R-WFM-1: early 06-14 and late 14-22 every day; 40 h/week, 11 h rest, 10 h/day.
    days = 7
    problem = SchedulingProblem(
        start=START,
        days=days,
        interval_minutes=HOUR,
        need={"main": _need(days, {(6, 14): 1, (14, 22): 1})},
        templates=(
            ShiftTemplate("early", (6 * HOUR,), 8 * HOUR),
            ShiftTemplate("late", (14 * HOUR,), 8 * HOUR),
            ShiftTemplate("double", (6 * HOUR,), 12 * HOUR),  # over 10 h/day: never used
        ),
        operators=tuple(_operator(name, days) for name in ("ana", "ben", "cem")),
        rules=LabourRules(max_hours_per_day=10, max_hours_per_week=40, min_rest_hours=11),
    )
    schedule = calculate_schedule(problem)
    assert schedule.status is ScheduleStatus.OPTIMAL
    assert all(c.understaffed == 0 for c in schedule.coverage)
    assert {a.template for a in schedule.assignments} <= {"early", "late"}
    for operator in ("ana", "ben", "cem"):
        shifts = sorted(schedule.assignments_of(operator), key=lambda a: a.start)
        assert sum(a.paid_hours for a in shifts) <= 40
        assert len({a.day for a in shifts}) == len(shifts)  # at most one shift a day
        for first, second in zip(shifts, shifts[1:], strict=False):
            assert second.start - first.end >= timedelta(hours=11)


def test_under_and_over_staffing_are_reported_per_interval():
    # R-WFM-1: one operator, one 4-hour shift; need 2 at 08-10 and nothing at 10-12.
    problem = SchedulingProblem(
        start=START,
        days=1,
        interval_minutes=HOUR,
        need={"main": _need(1, {(8, 10): 2})},
        templates=(ShiftTemplate("morning", (8 * HOUR,), 4 * HOUR),),
        operators=(_operator("solo"),),
    )
    schedule = calculate_schedule(problem)
    assert schedule.status is ScheduleStatus.OPTIMAL
    by_hour = {c.start.hour: c for c in schedule.coverage}
    assert [(by_hour[h].required, by_hour[h].scheduled, by_hour[h].understaffed, by_hour[h].overstaffed) for h in (8, 9, 10, 11)] == [
        (2, 1, 1, 0),
        (2, 1, 1, 0),
        (0, 1, 0, 1),
        (0, 1, 0, 1),
    ]
    assert by_hour[8].understaffed_by_skill == (("main", 1.0),)
    assert sum(c.understaffed for c in schedule.coverage) == 2


def test_infeasible_availability_is_reported_clearly():
    # R-WFM-1: full coverage demanded, but only one operator is available 08-12.
    problem = SchedulingProblem(
        start=START,
        days=1,
        interval_minutes=HOUR,
        need={"main": _need(1, {(8, 12): 2})},
        templates=(ShiftTemplate("morning", (8 * HOUR,), 4 * HOUR),),
        operators=(
            _operator("ana"),
            Operator("ben", frozenset({"main"}), ((START + timedelta(hours=13), START + timedelta(hours=20)),)),
        ),
        allow_understaffing=False,
    )
    schedule = calculate_schedule(problem)
    assert schedule.status is ScheduleStatus.INFEASIBLE
    assert "2024-03-04T08:00:00+00:00 skill 'main': need 2, at most 1 available" in schedule.message
    assert schedule.assignments == ()
    assert sum(c.understaffed for c in schedule.coverage) == 8


def test_infeasible_labour_rules_are_reported_clearly():
    # R-WFM-1: one operator could be there every day, but 40 h/week allows only 5 days.
    days = 7
    problem = SchedulingProblem(
        start=START,
        days=days,
        interval_minutes=HOUR,
        need={"main": _need(days, {(9, 17): 1})},
        templates=(ShiftTemplate("day", (9 * HOUR,), 8 * HOUR),),
        operators=(_operator("ana", days),),
        allow_understaffing=False,
    )
    schedule = calculate_schedule(problem)
    assert schedule.status is ScheduleStatus.INFEASIBLE
    assert "labour rules" in schedule.message
    relaxed = calculate_schedule(
        SchedulingProblem(**{**_fields(problem), "allow_understaffing": True})
    )
    assert relaxed.status is ScheduleStatus.OPTIMAL
    assert len(relaxed.assignments) == 5 and sum(c.understaffed for c in relaxed.coverage) == 16


def _fields(problem: SchedulingProblem) -> dict[str, object]:
    return {name: getattr(problem, name) for name in SchedulingProblem.__dataclass_fields__}


def test_break_is_placed_where_it_hurts_least():
    # R-WFM-1: 8-hour shift with a 1-hour unpaid break 3-5 hours in; nobody needed 12-13.
    problem = SchedulingProblem(
        start=START,
        days=1,
        interval_minutes=HOUR,
        need={"main": _need(1, {(8, 12): 1, (13, 16): 1})},
        templates=(ShiftTemplate("day", (8 * HOUR,), 8 * HOUR, HOUR, 3 * HOUR, 5 * HOUR),),
        operators=(_operator("ana", hourly_cost=Decimal("12.50")),),
    )
    schedule = calculate_schedule(problem)
    (shift,) = schedule.assignments
    assert shift.break_start == START + timedelta(hours=12)
    assert shift.paid_hours == 7 and schedule.cost == Decimal("87.50")
    assert all(c.understaffed == 0 and c.overstaffed == 0 for c in schedule.coverage)


def test_skills_limit_who_can_cover_what():
    # R-WFM-1: two agents needed on skill "de"; only ana and cem speak German.
    problem = SchedulingProblem(
        start=START,
        days=1,
        interval_minutes=HOUR,
        need={"de": _need(1, {(8, 12): 2}), "en": _need(1, {})},
        templates=(ShiftTemplate("morning", (8 * HOUR,), 4 * HOUR),),
        operators=(
            _operator("ana", skills=frozenset({"de"}), hourly_cost=Decimal("20")),
            _operator("ben", skills=frozenset({"en"}), hourly_cost=Decimal("1")),
            _operator("cem", skills=frozenset({"de", "en"}), hourly_cost=Decimal("20")),
        ),
    )
    schedule = calculate_schedule(problem)
    assert {a.operator_id for a in schedule.assignments} == {"ana", "cem"}
    assert all(c.understaffed == 0 for c in schedule.coverage)


def test_bad_scheduling_input_raises_value_error():
    # R-WFM-1
    with pytest.raises(ValueError, match="intervals"):
        calculate_schedule(
            SchedulingProblem(START, 1, HOUR, {"main": (1.0,)}, (ShiftTemplate("x", (0,), HOUR),), ())
        )
    with pytest.raises(ValueError, match="break"):
        ShiftTemplate("x", (0,), HOUR, break_minutes=HOUR)


@pytest.mark.parametrize(("rest_hours", "shifts", "short_hours"), [(11, 1, 8), (8, 2, 0)])
def test_minimum_rest_separates_a_late_shift_from_the_next_early_shift(rest_hours, shifts, short_hours):
    # R-WFM-1: late 14-22 on day 0, early 06-14 on day 1: 8 hours apart.
    need = [0.0] * 48
    for hour in range(14, 22):
        need[hour] = 1.0
    for hour in range(24 + 6, 24 + 14):
        need[hour] = 1.0
    problem = SchedulingProblem(
        start=START,
        days=2,
        interval_minutes=HOUR,
        need={"main": tuple(need)},
        templates=(ShiftTemplate("early", (6 * HOUR,), 8 * HOUR), ShiftTemplate("late", (14 * HOUR,), 8 * HOUR)),
        operators=(_operator("ana", 2),),
        rules=LabourRules(min_rest_hours=rest_hours),
    )
    schedule = calculate_schedule(problem)
    assert len(schedule.assignments) == shifts
    assert sum(c.understaffed for c in schedule.coverage) == short_hours
