"""Operator testing before a hotline goes live (R-HL-4).

A test sheet lists weighted criteria drawn from the spec; the examiner marks each from 0
(failed) to 1 (fully met), partial marks allowed. Unmarked criteria count as 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from .spec import HotlineSpec, sorted_fields

__all__ = [
    "Criterion",
    "CriterionKind",
    "CriterionResult",
    "CriterionWeights",
    "TestResult",
    "TestSheet",
    "build_test_sheet",
    "score_test",
]

_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")


class CriterionKind(StrEnum):
    TOPIC = "topic"  # the operator handles a call on this topic
    FIELD = "field"  # a required form field is captured correctly
    GREETING = "greeting"  # the greeting script is used
    KNOWLEDGE_BASE = "knowledge_base"  # answers from the knowledge base are correct


@dataclass(frozen=True, slots=True)
class CriterionWeights:
    """Weight of one criterion of each kind; 0 leaves that kind off the sheet."""

    topic: int = 2
    field: int = 1
    greeting: int = 1
    knowledge_base: int = 3


@dataclass(frozen=True, slots=True)
class Criterion:
    code: str  # "topic:<code>", "field:<key>", "greeting" or "knowledge_base"
    kind: CriterionKind
    label: str
    weight: int


@dataclass(frozen=True, slots=True)
class TestSheet:
    __test__ = False  # not a pytest class, despite the name

    criteria: tuple[Criterion, ...]
    pass_threshold: Decimal = Decimal(80)


@dataclass(frozen=True, slots=True)
class CriterionResult:
    code: str
    weight: int
    mark: Decimal
    points: Decimal  # weight * mark


@dataclass(frozen=True, slots=True)
class TestResult:
    __test__ = False

    score: Decimal  # 0..100, two decimals
    passed: bool
    criteria: tuple[CriterionResult, ...]


def build_test_sheet(
    spec: HotlineSpec,
    *,
    weights: CriterionWeights | None = None,
    pass_threshold: Decimal = Decimal(80),
) -> TestSheet:
    """Criteria: each topic, each required form field, the greeting, knowledge-base answers."""
    w = weights or CriterionWeights()
    for name, value in (
        ("topic", w.topic),
        ("field", w.field),
        ("greeting", w.greeting),
        ("knowledge_base", w.knowledge_base),
    ):
        if value < 0:
            raise ValueError(f"weight {name} must not be negative")
    if not (pass_threshold.is_finite() and 0 <= pass_threshold <= _HUNDRED):
        raise ValueError("pass_threshold must be between 0 and 100")
    criteria: dict[str, Criterion] = {}

    def add(code: str, kind: CriterionKind, label: str, weight: int) -> None:
        if weight > 0 and code not in criteria:  # repeated keys are spec errors; first wins
            criteria[code] = Criterion(code, kind, label, weight)

    for topic in spec.topics:
        add(f"topic:{topic.code}", CriterionKind.TOPIC, topic.name or topic.code, w.topic)
    for f in sorted_fields(spec.fields):
        if f.required:
            add(f"field:{f.key}", CriterionKind.FIELD, f.label or f.key, w.field)
    add("greeting", CriterionKind.GREETING, "Greeting", w.greeting)
    add("knowledge_base", CriterionKind.KNOWLEDGE_BASE, "Knowledge-base answers", w.knowledge_base)
    return TestSheet(criteria=tuple(criteria.values()), pass_threshold=pass_threshold)


def score_test(sheet: TestSheet, marks: Mapping[str, Decimal | int | bool]) -> TestResult:
    """Weighted score 0..100 (rounded half up to cents); passed when >= the threshold.

    Raises ``ValueError`` for a mark outside 0..1 or for a code not on the sheet.
    """
    known = {c.code for c in sheet.criteria}
    unknown = sorted(set(marks) - known)
    if unknown:
        raise ValueError(f"marks for criteria not on the sheet: {', '.join(unknown)}")
    results = []
    for criterion in sheet.criteria:
        mark = _mark(criterion.code, marks.get(criterion.code, 0))
        results.append(
            CriterionResult(criterion.code, criterion.weight, mark, criterion.weight * mark)
        )
    total_weight = sum(c.weight for c in sheet.criteria)
    if total_weight == 0:
        score = Decimal(0).quantize(_CENT)
        return TestResult(score=score, passed=False, criteria=tuple(results))
    earned = sum((r.points for r in results), Decimal(0))
    score = (earned * _HUNDRED / total_weight).quantize(_CENT, rounding=ROUND_HALF_UP)
    return TestResult(score=score, passed=score >= sheet.pass_threshold, criteria=tuple(results))


def _mark(code: str, value: object) -> Decimal:
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, int):
        mark = Decimal(value)
    elif isinstance(value, Decimal):
        mark = value
    else:
        raise ValueError(f"mark for {code} must be a Decimal, int or bool")
    if not mark.is_finite() or not Decimal(0) <= mark <= Decimal(1):
        raise ValueError(f"mark for {code} must be between 0 and 1")
    return mark
