from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calldesk.domain.ordering import (
    OfferLog,
    OfferOutcome,
    OfferRecord,
    PurchaseRecord,
    UpsellOffer,
    UpsellReason,
    UpsellWeights,
    calculate_traditional_scores,
    check_order_can_close,
    choose_upsell_offers,
)

TODAY = date(2025, 6, 15)
STOCK = {code: 10 for code in "abcdefghij"}


def bought(code: str, *days_ago: int) -> list[PurchaseRecord]:
    return [PurchaseRecord(code, TODAY - timedelta(days=d)) for d in days_ago]


def offers(**kwargs: Any) -> tuple[UpsellOffer, ...]:
    kwargs.setdefault("in_order", ())
    kwargs.setdefault("stock", STOCK)
    kwargs.setdefault("today", TODAY)
    return choose_upsell_offers(**kwargs)


def codes(result: tuple[UpsellOffer, ...]) -> list[str]:
    return [offer.product_code for offer in result]


def test_excludes_products_in_the_order_and_out_of_stock() -> None:
    # R-ORD-5
    result = offers(
        in_order={"a"},
        stock={**STOCK, "b": 0, "c": -1},
        new_products={"a", "b", "c", "d", "zz"},  # zz: missing from stock -> not in stock
    )
    assert codes(result) == ["d"]


def test_each_source_yields_its_reason() -> None:
    # R-ORD-5
    result = offers(
        new_products={"a"},
        promoted_products={"b"},
        history=bought("c", 1),
        type_popularity={"d": 0.9, "e": 0.05},  # e: below the typical share threshold
        k=10,
    )
    reasons = {offer.product_code: offer.reason for offer in result}
    assert reasons == {
        "a": UpsellReason.NEW,
        "b": UpsellReason.PROMOTED,
        "c": UpsellReason.TRADITIONAL,
        "d": UpsellReason.TYPICAL,
    }


def test_ranking_follows_documented_weights() -> None:
    # R-ORD-5: default weights promoted 1.5 > new 1.0; typical = share; traditional saturates to 2
    result = offers(
        new_products={"a"},
        promoted_products={"b"},
        history=bought("c", *range(0, 300, 10)),  # frequent and recent: close to 2.0
        type_popularity={"d": 0.5},
        k=10,
    )
    assert codes(result) == ["c", "b", "a", "d"]
    assert result[1].score == pytest.approx(1.5) and result[3].score == pytest.approx(0.5)


def test_multiple_reasons_add_up_and_strongest_reason_is_named() -> None:
    # R-ORD-5
    result = offers(new_products={"a", "b"}, type_popularity={"a": 0.8}, k=10)
    assert codes(result) == ["a", "b"]
    assert result[0].reasons == (UpsellReason.NEW, UpsellReason.TYPICAL)
    assert result[0].reason is UpsellReason.NEW
    assert result[0].score == pytest.approx(1.8)


def test_traditional_products_rank_by_recency_and_frequency() -> None:
    # R-ORD-5: decayed score (half-life 90 days by default)
    history = bought("recent", 5) + bought("old", 400) + bought("often", 60, 90, 120, 150)
    scores = calculate_traditional_scores(history, today=TODAY, half_life_days=90)
    assert scores["recent"] > scores["old"]
    assert scores["often"] > scores["recent"]
    assert scores["recent"] == pytest.approx(0.5 ** (5 / 90))
    result = offers(history=history, stock={"recent": 1, "old": 1, "often": 1}, k=3)
    assert codes(result) == ["often", "recent", "old"]
    assert all(offer.reason is UpsellReason.TRADITIONAL for offer in result)


def test_equal_scores_tie_break_by_product_code() -> None:
    # R-ORD-5: deterministic
    result = offers(new_products=["e", "c", "a", "d", "b"], k=3)
    assert codes(result) == ["a", "b", "c"]


def test_top_k_and_custom_weights() -> None:
    # R-ORD-5
    weights = UpsellWeights(new=3.0)
    result = offers(new_products={"a"}, promoted_products={"b"}, weights=weights, k=1)
    assert codes(result) == ["a"]
    assert offers(new_products={"a"}, k=0) == ()


@given(
    in_order=st.sets(st.sampled_from("abcdefghij")),
    out=st.sets(st.sampled_from("abcdefghij")),
    new=st.sets(st.sampled_from("abcdefghij")),
    promoted=st.sets(st.sampled_from("abcdefghij")),
    k=st.integers(0, 12),
)
def test_never_offers_excluded_products_and_is_sorted(
    in_order: set[str], out: set[str], new: set[str], promoted: set[str], k: int
) -> None:
    # R-ORD-5 (property)
    stock = {code: (0 if code in out else 5) for code in "abcdefghij"}
    result = offers(
        in_order=in_order, stock=stock, new_products=new, promoted_products=promoted, k=k
    )
    assert len(result) <= k
    assert not {offer.product_code for offer in result} & (in_order | out)
    keys = [(-offer.score, offer.product_code) for offer in result]
    assert keys == sorted(keys)


# --- offer log and closing (R-ORD-5) --------------------------------------------------------


def test_cannot_close_until_three_distinct_offers_have_outcomes() -> None:
    # R-ORD-5
    log = OfferLog().record("a", OfferOutcome.DECLINED).record("a", OfferOutcome.ACCEPTED)
    log = log.record("b")  # offered, outcome not recorded yet
    check = check_order_can_close(log)
    assert (check.can_close, check.offered, check.missing) == (False, 1, 2)
    assert check.code == "OFFERS_MISSING" and "2 more" in (check.message_en or "")
    log = log.record("b", OfferOutcome.NOT_AVAILABLE).record("c", OfferOutcome.ACCEPTED)
    check = check_order_can_close(log)
    assert (check.can_close, check.offered, check.missing) == (True, 3, 0)
    assert check.code is None and check.message_en is None


def test_required_offer_count_is_configurable() -> None:
    # R-ORD-5
    entries = [OfferRecord("a", OfferOutcome.DECLINED), OfferRecord("b", OfferOutcome.DECLINED)]
    assert check_order_can_close(entries, required=2).can_close
    assert check_order_can_close(entries, required=5).missing == 3
    assert check_order_can_close([], required=0).can_close


def test_requirement_is_capped_by_what_could_be_offered() -> None:
    # R-ORD-5: a customer with only one possible proposal must not block closing forever
    entries = [OfferRecord("a", OfferOutcome.DECLINED)]
    check = check_order_can_close(entries, required=3, candidates_available=1)
    assert check.can_close and check.required == 1


def test_offer_log_keeps_history_and_latest_outcome() -> None:
    # R-ORD-5
    log = (
        OfferLog()
        .record("a", OfferOutcome.DECLINED, UpsellReason.NEW)
        .record("a", OfferOutcome.ACCEPTED)
    )
    assert len(log.entries) == 2
    assert log.entries[0].reason is UpsellReason.NEW
    assert log.outcomes() == {"a": OfferOutcome.ACCEPTED}
    assert str(OfferOutcome.NOT_AVAILABLE) == "not_available"
