"""Price-list column choice, promotions and order pricing (R-ORD-6, R-ORD-12).

Price-list columns are data: an ordered list of codes from worst (highest price, the base
column) to best (lowest price). Tier rules grant columns; the best granted column wins.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from ._money import CENT, ZERO, require_money, round_money
from .lines import OrderLine
from .messages import MessageParams, default_message

_HUNDRED = Decimal(100)


# --- columns -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PriceColumns:
    """Column codes ordered worst -> best; ``codes[0]`` is the base column."""

    codes: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.codes:
            raise ValueError("at least one price column is required")
        if len(set(self.codes)) != len(self.codes):
            raise ValueError(f"duplicate price column codes: {self.codes}")

    @property
    def base(self) -> str:
        return self.codes[0]

    def __contains__(self, code: object) -> bool:
        return code in self.codes

    def rank(self, code: str) -> int:
        """0 for the base column, higher is better (cheaper)."""
        try:
            return self.codes.index(code)
        except ValueError:
            raise ValueError(f"unknown price column {code!r}") from None

    def is_better(self, code: str, than: str) -> bool:
        return self.rank(code) > self.rank(than)


# --- tier rules (R-ORD-6) ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProgramEnrolment:
    """The customer's enrolment in a special program, valid on both end dates inclusive."""

    program_code: str
    valid_from: date
    valid_until: date | None = None

    def is_active(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)


@dataclass(frozen=True, slots=True)
class CustomerPricingFacts:
    """What tier rules may look at.

    ``rolling_volume`` maps a window length in days to the customer's order value (Decimal) in
    the ``days`` days ending today inclusive; :func:`required_volume_windows` tells the adapter
    which windows the configured rules need, :func:`calculate_rolling_volume` is the reference.
    """

    customer_type: str
    customer_since: date
    order_count: int
    rolling_volume: Mapping[int, Decimal] = field(default_factory=dict)
    programs: tuple[ProgramEnrolment, ...] = ()

    def __post_init__(self) -> None:
        for days, volume in self.rolling_volume.items():
            require_money(f"rolling_volume[{days}]", volume)
        object.__setattr__(self, "rolling_volume", MappingProxyType(dict(self.rolling_volume)))


@dataclass(frozen=True, slots=True)
class CustomerTypeRule:
    """Grants ``column`` to every customer of one of ``customer_types``."""

    rule_id: str
    column: str
    customer_types: frozenset[str]

    @property
    def kind(self) -> str:
        return "CUSTOMER_TYPE"


@dataclass(frozen=True, slots=True)
class VolumeRule:
    """Grants ``column`` when order value over the last ``window_days`` reaches ``min_volume``."""

    rule_id: str
    column: str
    window_days: int
    min_volume: Decimal
    customer_types: frozenset[str] = frozenset()  # empty: any type

    def __post_init__(self) -> None:
        require_money("min_volume", self.min_volume)
        if self.window_days <= 0:
            raise ValueError("window_days must be positive")

    @property
    def kind(self) -> str:
        return "VOLUME"


@dataclass(frozen=True, slots=True)
class HistoryRule:
    """Grants ``column`` to customers with enough tenure (full months) and past orders."""

    rule_id: str
    column: str
    min_months: int = 0
    min_orders: int = 0
    customer_types: frozenset[str] = frozenset()

    @property
    def kind(self) -> str:
        return "HISTORY"


@dataclass(frozen=True, slots=True)
class ProgramRule:
    """Grants ``column`` while the customer's enrolment in ``program_code`` is valid."""

    rule_id: str
    column: str
    program_code: str
    customer_types: frozenset[str] = frozenset()

    @property
    def kind(self) -> str:
        return "PROGRAM"


TierRule = CustomerTypeRule | VolumeRule | HistoryRule | ProgramRule


def calculate_months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end`` (a month counts once its day-of-month is reached)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def calculate_rolling_volume(
    orders: Iterable[tuple[date, Decimal]], *, today: date, window_days: int
) -> Decimal:
    """Sum of order values dated in the ``window_days`` days ending ``today`` (inclusive)."""
    first = date.fromordinal(today.toordinal() - window_days + 1)
    return sum((value for day, value in orders if first <= day <= today), ZERO)


