"""Consistency checks of a spec (R-HL-1) and the stricter checks before proposing it (R-HL-2)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ._validators import compile_regex, is_valid_email, load_zone
from .codes import SpecError
from .spec import WEEKDAYS, FieldType, FormField, HotlineSpec, TimeRange, WorkingHours, format_time

__all__ = ["check_spec", "check_spec_for_proposal"]

_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_CHOICE_TYPES = frozenset({FieldType.CHOICE, FieldType.MULTICHOICE})
_BOUND_TYPES = frozenset({FieldType.NUMBER})
_TEXT_RULE_TYPES = frozenset({FieldType.TEXT, FieldType.PHONE, FieldType.EMAIL})


def check_spec(spec: HotlineSpec) -> list[SpecError]:
    """Every problem that makes a spec inconsistent; empty when it is fine to store and use."""
    return [
        *_check_topics(spec),
        *_check_fields(spec.fields),
        *_check_hours(spec.hours),
        *_check_messages(spec),
        *_check_operators(spec),
        *_check_reports(spec),
    ]


def check_spec_for_proposal(spec: HotlineSpec) -> list[SpecError]:
    """``check_spec`` plus what a spec must have before the client is asked to approve it."""
    errors = check_spec(spec)
    if not spec.topics:
        errors.append(SpecError("topics", "NO_TOPICS"))
    hours = spec.hours
    has_hours = any(day for day in hours.weekly) or any(e.ranges for e in hours.exceptions)
    if not has_hours:
        errors.append(SpecError("hours.weekly", "NO_WORKING_HOURS"))
    return errors


def _check_topics(spec: HotlineSpec) -> list[SpecError]:
    errors: list[SpecError] = []
    first_seen: dict[str, int] = {}
    for i, topic in enumerate(spec.topics):
        code = topic.code.strip()
        if not code:
            errors.append(SpecError(f"topics[{i}].code", "EMPTY_TOPIC_CODE", {"index": i}))
        elif code in first_seen:
            errors.append(
                SpecError(
                    f"topics[{i}].code",
                    "DUPLICATE_TOPIC_CODE",
                    {"code": code, "first_index": first_seen[code]},
                )
            )
        else:
            first_seen[code] = i
    return errors


def _check_fields(fields: Sequence[FormField]) -> list[SpecError]:
    errors: list[SpecError] = []
    first_seen: dict[str, int] = {}
    for i, f in enumerate(fields):
        path = f"fields[{i}]"
        if not _KEY.match(f.key):
            errors.append(SpecError(f"{path}.key", "INVALID_FIELD_KEY", {"key": f.key}))
        elif f.key in first_seen:
            errors.append(
                SpecError(
                    f"{path}.key",
                    "DUPLICATE_FIELD_KEY",
                    {"key": f.key, "first_index": first_seen[f.key]},
                )
            )
        else:
            first_seen[f.key] = i
        errors.extend(_check_field_rules(f, path))
    return errors


def _check_field_rules(f: FormField, path: str) -> list[SpecError]:
    errors: list[SpecError] = []
    about = {"key": f.key, "type": f.type.value}
    if f.type in _CHOICE_TYPES:
        if not f.choices:
            errors.append(SpecError(f"{path}.choices", "MISSING_CHOICES", about))
        seen: set[str] = set()
        for j, choice in enumerate(f.choices):
            if choice in seen:
                errors.append(
                    SpecError(
                        f"{path}.choices[{j}]", "DUPLICATE_CHOICE", {"key": f.key, "choice": choice}
                    )
                )
            seen.add(choice)
    elif f.choices:
        errors.append(_not_applicable(f, path, "choices"))

    rules = f.rules
    for rule, value in (("min_value", rules.min_value), ("max_value", rules.max_value)):
        if value is None:
            continue
        if f.type not in _BOUND_TYPES:
            errors.append(_not_applicable(f, path, rule))
        elif not value.is_finite():
            errors.append(
                SpecError(
                    f"{path}.rules.{rule}",
                    "INVALID_BOUND",
                    {"key": f.key, "rule": rule, "value": str(value)},
                )
            )
    if (
        f.type in _BOUND_TYPES
        and rules.min_value is not None
        and rules.max_value is not None
        and rules.min_value.is_finite()
        and rules.max_value.is_finite()
        and rules.min_value > rules.max_value
    ):
        errors.append(
            SpecError(
                f"{path}.rules.min_value",
                "MIN_GREATER_THAN_MAX",
                {"key": f.key, "min": str(rules.min_value), "max": str(rules.max_value)},
            )
        )

    if rules.regex is not None:
        if f.type not in _TEXT_RULE_TYPES:
            errors.append(_not_applicable(f, path, "regex"))
        else:
            compiled = compile_regex(rules.regex)
            if isinstance(compiled, str):
                errors.append(
                    SpecError(
                        f"{path}.rules.regex", "INVALID_REGEX", {"key": f.key, "error": compiled}
                    )
                )
    if rules.max_length is not None:
        if f.type not in _TEXT_RULE_TYPES:
            errors.append(_not_applicable(f, path, "max_length"))
        elif rules.max_length < 1:
            errors.append(
                SpecError(
                    f"{path}.rules.max_length",
                    "INVALID_MAX_LENGTH",
                    {"key": f.key, "value": rules.max_length},
                )
            )
    return errors


def _not_applicable(f: FormField, path: str, rule: str) -> SpecError:
    where = f"{path}.{rule}" if rule == "choices" else f"{path}.rules.{rule}"
    return SpecError(
        where, "RULE_NOT_APPLICABLE", {"key": f.key, "type": f.type.value, "rule": rule}
    )


def _check_hours(hours: WorkingHours) -> list[SpecError]:
    errors: list[SpecError] = []
    if load_zone(hours.time_zone) is None:
        errors.append(
            SpecError("hours.time_zone", "INVALID_TIME_ZONE", {"time_zone": hours.time_zone})
        )
    if len(hours.weekly) != len(WEEKDAYS):
        errors.append(
            SpecError("hours.weekly", "WRONG_WEEKDAY_COUNT", {"count": len(hours.weekly)})
        )
        day_paths = [f"hours.weekly.days[{i}]" for i in range(len(hours.weekly))]
    else:
        day_paths = [f"hours.weekly.{name}" for name in WEEKDAYS]
    for path, day in zip(day_paths, hours.weekly, strict=True):
        errors.extend(_check_ranges(day, path))
    seen: set[object] = set()
    for i, exception in enumerate(hours.exceptions):
        path = f"hours.exceptions[{i}]"
        if exception.day in seen:
            errors.append(
                SpecError(
                    f"{path}.date",
                    "DUPLICATE_EXCEPTION_DATE",
                    {"date": exception.day.isoformat()},
                )
            )
        seen.add(exception.day)
        errors.extend(_check_ranges(exception.ranges, f"{path}.ranges"))
    return errors


def _check_ranges(ranges: Sequence[TimeRange], path: str) -> list[SpecError]:
    errors: list[SpecError] = []
    for i, r in enumerate(ranges):
        if r.is_empty:
            errors.append(SpecError(f"{path}[{i}]", "EMPTY_RANGE", _range_params(r)))
            continue
        for j in range(i):
            other = ranges[j]
            if other.is_empty:
                continue
            if r.start_us < other.end_us and other.start_us < r.end_us:
                params = {
                    **_range_params(r),
                    "other_start": format_time(other.start),
                    "other_end": format_time(other.end, end=True),
                    "other_index": j,
                }
                errors.append(SpecError(f"{path}[{i}]", "OVERLAPPING_RANGES", params))
    return errors


def _range_params(r: TimeRange) -> dict[str, str | int]:
    return {"start": format_time(r.start), "end": format_time(r.end, end=True)}


def _check_messages(spec: HotlineSpec) -> list[SpecError]:
    errors: list[SpecError] = []
    seen: set[tuple[str, str]] = set()
    for i, m in enumerate(spec.messages):
        about = {"kind": m.kind.value, "language": m.language}
        key = (m.kind.value, m.language)
        if key in seen:
            errors.append(SpecError(f"messages[{i}]", "DUPLICATE_MESSAGE", about))
        seen.add(key)
        if not m.text.strip() and not (m.audio or "").strip():
            errors.append(SpecError(f"messages[{i}]", "EMPTY_MESSAGE", about))
    return errors


def _check_operators(spec: HotlineSpec) -> list[SpecError]:
    if spec.planned_operators < 0:
        return [
            SpecError(
                "planned_operators", "NEGATIVE_OPERATOR_COUNT", {"count": spec.planned_operators}
            )
        ]
    return []


def _check_reports(spec: HotlineSpec) -> list[SpecError]:
    errors: list[SpecError] = []
    for i, sub in enumerate(spec.reports):
        path = f"reports[{i}]"
        if not sub.report.strip():
            errors.append(SpecError(f"{path}.report", "EMPTY_REPORT_KIND", {"index": i}))
        if not sub.recipients:
            errors.append(SpecError(f"{path}.recipients", "NO_RECIPIENTS", {"report": sub.report}))
        for j, email in enumerate(sub.recipients):
            if not is_valid_email(email):
                errors.append(
                    SpecError(f"{path}.recipients[{j}]", "INVALID_RECIPIENT", {"email": email})
                )
    return errors
