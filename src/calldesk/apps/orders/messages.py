"""Translatable texts for the ordering core's codes.

The domain reports codes with params and keeps English defaults; the UI and the API speak the
user's language, so every code the order desk can show has a gettext text here (same params).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

from calldesk.domain import ordering as dom

MESSAGES: dict[str, object] = {
    # credit (R-ORD-4)
    "OVERDUE": _(
        "The customer has overdue invoices totalling %(amount)s; the oldest is %(days)s days "
        "past its due date %(oldest_due_date)s."
    ),
    "OVER_LIMIT": _("Credit exposure %(exposure)s exceeds the credit limit %(limit)s by %(excess)s."),
    "CREDIT_BLOCKED": _("No order can be taken: the customer's credit is blocked."),
    "TRANSFER_MANAGER": _("Tell the customer about the debt and transfer the call to the manager %(name)s."),
    "TRANSFER_FINANCE": _("Tell the customer about the debt and transfer the call to finance (%(name)s)."),
    # price columns (R-ORD-6)
    "COLUMN_ALLOWED": _("Price column %(requested)s is allowed (best allowed: %(allowed)s)."),
    "COLUMN_OVERRIDE": _(
        "Price column %(requested)s is better than the allowed column %(allowed)s; "
        "the override is recorded for audit."
    ),
    "COLUMN_BETTER_THAN_ALLOWED": _("Price column %(requested)s is better than the allowed column %(allowed)s."),
    "COLUMN_UNKNOWN": _("Price column %(requested)s does not exist."),
    # closing (R-ORD-5)
    "OFFERS_MISSING": _(
        "Offer %(missing)s more extra product(s) before closing the order "
        "(%(offered)s of %(required)s offered)."
    ),
    # validation (R-ORD-7)
    "ORDER_EMPTY": _("The order has no lines."),
    "PRODUCT_UNKNOWN": _("Product %(product_code)s does not exist."),
    "DUPLICATE_PRODUCT": _("Product %(product_code)s is already on line %(first_line)s; change that line instead."),
    "QUANTITY_NOT_POSITIVE": _("Quantity must be at least 1 (got %(quantity)s)."),
    "QUANTITY_NOT_PACK_MULTIPLE": _(
        "Product %(product_code)s is sold in packs of %(pack_size)s; %(quantity)s is not a "
        "multiple (nearest: %(lower)s or %(upper)s)."
    ),
    "INSUFFICIENT_STOCK": _("Only %(available)s unit(s) of %(product_code)s in stock; %(quantity)s requested."),
    "DELIVERY_DATE_REQUIRED": _("Choose a delivery date."),
    "DELIVERY_DATE_IN_PAST": _("Delivery date %(date)s is in the past."),
    "DELIVERY_DATE_TOO_SOON": _("No same-day delivery; the earliest delivery date is %(earliest)s."),
    "DELIVERY_CUTOFF_PASSED": _(
        "Orders for next-day delivery close at %(cutoff)s; the earliest delivery date is %(earliest)s."
    ),
    "NON_DELIVERY_DAY": _("There are no deliveries on %(date)s."),
    "DELIVERY_WINDOW_REQUIRED": _("Enter the delivery time window (from and to)."),
    "DELIVERY_WINDOW_INVALID": _("The delivery window must start (%(start)s) before it ends (%(end)s)."),
    "DELIVERY_WINDOW_OUTSIDE_HOURS": _(
        "The delivery window %(start)s-%(end)s must lie within delivery hours %(earliest)s-%(latest)s."
    ),
    "AUTHORISED_PERSON_REQUIRED": _("Enter the person authorised to accept the goods."),
    "AUTHORISED_PERSON_UNKNOWN": _("%(person)s is not an authorised person of this customer."),
    "PAYING_PERSON_UNKNOWN": _("%(person)s may not pay for this customer."),
    "PAYMENT_FORM_REQUIRED": _("Choose a payment form."),
    "PAYMENT_FORM_UNKNOWN": _("Payment form %(payment_form)s is not available."),
    "PICKUP_OR_SHIPPING_REQUIRED": _("Enter either a pick-up date or shipping details (carrier and address)."),
    "PICKUP_DATE_IN_PAST": _("Pick-up date %(date)s is in the past."),
    "SHIPPING_CARRIER_REQUIRED": _("Enter the carrier."),
    "SHIPPING_ADDRESS_REQUIRED": _("Enter the shipping address."),
    # adapters
    "ORDER_INVALID": _("The order cannot be saved; correct the marked fields."),
    "CUSTOMER_UNKNOWN": _("Customer %(customer)s does not exist."),
    "CUSTOMER_NOT_VISIBLE": _("You cannot take orders for customer %(customer)s."),
    "ORDER_NOT_DRAFT": _("Order %(number)s is no longer being entered (status: %(status)s)."),
    "NO_PRICE": _("Product %(product_code)s has no price in column %(column)s or a worse one."),
    "FIELD_REQUIRED": _("This field is required."),
    "FIELD_INVALID": _("Enter a valid value."),
    "INVALID_JSON": _("The request body is not valid JSON: %(error)s"),
    "IDEMPOTENCY_KEY_REUSED": _("This Idempotency-Key was already used for a different request."),
    "EMAIL_CUSTOMER_UNKNOWN": _("The sender %(sender)s is not a known customer's address and no customer code was given."),
    "EMAIL_NO_LINES": _("No order lines were found: write one line per product, like \"P00012 x 24\", or attach a CSV/XLSX file."),
    "EMAIL_UNREADABLE": _("The e-mail could not be read: %(error)s"),
    "EMAIL_ATTACHMENT_UNREADABLE": _("The attachment %(name)s could not be read: %(error)s"),
    "ROLE_FORBIDDEN": _("Your role may not do this."),
    "LINK_INVALID": _("This order link is not valid any more. Ask your manager for a new one."),
}


_AMOUNT = re.compile(r"^-?\d+\.\d{2}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _localize(value: object) -> object:
    """Money and dates in a message read the reader's way (4 000,00 / 24.10.2026); the raw
    values stay in the machine-readable params."""
    if isinstance(value, Decimal) or (isinstance(value, str) and _AMOUNT.match(value)):
        return number_format(Decimal(str(value)), decimal_pos=2, use_l10n=True, force_grouping=True)
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.match(value)):
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
        return date_format(day, "SHORT_DATE_FORMAT")
    return value


def message_for(code: str, params: Mapping[str, object] | None = None) -> str:
    params = {key: _localize(value) for key, value in (params or {}).items()}
    template = MESSAGES.get(code)
    if template is None:
        try:
            return dom.default_message(code, params)  # type: ignore[arg-type]
        except KeyError:
            return code
    try:
        return str(template) % params
    except (KeyError, ValueError, TypeError):
        return str(template)