def required_volume_windows(rules: Iterable[TierRule]) -> frozenset[int]:
    return frozenset(rule.window_days for rule in rules if isinstance(rule, VolumeRule))


def _rule_matches(rule: TierRule, facts: CustomerPricingFacts, today: date) -> bool:
    if isinstance(rule, CustomerTypeRule):
        return facts.customer_type in rule.customer_types
    if rule.customer_types and facts.customer_type not in rule.customer_types:
        return False
    if isinstance(rule, VolumeRule):
        try:
            volume = facts.rolling_volume[rule.window_days]
        except KeyError:
            raise ValueError(
                f"rule {rule.rule_id!r} needs the {rule.window_days}-day rolling volume"
            ) from None
        return volume >= rule.min_volume
    if isinstance(rule, HistoryRule):
        return (
            calculate_months_between(facts.customer_since, today) >= rule.min_months
            and facts.order_count >= rule.min_orders
        )
    return any(
        enrolment.program_code == rule.program_code and enrolment.is_active(today)
        for enrolment in facts.programs
    )


@dataclass(frozen=True, slots=True)
class ColumnDecision:
    """The best column the rules allow; ``rule`` is the one that granted it (None: base column).

    ``matched`` lists every rule that applied, in configuration order, for the explanation.
    """

    column: str
    rule: TierRule | None
    matched: tuple[TierRule, ...]

    @property
    def reason(self) -> str:
        return "DEFAULT" if self.rule is None else self.rule.kind


def choose_price_column(
    *,
    rules: Sequence[TierRule],
    columns: PriceColumns,
    facts: CustomerPricingFacts,
    today: date,
) -> ColumnDecision:
    """Best column granted by any matching rule; ties go to the earliest rule in ``rules``."""
    for rule in rules:
        if rule.column not in columns:
            raise ValueError(f"rule {rule.rule_id!r} grants unknown column {rule.column!r}")
    matched = tuple(rule for rule in rules if _rule_matches(rule, facts, today))
    best: TierRule | None = None
    for rule in matched:
        if best is None or columns.is_better(rule.column, best.column):
            best = rule
    if best is None:
        return ColumnDecision(column=columns.base, rule=None, matched=())
    return ColumnDecision(column=best.column, rule=best, matched=matched)


class ColumnChoiceCode(StrEnum):
    ALLOWED = "COLUMN_ALLOWED"
    OVERRIDE = "COLUMN_OVERRIDE"
    BETTER_THAN_ALLOWED = "COLUMN_BETTER_THAN_ALLOWED"
    UNKNOWN = "COLUMN_UNKNOWN"


@dataclass(frozen=True, slots=True)
class ColumnChoice:
    """Outcome of a manual column pick; ``column`` is what to price with (the allowed column
    when the pick is refused). ``audit`` is True for a permitted override of a better column."""

    code: ColumnChoiceCode
    requested: str
    allowed: str
    column: str
    accepted: bool
    audit: bool

    @property
    def params(self) -> MessageParams:
        return {"requested": self.requested, "allowed": self.allowed}

    @property
    def message_en(self) -> str:
        return default_message(self.code, self.params)


def check_column_choice(
    requested: str, allowed: str, role_may_override: bool, *, columns: PriceColumns
) -> ColumnChoice:
    """An operator may pick the allowed column or a worse one; only an override role may pick a
    better one, and that is flagged for audit (R-ORD-6)."""
    if allowed not in columns:
        raise ValueError(f"allowed column {allowed!r} is not a price column")

    def result(code: ColumnChoiceCode, column: str, *, accepted: bool, audit: bool) -> ColumnChoice:
        return ColumnChoice(
            code=code,
            requested=requested,
            allowed=allowed,
            column=column,
            accepted=accepted,
            audit=audit,
        )

    if requested not in columns:
        return result(ColumnChoiceCode.UNKNOWN, allowed, accepted=False, audit=False)
    if not columns.is_better(requested, allowed):
        return result(ColumnChoiceCode.ALLOWED, requested, accepted=True, audit=False)
    if role_may_override:
        return result(ColumnChoiceCode.OVERRIDE, requested, accepted=True, audit=True)
    return result(ColumnChoiceCode.BETTER_THAN_ALLOWED, allowed, accepted=False, audit=False)


