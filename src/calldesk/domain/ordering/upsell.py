"""Upsell proposals and the offer log that gates closing an order (R-ORD-5).

Scoring (scores are rankings, not money, so floats are fine). A candidate's score is the sum
of its reasons' contributions:

* PROMOTED:    ``weights.promoted``                      (management pushes it)
* NEW:         ``weights.new``                           (recently launched)
* TRADITIONAL: ``weights.traditional * h / (h + weights.traditional_saturation)`` where
  ``h = sum(0.5 ** (age_days / weights.half_life_days))`` over the customer's past orders
  containing the product. Each order counts 1 when placed today and half as much every
  half-life, so both frequency and recency raise ``h``; the saturating map keeps it in
  [0, weights.traditional) independent of other products.
* TYPICAL:     ``weights.typical * share`` where ``share`` in [0, 1] is the fraction of customers
  of the same type who bought the product recently; shares below
  ``weights.min_typical_share`` are not typical at all.

Ranking: score descending, then product code ascending (deterministic). The offer's ``reason``
is the reason contributing most (ties in the order PROMOTED, TRADITIONAL, NEW, TYPICAL);
``reasons`` lists all of them in that same order of contribution.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .messages import MessageParams, default_message


class UpsellReason(StrEnum):
    NEW = "NEW"
    PROMOTED = "PROMOTED"
    TRADITIONAL = "TRADITIONAL"
    TYPICAL = "TYPICAL"


_REASON_PRIORITY = (
    UpsellReason.PROMOTED,
    UpsellReason.TRADITIONAL,
    UpsellReason.NEW,
    UpsellReason.TYPICAL,
)


@dataclass(frozen=True, slots=True)
class UpsellWeights:
    new: float = 1.0
    promoted: float = 1.5
    traditional: float = 2.0
    typical: float = 1.0
    half_life_days: float = 90.0
    traditional_saturation: float = 1.0
    min_typical_share: float = 0.1

    def __post_init__(self) -> None:
        if self.half_life_days <= 0 or self.traditional_saturation <= 0:
            raise ValueError("half_life_days and traditional_saturation must be positive")
        if min(self.new, self.promoted, self.traditional, self.typical) < 0:
            raise ValueError("weights must not be negative")


DEFAULT_UPSELL_WEIGHTS = UpsellWeights()


@dataclass(frozen=True, slots=True)
class PurchaseRecord:
    """One past order of the customer that contained ``product_code``."""

    product_code: str
    order_date: date


@dataclass(frozen=True, slots=True)
class UpsellOffer:
    product_code: str
    reason: UpsellReason
    reasons: tuple[UpsellReason, ...]
    score: float


def calculate_traditional_scores(
    history: Iterable[PurchaseRecord], *, today: date, half_life_days: float
) -> dict[str, float]:
    """Decayed purchase count per product (``h`` in the module doc); future dates count as today."""
    scores: dict[str, float] = {}
    for record in history:
        age = max((today - record.order_date).days, 0)
        scores[record.product_code] = scores.get(record.product_code, 0.0) + 0.5 ** (
            age / half_life_days
        )
    return scores


def choose_upsell_offers(
    *,
    in_order: Collection[str],
    stock: Mapping[str, int],
    new_products: Collection[str] = (),
    promoted_products: Collection[str] = (),
    history: Iterable[PurchaseRecord] = (),
    type_popularity: Mapping[str, float] | None = None,
    today: date,
    k: int = 5,
    weights: UpsellWeights = DEFAULT_UPSELL_WEIGHTS,
) -> tuple[UpsellOffer, ...]:
    """Top ``k`` products to offer, excluding those already in the order and those not in stock
    (a product missing from ``stock`` counts as not in stock)."""
    if k < 0:
        raise ValueError("k must not be negative")
    contributions: dict[str, dict[UpsellReason, float]] = {}

    def add(code: str, reason: UpsellReason, value: float) -> None:
        contributions.setdefault(code, {})[reason] = value

    for code in promoted_products:
        add(code, UpsellReason.PROMOTED, weights.promoted)
    for code in new_products:
        add(code, UpsellReason.NEW, weights.new)
    traditional = calculate_traditional_scores(
        history, today=today, half_life_days=weights.half_life_days
    )
    for code, h in traditional.items():
        add(
            code,
            UpsellReason.TRADITIONAL,
            weights.traditional * h / (h + weights.traditional_saturation),
        )
    for code, share in (type_popularity or {}).items():
        if share >= weights.min_typical_share:
            add(code, UpsellReason.TYPICAL, weights.typical * min(share, 1.0))

    excluded = set(in_order)
    offers: list[UpsellOffer] = []
    for code, parts in contributions.items():
        if code in excluded or stock.get(code, 0) <= 0:
            continue
        reasons = tuple(
            sorted(parts, key=lambda reason: (-parts[reason], _REASON_PRIORITY.index(reason)))
        )
        offers.append(
            UpsellOffer(
                product_code=code,
                reason=reasons[0],
                reasons=reasons,
                score=sum(parts[reason] for reason in _REASON_PRIORITY if reason in parts),
            )
        )
    offers.sort(key=lambda offer: (-offer.score, offer.product_code))
    return tuple(offers[:k])


# --- offer log and closing -----------------------------------------------------------------


class OfferOutcome(StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"
    NOT_AVAILABLE = "not_available"


@dataclass(frozen=True, slots=True)
class OfferRecord:
    """An extra product offered during the call; ``outcome`` None means not answered yet."""

    product_code: str
    outcome: OfferOutcome | None = None
    reason: UpsellReason | None = None


@dataclass(frozen=True, slots=True)
class OfferLog:
    """Append-only record of offers made during one order call."""

    entries: tuple[OfferRecord, ...] = ()

    def record(
        self,
        product_code: str,
        outcome: OfferOutcome | None = None,
        reason: UpsellReason | None = None,
    ) -> OfferLog:
        return OfferLog(self.entries + (OfferRecord(product_code, outcome, reason),))

    def outcomes(self) -> dict[str, OfferOutcome]:
        """Latest recorded outcome per product (products without an outcome are absent)."""
        latest: dict[str, OfferOutcome] = {}
        for entry in self.entries:
            if entry.outcome is not None:
                latest[entry.product_code] = entry.outcome
        return latest


@dataclass(frozen=True, slots=True)
class CloseCheck:
    can_close: bool
    offered: int
    required: int
    missing: int

    @property
    def code(self) -> str | None:
        return None if self.can_close else "OFFERS_MISSING"

    @property
    def params(self) -> MessageParams:
        return {"offered": self.offered, "required": self.required, "missing": self.missing}

    @property
    def message_en(self) -> str | None:
        return None if self.code is None else default_message(self.code, self.params)


def check_order_can_close(
    offers: OfferLog | Iterable[OfferRecord],
    required: int = 3,
    *,
    candidates_available: int | None = None,
) -> CloseCheck:
    """An order closes once ``required`` distinct products were offered with a recorded outcome
    (any outcome counts).

    ``candidates_available`` caps the requirement so that a customer with little left to offer
    does not make the order impossible to close. Count every distinct product that could be
    offered in this call, including those already offered (e.g. the length of an uncapped
    :func:`choose_upsell_offers` result taken at the start of the call).
    """
    if required < 0:
        raise ValueError("required must not be negative")
    entries = offers.entries if isinstance(offers, OfferLog) else tuple(offers)
    offered = len({entry.product_code for entry in entries if entry.outcome is not None})
    effective = (
        required if candidates_available is None else min(required, max(candidates_available, 0))
    )
    missing = max(effective - offered, 0)
    return CloseCheck(can_close=missing == 0, offered=offered, required=effective, missing=missing)
