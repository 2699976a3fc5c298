"""The launch checklist (R-HL-3)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from calldesk.domain.hotlines import (
    LaunchChecklist,
    Message,
    MessageKind,
    calculate_launch_checklist,
)

from .builders import sample_spec

TODAY = date(2025, 4, 10)

ALL_MESSAGES = tuple(
    Message(kind, lang, f"{kind.value} {lang}")
    for lang in ("ru", "en")
    for kind in (MessageKind.GREETING, MessageKind.CLOSED, MessageKind.QUEUE)
)


def checklist(**overrides: Any) -> LaunchChecklist:
    inputs: dict[str, Any] = {
        "has_approved_version": True,
        "numbers_attached": 1,
        "messages": ALL_MESSAGES,
        "languages": ("ru", "en"),
        "knowledge_base_entries": 12,
        "operators_passed": 3,
        "planned_operators": 3,
        "planned_launch": date(2025, 4, 15),
        "today": TODAY,
    }
    inputs.update(overrides)
    return calculate_launch_checklist(**inputs)


def undone(result: LaunchChecklist) -> list[str]:
    return [item.code for item in result.items if not item.done]


# R-HL-3: everything in place -> ready, and not late before the date.
def test_all_done_is_ready() -> None:
    result = checklist()
    assert [item.code for item in result.items] == [
        "APPROVED_VERSION",
        "NUMBERS_ATTACHED",
        "MESSAGES_PRESENT",
        "KNOWLEDGE_BASE",
        "OPERATORS_TRAINED",
        "LAUNCH_DATE",
    ]
    assert result.ready and not result.late
    assert all(item.detail for item in result.items)


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"has_approved_version": False}, "APPROVED_VERSION"),
        ({"numbers_attached": 0}, "NUMBERS_ATTACHED"),
        ({"messages": ALL_MESSAGES[:5]}, "MESSAGES_PRESENT"),
        ({"knowledge_base_entries": 0}, "KNOWLEDGE_BASE"),
        ({"knowledge_base_entries": 9, "min_knowledge_base_entries": 10}, "KNOWLEDGE_BASE"),
        ({"operators_passed": 2}, "OPERATORS_TRAINED"),
        ({"operators_passed": 0, "planned_operators": 0}, "OPERATORS_TRAINED"),
        ({"planned_launch": None}, "LAUNCH_DATE"),
    ],
)
def test_each_missing_item_blocks_readiness(overrides: dict[str, Any], code: str) -> None:
    # R-HL-3
    result = checklist(**overrides)
    assert undone(result) == [code]
    assert not result.ready


# R-HL-3: the minimum knowledge-base size is configurable.
def test_knowledge_base_minimum_is_configurable() -> None:
    result = checklist(knowledge_base_entries=10, min_knowledge_base_entries=10)
    assert result.ready
    item = result.items[3]
    assert item.detail == "Knowledge-base entries: 10 of at least 10."


# R-HL-3: more trained operators than planned is fine.
def test_more_operators_than_planned_is_fine() -> None:
    assert checklist(operators_passed=5).ready


# R-HL-3: the missing announcements are named by kind and language.
def test_missing_messages_are_named() -> None:
    result = checklist(messages=ALL_MESSAGES[:3] + (Message(MessageKind.QUEUE, "en", "", None),))
    item = result.items[2]
    assert item.params == {"missing": "greeting/en, closed/en, queue/en"}


# R-HL-3: required kinds are configurable (e.g. voicemail when the line offers it).
def test_required_kinds_are_configurable() -> None:
    spec = sample_spec()
    result = checklist(
        messages=spec.messages,
        languages=("ru",),
        required_message_kinds=(MessageKind.GREETING, MessageKind.VOICEMAIL),
    )
    assert result.ready
    result = checklist(
        messages=spec.messages, languages=("en",), required_message_kinds=(MessageKind.VOICEMAIL,)
    )
    assert result.items[2].params == {"missing": "voicemail/en"}


# R-HL-3: without languages given, the languages the messages use are required throughout.
def test_languages_default_to_those_used() -> None:
    assert checklist(languages=()).ready
    partial = checklist(languages=(), messages=ALL_MESSAGES[:4])
    assert partial.items[2].params == {"missing": "closed/en, queue/en"}
    nothing = checklist(languages=(), messages=())
    assert nothing.items[2].params == {"missing": "greeting/*, closed/*, queue/*"}


# R-HL-3: late when the planned date has passed and the line is not live.
def test_late_after_the_planned_date() -> None:
    assert checklist(planned_launch=date(2025, 4, 9)).late
    assert checklist(planned_launch=date(2025, 4, 9), numbers_attached=0).late
    assert not checklist(planned_launch=date(2025, 4, 9), is_live=True).late


# R-HL-3: on the planned day itself, late only when not ready.
def test_late_on_the_planned_day_when_not_ready() -> None:
    assert not checklist(planned_launch=TODAY).late
    assert checklist(planned_launch=TODAY, numbers_attached=0).late


# R-HL-3: no planned date -> never late (but not ready either).
def test_no_planned_date_is_never_late() -> None:
    result = checklist(planned_launch=None, numbers_attached=0)
    assert not result.late and not result.ready