# --- promotions and bonus programs (R-ORD-12) ----------------------------------------------


@dataclass(frozen=True, slots=True)
class ProductPricing:
    """A product's category and its price per column (a product may lack better columns)."""

    product_code: str
    category: str
    prices: Mapping[str, Decimal]

    def __post_init__(self) -> None:
        for column, price in self.prices.items():
            require_money(f"price[{column}]", price)
        object.__setattr__(self, "prices", MappingProxyType(dict(self.prices)))

    def price_for(self, column: str, columns: PriceColumns) -> tuple[str, Decimal]:
        """Price in ``column``, else in the nearest worse column that has one."""
        for rank in range(columns.rank(column), -1, -1):
            code = columns.codes[rank]
            if code in self.prices:
                return code, self.prices[code]
        raise ValueError(f"product {self.product_code!r} has no price in {column!r} or worse")


def _applies(
    product_codes: frozenset[str],
    category_codes: frozenset[str],
    valid_from: date,
    valid_until: date,
    customer_types: frozenset[str],
    *,
    product: ProductPricing,
    customer_type: str,
    on: date,
) -> bool:
    if not valid_from <= on <= valid_until:
        return False
    if customer_types and customer_type not in customer_types:
        return False
    return product.product_code in product_codes or product.category in category_codes


class DiscountKind(StrEnum):
    PERCENT = "percent"
    FIXED = "fixed"  # amount off the unit price


@dataclass(frozen=True, slots=True)
class Promotion:
    """A discount on listed products and/or categories, valid on both end dates inclusive;
    an empty ``customer_types`` means every type."""

    promotion_id: str
    kind: DiscountKind
    value: Decimal
    valid_from: date
    valid_until: date
    product_codes: frozenset[str] = frozenset()
    category_codes: frozenset[str] = frozenset()
    customer_types: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        require_money("value", self.value)
        if self.kind is DiscountKind.PERCENT and self.value > _HUNDRED:
            raise ValueError("a percentage discount cannot exceed 100")
        if not self.product_codes and not self.category_codes:
            raise ValueError(f"promotion {self.promotion_id!r} targets no product or category")
        if self.valid_until < self.valid_from:
            raise ValueError(f"promotion {self.promotion_id!r} ends before it starts")

    def applies_to(self, product: ProductPricing, *, customer_type: str, on: date) -> bool:
        return _applies(
            self.product_codes,
            self.category_codes,
            self.valid_from,
            self.valid_until,
            self.customer_types,
            product=product,
            customer_type=customer_type,
            on=on,
        )

    def calculate_unit_price(self, price: Decimal) -> Decimal:
        if self.kind is DiscountKind.PERCENT:
            discounted = price * (_HUNDRED - self.value) / _HUNDRED
        else:
            discounted = max(price - self.value, ZERO)
        return round_money(discounted)


