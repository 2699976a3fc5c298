from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calldesk.domain.ordering import (
    BuyGetFree,
    ColumnChoiceCode,
    ColumnDecision,
    CustomerPricingFacts,
    CustomerTypeRule,
    DiscountKind,
    HistoryRule,
    OrderLine,
    PointsAward,
    PointsPerAmount,
    PriceColumns,
    PricedOrder,
    ProductPricing,
    ProgramEnrolment,
    ProgramRule,
    Promotion,
    TierRule,
    VolumeRule,
    calculate_months_between,
    calculate_order_price,
    calculate_rolling_volume,
    check_column_choice,
    choose_price_column,
    required_volume_windows,
)

D = Decimal
TODAY = date(2025, 6, 15)
COLUMNS = PriceColumns(("base", "c2", "c3", "c4", "c5"))


def facts(
    customer_type: str = "retail",
    *,
    since: date = date(2025, 1, 1),
    orders: int = 0,
    volume: dict[int, Decimal] | None = None,
    programs: tuple[ProgramEnrolment, ...] = (),
) -> CustomerPricingFacts:
    return CustomerPricingFacts(
        customer_type=customer_type,
        customer_since=since,
        order_count=orders,
        rolling_volume=volume if volume is not None else {30: D(0), 90: D(0)},
        programs=programs,
    )


def choose(rules: list[TierRule], f: CustomerPricingFacts, today: date = TODAY) -> ColumnDecision:
    return choose_price_column(rules=rules, columns=COLUMNS, facts=f, today=today)


# --- columns and tier rules (R-ORD-6) ------------------------------------------------------


def test_no_matching_rule_gives_base_column() -> None:
    # R-ORD-6
    decision = choose([CustomerTypeRule("key", "c4", frozenset({"key_account"}))], facts())
    assert decision.column == "base" and decision.rule is None and decision.reason == "DEFAULT"


def test_customer_type_rule() -> None:
    # R-ORD-6
    rule = CustomerTypeRule("traders", "c3", frozenset({"market_trader", "regional"}))
    assert choose([rule], facts("market_trader")).column == "c3"
    assert choose([rule], facts("retail")).column == "base"


def test_volume_rule_threshold_and_window() -> None:
    # R-ORD-6: rolling volume over N days
    rule = VolumeRule("vol90", "c3", window_days=90, min_volume=D("10000"))
    assert choose([rule], facts(volume={90: D("10000")})).column == "c3"  # threshold inclusive
    assert choose([rule], facts(volume={90: D("9999.99")})).column == "base"
    with pytest.raises(ValueError, match="90-day"):
        choose([rule], facts(volume={30: D("1000000")}))
    assert required_volume_windows([rule, CustomerTypeRule("x", "c2", frozenset())]) == {90}


def test_rolling_volume_window_is_inclusive_of_today() -> None:
    # R-ORD-6
    orders = [
        (date(2025, 6, 15), D("10")),
        (date(2025, 5, 17), D("20")),  # day 30 counting today
        (date(2025, 5, 16), D("40")),  # day 31: outside
        (date(2025, 6, 16), D("80")),  # future: outside
    ]
    assert calculate_rolling_volume(orders, today=TODAY, window_days=30) == D("30")


def test_history_rule_months_and_orders() -> None:
    # R-ORD-6: order history (months as customer, number of orders)
    rule = HistoryRule("loyal", "c2", min_months=12, min_orders=20)
    assert choose([rule], facts(since=date(2024, 6, 15), orders=20)).column == "c2"
    assert choose([rule], facts(since=date(2024, 6, 16), orders=20)).column == "base"
    assert choose([rule], facts(since=date(2020, 1, 1), orders=19)).column == "base"


def test_months_between_counts_whole_months() -> None:
    # R-ORD-6
    assert calculate_months_between(date(2024, 1, 31), date(2024, 2, 29)) == 0
    assert calculate_months_between(date(2024, 1, 31), date(2024, 3, 31)) == 2
    assert calculate_months_between(date(2025, 1, 1), date(2024, 1, 1)) == 0


def test_program_rule_respects_enrolment_validity() -> None:
    # R-ORD-6: special programs with validity dates (inclusive)
    rule = ProgramRule("horeca", "c5", program_code="HORECA")
    enrolled = facts(programs=(ProgramEnrolment("HORECA", date(2025, 6, 1), date(2025, 6, 15)),))
    assert choose([rule], enrolled).column == "c5"
    assert choose([rule], enrolled, today=date(2025, 5, 31)).column == "base"
    assert choose([rule], enrolled, today=date(2025, 6, 16)).column == "base"
    open_ended = facts(programs=(ProgramEnrolment("HORECA", date(2020, 1, 1)),))
    assert choose([rule], open_ended).column == "c5"
    other = facts(programs=(ProgramEnrolment("OTHER", date(2020, 1, 1)),))
    assert choose([rule], other).column == "base"


