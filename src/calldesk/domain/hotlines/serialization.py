"""Spec <-> JSON-able dict, so the database stores each spec version as JSON (R-HL-1).

Key order is fixed and list order is kept, so the same spec always dumps to the same JSON.
Reading is strict about types (a clear ``SpecFormatError`` with the path) but lenient about
missing optional sections, which lets older stored versions load after fields are added.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, time
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar

from .spec import (
    WEEKDAYS,
    CallOptions,
    DayException,
    FieldRules,
    FieldType,
    FormField,
    HotlineSpec,
    Message,
    MessageKind,
    ReportFrequency,
    ReportSubscription,
    TimeRange,
    Topic,
    WorkingHours,
    format_time,
)

__all__ = ["SCHEMA_VERSION", "SpecFormatError", "spec_from_dict", "spec_to_dict"]

SCHEMA_VERSION = 1

_E = TypeVar("_E", bound=StrEnum)


class SpecFormatError(ValueError):
    """Stored or submitted spec JSON does not have the expected shape."""

    def __init__(self, path: str, detail: str) -> None:
        super().__init__(f"{path or '<root>'}: {detail}")
        self.path = path
        self.detail = detail


# -- writing ---------------------------------------------------------------------------------


def spec_to_dict(spec: HotlineSpec) -> dict[str, Any]:
    return {
        "schema": SCHEMA_VERSION,
        "topics": [{"code": t.code, "name": t.name} for t in spec.topics],
        "fields": [_field_to_dict(f) for f in spec.fields],
        "hours": _hours_to_dict(spec.hours),
        "messages": [
            {"kind": m.kind.value, "language": m.language, "text": m.text, "audio": m.audio}
            for m in spec.messages
        ],
        "options": {"voicemail": spec.options.voicemail, "callback": spec.options.callback},
        "planned_operators": spec.planned_operators,
        "reports": [
            {"report": r.report, "frequency": r.frequency.value, "recipients": list(r.recipients)}
            for r in spec.reports
        ],
    }


def _field_to_dict(f: FormField) -> dict[str, Any]:
    return {
        "key": f.key,
        "label": f.label,
        "type": f.type.value,
        "required": f.required,
        "order": f.order,
        "choices": list(f.choices),
        "rules": {
            "min_value": _decimal_out(f.rules.min_value),
            "max_value": _decimal_out(f.rules.max_value),
            "regex": f.rules.regex,
            "max_length": f.rules.max_length,
        },
    }


def _hours_to_dict(hours: WorkingHours) -> dict[str, Any]:
    weekly: dict[str, Any]
    if len(hours.weekly) == len(WEEKDAYS):
        weekly = {name: _ranges_out(day) for name, day in zip(WEEKDAYS, hours.weekly, strict=True)}
    else:
        # Keep a malformed week as it is so a draft can be stored and shown with its error.
        weekly = {"days": [_ranges_out(day) for day in hours.weekly]}
    return {
        "time_zone": hours.time_zone,
        "weekly": weekly,
        "holidays": [d.isoformat() for d in hours.holidays],
        "exceptions": [
            {"date": e.day.isoformat(), "ranges": _ranges_out(e.ranges)} for e in hours.exceptions
        ],
    }


def _ranges_out(ranges: tuple[TimeRange, ...]) -> list[list[str]]:
    return [[format_time(r.start), format_time(r.end, end=True)] for r in ranges]


def _decimal_out(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


# -- reading ---------------------------------------------------------------------------------


def spec_from_dict(data: Mapping[str, object]) -> HotlineSpec:
    root = _mapping(data, "")
    schema = root.get("schema", SCHEMA_VERSION)
    if schema != SCHEMA_VERSION:
        raise SpecFormatError("schema", f"unsupported schema version {schema!r}")
    if "hours" not in root:
        raise SpecFormatError("hours", "missing")
    options = _mapping(root.get("options", {}), "options")
    return HotlineSpec(
        hours=_hours_in(root["hours"], "hours"),
        topics=tuple(_topic_in(item, f"topics[{i}]") for i, item in _items(root, "topics", "")),
        fields=tuple(_field_in(item, f"fields[{i}]") for i, item in _items(root, "fields", "")),
        messages=tuple(
            _message_in(item, f"messages[{i}]") for i, item in _items(root, "messages", "")
        ),
        options=CallOptions(
            voicemail=_bool(options.get("voicemail", False), "options.voicemail"),
            callback=_bool(options.get("callback", False), "options.callback"),
        ),
        planned_operators=_int(root.get("planned_operators", 0), "planned_operators"),
        reports=tuple(_report_in(item, f"reports[{i}]") for i, item in _items(root, "reports", "")),
    )


def _topic_in(value: object, path: str) -> Topic:
    m = _mapping(value, path)
    return Topic(
        code=_str(_req(m, "code", path), f"{path}.code"),
        name=_str(m.get("name", ""), f"{path}.name"),
    )


def _field_in(value: object, path: str) -> FormField:
    m = _mapping(value, path)
    rules = _mapping(m.get("rules", {}), f"{path}.rules")
    max_length = rules.get("max_length")
    regex = rules.get("regex")
    return FormField(
        key=_str(_req(m, "key", path), f"{path}.key"),
        label=_str(m.get("label", ""), f"{path}.label"),
        type=_enum(FieldType, _req(m, "type", path), f"{path}.type"),
        required=_bool(m.get("required", False), f"{path}.required"),
        rules=FieldRules(
            min_value=_decimal_in(rules.get("min_value"), f"{path}.rules.min_value"),
            max_value=_decimal_in(rules.get("max_value"), f"{path}.rules.max_value"),
            regex=None if regex is None else _str(regex, f"{path}.rules.regex"),
            max_length=None if max_length is None else _int(max_length, f"{path}.rules.max_length"),
        ),
        choices=tuple(
            _str(c, f"{path}.choices[{i}]")
            for i, c in enumerate(_list(m.get("choices", []), f"{path}.choices"))
        ),
        order=_int(m.get("order", 0), f"{path}.order"),
    )


def _hours_in(value: object, path: str) -> WorkingHours:
    m = _mapping(value, path)
    weekly_map = _mapping(m.get("weekly", {}), f"{path}.weekly")
    weekly: tuple[tuple[TimeRange, ...], ...]
    if "days" in weekly_map:
        days = _list(weekly_map["days"], f"{path}.weekly.days")
        weekly = tuple(_ranges_in(day, f"{path}.weekly.days[{i}]") for i, day in enumerate(days))
    else:
        unknown = sorted(set(weekly_map) - set(WEEKDAYS))
        if unknown:
            raise SpecFormatError(f"{path}.weekly", f"unknown weekday(s): {', '.join(unknown)}")
        weekly = tuple(
            _ranges_in(weekly_map.get(name, []), f"{path}.weekly.{name}") for name in WEEKDAYS
        )
    return WorkingHours(
        time_zone=_str(_req(m, "time_zone", path), f"{path}.time_zone"),
        weekly=weekly,
        holidays=tuple(
            _date_in(d, f"{path}.holidays[{i}]")
            for i, d in enumerate(_list(m.get("holidays", []), f"{path}.holidays"))
        ),
        exceptions=tuple(
            _exception_in(e, f"{path}.exceptions[{i}]")
            for i, e in enumerate(_list(m.get("exceptions", []), f"{path}.exceptions"))
        ),
    )


def _exception_in(value: object, path: str) -> DayException:
    m = _mapping(value, path)
    return DayException(
        day=_date_in(_req(m, "date", path), f"{path}.date"),
        ranges=_ranges_in(m.get("ranges", []), f"{path}.ranges"),
    )


def _ranges_in(value: object, path: str) -> tuple[TimeRange, ...]:
    out = []
    for i, item in enumerate(_list(value, path)):
        pair = _list(item, f"{path}[{i}]")
        if len(pair) != 2:
            raise SpecFormatError(f"{path}[{i}]", "expected [start, end]")
        out.append(
            TimeRange(
                start=_time_in(pair[0], f"{path}[{i}][0]", end=False),
                end=_time_in(pair[1], f"{path}[{i}][1]", end=True),
            )
        )
    return tuple(out)


def _message_in(value: object, path: str) -> Message:
    m = _mapping(value, path)
    audio = m.get("audio")
    return Message(
        kind=_enum(MessageKind, _req(m, "kind", path), f"{path}.kind"),
        language=_str(_req(m, "language", path), f"{path}.language"),
        text=_str(m.get("text", ""), f"{path}.text"),
        audio=None if audio is None else _str(audio, f"{path}.audio"),
    )


def _report_in(value: object, path: str) -> ReportSubscription:
    m = _mapping(value, path)
    return ReportSubscription(
        report=_str(_req(m, "report", path), f"{path}.report"),
        frequency=_enum(ReportFrequency, _req(m, "frequency", path), f"{path}.frequency"),
        recipients=tuple(
            _str(r, f"{path}.recipients[{i}]")
            for i, r in enumerate(_list(m.get("recipients", []), f"{path}.recipients"))
        ),
    )


# -- primitive readers -------------------------------------------------------------------------


def _mapping(value: object, path: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise SpecFormatError(path, "expected an object")
    return value


def _list(value: object, path: str) -> list[object]:
    if not isinstance(value, list | tuple):
        raise SpecFormatError(path, "expected a list")
    return list(value)


def _items(root: Mapping[str, object], key: str, path: str) -> list[tuple[int, object]]:
    where = f"{path}.{key}" if path else key
    return list(enumerate(_list(root.get(key, []), where)))


def _req(m: Mapping[str, object], key: str, path: str) -> object:
    if key not in m:
        raise SpecFormatError(f"{path}.{key}", "missing")
    return m[key]


def _str(value: object, path: str) -> str:
    if not isinstance(value, str):
        raise SpecFormatError(path, "expected a string")
    return value


def _bool(value: object, path: str) -> bool:
    if not isinstance(value, bool):
        raise SpecFormatError(path, "expected true or false")
    return value


def _int(value: object, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise SpecFormatError(path, "expected an integer")
    return value


def _enum(kind: type[_E], value: object, path: str) -> _E:
    try:
        return kind(_str(value, path))
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise SpecFormatError(path, f"expected one of {allowed}") from None


def _decimal_in(value: object, path: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise SpecFormatError(path, "expected a number as a string")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise SpecFormatError(path, "expected a number") from None
    if not number.is_finite():
        raise SpecFormatError(path, "expected a finite number")
    return number


def _date_in(value: object, path: str) -> date:
    text = _str(value, path)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise SpecFormatError(path, "expected a date YYYY-MM-DD") from None


def _time_in(value: object, path: str, *, end: bool) -> time:
    text = _str(value, path)
    if end and text == "24:00":
        return time(0)
    try:
        moment = time.fromisoformat(text)
    except ValueError:
        raise SpecFormatError(path, "expected a time HH:MM") from None
    if moment.tzinfo is not None:
        raise SpecFormatError(path, "expected a local time without an offset")
    return moment
