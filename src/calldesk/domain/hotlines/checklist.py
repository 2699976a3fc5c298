"""The launch checklist of a hotline (R-HL-3)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from .codes import MessageParams, default_message
from .spec import Message, MessageKind

__all__ = [
    "DEFAULT_REQUIRED_MESSAGE_KINDS",
    "ChecklistItem",
    "LaunchChecklist",
    "calculate_launch_checklist",
]

DEFAULT_REQUIRED_MESSAGE_KINDS: tuple[MessageKind, ...] = (
    MessageKind.GREETING,
    MessageKind.CLOSED,
    MessageKind.QUEUE,
)


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """``code`` doubles as the message code of ``detail``."""

    code: str
    done: bool
    params: MessageParams = field(default_factory=dict)

    @property
    def detail(self) -> str:
        return default_message(self.code, self.params)


@dataclass(frozen=True, slots=True)
class LaunchChecklist:
    items: tuple[ChecklistItem, ...]
    ready: bool
    late: bool


def calculate_launch_checklist(
    *,
    has_approved_version: bool,
    numbers_attached: int,
    messages: Sequence[Message],
    languages: Sequence[str],
    knowledge_base_entries: int,
    operators_passed: int,
    planned_operators: int,
    planned_launch: date | None,
    today: date,
    is_live: bool = False,
    min_knowledge_base_entries: int = 1,
    required_message_kinds: Sequence[MessageKind] = DEFAULT_REQUIRED_MESSAGE_KINDS,
) -> LaunchChecklist:
    """Items in a fixed order; ``ready`` when all are done.

    ``late``: not live and the planned date has passed, or it is the planned day and the line
    is not ready. Messages need every required kind in every language (an announcement with
    neither text nor audio does not count); with no languages given, the languages the
    messages use are taken, and with none at all every kind counts as missing.
    """
    missing = _missing_messages(messages, languages, required_message_kinds)
    planned = max(planned_operators, 0)
    items = (
        ChecklistItem(
            "APPROVED_VERSION",
            has_approved_version,
            {"state": "yes" if has_approved_version else "no"},
        ),
        ChecklistItem("NUMBERS_ATTACHED", numbers_attached > 0, {"count": numbers_attached}),
        ChecklistItem("MESSAGES_PRESENT", not missing, {"missing": ", ".join(missing) or "none"}),
        ChecklistItem(
            "KNOWLEDGE_BASE",
            knowledge_base_entries >= min_knowledge_base_entries,
            {"count": knowledge_base_entries, "minimum": min_knowledge_base_entries},
        ),
        ChecklistItem(
            "OPERATORS_TRAINED",
            # A plan of zero operators is an unfinished spec, not a finished training.
            planned > 0 and operators_passed >= planned,
            {"passed": operators_passed, "planned": planned},
        ),
        ChecklistItem(
            "LAUNCH_DATE",
            planned_launch is not None,
            {"date": planned_launch.isoformat() if planned_launch else "not set"},
        ),
    )
    ready = all(item.done for item in items)
    late = (
        planned_launch is not None
        and not is_live
        and (today > planned_launch or (today == planned_launch and not ready))
    )
    return LaunchChecklist(items=items, ready=ready, late=late)


def _missing_messages(
    messages: Sequence[Message], languages: Sequence[str], kinds: Sequence[MessageKind]
) -> list[str]:
    present = {(m.kind, m.language) for m in messages if m.text.strip() or (m.audio or "").strip()}
    wanted = list(dict.fromkeys(languages)) or list(dict.fromkeys(m.language for m in messages))
    if not wanted:
        return [f"{kind.value}/*" for kind in kinds]
    return [
        f"{kind.value}/{language}"
        for language in wanted
        for kind in kinds
        if (kind, language) not in present
    ]
