"""Contact-center call metrics with their definitions spelled out (R-OPS-2).

Each result carries a `definition` sentence to print beside the figure, because "service
level" and "abandon rate" are computed differently from one contact center to the next.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

ANSWERED = "answered"
ABANDONED = "abandoned"
VOICEMAIL = "voicemail"
CALLBACK = "callback"
OUTCOMES: tuple[str, ...] = (ANSWERED, ABANDONED, VOICEMAIL, CALLBACK)

Denominator = Literal["answered", "answered_abandoned", "offered"]
_DENOMINATOR_TEXT: dict[str, str] = {
    "answered": "answered calls",
    "answered_abandoned": "answered + abandoned calls",
    "offered": "offered calls (answered, abandoned, voicemail, callback)",
}


@dataclass(frozen=True, slots=True)
class CallRecord:
    """One offered call. `wait_s`: from offer to answer, abandonment or message outcome."""

    outcome: str
    wait_s: float
    talk_s: float = 0.0
    hold_s: float = 0.0
    wrap_s: float = 0.0
    offered_at: float = 0.0

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {OUTCOMES}, not {self.outcome!r}")
        if min(self.wait_s, self.talk_s, self.hold_s, self.wrap_s) < 0:
            raise ValueError("durations must be >= 0")


@dataclass(frozen=True, slots=True)
class ServiceLevelDefinition:
    """Answered within `threshold_s` over `denominator`.

    With `short_abandon_s`, calls abandoned within that many seconds are dropped from
    numerator and denominator alike (callers who hung up before a fair chance).
    """

    threshold_s: float
    denominator: Denominator = "offered"
    short_abandon_s: float | None = None

    def __post_init__(self) -> None:
        if self.threshold_s < 0:
            raise ValueError("threshold_s must be >= 0")
        if self.denominator not in _DENOMINATOR_TEXT:
            raise ValueError(f"denominator must be one of {tuple(_DENOMINATOR_TEXT)}")
        if self.short_abandon_s is not None and self.short_abandon_s < 0:
            raise ValueError("short_abandon_s must be >= 0")

    def describe(self) -> str:
        text = (
            f"calls answered within {_seconds(self.threshold_s)} / "
            f"{_DENOMINATOR_TEXT[self.denominator]}"
        )
        if self.short_abandon_s is not None:
            text += f"; abandons within {_seconds(self.short_abandon_s)} excluded from both"
        return text


@dataclass(frozen=True, slots=True)
class MetricResult:
    name: str
    value: float | None  # None when the denominator is zero
    numerator: float
    denominator: float
    unit: str  # "ratio" or "s"
    definition: str

    def format(self) -> str:
        if self.value is None:
            figure = "n/a"
        elif self.unit == "ratio":
            figure = f"{100 * self.value:.1f} %"
        else:
            figure = f"{self.value:.1f} s"
        return f"{self.name}: {figure} ({self.definition})"


def _seconds(value: float) -> str:
    return f"{value:g} s"


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator > 0 else None


def _is_short_abandon(record: CallRecord, short_abandon_s: float | None) -> bool:
    return (
        short_abandon_s is not None
        and record.outcome == ABANDONED
        and record.wait_s <= short_abandon_s
    )


def calculate_service_level(
    records: Iterable[CallRecord], definition: ServiceLevelDefinition
) -> MetricResult:
    met = 0
    counted = 0
    for record in records:
        if _is_short_abandon(record, definition.short_abandon_s):
            continue
        answered = record.outcome == ANSWERED
        if answered and record.wait_s <= definition.threshold_s:
            met += 1
        if definition.denominator == "offered":
            counted += 1
        elif definition.denominator == "answered_abandoned":
            counted += answered or record.outcome == ABANDONED
        else:
            counted += answered
    return MetricResult(
        "service level", _ratio(met, counted), met, counted, "ratio", definition.describe()
    )


def calculate_asa(records: Iterable[CallRecord]) -> MetricResult:
    waits = [r.wait_s for r in records if r.outcome == ANSWERED]
    total = float(sum(waits))
    return MetricResult(
        "ASA",
        _ratio(total, len(waits)),
        total,
        len(waits),
        "s",
        "average speed of answer: mean wait from offer to answer over answered calls",
    )


def calculate_aht(records: Iterable[CallRecord]) -> MetricResult:
    handles = [r.talk_s + r.hold_s + r.wrap_s for r in records if r.outcome == ANSWERED]
    total = float(sum(handles))
    return MetricResult(
        "AHT",
        _ratio(total, len(handles)),
        total,
        len(handles),
        "s",
        "average handle time: mean of talk + hold + wrap-up over answered calls",
    )


def calculate_abandon_rate(
    records: Iterable[CallRecord], short_abandon_s: float | None = None
) -> MetricResult:
    abandoned = 0
    offered = 0
    for record in records:
        if _is_short_abandon(record, short_abandon_s):
            continue
        offered += 1
        abandoned += record.outcome == ABANDONED
    definition = "abandoned calls / offered calls"
    if short_abandon_s is not None:
        definition += f"; abandons within {_seconds(short_abandon_s)} excluded from both"
    return MetricResult(
        "abandon rate", _ratio(abandoned, offered), abandoned, offered, "ratio", definition
    )


def calculate_occupancy(records: Iterable[CallRecord], staffed_s: float) -> MetricResult:
    """Handle time over the agent-seconds available for calls (ready + handling)."""
    if staffed_s < 0:
        raise ValueError("staffed_s must be >= 0")
    busy = float(sum(r.talk_s + r.hold_s + r.wrap_s for r in records if r.outcome == ANSWERED))
    return MetricResult(
        "occupancy",
        _ratio(busy, staffed_s),
        busy,
        staffed_s,
        "ratio",
        "handle time (talk + hold + wrap-up) / agent time available for calls "
        "(ready + handling; breaks and not-ready excluded)",
    )


def calculate_summary(
    records: Sequence[CallRecord],
    definition: ServiceLevelDefinition,
    staffed_s: float | None = None,
) -> tuple[MetricResult, ...]:
    results = [
        calculate_service_level(records, definition),
        calculate_asa(records),
        calculate_aht(records),
        calculate_abandon_rate(records, definition.short_abandon_s),
    ]
    if staffed_s is not None:
        results.append(calculate_occupancy(records, staffed_s))
    return tuple(results)
