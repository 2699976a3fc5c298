"""Operator test sheets and scoring (R-HL-4)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calldesk.domain.hotlines import (
    Criterion,
    CriterionKind,
    CriterionWeights,
    HotlineSpec,
    TestSheet,
    Topic,
    build_test_sheet,
    score_test,
)

from .builders import sample_spec, spec_strategy


# R-HL-4: one criterion per topic and per required field, plus greeting and knowledge base.
def test_sheet_is_built_from_the_spec() -> None:
    sheet = build_test_sheet(sample_spec())
    assert [(c.code, c.kind, c.label, c.weight) for c in sheet.criteria] == [
        ("topic:order", CriterionKind.TOPIC, "Order status", 2),
        ("topic:refund", CriterionKind.TOPIC, "Refund", 2),
        ("field:name", CriterionKind.FIELD, "Name", 1),
        ("field:reason", CriterionKind.FIELD, "Reason", 1),
        ("greeting", CriterionKind.GREETING, "Greeting", 1),
        ("knowledge_base", CriterionKind.KNOWLEDGE_BASE, "Knowledge-base answers", 3),
    ]
    assert sheet.pass_threshold == Decimal(80)


# R-HL-4: weights are configurable; a weight of 0 leaves that kind off; repeats appear once.
def test_weights_and_repeats() -> None:
    spec = sample_spec(topics=(Topic("a", "A"), Topic("a", "A again")))
    sheet = build_test_sheet(spec, weights=CriterionWeights(topic=5, field=0, greeting=0))
    assert [(c.code, c.weight) for c in sheet.criteria] == [("topic:a", 5), ("knowledge_base", 3)]


# R-HL-4: bad weights or thresholds are refused.
def test_bad_configuration_is_refused() -> None:
    with pytest.raises(ValueError, match="weight"):
        build_test_sheet(sample_spec(), weights=CriterionWeights(topic=-1))
    with pytest.raises(ValueError, match="threshold"):
        build_test_sheet(sample_spec(), pass_threshold=Decimal(101))


# R-HL-4: the score is the weighted share of marks, 0..100; unmarked counts as 0.
def test_scoring() -> None:
    sheet = build_test_sheet(sample_spec())  # total weight 10
    full = {c.code: True for c in sheet.criteria}
    assert score_test(sheet, full).score == Decimal("100.00")
    assert score_test(sheet, full).passed
    assert score_test(sheet, {}).score == Decimal("0.00")
    missed_kb = {**full, "knowledge_base": False}
    result = score_test(sheet, missed_kb)
    assert (result.score, result.passed) == (Decimal("70.00"), False)
    half_kb: dict[str, Decimal | int | bool] = {**full, "knowledge_base": Decimal("0.5")}
    assert score_test(sheet, half_kb).score == Decimal("85.00")
    kb = next(r for r in result.criteria if r.code == "knowledge_base")
    assert (kb.weight, kb.mark, kb.points) == (3, Decimal(0), Decimal(0))


# R-HL-4: the threshold itself passes; rounding is half up to cents.
def test_threshold_and_rounding() -> None:
    def criteria(*weights: int) -> tuple[Criterion, ...]:
        return tuple(
            Criterion(f"c{i}", CriterionKind.TOPIC, f"C{i}", w) for i, w in enumerate(weights)
        )

    at_threshold = score_test(TestSheet(criteria(2, 2, 1)), {"c0": 1, "c1": 1})
    assert (at_threshold.score, at_threshold.passed) == (Decimal("80.00"), True)
    assert score_test(TestSheet(criteria(1, 1, 1)), {"c0": 1}).score == Decimal("33.33")
    assert score_test(TestSheet(criteria(1, 1, 1)), {"c0": 1, "c1": 1}).score == Decimal("66.67")
    assert score_test(TestSheet(criteria(1, 1, 1, 1, 1, 1, 1, 1)), {"c0": 1}).score == Decimal(
        "12.50"
    )


# R-HL-4: marks must be within 0..1 and only for criteria on the sheet.
@pytest.mark.parametrize(
    "marks",
    [
        {"greeting": Decimal("1.5")},
        {"greeting": -1},
        {"greeting": Decimal("NaN")},
        {"nope": 1},
        {"greeting": 0.5},
    ],
)
def test_bad_marks_are_refused(marks: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        score_test(build_test_sheet(sample_spec()), marks)  # type: ignore[arg-type]


# R-HL-4: an empty sheet cannot be passed.
def test_empty_sheet_does_not_pass() -> None:
    result = score_test(TestSheet(criteria=()), {})
    assert (result.score, result.passed) == (Decimal("0.00"), False)


_marks = st.decimals(min_value=0, max_value=1, places=2)


# R-HL-4: raising any mark never lowers the score or turns a pass into a fail.
@settings(max_examples=80, deadline=None)
@given(spec=spec_strategy, data=st.data())
def test_score_is_monotonic_in_marks(spec: HotlineSpec, data: st.DataObject) -> None:
    sheet = build_test_sheet(spec, pass_threshold=data.draw(st.decimals(0, 100, places=1)))
    codes = [c.code for c in sheet.criteria]
    low = {code: data.draw(_marks) for code in codes}
    high = {code: max(mark, data.draw(_marks)) for code, mark in low.items()}
    before, after = score_test(sheet, low), score_test(sheet, high)
    assert Decimal(0) <= before.score <= after.score <= Decimal(100)
    assert after.passed or not before.passed
