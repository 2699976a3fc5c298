"""Sample specs and Hypothesis strategies shared by the hotline tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import time
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from calldesk.domain.hotlines import (
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
    weekly_ranges,
)

NINE_TO_SIX = [(time(9), time(18))]


def office_hours(time_zone: str = "Europe/Berlin", **days: list[tuple[time, time]]) -> WorkingHours:
    """Mon-Fri 09:00-18:00 unless days are given."""
    if not days:
        days = {d: NINE_TO_SIX for d in ("mon", "tue", "wed", "thu", "fri")}
    return WorkingHours(time_zone=time_zone, weekly=weekly_ranges(**days))


def sample_spec(**overrides: Any) -> HotlineSpec:
    """A spec that passes check_spec_for_proposal."""
    spec = HotlineSpec(
        hours=office_hours(),
        topics=(Topic("order", "Order status"), Topic("refund", "Refund")),
        fields=(
            FormField("name", "Name", FieldType.TEXT, required=True, order=1),
            FormField("phone", "Phone", FieldType.PHONE, required=False, order=2),
            FormField(
                "reason",
                "Reason",
                FieldType.CHOICE,
                required=True,
                choices=("late", "broken"),
                order=3,
            ),
            FormField(
                "amount",
                "Amount",
                FieldType.NUMBER,
                rules=FieldRules(min_value=Decimal("0"), max_value=Decimal("100000")),
                order=4,
            ),
        ),
        messages=(
            Message(MessageKind.GREETING, "ru", "Здравствуйте!"),
            Message(MessageKind.CLOSED, "ru", "Мы закрыты."),
            Message(MessageKind.QUEUE, "ru", "Все операторы заняты."),
            Message(MessageKind.VOICEMAIL, "ru", "Оставьте сообщение.", audio="vm-ru.wav"),
            Message(MessageKind.CLOSED, "en", "We are closed."),
        ),
        options=CallOptions(voicemail=True, callback=True),
        planned_operators=3,
        reports=(ReportSubscription("calls", ReportFrequency.DAILY, ("boss@example.com",)),),
    )
    return replace(spec, **overrides)


# -- strategies (any values, valid or not: serialisation must keep them all) -------------------

_short_text = st.text(max_size=12)
_times = st.times()
_ranges = st.builds(TimeRange, start=_times, end=_times)
_day_ranges = st.lists(_ranges, max_size=3).map(tuple)
_decimals = st.none() | st.decimals(allow_nan=False, allow_infinity=False, places=3)

field_strategy = st.builds(
    FormField,
    key=_short_text,
    label=_short_text,
    type=st.sampled_from(FieldType),
    required=st.booleans(),
    rules=st.builds(
        FieldRules,
        min_value=_decimals,
        max_value=_decimals,
        regex=st.none() | _short_text,
        max_length=st.none() | st.integers(-5, 500),
    ),
    choices=st.lists(_short_text, max_size=4).map(tuple),
    order=st.integers(-10, 10),
)

hours_strategy = st.builds(
    WorkingHours,
    time_zone=st.sampled_from(["Europe/Berlin", "Asia/Vladivostok", "UTC", "Nowhere/City"]),
    weekly=st.lists(_day_ranges, min_size=7, max_size=7).map(tuple),
    holidays=st.lists(st.dates(), max_size=3).map(tuple),
    exceptions=st.lists(
        st.builds(DayException, day=st.dates(), ranges=_day_ranges), max_size=3
    ).map(tuple),
)

spec_strategy = st.builds(
    HotlineSpec,
    hours=hours_strategy,
    topics=st.lists(st.builds(Topic, code=_short_text, name=_short_text), max_size=3).map(tuple),
    fields=st.lists(field_strategy, max_size=3).map(tuple),
    messages=st.lists(
        st.builds(
            Message,
            kind=st.sampled_from(MessageKind),
            language=st.sampled_from(["ru", "en", "tt"]),
            text=_short_text,
            audio=st.none() | _short_text,
        ),
        max_size=3,
    ).map(tuple),
    options=st.builds(CallOptions, voicemail=st.booleans(), callback=st.booleans()),
    planned_operators=st.integers(-3, 500),
    reports=st.lists(
        st.builds(
            ReportSubscription,
            report=_short_text,
            frequency=st.sampled_from(ReportFrequency),
            recipients=st.lists(_short_text, max_size=2).map(tuple),
        ),
        max_size=2,
    ).map(tuple),
)
