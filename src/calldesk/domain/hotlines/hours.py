"""Working hours in the hotline's own time zone, and what a caller hears outside them (R-HL-1).

Hours are local wall-clock ranges, so across a DST change they follow the clock on the wall:
in the repeated hour of an autumn change a range is open on both passes, and a range that
starts inside the skipped spring hour opens when the clock jumps past its start.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from ._validators import load_zone
from .spec import HotlineSpec, Message, MessageKind, TimeRange, WorkingHours

__all__ = [
    "ClosedReason",
    "ClosedTreatment",
    "choose_closed_treatment",
    "is_open",
    "next_opening",
    "ranges_on",
]

_ONE_DAY = timedelta(days=1)
_ONE_HOUR = timedelta(hours=1)
_ONE_SECOND = timedelta(seconds=1)


class ClosedReason(StrEnum):
    CLOSED = "closed"
    NO_OPERATOR = "no_operator"


@dataclass(frozen=True, slots=True)
class ClosedTreatment:
    """What to do with a call that cannot go to an operator now.

    ``message`` is the announcement (the closed message, or the queue message when the line is
    open but nobody can answer); ``voicemail_prompt`` is played before recording when voicemail
    is offered; ``opens_at`` is the next opening (hotline's zone) when closed.
    """

    reason: ClosedReason
    message: Message | None
    offer_voicemail: bool
    offer_callback: bool
    voicemail_prompt: Message | None = None
    opens_at: datetime | None = None


def ranges_on(hours: WorkingHours, day: date) -> tuple[TimeRange, ...]:
    """The ranges of a local date: its exception if any, else nothing on a holiday, else weekly."""
    for exception in hours.exceptions:
        if exception.day == day:
            return exception.ranges
    if day in hours.holidays:
        return ()
    weekday = day.weekday()
    return hours.weekly[weekday] if weekday < len(hours.weekly) else ()


def is_open(hours: WorkingHours, at: datetime) -> bool:
    """Whether the line is open at the aware moment ``at``."""
    _require_aware(at)
    local = at.astimezone(_zone(hours))
    moment = local.time()
    return any(r.contains(moment) for r in ranges_on(hours, local.date()))


def next_opening(hours: WorkingHours, at: datetime) -> datetime | None:
    """The earliest moment >= ``at`` when the line is open, in the hotline's zone.

    ``at`` itself when open now; ``None`` when the hours never open again. Compare results
    in UTC: inside a repeated autumn hour Python never finds a zoned datetime equal to one in
    another zone, even for the same instant.
    """
    _require_aware(at)
    tz = _zone(hours)
    if is_open(hours, at):
        return at.astimezone(tz)
    at_utc = at.astimezone(UTC)
    today = at_utc.astimezone(tz).date()
    # Start a day early: in an autumn change at midnight the previous date comes round again.
    first = today - _ONE_DAY if today > date.min else today
    days: Iterator[date]
    if any(hours.weekly):
        # After the last holiday or exception the weekly pattern repeats, so a week more (and a
        # day for a zone change at midnight) is enough to find an opening.
        last = max([today, *hours.holidays, *(e.day for e in hours.exceptions)])
        days = _dates(first, _plus_days(last, 8))
    else:
        # Only dated exceptions can open the line: visit just those dates.
        days = iter(sorted({e.day for e in hours.exceptions if e.ranges and e.day >= first}))
    best: datetime | None = None
    stop: date | None = None
    for day in days:
        if stop is not None and day > stop:
            break
        for candidate in _candidates(hours, tz, day):
            if candidate > at_utc and (best is None or candidate < best):
                if is_open(hours, candidate):
                    best = candidate
        if best is not None and stop is None:
            # Candidates of the next date can still come earlier when the clock goes back.
            stop = _plus_days(day, 1)
    return None if best is None else best.astimezone(tz)


def _dates(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        if day == date.max:
            return
        day += _ONE_DAY


def _plus_days(day: date, days: int) -> date:
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max


def _candidates(hours: WorkingHours, tz: ZoneInfo, day: date) -> list[datetime]:
    """UTC moments of ``day`` where the line can switch to open.

    Opening happens where the wall clock reaches a range start (once or, in a repeated hour,
    twice) or where the clock jumps at a zone transition.
    """
    found: list[datetime] = []
    try:
        for r in ranges_on(hours, day):
            if r.is_empty:
                continue
            wall = datetime.combine(day, r.start)
            for fold in (0, 1):
                moment = wall.replace(tzinfo=tz, fold=fold).astimezone(UTC)
                if moment.astimezone(tz).replace(tzinfo=None) == wall:  # not in a skipped hour
                    found.append(moment)
        found.extend(_transitions(tz, day))
    except OverflowError:
        pass  # the ends of the calendar
    return found


def _transitions(tz: ZoneInfo, day: date) -> list[datetime]:
    start = datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC) - _ONE_HOUR
    stop = datetime.combine(day + _ONE_DAY, time(0), tzinfo=tz).astimezone(UTC) + _ONE_HOUR
    if _offset(tz, start) == _offset(tz, stop):
        return []  # zones do not change twice within a day
    found: list[datetime] = []
    low = start
    while low < stop:
        high = min(low + _ONE_HOUR, stop)
        if _offset(tz, low) != _offset(tz, high):
            found.append(_first_with_offset_of(tz, low, high))
        low = high
    return found


def _first_with_offset_of(tz: ZoneInfo, low: datetime, high: datetime) -> datetime:
    """The first whole second in ``(low, high]`` that has ``high``'s offset."""
    before = _offset(tz, low)
    while high - low > _ONE_SECOND:
        mid = low + timedelta(seconds=(high - low) // _ONE_SECOND // 2)
        if _offset(tz, mid) == before:
            low = mid
        else:
            high = mid
    return high


def _offset(tz: ZoneInfo, moment: datetime) -> timedelta | None:
    return moment.astimezone(tz).utcoffset()


def choose_closed_treatment(
    spec: HotlineSpec,
    *,
    at: datetime,
    available_operators: int,
    language: str,
    fallback_language: str | None = None,
) -> ClosedTreatment | None:
    """``None`` when the call can go to an operator; else the announcement and what to offer.

    Messages are picked by language: ``language``, then ``fallback_language``, then the first
    message of the kind, so a caller hears something rather than silence.
    """
    _require_aware(at)
    if not is_open(spec.hours, at):
        reason = ClosedReason.CLOSED
        kind = MessageKind.CLOSED
        opens_at = next_opening(spec.hours, at)
    elif available_operators <= 0:
        reason = ClosedReason.NO_OPERATOR
        kind = MessageKind.QUEUE
        opens_at = None
    else:
        return None
    languages = (language, fallback_language)
    offer_voicemail = spec.options.voicemail
    return ClosedTreatment(
        reason=reason,
        message=_pick_message(spec.messages, kind, languages),
        offer_voicemail=offer_voicemail,
        offer_callback=spec.options.callback,
        voicemail_prompt=(
            _pick_message(spec.messages, MessageKind.VOICEMAIL, languages)
            if offer_voicemail
            else None
        ),
        opens_at=opens_at,
    )


def _pick_message(
    messages: tuple[Message, ...], kind: MessageKind, languages: tuple[str | None, ...]
) -> Message | None:
    usable = [m for m in messages if m.kind is kind and (m.text.strip() or (m.audio or "").strip())]
    for language in languages:
        for m in usable:
            if language is not None and m.language == language:
                return m
    return usable[0] if usable else None


def _zone(hours: WorkingHours) -> ZoneInfo:
    tz = load_zone(hours.time_zone)
    if tz is None:
        raise ValueError(f"unknown time zone {hours.time_zone!r}")
    return tz


def _require_aware(at: datetime) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("an aware datetime is required")