def test_rules_can_be_limited_to_customer_types() -> None:
    # R-ORD-6
    rule = VolumeRule("v", "c4", 30, D("100"), customer_types=frozenset({"key_account"}))
    assert choose([rule], facts("key_account", volume={30: D("100")})).column == "c4"
    assert choose([rule], facts("retail", volume={30: D("100")})).column == "base"


def test_best_allowed_column_wins_and_explains_itself() -> None:
    # R-ORD-6
    rules: list[TierRule] = [
        CustomerTypeRule("type", "c2", frozenset({"retail"})),
        VolumeRule("vol", "c4", 30, D("500")),
        HistoryRule("hist", "c3", min_orders=1),
        ProgramRule("prog", "c5", "NONE"),
    ]
    decision = choose(rules, facts(orders=5, volume={30: D("600")}))
    assert decision.column == "c4"
    assert decision.rule is rules[1] and decision.reason == "VOLUME"
    assert decision.matched == (rules[0], rules[1], rules[2])


def test_equal_columns_credit_the_first_rule() -> None:
    # R-ORD-6: deterministic explanation
    a = CustomerTypeRule("a", "c3", frozenset({"retail"}))
    b = HistoryRule("b", "c3")
    assert choose([a, b], facts()).rule is a
    assert choose([b, a], facts()).rule is b


def test_rule_granting_unknown_column_is_a_configuration_error() -> None:
    # R-ORD-6
    with pytest.raises(ValueError, match="unknown column"):
        choose([HistoryRule("x", "c9")], facts())


@pytest.mark.parametrize("requested", ["base", "c2", "c3"])
def test_operator_may_pick_allowed_or_worse_column(requested: str) -> None:
    # R-ORD-6
    choice = check_column_choice(requested, "c3", False, columns=COLUMNS)
    assert choice.accepted and choice.column == requested and not choice.audit
    assert choice.code is ColumnChoiceCode.ALLOWED


@pytest.mark.parametrize("requested", ["c4", "c5"])
def test_operator_can_never_pick_a_better_column(requested: str) -> None:
    # R-ORD-6
    choice = check_column_choice(requested, "c3", False, columns=COLUMNS)
    assert not choice.accepted and choice.column == "c3" and not choice.audit
    assert choice.code is ColumnChoiceCode.BETTER_THAN_ALLOWED
    assert choice.params == {"requested": requested, "allowed": "c3"}
    assert requested in choice.message_en


def test_override_role_may_pick_better_column_flagged_for_audit() -> None:
    # R-ORD-6
    choice = check_column_choice("c5", "c3", True, columns=COLUMNS)
    assert choice.accepted and choice.column == "c5" and choice.audit
    assert choice.code is ColumnChoiceCode.OVERRIDE
    same = check_column_choice("c3", "c3", True, columns=COLUMNS)
    assert same.accepted and not same.audit


def test_unknown_requested_column_is_refused() -> None:
    # R-ORD-6
    choice = check_column_choice("vip", "c3", True, columns=COLUMNS)
    assert not choice.accepted and choice.code is ColumnChoiceCode.UNKNOWN and choice.column == "c3"


def test_columns_must_be_unique_and_nonempty() -> None:
    # R-ORD-6
    with pytest.raises(ValueError):
        PriceColumns(())
    with pytest.raises(ValueError):
        PriceColumns(("base", "base"))


# --- pricing with promotions (R-ORD-12) -----------------------------------------------------

MILK = ProductPricing("milk", "dairy", {"base": D("1.00"), "c3": D("0.90"), "c5": D("0.8333")})
CHEESE = ProductPricing("cheese", "dairy", {"base": D("10.00"), "c3": D("9.50")})
BREAD = ProductPricing("bread", "bakery", {"base": D("2.49")})
PRODUCTS = {p.product_code: p for p in (MILK, CHEESE, BREAD)}
JUNE = (date(2025, 6, 1), date(2025, 6, 30))


def price(lines: list[OrderLine], column: str = "base", **kwargs: Any) -> PricedOrder:
    kwargs.setdefault("customer_type", "retail")
    kwargs.setdefault("on", TODAY)
    return calculate_order_price(
        lines=lines, products=PRODUCTS, columns=COLUMNS, column=column, **kwargs
    )


def test_column_price_without_promotion() -> None:
    # R-ORD-12
    order = price([OrderLine("milk", 10), OrderLine("cheese", 3)], column="c3")
    assert [(line.unit_price, line.line_total) for line in order.lines] == [
        (D("0.90"), D("9.00")),
        (D("9.50"), D("28.50")),
    ]
    assert order.total == D("37.50") and order.lines[0].promotion_id is None


