import json
import string
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from calldesk.domain.ordering import (
    DEFAULT_MESSAGES,
    CustomerType,
    DeliveryCalendar,
    OrderDraft,
    OrderLine,
    ProductSpec,
    ShippingDetails,
    ValidationCode,
    ValidationIssue,
    check_order,
)

LOCAL = timezone(timedelta(hours=2))
# Tuesday 2025-06-10, 10:00 local
NOW = datetime(2025, 6, 10, 8, 0, tzinfo=UTC)
TODAY = date(2025, 6, 10)
CALENDAR = DeliveryCalendar(
    timezone=LOCAL,
    next_day_cutoff=time(14, 0),
    earliest_start=time(6, 0),
    latest_end=time(18, 0),
    non_delivery_weekdays=frozenset({6}),  # Sundays
    non_delivery_dates=frozenset({date(2025, 6, 12)}),
)
PRODUCTS = {
    "milk": ProductSpec("milk", pack_size=12, stock=100),
    "cheese": ProductSpec("cheese", pack_size=6, allows_pieces=True, stock=5),
    "bread": ProductSpec("bread"),  # stock not tracked
}
RETAIL = CustomerType("retail")
REGIONAL = CustomerType("far_east", is_regional=True)


def draft(**overrides: object) -> OrderDraft:
    values: dict[str, object] = {
        "lines": (OrderLine("milk", 24), OrderLine("cheese", 5), OrderLine("bread", 1000)),
        "delivery_date": date(2025, 6, 11),
        "window_start": time(8, 0),
        "window_end": time(12, 0),
        "authorised_person": "Jana Nováková",
    }
    values.update(overrides)
    return OrderDraft(**values)  # type: ignore[arg-type]


def check(d: OrderDraft, **kwargs: object) -> list[tuple[str, str]]:
    return [(i.field, i.code.value) for i in issues(d, **kwargs)]


def issues(d: OrderDraft, **kwargs: object) -> tuple[ValidationIssue, ...]:
    kwargs.setdefault("customer_type", RETAIL)
    kwargs.setdefault("products", PRODUCTS)
    kwargs.setdefault("calendar", CALENDAR)
    kwargs.setdefault("now", NOW)
    return check_order(d, **kwargs)  # type: ignore[arg-type]


def test_valid_order_has_no_errors() -> None:
    # R-ORD-7
    assert check(draft()) == []


def test_empty_order() -> None:
    # R-ORD-7
    assert check(draft(lines=())) == [("lines", "ORDER_EMPTY")]


def test_line_errors_are_reported_per_line_and_field() -> None:
    # R-ORD-7
    found = issues(
        draft(
            lines=(
                OrderLine("caviar", 1),
                OrderLine("milk", 13),
                OrderLine("milk", 12),
                OrderLine("cheese", 0),
                OrderLine("cheese", 7),
                OrderLine("milk", 108),
            )
        )
    )
    assert [(i.field, i.code) for i in found] == [
        ("lines[0].product_code", ValidationCode.PRODUCT_UNKNOWN),
        ("lines[1].quantity", ValidationCode.QUANTITY_NOT_PACK_MULTIPLE),
        ("lines[2].product_code", ValidationCode.DUPLICATE_PRODUCT),
        ("lines[3].quantity", ValidationCode.QUANTITY_NOT_POSITIVE),
        ("lines[4].product_code", ValidationCode.DUPLICATE_PRODUCT),
        ("lines[4].quantity", ValidationCode.INSUFFICIENT_STOCK),
        ("lines[5].product_code", ValidationCode.DUPLICATE_PRODUCT),
        ("lines[5].quantity", ValidationCode.INSUFFICIENT_STOCK),
    ]
    assert found[1].params == {
        "product_code": "milk",
        "quantity": 13,
        "pack_size": 12,
        "lower": 12,
        "upper": 24,
    }
    assert found[2].params == {"product_code": "milk", "first_line": 1}
    assert found[5].params == {"product_code": "cheese", "quantity": 7, "available": 5}


def test_pieces_allowed_products_skip_the_pack_rule() -> None:
    # R-ORD-7
    assert check(draft(lines=(OrderLine("cheese", 1),))) == []


def test_negative_quantity_is_not_positive() -> None:
    # R-ORD-7
    assert check(draft(lines=(OrderLine("milk", -12),))) == [
        ("lines[0].quantity", "QUANTITY_NOT_POSITIVE")
    ]