@dataclass(frozen=True, slots=True)
class BuyGetFree:
    """For every ``buy`` units ordered of a targeted product, ``free`` more units at no charge."""

    program_id: str
    buy: int
    free: int
    valid_from: date
    valid_until: date
    product_codes: frozenset[str] = frozenset()
    category_codes: frozenset[str] = frozenset()
    customer_types: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.buy <= 0 or self.free <= 0:
            raise ValueError("buy and free must be positive")
        if not self.product_codes and not self.category_codes:
            raise ValueError(f"program {self.program_id!r} targets no product or category")
        if self.valid_until < self.valid_from:
            raise ValueError(f"program {self.program_id!r} ends before it starts")

    def applies_to(self, product: ProductPricing, *, customer_type: str, on: date) -> bool:
        return _applies(
            self.product_codes,
            self.category_codes,
            self.valid_from,
            self.valid_until,
            self.customer_types,
            product=product,
            customer_type=customer_type,
            on=on,
        )

    def calculate_free_units(self, quantity: int) -> int:
        return (quantity // self.buy) * self.free


@dataclass(frozen=True, slots=True)
class PointsPerAmount:
    """``points`` bonus points for every full ``per_amount`` of the order total."""

    program_id: str
    per_amount: Decimal
    points: int
    valid_from: date
    valid_until: date
    customer_types: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        require_money("per_amount", self.per_amount)
        if self.per_amount == 0 or self.points <= 0:
            raise ValueError("per_amount and points must be positive")
        if self.valid_until < self.valid_from:
            raise ValueError(f"program {self.program_id!r} ends before it starts")


BonusProgram = BuyGetFree | PointsPerAmount


@dataclass(frozen=True, slots=True)
class PricedLine:
    """``list_price`` is the column price (``column`` may be a worse column the product falls
    back to); ``unit_price`` is after the promotion, in cents; ``free_units`` come on top of
    ``quantity`` and are not charged."""

    product_code: str
    quantity: int
    column: str
    list_price: Decimal
    unit_price: Decimal
    line_total: Decimal
    promotion_id: str | None
    free_units: int
    bonus_program_id: str | None


@dataclass(frozen=True, slots=True)
class PointsAward:
    program_id: str
    points: int


@dataclass(frozen=True, slots=True)
class PricedOrder:
    lines: tuple[PricedLine, ...]
    total: Decimal
    points: tuple[PointsAward, ...]

    @property
    def total_points(self) -> int:
        return sum(award.points for award in self.points)


def _best_promotion(
    promotions: Sequence[Promotion],
    product: ProductPricing,
    price: Decimal,
    *,
    customer_type: str,
    on: date,
) -> tuple[Decimal, Promotion | None]:
    best_price, best = round_money(price), None
    for promo in sorted(promotions, key=lambda p: p.promotion_id):
        if not promo.applies_to(product, customer_type=customer_type, on=on):
            continue
        unit = promo.calculate_unit_price(price)
        # Strictly lower only: a promotion that does not change the price is not reported
        # as applied, and among equal prices the lowest id (sorted first) is kept.
        if unit < best_price:
            best_price, best = unit, promo
    return best_price, best


def calculate_order_price(
    *,
    lines: Sequence[OrderLine],
    products: Mapping[str, ProductPricing],
    columns: PriceColumns,
    column: str,
    customer_type: str,
    on: date,
    promotions: Sequence[Promotion] = (),
    bonus_programs: Sequence[BonusProgram] = (),
) -> PricedOrder:
    """Price validated lines in ``column`` (R-ORD-12).

    Per line: column price -> the single promotion giving the lowest unit price (promotions do
    not stack; ties go to the lowest promotion id) -> rounded to 0.01 half up. The line total is
    unit price x quantity and the order total is the exact sum of line totals, so
    ``total == sum(line totals)`` always holds with no second rounding. Buy-N-get-M programs add
    free units independently of promotions (the most generous one wins per line); points
    programs award points on the order total. An unknown product is a programming error here:
    validate the order first.
    """
    priced: list[PricedLine] = []
    for line in lines:
        product = products.get(line.product_code)
        if product is None:
            raise ValueError(f"unknown product {line.product_code!r}; validate the order first")
        used_column, list_price = product.price_for(column, columns)
        unit_price, promo = _best_promotion(
            promotions, product, list_price, customer_type=customer_type, on=on
        )
        free_units, free_program = 0, None
        for program in sorted(bonus_programs, key=lambda p: p.program_id):
            if isinstance(program, BuyGetFree) and program.applies_to(
                product, customer_type=customer_type, on=on
            ):
                units = program.calculate_free_units(line.quantity)
                if units > free_units:
                    free_units, free_program = units, program.program_id
        priced.append(
            PricedLine(
                product_code=line.product_code,
                quantity=line.quantity,
                column=used_column,
                list_price=list_price,
                unit_price=unit_price,
                line_total=unit_price * line.quantity,
                promotion_id=None if promo is None else promo.promotion_id,
                free_units=free_units,
                bonus_program_id=free_program,
            )
        )
    total = sum((line.line_total for line in priced), CENT * 0)
    awards = tuple(
        PointsAward(program.program_id, int(total // program.per_amount) * program.points)
        for program in sorted(bonus_programs, key=lambda p: p.program_id)
        if isinstance(program, PointsPerAmount)
        and program.valid_from <= on <= program.valid_until
        and (not program.customer_types or customer_type in program.customer_types)
        and total >= program.per_amount
    )
    return PricedOrder(lines=tuple(priced), total=total, points=awards)