def test_missing_column_price_falls_back_to_nearest_worse_column() -> None:
    # R-ORD-12
    line = price([OrderLine("cheese", 1), OrderLine("bread", 1)], column="c4").lines
    assert (line[0].column, line[0].unit_price) == ("c3", D("9.50"))
    assert (line[1].column, line[1].unit_price) == ("base", D("2.49"))


def test_unit_price_rounds_half_up_to_cents() -> None:
    # R-ORD-12: 0.8333 -> 0.83; 10% off 2.49 = 2.241 -> 2.24; 10% off 0.45 = 0.405 -> 0.41
    promo = Promotion("p", DiscountKind.PERCENT, D("10"), *JUNE, product_codes=frozenset({"bread"}))
    order = price([OrderLine("milk", 3), OrderLine("bread", 3)], column="c5", promotions=[promo])
    assert order.lines[0].unit_price == D("0.83") and order.lines[0].line_total == D("2.49")
    assert order.lines[1].unit_price == D("2.24") and order.lines[1].promotion_id == "p"
    assert order.total == D("9.21")
    assert Promotion(
        "q", DiscountKind.PERCENT, D("10"), *JUNE, product_codes=frozenset({"x"})
    ).calculate_unit_price(D("0.45")) == D("0.41")


def test_category_promotion_and_fixed_discount() -> None:
    # R-ORD-12
    promo = Promotion(
        "dairy", DiscountKind.FIXED, D("0.25"), *JUNE, category_codes=frozenset({"dairy"})
    )
    order = price(
        [OrderLine("milk", 2), OrderLine("cheese", 1), OrderLine("bread", 1)], promotions=[promo]
    )
    assert [line.unit_price for line in order.lines] == [D("0.75"), D("9.75"), D("2.49")]
    assert [line.promotion_id for line in order.lines] == ["dairy", "dairy", None]


def test_fixed_discount_never_goes_below_zero() -> None:
    # R-ORD-12
    promo = Promotion("big", DiscountKind.FIXED, D("5"), *JUNE, product_codes=frozenset({"milk"}))
    assert price([OrderLine("milk", 4)], promotions=[promo]).lines[0].line_total == D("0.00")


def test_promotion_validity_dates_and_customer_type_filter() -> None:
    # R-ORD-12
    promo = Promotion(
        "p",
        DiscountKind.PERCENT,
        D("50"),
        *JUNE,
        product_codes=frozenset({"milk"}),
        customer_types=frozenset({"key_account"}),
    )
    line = [OrderLine("milk", 1)]
    assert price(line, promotions=[promo], customer_type="key_account").total == D("0.50")
    assert price(line, promotions=[promo], customer_type="retail").total == D("1.00")
    assert price(
        line, promotions=[promo], customer_type="key_account", on=date(2025, 6, 30)
    ).total == D("0.50")
    assert price(
        line, promotions=[promo], customer_type="key_account", on=date(2025, 7, 1)
    ).total == D("1.00")
    assert price(
        line, promotions=[promo], customer_type="key_account", on=date(2025, 5, 31)
    ).total == D("1.00")


def test_best_promotion_applies_and_promotions_do_not_stack() -> None:
    # R-ORD-12
    pct = Promotion(
        "b-pct", DiscountKind.PERCENT, D("20"), *JUNE, product_codes=frozenset({"cheese"})
    )
    fixed = Promotion(
        "a-fix", DiscountKind.FIXED, D("1.50"), *JUNE, category_codes=frozenset({"dairy"})
    )
    line = price([OrderLine("cheese", 1)], promotions=[fixed, pct]).lines[0]
    assert (line.unit_price, line.promotion_id) == (D("8.00"), "b-pct")
    tie = Promotion(
        "c-fix", DiscountKind.FIXED, D("2.00"), *JUNE, product_codes=frozenset({"cheese"})
    )
    line = price([OrderLine("cheese", 1)], promotions=[tie, pct]).lines[0]
    assert (line.unit_price, line.promotion_id) == (D("8.00"), "b-pct")  # tie: lowest id


def test_promotion_applies_on_top_of_the_column_price() -> None:
    # R-ORD-12: column price -> promotion
    promo = Promotion(
        "p", DiscountKind.PERCENT, D("10"), *JUNE, product_codes=frozenset({"cheese"})
    )
    line = price([OrderLine("cheese", 2)], column="c3", promotions=[promo]).lines[0]
    assert (line.list_price, line.unit_price, line.line_total) == (D("9.50"), D("8.55"), D("17.10"))


