"""Readable differences between spec versions (R-HL-2)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from random import Random
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from calldesk.domain.hotlines import (
    CallOptions,
    Change,
    ChangeKind,
    DayException,
    FieldType,
    FormField,
    HotlineSpec,
    Message,
    MessageKind,
    ReportFrequency,
    ReportSubscription,
    TimeRange,
    Topic,
    diff_specs,
    format_diff,
)

from .builders import sample_spec, spec_strategy


# R-HL-2: identical specs have no differences, whatever they contain.
@settings(max_examples=40, deadline=None)
@given(spec_strategy)
def test_a_spec_does_not_differ_from_itself(spec: HotlineSpec) -> None:
    assert diff_specs(spec, spec).is_empty
    assert format_diff(diff_specs(spec, spec)) == []


def _canonical(spec: HotlineSpec) -> HotlineSpec:
    """The spec with keyed lists sorted: what the diff treats as the same spec."""

    def by_repr(items: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(sorted(items, key=repr))

    return replace(
        spec,
        topics=by_repr(spec.topics),
        fields=by_repr(spec.fields),
        messages=by_repr(spec.messages),
        reports=by_repr(spec.reports),
        hours=replace(
            spec.hours,
            holidays=tuple(sorted(set(spec.hours.holidays))),
            exceptions=by_repr(spec.hours.exceptions),
        ),
    )


def _keys_unique(spec: HotlineSpec) -> bool:
    keys: list[list[object]] = [
        [t.code for t in spec.topics],
        [f.key for f in spec.fields],
        [(m.kind, m.language) for m in spec.messages],
        [(r.report, r.frequency) for r in spec.reports],
        [e.day for e in spec.hours.exceptions],
    ]
    return all(len(set(k)) == len(k) for k in keys)


# R-HL-2: any two specs that differ (beyond the order of keyed items) show a change.
@settings(max_examples=60, deadline=None)
@given(spec_strategy, spec_strategy)
def test_different_specs_show_a_change(a: HotlineSpec, b: HotlineSpec) -> None:
    if _canonical(a) != _canonical(b):
        assert not diff_specs(a, b).is_empty


# R-HL-2: reordering keyed items alone is no change.
@settings(max_examples=40, deadline=None)
@given(spec_strategy, st.randoms(use_true_random=False))
def test_reordering_is_no_change(a: HotlineSpec, rnd: Random) -> None:
    assume(_keys_unique(a))

    def shuffled(items: tuple[Any, ...]) -> tuple[Any, ...]:
        out = list(items)
        rnd.shuffle(out)
        return tuple(out)

    b = replace(
        a,
        topics=shuffled(a.topics),
        fields=shuffled(a.fields),
        messages=shuffled(a.messages),
        reports=shuffled(a.reports),
        hours=replace(
            a.hours,
            holidays=shuffled(a.hours.holidays),
            exceptions=shuffled(a.hours.exceptions),
        ),
    )
    assert diff_specs(a, b).is_empty


# R-HL-2: field changes are reported per attribute with the field's key in the path.
def test_field_changes() -> None:
    a = sample_spec()
    fields = list(a.fields)
    fields[1] = replace(fields[1], required=True, label="Telephone")
    fields[2] = replace(fields[2], choices=("late", "broken", "lost"))
    fields.pop(3)
    fields.append(FormField("email", "E-mail", FieldType.EMAIL, required=True, order=5))
    b = replace(a, fields=tuple(fields))
    assert format_diff(diff_specs(a, b)) == [
        '- fields[amount]: number "Amount"',
        'fields[phone].label: "Phone" → "Telephone"',
        "fields[phone].required: False → True",
        'fields[reason].choices: ["late", "broken"] → ["late", "broken", "lost"]',
        '+ fields[email]: email "E-mail", required',
    ]


# R-HL-2: topics added, removed and renamed; reordering alone is no change.
def test_topic_changes() -> None:
    a = sample_spec()
    b = replace(a, topics=(Topic("refund", "Refunds"), Topic("warranty", "Warranty")))
    assert diff_specs(a, b).changes == (
        Change(ChangeKind.REMOVED, "topics[order]", before='"Order status"'),
        Change(ChangeKind.CHANGED, "topics[refund].name", '"Refund"', '"Refunds"'),
        Change(ChangeKind.ADDED, "topics[warranty]", after='"Warranty"'),
    )
    assert diff_specs(a, replace(a, topics=a.topics[::-1])).is_empty


# R-HL-2: hours changes per weekday, holidays, exceptions and zone.
def test_hours_changes() -> None:
    a = sample_spec()
    weekly = list(a.hours.weekly)
    weekly[0] = (TimeRange(time(10), time(18)),)
    weekly[4] = ()
    weekly[5] = (TimeRange(time(10), time(14)), TimeRange(time(15), time(0)))
    b = replace(
        a,
        hours=replace(
            a.hours,
            time_zone="Asia/Vladivostok",
            weekly=tuple(weekly),
            holidays=(date(2025, 1, 1),),
            exceptions=(DayException(date(2025, 5, 9), (TimeRange(time(10), time(16)),)),),
        ),
    )
    a = replace(a, hours=replace(a.hours, exceptions=(DayException(date(2025, 5, 9)),)))
    assert format_diff(diff_specs(a, b)) == [
        'hours.time_zone: "Europe/Berlin" → "Asia/Vladivostok"',
        "hours.mon: 09:00–18:00 → 10:00–18:00",
        "hours.fri: 09:00–18:00 → closed",
        "hours.sat: closed → 10:00–14:00, 15:00–24:00",
        "+ hours.holidays[2025-01-01]: holiday",
        "hours.exceptions[2025-05-09].hours: closed → 10:00–16:00",
    ]


# R-HL-2: messages are matched by kind and language.
def test_message_changes() -> None:
    a = sample_spec()
    b = replace(
        a,
        messages=(
            Message(MessageKind.GREETING, "ru", "Добрый день!"),
            Message(MessageKind.CLOSED, "ru", "Мы закрыты.", audio="closed.wav"),
            Message(MessageKind.QUEUE, "ru", "Все операторы заняты."),
            Message(MessageKind.VOICEMAIL, "ru", "Оставьте сообщение.", audio="vm-ru.wav"),
            Message(MessageKind.QUEUE, "en", "Please hold."),
        ),
    )
    assert format_diff(diff_specs(a, b)) == [
        '- messages[closed/en]: "We are closed."',
        'messages[greeting/ru].text: "Здравствуйте!" → "Добрый день!"',
        'messages[closed/ru].audio: none → "closed.wav"',
        '+ messages[queue/en]: "Please hold."',
    ]


# R-HL-2: options, operator count and report subscriptions.
def test_other_changes() -> None:
    a = sample_spec()
    b = replace(
        a,
        options=CallOptions(voicemail=False, callback=True),
        planned_operators=5,
        reports=(
            ReportSubscription(
                "calls", ReportFrequency.DAILY, ("boss@example.com", "qa@example.com")
            ),
            ReportSubscription("sla", ReportFrequency.MONTHLY, ("boss@example.com",)),
        ),
    )
    assert format_diff(diff_specs(a, b)) == [
        "options.voicemail: True → False",
        "planned_operators: 3 → 5",
        'reports[calls/daily].recipients: ["boss@example.com"] → ["boss@example.com", "qa@example.com"]',
        '+ reports[sla/monthly]: monthly to ["boss@example.com"]',
    ]


# R-HL-2: repeated keys in a draft are kept apart instead of hiding each other.
def test_repeated_keys_are_numbered() -> None:
    a = replace(sample_spec(), topics=(Topic("a", "A"),))
    b = replace(a, topics=(Topic("a", "A"), Topic("a", "A2")))
    assert format_diff(diff_specs(a, b)) == ['+ topics[a#2]: "A2"']
