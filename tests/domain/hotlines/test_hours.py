"""Working hours, DST, holidays, exceptions and the closed treatment (R-HL-1, R-HL-5)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calldesk.domain.hotlines import (
    CallOptions,
    ClosedReason,
    DayException,
    Message,
    MessageKind,
    TimeRange,
    WorkingHours,
    choose_closed_treatment,
    is_open,
    next_opening,
    ranges_on,
    weekly_ranges,
)

from .builders import office_hours, sample_spec

BERLIN = ZoneInfo("Europe/Berlin")
VLADIVOSTOK = ZoneInfo("Asia/Vladivostok")

# Europe/Berlin 2024: clocks jump 02:00 -> 03:00 on Sunday 31 March and go back
# 03:00 -> 02:00 on Sunday 27 October. Asia/Vladivostok has no DST; on Sunday 26 October
# 2014 it moved from UTC+11 to UTC+10, repeating 01:00-02:00 local.
SPRING = date(2024, 3, 31)
AUTUMN = date(2024, 10, 27)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# R-HL-5: open on weekday hours in the hotline's zone, closed outside them; the end is exclusive.
def test_open_inside_weekday_hours_only() -> None:
    hours = office_hours()
    monday = date(2025, 3, 3)
    assert is_open(hours, datetime.combine(monday, time(9), tzinfo=BERLIN))
    assert is_open(hours, datetime.combine(monday, time(17, 59, 59), tzinfo=BERLIN))
    assert not is_open(hours, datetime.combine(monday, time(18), tzinfo=BERLIN))
    assert not is_open(hours, datetime.combine(monday, time(8, 59), tzinfo=BERLIN))
    assert not is_open(hours, datetime.combine(date(2025, 3, 8), time(12), tzinfo=BERLIN))


# R-HL-5: the moment is judged in the hotline's zone, whatever zone it comes in.
def test_open_is_judged_in_the_hotline_zone() -> None:
    hours = office_hours("Asia/Vladivostok")
    # Monday 23:30 UTC is Tuesday 09:30 in Vladivostok (UTC+10).
    assert is_open(hours, utc(2025, 3, 3, 23, 30))
    # Friday 08:30 UTC is Friday 18:30 there: closed.
    assert not is_open(hours, utc(2025, 3, 7, 8, 30))
    # Saturday 23:30 UTC is Sunday 09:30 there: closed, though Saturday in UTC.
    assert not is_open(hours, utc(2025, 3, 8, 23, 30))
    # Sunday 23:30 UTC is Monday 09:30 there: open.
    assert is_open(hours, utc(2025, 3, 9, 23, 30))


# R-HL-5: naive datetimes are refused rather than guessed.
def test_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        is_open(office_hours(), datetime(2025, 3, 3, 10))
    with pytest.raises(ValueError, match="aware"):
        next_opening(office_hours(), datetime(2025, 3, 3, 10))


# R-HL-5: an unknown zone is a clear error, not a guess.
def test_unknown_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        is_open(replace(office_hours(), time_zone="Mars/Olympus"), utc(2025, 3, 3, 10))


# R-HL-5: a holiday closes a working day.
def test_holiday_closes_the_day() -> None:
    hours = replace(office_hours(), holidays=(date(2025, 5, 1),))
    assert not is_open(hours, datetime(2025, 5, 1, 12, tzinfo=BERLIN))
    assert is_open(hours, datetime(2025, 5, 2, 12, tzinfo=BERLIN))
    assert ranges_on(hours, date(2025, 5, 1)) == ()


# R-HL-5: an exception gives special hours, opens a day off, or closes a day; it beats a holiday.
def test_exceptions_override_weekly_hours_and_holidays() -> None:
    hours = replace(
        office_hours(),
        holidays=(date(2025, 12, 31),),
        exceptions=(
            DayException(date(2025, 12, 31), (TimeRange(time(10), time(14)),)),  # a holiday
            DayException(date(2025, 12, 27), (TimeRange(time(11), time(13)),)),  # a Saturday
            DayException(date(2025, 12, 29)),  # a Monday, closed
        ),
    )
    assert is_open(hours, datetime(2025, 12, 31, 10, 30, tzinfo=BERLIN))
    assert not is_open(hours, datetime(2025, 12, 31, 9, 30, tzinfo=BERLIN))
    assert is_open(hours, datetime(2025, 12, 27, 12, tzinfo=BERLIN))
    assert not is_open(hours, datetime(2025, 12, 29, 12, tzinfo=BERLIN))


# R-HL-5: 00:00-00:00 is the whole day and an end of 00:00 means midnight.
def test_round_the_clock_hours() -> None:
    whole_day = [(time(0), time(0))]
    hours = WorkingHours("Europe/Berlin", weekly_ranges(**{d: whole_day for d in ("mon", "tue")}))
    assert is_open(hours, datetime(2025, 3, 3, 0, 0, tzinfo=BERLIN))
    assert is_open(hours, datetime(2025, 3, 4, 23, 59, 59, 999999, tzinfo=BERLIN))
    assert not is_open(hours, datetime(2025, 3, 5, 0, 0, tzinfo=BERLIN))
    late = WorkingHours("UTC", weekly_ranges(fri=[(time(20), time(0))]))
    assert is_open(late, utc(2025, 3, 7, 23, 59))
    assert not is_open(late, utc(2025, 3, 8, 0, 0))


# R-HL-5: DST spring forward; hours follow the wall clock on both sides of the jump.
def test_spring_forward_follows_wall_clock() -> None:
    hours = office_hours("Europe/Berlin", sun=[(time(1), time(2, 30)), (time(3), time(4))])
    # 00:30 UTC is 01:30 CET (open); 01:30 UTC is 03:30 CEST (open); 01:00 UTC is 03:00 CEST.
    assert is_open(hours, utc(2024, 3, 31, 0, 30))
    assert not is_open(hours, utc(2024, 3, 30, 23, 59))  # 00:59 CET
    assert is_open(hours, utc(2024, 3, 31, 1, 0))
    assert is_open(hours, utc(2024, 3, 31, 1, 30))
    assert not is_open(hours, utc(2024, 3, 31, 2, 0))  # 04:00 CEST


# R-HL-5: DST fall back; a range inside the repeated hour is open on both passes.
def test_fall_back_repeated_hour_is_open_twice() -> None:
    hours = office_hours("Europe/Berlin", sun=[(time(2, 15), time(2, 45))])
    first = datetime(2024, 10, 27, 2, 30, tzinfo=BERLIN)  # CEST, 00:30 UTC
    second = first.replace(fold=1)  # CET, 01:30 UTC
    assert first.astimezone(UTC) == utc(2024, 10, 27, 0, 30)
    assert second.astimezone(UTC) == utc(2024, 10, 27, 1, 30)
    assert is_open(hours, first)
    assert is_open(hours, second)
    assert not is_open(hours, utc(2024, 10, 27, 1, 0))  # 02:00 CET


# R-HL-5: next opening is the start of the next range, in the hotline's zone.
def test_next_opening_after_hours_and_over_the_weekend() -> None:
    hours = office_hours()
    friday_evening = datetime(2025, 3, 7, 19, tzinfo=BERLIN)
    assert next_opening(hours, friday_evening) == datetime(2025, 3, 10, 9, tzinfo=BERLIN)
    early = datetime(2025, 3, 10, 7, tzinfo=BERLIN)
    assert next_opening(hours, early) == datetime(2025, 3, 10, 9, tzinfo=BERLIN)
    result = next_opening(hours, utc(2025, 3, 10, 6))
    assert result is not None and result.tzinfo is BERLIN


# R-HL-5: when open now, the next opening is now.
def test_next_opening_when_open_is_now() -> None:
    at = utc(2025, 3, 10, 10, 17)
    assert next_opening(office_hours(), at) == at


# R-HL-5: holidays and closed exceptions are skipped; a special opening comes first.
def test_next_opening_skips_holidays_and_uses_exceptions() -> None:
    hours = replace(
        office_hours(),
        holidays=tuple(date(2025, 1, d) for d in range(1, 9)),
        exceptions=(
            DayException(date(2025, 1, 4), (TimeRange(time(12), time(14)),)),  # Saturday
            DayException(date(2025, 1, 9)),  # Thursday, closed
        ),
    )
    at = datetime(2024, 12, 31, 20, tzinfo=BERLIN)
    assert next_opening(hours, at) == datetime(2025, 1, 4, 12, tzinfo=BERLIN)
    after = datetime(2025, 1, 4, 15, tzinfo=BERLIN)
    assert next_opening(hours, after) == datetime(2025, 1, 10, 9, tzinfo=BERLIN)


# R-HL-5: a line with no hours left never opens.
def test_next_opening_is_none_when_it_never_opens() -> None:
    one_off = WorkingHours(
        "UTC", exceptions=(DayException(date(2025, 6, 1), (TimeRange(time(9), time(12)),)),)
    )
    assert next_opening(one_off, utc(2025, 5, 1)) == utc(2025, 6, 1, 9)
    assert next_opening(one_off, utc(2025, 6, 1, 12)) is None
    assert next_opening(WorkingHours("UTC"), utc(2025, 6, 1)) is None


# R-HL-5: a range starting inside the skipped spring hour opens when the clock jumps past it.
def test_next_opening_in_the_spring_gap() -> None:
    hours = office_hours("Europe/Berlin", sun=[(time(2, 30), time(4))])
    opening = next_opening(hours, datetime(2024, 3, 30, 22, tzinfo=BERLIN))
    assert opening == datetime(2024, 3, 31, 3, 0, tzinfo=BERLIN)
    assert opening is not None and opening.astimezone(UTC) == utc(2024, 3, 31, 1, 0)
    # A range wholly inside the gap never happens that day: next week instead.
    gap_only = office_hours("Europe/Berlin", sun=[(time(2), time(2, 30))])
    assert next_opening(gap_only, utc(2024, 3, 30, 12)) == datetime(2024, 4, 7, 2, tzinfo=BERLIN)


# R-HL-5: in the repeated autumn hour the line opens again on the second pass.
def test_next_opening_in_the_repeated_autumn_hour() -> None:
    hours = office_hours("Europe/Berlin", sun=[(time(2), time(2, 30))])
    first_pass_after = datetime(2024, 10, 27, 2, 45, tzinfo=BERLIN)  # CEST
    opening = next_opening(hours, first_pass_after)
    assert opening is not None
    assert opening.astimezone(UTC) == utc(2024, 10, 27, 1, 0)  # 02:00 CET
    # A range 01:30-02:30 is re-entered when the clock falls back from 03:00 to 02:00.
    straddling = office_hours("Europe/Berlin", sun=[(time(1, 30), time(2, 30))])
    reentry = next_opening(straddling, utc(2024, 10, 27, 0, 45))  # 02:45 CEST, closed
    assert reentry is not None and reentry.astimezone(UTC) == utc(2024, 10, 27, 1, 0)


# R-HL-5: Vladivostok's 2014 zone change (UTC+11 -> UTC+10) repeats 01:00-02:00.
def test_vladivostok_zone_change_repeats_an_hour() -> None:
    hours = office_hours("Asia/Vladivostok", sun=[(time(1), time(1, 30))])
    first = datetime(2014, 10, 26, 1, 15, tzinfo=VLADIVOSTOK)
    assert first.utcoffset() == timedelta(hours=11)
    assert is_open(hours, first)
    assert is_open(hours, first.replace(fold=1))
    after_first = datetime(2014, 10, 26, 1, 45, tzinfo=VLADIVOSTOK)
    opening = next_opening(hours, after_first)
    assert opening is not None
    assert opening.utcoffset() == timedelta(hours=10)
    assert opening.astimezone(UTC) == utc(2014, 10, 25, 15, 0)  # 01:00 at UTC+10


# R-HL-5: Vladivostok's ordinary hours are UTC+10 all year round (no DST since 2014).
def test_vladivostok_has_no_dst() -> None:
    hours = office_hours("Asia/Vladivostok")
    for month in (1, 7):
        monday = next(
            date(2025, month, d) for d in range(1, 8) if date(2025, month, d).weekday() == 0
        )
        sunday_noon_utc = datetime.combine(monday - timedelta(days=1), time(12), tzinfo=UTC)
        opening = next_opening(hours, sunday_noon_utc)  # 22:00 local on Sunday
        assert opening == datetime.combine(monday, time(9), tzinfo=VLADIVOSTOK)
        assert opening is not None
        assert opening.astimezone(UTC) == sunday_noon_utc + timedelta(hours=11)


def _brute_force_next_opening(
    hours: WorkingHours, at: datetime, limit: timedelta
) -> datetime | None:
    moment = at
    while moment <= at + limit:
        if is_open(hours, moment):
            return moment
        moment += timedelta(minutes=1)
    return None


_quarter_hours = st.integers(0, 95).map(lambda q: time(q // 4, q % 4 * 15))


# Zone changes to scan around: Berlin's 2024 DST pair and Vladivostok's 2011 (UTC+10 -> +11,
# skipping 02:00-03:00) and 2014 (UTC+11 -> +10, repeating 01:00-02:00) changes.
_CHANGES = [
    ("Europe/Berlin", SPRING),
    ("Europe/Berlin", AUTUMN),
    ("Asia/Vladivostok", date(2011, 3, 27)),
    ("Asia/Vladivostok", date(2014, 10, 26)),
]


@st.composite
def _hours_around_a_change(draw: st.DrawFn) -> tuple[WorkingHours, date]:
    zone, change = draw(st.sampled_from(_CHANGES))

    def some_ranges() -> list[tuple[time, time]]:
        picks = draw(st.lists(_quarter_hours, min_size=2, max_size=4, unique=True))
        bounds = sorted(picks)[: len(picks) // 2 * 2]
        return list(zip(bounds[::2], bounds[1::2], strict=True))

    days = {
        name: some_ranges()
        for name in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        if draw(st.booleans())
    }
    days.setdefault("sun", [(time(0, 45), time(2, 45))])  # across both changes' odd hours
    holidays = tuple(
        change + timedelta(days=d) for d in draw(st.lists(st.integers(-3, 3), max_size=2))
    )
    exceptions = tuple(
        DayException(change + timedelta(days=d), tuple(TimeRange(a, b) for a, b in some_ranges()))
        for d in draw(st.lists(st.integers(-3, 3), max_size=2, unique=True))
    )
    return WorkingHours(zone, weekly_ranges(**days), holidays, exceptions), change


# R-HL-5: next_opening is the first open minute at or after ``at`` (every boundary here falls on
# a whole minute), checked against a minute-by-minute scan around DST and zone changes.
@settings(max_examples=100, deadline=None)
@given(case=_hours_around_a_change(), minutes=st.integers(-3 * 24 * 60, 2 * 24 * 60))
def test_next_opening_matches_a_minute_scan(case: tuple[WorkingHours, date], minutes: int) -> None:
    hours, change = case
    at = datetime.combine(change, time(0), tzinfo=UTC) + timedelta(minutes=minutes)
    expected = _brute_force_next_opening(hours, at, timedelta(days=8))
    found = next_opening(hours, at)
    if expected is None:  # nothing within the scanned week and a day
        assert found is None or found - at > timedelta(days=8)
    else:
        # Compared in UTC: aware datetimes in a repeated hour never equal ones in other zones.
        assert found is not None and found.astimezone(UTC) == expected


# R-HL-5: closed -> the closed message, voicemail/callback as the spec offers, and when it opens.
def test_closed_treatment_when_closed() -> None:
    spec = sample_spec()
    at = datetime(2025, 3, 8, 12, tzinfo=BERLIN)  # Saturday
    treatment = choose_closed_treatment(spec, at=at, available_operators=5, language="ru")
    assert treatment is not None
    assert treatment.reason is ClosedReason.CLOSED
    assert treatment.message == Message(MessageKind.CLOSED, "ru", "Мы закрыты.")
    assert treatment.offer_voicemail and treatment.offer_callback
    assert treatment.voicemail_prompt is not None
    assert treatment.voicemail_prompt.audio == "vm-ru.wav"
    assert treatment.opens_at == datetime(2025, 3, 10, 9, tzinfo=BERLIN)


# R-HL-5: open but nobody to answer -> the queue message; nothing offered if the spec says no.
def test_no_operator_treatment() -> None:
    spec = sample_spec(options=CallOptions())
    at = datetime(2025, 3, 10, 12, tzinfo=BERLIN)
    treatment = choose_closed_treatment(spec, at=at, available_operators=0, language="ru")
    assert treatment is not None
    assert treatment.reason is ClosedReason.NO_OPERATOR
    assert treatment.message is not None and treatment.message.kind is MessageKind.QUEUE
    assert not treatment.offer_voicemail and not treatment.offer_callback
    assert treatment.voicemail_prompt is None and treatment.opens_at is None


# R-HL-5: open with an operator free -> no treatment, the call goes through.
def test_no_treatment_when_an_operator_can_answer() -> None:
    at = datetime(2025, 3, 10, 12, tzinfo=BERLIN)
    assert (
        choose_closed_treatment(sample_spec(), at=at, available_operators=1, language="ru") is None
    )


# R-HL-5: message language: requested, then fallback, then the first of the kind.
def test_closed_message_language_fallback() -> None:
    spec = sample_spec()
    at = datetime(2025, 3, 8, 12, tzinfo=BERLIN)

    def closed_language(language: str, fallback: str | None = None) -> str | None:
        t = choose_closed_treatment(
            spec, at=at, available_operators=1, language=language, fallback_language=fallback
        )
        assert t is not None
        return None if t.message is None else t.message.language

    assert closed_language("en") == "en"
    assert closed_language("de", "en") == "en"
    assert closed_language("de") == "ru"
    no_messages = replace(spec, messages=())
    t = choose_closed_treatment(no_messages, at=at, available_operators=1, language="ru")
    assert t is not None and t.message is None and t.voicemail_prompt is None