def test_buy_n_get_m_free_adds_uncharged_units() -> None:
    # R-ORD-12
    b = BuyGetFree("b10g1", 10, 1, *JUNE, product_codes=frozenset({"milk"}))
    better = BuyGetFree("b5g1", 5, 1, *JUNE, category_codes=frozenset({"dairy"}))
    order = price([OrderLine("milk", 25), OrderLine("bread", 25)], bonus_programs=[b])
    assert (order.lines[0].free_units, order.lines[0].bonus_program_id) == (2, "b10g1")
    assert order.lines[0].line_total == D("25.00")
    assert (order.lines[1].free_units, order.lines[1].bonus_program_id) == (0, None)
    most = price([OrderLine("milk", 25)], bonus_programs=[b, better]).lines[0]
    assert (most.free_units, most.bonus_program_id) == (5, "b5g1")
    assert (
        price([OrderLine("milk", 25)], bonus_programs=[b], on=date(2025, 7, 1)).lines[0].free_units
        == 0
    )


def test_points_per_amount_on_order_total() -> None:
    # R-ORD-12: bonus points per sum
    points = PointsPerAmount("pts", D("10.00"), 3, *JUNE)
    order = price([OrderLine("cheese", 3), OrderLine("milk", 9)], bonus_programs=[points])
    assert order.total == D("39.00")
    assert order.points == (PointsAward("pts", 9),) and order.total_points == 9
    assert price([OrderLine("milk", 9)], bonus_programs=[points]).points == ()
    typed = PointsPerAmount("pts", D("10.00"), 3, *JUNE, customer_types=frozenset({"new"}))
    assert price([OrderLine("cheese", 3)], bonus_programs=[typed]).points == ()


def test_empty_order_totals_zero_cents() -> None:
    # R-ORD-12
    order = price([])
    assert order.total == D("0.00") and str(order.total) == "0.00"


def test_unknown_product_must_be_validated_first() -> None:
    # R-ORD-12
    with pytest.raises(ValueError, match="validate"):
        price([OrderLine("caviar", 1)])


@pytest.mark.parametrize(
    "make",
    [
        lambda: Promotion(
            "p", DiscountKind.PERCENT, D("101"), *JUNE, product_codes=frozenset({"a"})
        ),
        lambda: Promotion("p", DiscountKind.FIXED, D("1"), *JUNE),
        lambda: Promotion(
            "p", DiscountKind.FIXED, D("1"), JUNE[1], JUNE[0], product_codes=frozenset({"a"})
        ),
        lambda: Promotion("p", DiscountKind.FIXED, 1.0, *JUNE, product_codes=frozenset({"a"})),  # type: ignore[arg-type]
        lambda: BuyGetFree("b", 0, 1, *JUNE, product_codes=frozenset({"a"})),
        lambda: PointsPerAmount("x", D("0"), 1, *JUNE),
        lambda: ProductPricing("a", "c", {"base": 1.5}),  # type: ignore[dict-item]
    ],
)
def test_invalid_pricing_data_is_rejected(make: Callable[[], object]) -> None:
    # R-ORD-12
    with pytest.raises((ValueError, TypeError)):
        make()


prices = st.decimals(min_value=D("0.0001"), max_value=D("9999"), places=4)
catalog = st.lists(
    st.tuples(prices, prices, st.sampled_from(["dairy", "bakery"])), min_size=1, max_size=6
)


@given(
    products=catalog,
    picks=st.lists(st.tuples(st.integers(0, 5), st.integers(1, 500)), max_size=10),
    pct=st.decimals(min_value=0, max_value=100, places=2),
    fixed=st.decimals(min_value=0, max_value=50, places=2),
    column=st.sampled_from(COLUMNS.codes),
)
def test_total_is_exact_sum_of_cent_rounded_lines(
    products: list[tuple[Decimal, Decimal, str]],
    picks: list[tuple[int, int]],
    pct: Decimal,
    fixed: Decimal,
    column: str,
) -> None:
    # R-ORD-12 (property): Decimal exactness, total == sum of line totals
    pricing = {
        f"p{i}": ProductPricing(f"p{i}", cat, {"base": base, "c3": c3})
        for i, (base, c3, cat) in enumerate(products)
    }
    lines = [OrderLine(f"p{i % len(products)}", qty) for i, qty in picks]
    promos = [
        Promotion("pct", DiscountKind.PERCENT, pct, *JUNE, category_codes=frozenset({"dairy"})),
        Promotion("fix", DiscountKind.FIXED, fixed, *JUNE, product_codes=frozenset({"p0"})),
    ]
    order = calculate_order_price(
        lines=lines,
        products=pricing,
        columns=COLUMNS,
        column=column,
        customer_type="retail",
        on=TODAY,
        promotions=promos,
    )
    assert order.total == sum((line.line_total for line in order.lines), D(0))
    assert order.total.as_tuple().exponent == -2
    for line in order.lines:
        assert line.unit_price.as_tuple().exponent == -2
        assert D(0) <= line.unit_price <= line.list_price.quantize(D("0.01"), "ROUND_HALF_UP")
        assert line.line_total == line.unit_price * line.quantity