@pytest.mark.parametrize(
    ("delivery", "now", "expected"),
    [
        (None, NOW, ["DELIVERY_DATE_REQUIRED"]),
        (date(2025, 6, 9), NOW, ["DELIVERY_DATE_IN_PAST"]),
        (TODAY, NOW, ["DELIVERY_DATE_TOO_SOON"]),
        (date(2025, 6, 11), datetime(2025, 6, 10, 11, 59, tzinfo=UTC), []),  # 13:59 local
        (date(2025, 6, 11), datetime(2025, 6, 10, 12, 0, tzinfo=UTC), ["DELIVERY_CUTOFF_PASSED"]),
        (date(2025, 6, 12), NOW, ["NON_DELIVERY_DAY"]),  # holiday
        (date(2025, 6, 15), NOW, ["NON_DELIVERY_DAY"]),  # Sunday
        (date(2025, 6, 13), datetime(2025, 6, 10, 20, 0, tzinfo=UTC), []),
    ],
)
def test_delivery_date_rules(delivery: date | None, now: datetime, expected: list[str]) -> None:
    # R-ORD-7
    assert [code for _, code in check(draft(delivery_date=delivery), now=now)] == expected


def test_today_is_taken_in_the_distributor_timezone() -> None:
    # R-ORD-7: 23:30 UTC on the 10th is already the 11th locally, so the 11th is same-day
    late = datetime(2025, 6, 10, 23, 30, tzinfo=UTC)
    assert check(draft(delivery_date=date(2025, 6, 11)), now=late) == [
        ("delivery_date", "DELIVERY_DATE_TOO_SOON")
    ]


def test_cutoff_params_name_the_earliest_date() -> None:
    # R-ORD-7
    (issue,) = issues(draft(), now=datetime(2025, 6, 10, 13, 0, tzinfo=UTC))
    assert issue.params == {"cutoff": "14:00", "earliest": "2025-06-12"}


def test_naive_now_is_refused() -> None:
    # R-ORD-7: times are aware
    with pytest.raises(ValueError, match="aware"):
        issues(draft(), now=datetime(2025, 6, 10, 10, 0))


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (
            None,
            None,
            [
                ("delivery_window.start", "DELIVERY_WINDOW_REQUIRED"),
                ("delivery_window.end", "DELIVERY_WINDOW_REQUIRED"),
            ],
        ),
        (time(8), None, [("delivery_window.end", "DELIVERY_WINDOW_REQUIRED")]),
        (time(12), time(12), [("delivery_window", "DELIVERY_WINDOW_INVALID")]),
        (time(13), time(9), [("delivery_window", "DELIVERY_WINDOW_INVALID")]),
        (time(5, 30), time(9), [("delivery_window", "DELIVERY_WINDOW_OUTSIDE_HOURS")]),
        (time(16), time(18, 1), [("delivery_window", "DELIVERY_WINDOW_OUTSIDE_HOURS")]),
        (time(19), time(20), [("delivery_window", "DELIVERY_WINDOW_OUTSIDE_HOURS")]),
        (time(6), time(18), []),
    ],
)
def test_delivery_window_rules(
    start: time | None, end: time | None, expected: list[tuple[str, str]]
) -> None:
    # R-ORD-7
    assert check(draft(window_start=start, window_end=end)) == expected


def test_window_may_be_optional_by_configuration() -> None:
    # R-ORD-7
    calendar = DeliveryCalendar(LOCAL, time(14), time(6), time(18), window_required=False)
    assert check(draft(window_start=None, window_end=None), calendar=calendar) == []
    assert check(draft(window_start=time(9), window_end=None), calendar=calendar) == [
        ("delivery_window.end", "DELIVERY_WINDOW_REQUIRED")
    ]


@pytest.mark.parametrize("person", [None, "", "   "])
def test_authorised_person_is_required(person: str | None) -> None:
    # R-ORD-7
    assert check(draft(authorised_person=person)) == [
        ("authorised_person", "AUTHORISED_PERSON_REQUIRED")
    ]


def test_authorised_person_must_be_on_the_customer_list_when_given() -> None:
    # R-ORD-7
    persons = {"Jana Nováková", "Petr Novák"}
    assert check(draft(), authorised_persons=persons) == []
    assert check(draft(authorised_person="Eva"), authorised_persons=persons) == [
        ("authorised_person", "AUTHORISED_PERSON_UNKNOWN")
    ]


def test_regional_rules_do_not_apply_to_other_types() -> None:
    # R-ORD-7
    assert check(draft(), customer_type=CustomerType("regional", is_regional=False)) == []


def test_regional_customer_needs_payment_form_and_pickup_or_shipping() -> None:
    # R-ORD-7: the regional flag is data, not the type code
    assert check(draft(), customer_type=REGIONAL) == [
        ("payment_form", "PAYMENT_FORM_REQUIRED"),
        ("shipping", "PICKUP_OR_SHIPPING_REQUIRED"),
    ]
    assert check(draft(shipping=ShippingDetails("", " ")), customer_type=REGIONAL) == [
        ("payment_form", "PAYMENT_FORM_REQUIRED"),
        ("shipping", "PICKUP_OR_SHIPPING_REQUIRED"),
    ]


def test_regional_customer_with_pickup_date_is_valid() -> None:
    # R-ORD-7
    d = draft(payment_form="cash", pickup_date=date(2025, 6, 11))
    assert check(d, customer_type=REGIONAL, allowed_payment_forms={"cash", "transfer"}) == []


