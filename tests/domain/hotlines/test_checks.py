"""Spec consistency checks (R-HL-1) and proposal readiness (R-HL-2)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from decimal import Decimal

import pytest
from hypothesis import given, settings

from calldesk.domain.hotlines import (
    DEFAULT_MESSAGES,
    DayException,
    FieldRules,
    FieldType,
    FormField,
    HotlineSpec,
    Message,
    MessageKind,
    ReportFrequency,
    ReportSubscription,
    SpecError,
    TimeRange,
    Topic,
    WorkingHours,
    check_spec,
    check_spec_for_proposal,
    weekly_ranges,
)

from .builders import office_hours, sample_spec, spec_strategy


def codes_at(errors: list[SpecError]) -> set[tuple[str, str]]:
    return {(e.path, e.code) for e in errors}


# R-HL-1
def test_sample_spec_has_no_problems() -> None:
    assert check_spec(sample_spec()) == []
    assert check_spec_for_proposal(sample_spec()) == []


# R-HL-1: a range must end after it starts.
def test_empty_range_is_reported() -> None:
    spec = sample_spec(hours=office_hours(mon=[(time(18), time(9))], tue=[(time(9), time(9))]))
    errors = check_spec(spec)
    assert codes_at(errors) == {
        ("hours.weekly.mon[0]", "EMPTY_RANGE"),
        ("hours.weekly.tue[0]", "EMPTY_RANGE"),
    }
    assert errors[0].params == {"start": "18:00", "end": "09:00"}


# R-HL-1: an end of 00:00 is midnight, so 22:00-00:00 and 00:00-00:00 are fine.
def test_range_ending_at_midnight_is_not_empty() -> None:
    spec = sample_spec(hours=office_hours(mon=[(time(22), time(0))], tue=[(time(0), time(0))]))
    assert check_spec(spec) == []


# R-HL-1: ranges of one day must not overlap; touching is fine.
def test_overlapping_ranges_are_reported() -> None:
    spec = sample_spec(
        hours=office_hours(
            wed=[(time(9), time(13)), (time(12), time(18)), (time(18), time(20))],
        )
    )
    errors = check_spec(spec)
    assert codes_at(errors) == {("hours.weekly.wed[1]", "OVERLAPPING_RANGES")}
    assert errors[0].params == {
        "start": "12:00",
        "end": "18:00",
        "other_start": "09:00",
        "other_end": "13:00",
        "other_index": 0,
    }


# R-HL-1: exceptions are checked like weekly hours, and a date may have one exception only.
def test_exception_ranges_and_duplicate_dates_are_reported() -> None:
    hours = replace(
        office_hours(),
        exceptions=(
            DayException(date(2025, 5, 9), (TimeRange(time(10), time(9)),)),
            DayException(
                date(2025, 5, 10), (TimeRange(time(10), time(12)), TimeRange(time(11), time(13)))
            ),
            DayException(date(2025, 5, 9)),
        ),
    )
    assert codes_at(check_spec(sample_spec(hours=hours))) == {
        ("hours.exceptions[0].ranges[0]", "EMPTY_RANGE"),
        ("hours.exceptions[1].ranges[1]", "OVERLAPPING_RANGES"),
        ("hours.exceptions[2].date", "DUPLICATE_EXCEPTION_DATE"),
    }


# R-HL-1: a week has seven days.
def test_wrong_weekday_count_is_reported() -> None:
    hours = WorkingHours("UTC", weekly=((TimeRange(time(9), time(8)),),))
    assert codes_at(check_spec(sample_spec(hours=hours))) == {
        ("hours.weekly", "WRONG_WEEKDAY_COUNT"),
        ("hours.weekly.days[0][0]", "EMPTY_RANGE"),
    }


@pytest.mark.parametrize(
    "name", ["Europe/Moskow", "", "localtime", "../etc/passwd", "/etc/localtime", "Europe"]
)
def test_invalid_time_zone_is_reported(name: str) -> None:
    # R-HL-1: only real IANA names, and none that depend on the host's settings.
    spec = sample_spec(hours=replace(office_hours(), time_zone=name))
    assert codes_at(check_spec(spec)) == {("hours.time_zone", "INVALID_TIME_ZONE")}


@pytest.mark.parametrize("name", ["Europe/Berlin", "Asia/Vladivostok", "UTC", "America/Sao_Paulo"])
def test_real_time_zones_pass(name: str) -> None:
    # R-HL-1
    assert check_spec(sample_spec(hours=replace(office_hours(), time_zone=name))) == []


# R-HL-1: topic codes are unique and not blank.
def test_duplicate_and_empty_topic_codes_are_reported() -> None:
    spec = sample_spec(topics=(Topic("a", "A"), Topic(" ", "Blank"), Topic("a", "A again")))
    errors = check_spec(spec)
    assert codes_at(errors) == {
        ("topics[1].code", "EMPTY_TOPIC_CODE"),
        ("topics[2].code", "DUPLICATE_TOPIC_CODE"),
    }
    assert errors[1].params == {"code": "a", "first_index": 0}


# R-HL-1: field keys are unique identifiers.
def test_duplicate_and_invalid_field_keys_are_reported() -> None:
    spec = sample_spec(
        fields=(
            FormField("phone", "Phone", FieldType.PHONE),
            FormField("phone", "Phone 2", FieldType.PHONE),
            FormField("2nd name", "Second name", FieldType.TEXT),
            FormField("", "Nothing", FieldType.TEXT),
        )
    )
    assert codes_at(check_spec(spec)) == {
        ("fields[1].key", "DUPLICATE_FIELD_KEY"),
        ("fields[2].key", "INVALID_FIELD_KEY"),
        ("fields[3].key", "INVALID_FIELD_KEY"),
    }


@pytest.mark.parametrize("field_type", [FieldType.CHOICE, FieldType.MULTICHOICE])
def test_choice_field_without_choices_is_reported(field_type: FieldType) -> None:
    # R-HL-1
    spec = sample_spec(fields=(FormField("colour", "Colour", field_type),))
    errors = check_spec(spec)
    assert codes_at(errors) == {("fields[0].choices", "MISSING_CHOICES")}
    assert errors[0].params == {"key": "colour", "type": field_type.value}


# R-HL-1
def test_repeated_choice_is_reported() -> None:
    spec = sample_spec(
        fields=(FormField("c", "C", FieldType.MULTICHOICE, choices=("a", "b", "a")),)
    )
    assert codes_at(check_spec(spec)) == {("fields[0].choices[2]", "DUPLICATE_CHOICE")}


# R-HL-1: a regex must compile.
@pytest.mark.parametrize("pattern", ["[a-z", "(?P<x", "*a", "a{3,2}"])
def test_bad_regex_is_reported(pattern: str) -> None:
    spec = sample_spec(
        fields=(FormField("code", "Code", FieldType.TEXT, rules=FieldRules(regex=pattern)),)
    )
    errors = check_spec(spec)
    assert codes_at(errors) == {("fields[0].rules.regex", "INVALID_REGEX")}
    assert errors[0].params["error"]


# R-HL-1: rules only where they mean something.
@pytest.mark.parametrize(
    ("field", "path"),
    [
        (
            FormField("d", "D", FieldType.DATE, rules=FieldRules(min_value=Decimal(1))),
            "fields[0].rules.min_value",
        ),
        (
            FormField("t", "T", FieldType.TEXT, rules=FieldRules(max_value=Decimal(1))),
            "fields[0].rules.max_value",
        ),
        (
            FormField("n", "N", FieldType.NUMBER, rules=FieldRules(regex="[0-9]+")),
            "fields[0].rules.regex",
        ),
        (
            FormField("y", "Y", FieldType.YESNO, rules=FieldRules(max_length=3)),
            "fields[0].rules.max_length",
        ),
        (FormField("t", "T", FieldType.TEXT, choices=("a",)), "fields[0].choices"),
    ],
)
def test_rule_on_wrong_field_type_is_reported(field: FormField, path: str) -> None:
    assert codes_at(check_spec(sample_spec(fields=(field,)))) == {(path, "RULE_NOT_APPLICABLE")}


# R-HL-1: numeric bounds must be finite and in order; a length limit must be positive.
def test_bad_bounds_and_length_are_reported() -> None:
    spec = sample_spec(
        fields=(
            FormField("n", "N", FieldType.NUMBER, rules=FieldRules(Decimal(10), Decimal(1))),
            FormField("m", "M", FieldType.NUMBER, rules=FieldRules(min_value=Decimal("NaN"))),
            FormField("t", "T", FieldType.TEXT, rules=FieldRules(max_length=0)),
        )
    )
    assert codes_at(check_spec(spec)) == {
        ("fields[0].rules.min_value", "MIN_GREATER_THAN_MAX"),
        ("fields[1].rules.min_value", "INVALID_BOUND"),
        ("fields[2].rules.max_length", "INVALID_MAX_LENGTH"),
    }


# R-HL-1: one message per kind and language, and it says or plays something.
def test_duplicate_and_empty_messages_are_reported() -> None:
    spec = sample_spec(
        messages=(
            Message(MessageKind.CLOSED, "ru", "Закрыто"),
            Message(MessageKind.CLOSED, "ru", "Снова закрыто"),
            Message(MessageKind.QUEUE, "ru", "  "),
            Message(MessageKind.QUEUE, "en", "", audio="queue.wav"),
        )
    )
    assert codes_at(check_spec(spec)) == {
        ("messages[1]", "DUPLICATE_MESSAGE"),
        ("messages[2]", "EMPTY_MESSAGE"),
    }


# R-HL-1
def test_negative_operator_count_is_reported() -> None:
    assert codes_at(check_spec(sample_spec(planned_operators=-1))) == {
        ("planned_operators", "NEGATIVE_OPERATOR_COUNT")
    }


# R-HL-1: report recipients are valid e-mail addresses, and there is at least one.
def test_report_recipients_are_checked() -> None:
    spec = sample_spec(
        reports=(
            ReportSubscription(
                "calls",
                ReportFrequency.WEEKLY,
                ("ok@example.com", "not-an-email", "a@b", "x@example.com\n", "ü@example.com"),
            ),
            ReportSubscription("", ReportFrequency.MONTHLY, ()),
        )
    )
    assert codes_at(check_spec(spec)) == {
        ("reports[0].recipients[1]", "INVALID_RECIPIENT"),
        ("reports[0].recipients[2]", "INVALID_RECIPIENT"),
        ("reports[0].recipients[3]", "INVALID_RECIPIENT"),
        ("reports[0].recipients[4]", "INVALID_RECIPIENT"),
        ("reports[1].report", "EMPTY_REPORT_KIND"),
        ("reports[1].recipients", "NO_RECIPIENTS"),
    }


@pytest.mark.parametrize(
    "email",
    [
        "anna@example.com",
        "a.b+tag@mail.example.co.uk",
        "o'brien@example.ie",
        "x@xn--80ak6aa92e.com",
    ],
)
def test_ordinary_addresses_are_accepted(email: str) -> None:
    # R-HL-1
    spec = sample_spec(reports=(ReportSubscription("calls", ReportFrequency.DAILY, (email,)),))
    assert check_spec(spec) == []


# R-HL-2: a proposal needs topics and some working hours.
def test_proposal_needs_topics_and_hours() -> None:
    spec = sample_spec(topics=(), hours=WorkingHours("Europe/Berlin"))
    assert check_spec(spec) == []
    assert codes_at(check_spec_for_proposal(spec)) == {
        ("topics", "NO_TOPICS"),
        ("hours.weekly", "NO_WORKING_HOURS"),
    }


# R-HL-2: hours only on exception dates (a one-off campaign line) still count as hours.
def test_hours_only_in_exceptions_count_for_proposal() -> None:
    hours = WorkingHours(
        "UTC", exceptions=(DayException(date(2025, 6, 1), (TimeRange(time(9), time(12)),)),)
    )
    assert check_spec_for_proposal(sample_spec(hours=hours)) == []


# R-HL-2: holidays alone are no working hours.
def test_closed_exceptions_alone_are_no_hours() -> None:
    hours = WorkingHours(
        "UTC", weekly=weekly_ranges(), exceptions=(DayException(date(2025, 6, 1)),)
    )
    assert codes_at(check_spec_for_proposal(sample_spec(hours=hours))) == {
        ("hours.weekly", "NO_WORKING_HOURS")
    }


# R-HL-1: every code a check can produce has an English default text that renders.
@settings(max_examples=50, deadline=None)
@given(spec_strategy)
def test_every_error_renders_its_default_message(spec: HotlineSpec) -> None:
    for error in check_spec_for_proposal(spec):
        assert error.code in DEFAULT_MESSAGES
        assert error.message
