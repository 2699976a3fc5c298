"""Spec <-> JSON (R-HL-1)."""

from __future__ import annotations

import json
from datetime import date, time

import pytest
from hypothesis import given, settings

from calldesk.domain.hotlines import (
    SCHEMA_VERSION,
    DayException,
    HotlineSpec,
    SpecFormatError,
    TimeRange,
    WorkingHours,
    spec_from_dict,
    spec_to_dict,
)

from .builders import sample_spec, spec_strategy


# R-HL-1: every spec survives the trip through JSON unchanged, valid or not (drafts are stored).
@settings(max_examples=100, deadline=None)
@given(spec_strategy)
def test_any_spec_round_trips_through_json(spec: HotlineSpec) -> None:
    data = spec_to_dict(spec)
    assert spec_from_dict(json.loads(json.dumps(data))) == spec
    assert spec_to_dict(spec_from_dict(data)) == data


# R-HL-1: the stored JSON is stable (same key order every time), so versions compare as text.
def test_dict_has_stable_key_order() -> None:
    data = spec_to_dict(sample_spec())
    assert list(data) == [
        "schema",
        "topics",
        "fields",
        "hours",
        "messages",
        "options",
        "planned_operators",
        "reports",
    ]
    assert list(data["hours"]) == ["time_zone", "weekly", "holidays", "exceptions"]
    assert list(data["hours"]["weekly"]) == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    assert json.dumps(data) == json.dumps(spec_to_dict(sample_spec()))


# R-HL-1: times are written HH:MM and an end of midnight as 24:00.
def test_times_are_written_readably() -> None:
    hours = WorkingHours(
        "UTC",
        weekly=((TimeRange(time(9), time(0)),), (TimeRange(time(0), time(12, 30, 15)),))
        + ((),) * 5,
    )
    weekly = spec_to_dict(HotlineSpec(hours=hours))["hours"]["weekly"]
    assert weekly["mon"] == [["09:00", "24:00"]]
    assert weekly["tue"] == [["00:00", "12:30:15"]]


# R-HL-1: older stored JSON without optional sections still loads.
def test_missing_optional_sections_take_defaults() -> None:
    spec = spec_from_dict({"hours": {"time_zone": "Asia/Vladivostok"}})
    assert spec == HotlineSpec(hours=WorkingHours("Asia/Vladivostok"))


# R-HL-1: a malformed week (not 7 days) is kept as it is, so the draft can show its error.
def test_malformed_week_round_trips() -> None:
    spec = HotlineSpec(hours=WorkingHours("UTC", weekly=((TimeRange(time(9), time(10)),),)))
    assert spec_from_dict(spec_to_dict(spec)) == spec


# R-HL-1: exceptions keep their date and ranges.
def test_exceptions_round_trip() -> None:
    hours = WorkingHours(
        "UTC",
        exceptions=(DayException(date(2025, 5, 9)),),
    )
    data = spec_to_dict(HotlineSpec(hours=hours))
    assert data["hours"]["exceptions"] == [{"date": "2025-05-09", "ranges": []}]


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ([], ""),
        ({}, "hours"),
        ({"schema": SCHEMA_VERSION + 1, "hours": {"time_zone": "UTC"}}, "schema"),
        ({"hours": {}}, "hours.time_zone"),
        ({"hours": {"time_zone": 3}}, "hours.time_zone"),
        (
            {"hours": {"time_zone": "UTC", "weekly": {"mon": [["9", "10:00"]]}}},
            "hours.weekly.mon[0][0]",
        ),
        ({"hours": {"time_zone": "UTC", "weekly": {"mon": [["09:00"]]}}}, "hours.weekly.mon[0]"),
        (
            {"hours": {"time_zone": "UTC", "weekly": {"mon": [["24:00", "10:00"]]}}},
            "hours.weekly.mon[0][0]",
        ),
        (
            {"hours": {"time_zone": "UTC", "weekly": {"mon": [["09:00+03:00", "10:00"]]}}},
            "hours.weekly.mon[0][0]",
        ),
        ({"hours": {"time_zone": "UTC", "weekly": {"funday": []}}}, "hours.weekly"),
        ({"hours": {"time_zone": "UTC", "holidays": ["2025-13-01"]}}, "hours.holidays[0]"),
        ({"hours": {"time_zone": "UTC", "exceptions": [{}]}}, "hours.exceptions[0].date"),
        ({"hours": {"time_zone": "UTC"}, "topics": [{"name": "x"}]}, "topics[0].code"),
        ({"hours": {"time_zone": "UTC"}, "topics": {}}, "topics"),
        (
            {"hours": {"time_zone": "UTC"}, "fields": [{"key": "a", "type": "colour"}]},
            "fields[0].type",
        ),
        (
            {
                "hours": {"time_zone": "UTC"},
                "fields": [{"key": "a", "type": "text", "required": "yes"}],
            },
            "fields[0].required",
        ),
        (
            {
                "hours": {"time_zone": "UTC"},
                "fields": [{"key": "a", "type": "number", "rules": {"min_value": 1.5}}],
            },
            "fields[0].rules.min_value",
        ),
        (
            {
                "hours": {"time_zone": "UTC"},
                "fields": [{"key": "a", "type": "number", "rules": {"min_value": "NaN"}}],
            },
            "fields[0].rules.min_value",
        ),
        (
            {
                "hours": {"time_zone": "UTC"},
                "fields": [{"key": "a", "type": "number", "rules": {"max_value": "lots"}}],
            },
            "fields[0].rules.max_value",
        ),
        (
            {
                "hours": {"time_zone": "UTC"},
                "fields": [{"key": "a", "type": "text", "rules": {"max_length": True}}],
            },
            "fields[0].rules.max_length",
        ),
        ({"hours": {"time_zone": "UTC"}, "messages": [{"kind": "closed"}]}, "messages[0].language"),
        ({"hours": {"time_zone": "UTC"}, "options": {"voicemail": 1}}, "options.voicemail"),
        ({"hours": {"time_zone": "UTC"}, "planned_operators": "3"}, "planned_operators"),
        (
            {"hours": {"time_zone": "UTC"}, "reports": [{"report": "x", "frequency": "hourly"}]},
            "reports[0].frequency",
        ),
    ],
)
def test_malformed_json_is_refused_with_its_path(data: object, path: str) -> None:
    # R-HL-1: bad stored or submitted JSON gives a clear error pointing at the spot.
    with pytest.raises(SpecFormatError) as caught:
        spec_from_dict(data)  # type: ignore[arg-type]
    assert caught.value.path == path