def test_regional_customer_with_shipping_is_valid() -> None:
    # R-ORD-7
    d = draft(payment_form="transfer", shipping=ShippingDetails("DPD", "Main St 1, Ostrava"))
    assert check(d, customer_type=REGIONAL) == []


def test_regional_partial_shipping_and_past_pickup() -> None:
    # R-ORD-7
    d = draft(payment_form="cheque", pickup_date=date(2025, 6, 9), shipping=ShippingDetails("DPD"))
    assert check(d, customer_type=REGIONAL, allowed_payment_forms={"cash"}) == [
        ("payment_form", "PAYMENT_FORM_UNKNOWN"),
        ("pickup_date", "PICKUP_DATE_IN_PAST"),
        ("shipping.address", "SHIPPING_ADDRESS_REQUIRED"),
    ]
    only_address = draft(payment_form="cash", shipping=ShippingDetails(address="Main St 1"))
    assert check(only_address, customer_type=REGIONAL) == [
        ("shipping.carrier", "SHIPPING_CARRIER_REQUIRED")
    ]


def test_all_errors_are_returned_at_once() -> None:
    # R-ORD-7
    d = OrderDraft(
        lines=(OrderLine("caviar", 0),),
        delivery_date=date(2025, 6, 1),
        window_start=time(19),
        window_end=time(7),
    )
    assert [code for _, code in check(d, customer_type=REGIONAL)] == [
        "PRODUCT_UNKNOWN",
        "QUANTITY_NOT_POSITIVE",
        "DELIVERY_DATE_IN_PAST",
        "DELIVERY_WINDOW_INVALID",
        "DELIVERY_WINDOW_OUTSIDE_HOURS",
        "AUTHORISED_PERSON_REQUIRED",
        "PAYMENT_FORM_REQUIRED",
        "PICKUP_OR_SHIPPING_REQUIRED",
    ]


def test_every_code_is_produced_and_has_a_renderable_default_message() -> None:
    # R-ORD-7: codes + params for the adapter, English default per code
    scenarios = [
        (draft(lines=()), RETAIL, NOW),
        (
            draft(
                lines=(
                    OrderLine("caviar", 1),
                    OrderLine("milk", 13),
                    OrderLine("milk", 0),
                    OrderLine("cheese", 6),
                ),
                delivery_date=None,
                window_start=None,
                authorised_person="Eva",
                payment_form="cheque",
                pickup_date=date(2025, 6, 1),
                shipping=ShippingDetails(carrier=""),
            ),
            REGIONAL,
            NOW,
        ),
        (
            draft(delivery_date=date(2025, 6, 1), shipping=ShippingDetails(address="x")),
            REGIONAL,
            NOW,
        ),
        (draft(payment_form="cash"), REGIONAL, NOW),
        (draft(delivery_date=TODAY, window_start=time(12), window_end=time(8)), RETAIL, NOW),
        (draft(delivery_date=date(2025, 6, 15), window_end=time(20)), RETAIL, NOW),
        (draft(shipping=ShippingDetails(carrier="DPD"), payment_form=""), REGIONAL, NOW),
        (draft(authorised_person=None), RETAIL, datetime(2025, 6, 10, 15, tzinfo=UTC)),
    ]
    seen: set[ValidationCode] = set()
    for d, customer_type, now in scenarios:
        for issue in issues(
            d,
            customer_type=customer_type,
            now=now,
            authorised_persons={"Jana Nováková"},
            allowed_payment_forms={"cash"},
        ):
            seen.add(issue.code)
            placeholders = {
                name
                for _, name, _, _ in string.Formatter().parse(DEFAULT_MESSAGES[issue.code])
                if name
            }
            assert placeholders <= set(issue.params), issue
            assert issue.message_en
            json.dumps(issue.as_dict())
    assert seen == set(ValidationCode)


def test_issue_serialises_for_a_4xx_json_body() -> None:
    # R-ORD-7
    (issue,) = issues(draft(lines=(OrderLine("milk", 13),)))
    assert issue.as_dict() == {
        "field": "lines[0].quantity",
        "code": "QUANTITY_NOT_PACK_MULTIPLE",
        "params": {
            "product_code": "milk",
            "quantity": 13,
            "pack_size": 12,
            "lower": 12,
            "upper": 24,
        },
        "message": "Product milk is sold in packs of 12; 13 is not a multiple (nearest: 12 or 24).",
    }


def test_every_message_code_has_an_english_default() -> None:
    # R-ORD-7, R-ORD-4, R-ORD-5, R-ORD-6: one catalogue for the adapter to translate
    from calldesk.domain.ordering import ColumnChoiceCode, CreditReasonCode

    codes = {*ValidationCode, *CreditReasonCode, *ColumnChoiceCode, "OFFERS_MISSING"}
    assert codes == set(DEFAULT_MESSAGES)
