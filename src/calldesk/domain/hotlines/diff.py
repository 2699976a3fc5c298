"""What changed between two spec versions, for the client's approval screen (R-HL-2).

Items are matched by their keys (topic code, field key, message kind/language, exception date,
report kind/frequency), so reordering alone is not a change except for a field's ``order``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from .spec import (
    WEEKDAYS,
    FormField,
    HotlineSpec,
    Message,
    ReportSubscription,
    TimeRange,
    Topic,
    WorkingHours,
    format_time,
)

__all__ = ["Change", "ChangeKind", "SpecDiff", "diff_specs", "format_diff"]

_T = TypeVar("_T")


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True, slots=True)
class Change:
    """One difference; ``before``/``after`` are display texts (``None`` when absent)."""

    kind: ChangeKind
    path: str
    before: str | None = None
    after: str | None = None

    @property
    def line(self) -> str:
        if self.kind is ChangeKind.ADDED:
            return f"+ {self.path}: {self.after}"
        if self.kind is ChangeKind.REMOVED:
            return f"- {self.path}: {self.before}"
        return f"{self.path}: {self.before} → {self.after}"


@dataclass(frozen=True, slots=True)
class SpecDiff:
    changes: tuple[Change, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.changes


def diff_specs(a: HotlineSpec, b: HotlineSpec) -> SpecDiff:
    """Changes that turn ``a`` (e.g. the effective version) into ``b`` (e.g. the proposal)."""
    changes: list[Change] = []
    changes += _diff_keyed(
        "topics", a.topics, b.topics, key=lambda t: t.code, describe=_topic, attrs=_topic_attrs
    )
    changes += _diff_keyed(
        "fields", a.fields, b.fields, key=lambda f: f.key, describe=_field, attrs=_field_attrs
    )
    changes += _diff_hours(a.hours, b.hours)
    changes += _diff_keyed(
        "messages",
        a.messages,
        b.messages,
        key=lambda m: f"{m.kind.value}/{m.language}",
        describe=_message,
        attrs=_message_attrs,
    )
    changes += _diff_value("options.voicemail", a.options.voicemail, b.options.voicemail)
    changes += _diff_value("options.callback", a.options.callback, b.options.callback)
    changes += _diff_value("planned_operators", a.planned_operators, b.planned_operators)
    changes += _diff_keyed(
        "reports",
        a.reports,
        b.reports,
        key=lambda r: f"{r.report}/{r.frequency.value}",
        describe=_report,
        attrs=lambda r: {"recipients": _show(list(r.recipients))},
    )
    return SpecDiff(tuple(changes))


def format_diff(diff: SpecDiff) -> list[str]:
    """One human-readable line per change."""
    return [change.line for change in diff.changes]


# -- generic helpers -----------------------------------------------------------------------


def _diff_keyed(
    section: str,
    old: Sequence[_T],
    new: Sequence[_T],
    *,
    key: Callable[[_T], str],
    describe: Callable[[_T], str],
    attrs: Callable[[_T], dict[str, str]],
) -> list[Change]:
    before = _unique_keys(old, key)
    after = _unique_keys(new, key)
    changes = [
        Change(ChangeKind.REMOVED, f"{section}[{k}]", before=describe(item))
        for k, item in before.items()
        if k not in after
    ]
    for k, item in after.items():
        path = f"{section}[{k}]"
        if k not in before:
            changes.append(Change(ChangeKind.ADDED, path, after=describe(item)))
            continue
        old_attrs, new_attrs = attrs(before[k]), attrs(item)
        for name, value in new_attrs.items():
            if old_attrs[name] != value:
                changes.append(Change(ChangeKind.CHANGED, f"{path}.{name}", old_attrs[name], value))
    return changes


def _unique_keys(items: Iterable[_T], key: Callable[[_T], str]) -> dict[str, _T]:
    # Drafts may repeat a key (check_spec reports it); number the repeats to keep them apart.
    out: dict[str, _T] = {}
    for item in items:
        k = base = key(item)
        n = 1
        while k in out:
            n += 1
            k = f"{base}#{n}"
        out[k] = item
    return out


def _diff_value(path: str, old: object, new: object) -> list[Change]:
    if old == new:
        return []
    return [Change(ChangeKind.CHANGED, path, _show(old), _show(new))]


def _show(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, bool | int | Decimal):
        return str(value)
    return str(value)


def _show_ranges(ranges: Sequence[TimeRange]) -> str:
    if not ranges:
        return "closed"
    return ", ".join(f"{format_time(r.start)}–{format_time(r.end, end=True)}" for r in ranges)


# -- per-item descriptions -------------------------------------------------------------------


def _topic(t: Topic) -> str:
    return _show(t.name)


def _topic_attrs(t: Topic) -> dict[str, str]:
    return {"name": _show(t.name)}


def _field(f: FormField) -> str:
    return f"{f.type.value} {_show(f.label)}" + (", required" if f.required else "")


def _field_attrs(f: FormField) -> dict[str, str]:
    return {
        "label": _show(f.label),
        "type": f.type.value,
        "required": _show(f.required),
        "order": _show(f.order),
        "choices": _show(list(f.choices)),
        "rules.min_value": _show(f.rules.min_value),
        "rules.max_value": _show(f.rules.max_value),
        "rules.regex": _show(f.rules.regex),
        "rules.max_length": _show(f.rules.max_length),
    }


def _message(m: Message) -> str:
    return _show(m.text) + (f" (audio {_show(m.audio)})" if m.audio else "")


def _message_attrs(m: Message) -> dict[str, str]:
    return {"text": _show(m.text), "audio": _show(m.audio)}


def _report(r: ReportSubscription) -> str:
    return f"{r.frequency.value} to {_show(list(r.recipients))}"


def _diff_hours(old: WorkingHours, new: WorkingHours) -> list[Change]:
    changes = _diff_value("hours.time_zone", old.time_zone, new.time_zone)
    for i in range(max(len(old.weekly), len(new.weekly))):
        name = WEEKDAYS[i] if i < len(WEEKDAYS) else f"days[{i}]"
        before = old.weekly[i] if i < len(old.weekly) else ()
        after = new.weekly[i] if i < len(new.weekly) else ()
        if before != after:
            changes.append(
                Change(
                    ChangeKind.CHANGED,
                    f"hours.{name}",
                    _show_ranges(before),
                    _show_ranges(after),
                )
            )
    old_holidays, new_holidays = set(old.holidays), set(new.holidays)
    changes += [
        Change(ChangeKind.REMOVED, f"hours.holidays[{d.isoformat()}]", before="holiday")
        for d in sorted(old_holidays - new_holidays)
    ]
    changes += [
        Change(ChangeKind.ADDED, f"hours.holidays[{d.isoformat()}]", after="holiday")
        for d in sorted(new_holidays - old_holidays)
    ]
    changes += _diff_keyed(
        "hours.exceptions",
        old.exceptions,
        new.exceptions,
        key=lambda e: e.day.isoformat(),
        describe=lambda e: _show_ranges(e.ranges),
        attrs=lambda e: {"hours": _show_ranges(e.ranges)},
    )
    return changes
