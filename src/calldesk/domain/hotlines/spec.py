"""The hotline spec ("техническое задание") as an immutable value (R-HL-1).

A spec version is stored as JSON (see ``serialization``); everything here is plain data.
Working-hour ranges are half-open ``[start, end)`` in the hotline's local wall time; an ``end``
of 00:00 means midnight at the end of the day, so ``00:00-00:00`` is a whole day and a line
that runs past midnight is written as two ranges on consecutive days.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from enum import StrEnum

__all__ = [
    "WEEKDAYS",
    "CallOptions",
    "DayException",
    "FieldRules",
    "FieldType",
    "FormField",
    "HotlineSpec",
    "Message",
    "MessageKind",
    "ReportFrequency",
    "ReportSubscription",
    "TimeRange",
    "Topic",
    "WorkingHours",
    "weekly_ranges",
]

# Index = ``date.weekday()``; the names double as keys in the JSON form and in diff paths.
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_DAY_US = 24 * 3600 * 1_000_000


class FieldType(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    PHONE = "phone"
    EMAIL = "email"
    CHOICE = "choice"
    MULTICHOICE = "multichoice"
    YESNO = "yesno"


class MessageKind(StrEnum):
    CLOSED = "closed"
    QUEUE = "queue"
    VOICEMAIL = "voicemail"
    GREETING = "greeting"


class ReportFrequency(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


@dataclass(frozen=True, slots=True)
class Topic:
    """A subject callers ring about; ``code`` is the stable key used in call records."""

    code: str
    name: str


@dataclass(frozen=True, slots=True)
class FieldRules:
    """Validation rules of a call-form field.

    ``min_value``/``max_value`` apply to number fields; ``regex`` (full match) and
    ``max_length`` to text, phone and e-mail fields.
    """

    min_value: Decimal | None = None
    max_value: Decimal | None = None
    regex: str | None = None
    max_length: int | None = None


@dataclass(frozen=True, slots=True)
class FormField:
    """One field of the call form the operator fills in."""

    key: str
    label: str
    type: FieldType
    required: bool = False
    rules: FieldRules = field(default_factory=FieldRules)
    choices: tuple[str, ...] = ()
    order: int = 0


@dataclass(frozen=True, slots=True)
class TimeRange:
    """A half-open local time range ``[start, end)``; ``end`` 00:00 means 24:00."""

    start: time
    end: time

    @property
    def start_us(self) -> int:
        return _time_us(self.start)

    @property
    def end_us(self) -> int:
        return _DAY_US if self.end == time(0) else _time_us(self.end)

    @property
    def is_empty(self) -> bool:
        return self.start_us >= self.end_us

    def contains(self, moment: time) -> bool:
        return self.start_us <= _time_us(moment) < self.end_us


@dataclass(frozen=True, slots=True)
class DayException:
    """Special hours on one date; no ranges means closed all day. Wins over a holiday."""

    day: date
    ranges: tuple[TimeRange, ...] = ()


@dataclass(frozen=True, slots=True)
class WorkingHours:
    """Weekly hours (seven tuples, Monday first), holidays and dated exceptions."""

    time_zone: str
    weekly: tuple[tuple[TimeRange, ...], ...] = ((),) * 7
    holidays: tuple[date, ...] = ()
    exceptions: tuple[DayException, ...] = ()


@dataclass(frozen=True, slots=True)
class Message:
    """A recorded or text-to-speech announcement; ``audio`` references a stored file."""

    kind: MessageKind
    language: str
    text: str
    audio: str | None = None


@dataclass(frozen=True, slots=True)
class CallOptions:
    """What a caller is offered when the line is closed or no operator is available."""

    voicemail: bool = False
    callback: bool = False


@dataclass(frozen=True, slots=True)
class ReportSubscription:
    report: str
    frequency: ReportFrequency
    recipients: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class HotlineSpec:
    hours: WorkingHours
    topics: tuple[Topic, ...] = ()
    fields: tuple[FormField, ...] = ()
    messages: tuple[Message, ...] = ()
    options: CallOptions = field(default_factory=CallOptions)
    planned_operators: int = 0
    reports: tuple[ReportSubscription, ...] = ()


def weekly_ranges(
    **days: Iterable[tuple[time, time]],
) -> tuple[tuple[TimeRange, ...], ...]:
    """Build ``WorkingHours.weekly`` from keyword days: ``weekly_ranges(mon=[(t9, t18)])``."""
    unknown = sorted(set(days) - set(WEEKDAYS))
    if unknown:
        raise ValueError(f"unknown weekday(s): {', '.join(unknown)}")
    return tuple(
        tuple(TimeRange(start, end) for start, end in days.get(name, ())) for name in WEEKDAYS
    )


def sorted_fields(fields: Sequence[FormField]) -> list[FormField]:
    """Fields in display order: by ``order``, then as declared."""
    return sorted(fields, key=lambda f: f.order)


def format_time(moment: time, *, end: bool = False) -> str:
    """``HH:MM`` (seconds only when present); an end of 00:00 is written ``24:00``."""
    if end and moment == time(0):
        return "24:00"
    if moment.second == 0 and moment.microsecond == 0:
        return moment.strftime("%H:%M")
    return moment.replace(tzinfo=None).isoformat()


def _time_us(moment: time) -> int:
    return (
        (moment.hour * 60 + moment.minute) * 60 + moment.second
    ) * 1_000_000 + moment.microsecond
