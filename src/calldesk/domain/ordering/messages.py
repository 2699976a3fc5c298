"""Message codes and their English default texts for everything the ordering core reports.

The core never produces prose itself: every finding is a code plus params (strings and ints,
JSON-ready). Adapters translate codes; this catalogue is the fallback and the reference for
which params each code carries.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

MessageParams = Mapping[str, str | int]

DEFAULT_MESSAGES: Final[Mapping[str, str]] = MappingProxyType(
    {
        # credit check (R-ORD-4)
        "OVERDUE": (
            "The customer has overdue invoices totalling {amount}; the oldest is {days} days "
            "past its due date {oldest_due_date}."
        ),
        "OVER_LIMIT": "Credit exposure {exposure} exceeds the credit limit {limit} by {excess}.",
        # price-column choice (R-ORD-6)
        "COLUMN_ALLOWED": "Price column {requested} is allowed (best allowed: {allowed}).",
        "COLUMN_OVERRIDE": (
            "Price column {requested} is better than the allowed column {allowed}; "
            "the override is recorded for audit."
        ),
        "COLUMN_BETTER_THAN_ALLOWED": (
            "Price column {requested} is better than the allowed column {allowed}."
        ),
        "COLUMN_UNKNOWN": "Price column {requested} does not exist.",
        # closing an order (R-ORD-5)
        "OFFERS_MISSING": (
            "Offer {missing} more extra product(s) before closing the order "
            "({offered} of {required} offered)."
        ),
        # order validation (R-ORD-7)
        "ORDER_EMPTY": "The order has no lines.",
        "PRODUCT_UNKNOWN": "Product {product_code} does not exist.",
        "DUPLICATE_PRODUCT": (
            "Product {product_code} is already on line {first_line}; change that line instead."
        ),
        "QUANTITY_NOT_POSITIVE": "Quantity must be at least 1 (got {quantity}).",
        "QUANTITY_NOT_PACK_MULTIPLE": (
            "Product {product_code} is sold in packs of {pack_size}; {quantity} is not a "
            "multiple (nearest: {lower} or {upper})."
        ),
        "INSUFFICIENT_STOCK": (
            "Only {available} unit(s) of {product_code} in stock; {quantity} requested."
        ),
        "DELIVERY_DATE_REQUIRED": "Choose a delivery date.",
        "DELIVERY_DATE_IN_PAST": "Delivery date {date} is in the past.",
        "DELIVERY_DATE_TOO_SOON": (
            "No same-day delivery; the earliest delivery date is {earliest}."
        ),
        "DELIVERY_CUTOFF_PASSED": (
            "Orders for next-day delivery close at {cutoff}; the earliest delivery date is "
            "{earliest}."
        ),
        "NON_DELIVERY_DAY": "There are no deliveries on {date}.",
        "DELIVERY_WINDOW_REQUIRED": "Enter the delivery time window (from and to).",
        "DELIVERY_WINDOW_INVALID": "The delivery window must start ({start}) before it ends ({end}).",
        "DELIVERY_WINDOW_OUTSIDE_HOURS": (
            "The delivery window {start}-{end} must lie within delivery hours {earliest}-{latest}."
        ),
        "AUTHORISED_PERSON_REQUIRED": "Enter the person authorised to accept the goods and pay.",
        "AUTHORISED_PERSON_UNKNOWN": "{person} is not an authorised person of this customer.",
        "PAYMENT_FORM_REQUIRED": "Choose a payment form.",
        "PAYMENT_FORM_UNKNOWN": "Payment form {payment_form} is not available.",
        "PICKUP_OR_SHIPPING_REQUIRED": (
            "Enter either a pick-up date or shipping details (carrier and address)."
        ),
        "PICKUP_DATE_IN_PAST": "Pick-up date {date} is in the past.",
        "SHIPPING_CARRIER_REQUIRED": "Enter the carrier.",
        "SHIPPING_ADDRESS_REQUIRED": "Enter the shipping address.",
    }
)


def default_message(code: str, params: MessageParams) -> str:
    """Render the English default text for ``code`` (KeyError for an unknown code)."""
    return DEFAULT_MESSAGES[code].format_map(params)
