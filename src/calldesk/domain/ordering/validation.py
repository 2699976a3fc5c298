"""Order validation (R-ORD-7): every problem at once, as (field, code, params).

Codes and params are translation-ready (see :mod:`.messages` for the English defaults).
Field paths are stable keys for forms and JSON: ``lines``, ``lines[<i>].product_code``,
``lines[<i>].quantity``, ``delivery_date``, ``delivery_window``, ``delivery_window.start``,
``delivery_window.end``, ``authorised_person``, ``payment_form``, ``pickup_date``, ``shipping``,
``shipping.carrier``, ``shipping.address``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from .lines import OrderLine
from .messages import MessageParams, default_message


class ValidationCode(StrEnum):
    ORDER_EMPTY = "ORDER_EMPTY"
    PRODUCT_UNKNOWN = "PRODUCT_UNKNOWN"
    DUPLICATE_PRODUCT = "DUPLICATE_PRODUCT"
    QUANTITY_NOT_POSITIVE = "QUANTITY_NOT_POSITIVE"
    QUANTITY_NOT_PACK_MULTIPLE = "QUANTITY_NOT_PACK_MULTIPLE"
    INSUFFICIENT_STOCK = "INSUFFICIENT_STOCK"
    DELIVERY_DATE_REQUIRED = "DELIVERY_DATE_REQUIRED"
    DELIVERY_DATE_IN_PAST = "DELIVERY_DATE_IN_PAST"
    DELIVERY_DATE_TOO_SOON = "DELIVERY_DATE_TOO_SOON"
    DELIVERY_CUTOFF_PASSED = "DELIVERY_CUTOFF_PASSED"
    NON_DELIVERY_DAY = "NON_DELIVERY_DAY"
    DELIVERY_WINDOW_REQUIRED = "DELIVERY_WINDOW_REQUIRED"
    DELIVERY_WINDOW_INVALID = "DELIVERY_WINDOW_INVALID"
    DELIVERY_WINDOW_OUTSIDE_HOURS = "DELIVERY_WINDOW_OUTSIDE_HOURS"
    AUTHORISED_PERSON_REQUIRED = "AUTHORISED_PERSON_REQUIRED"
    AUTHORISED_PERSON_UNKNOWN = "AUTHORISED_PERSON_UNKNOWN"
    PAYMENT_FORM_REQUIRED = "PAYMENT_FORM_REQUIRED"
    PAYMENT_FORM_UNKNOWN = "PAYMENT_FORM_UNKNOWN"
    PICKUP_OR_SHIPPING_REQUIRED = "PICKUP_OR_SHIPPING_REQUIRED"
    PICKUP_DATE_IN_PAST = "PICKUP_DATE_IN_PAST"
    SHIPPING_CARRIER_REQUIRED = "SHIPPING_CARRIER_REQUIRED"
    SHIPPING_ADDRESS_REQUIRED = "SHIPPING_ADDRESS_REQUIRED"


@dataclass(frozen=True, slots=True)
class ValidationIssue:
    field: str
    code: ValidationCode
    params: MessageParams

    @property
    def message_en(self) -> str:
        return default_message(self.code, self.params)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form for a 4xx body: field, code, params and the English default."""
        return {
            "field": self.field,
            "code": str(self.code),
            "params": dict(self.params),
            "message": self.message_en,
        }


@dataclass(frozen=True, slots=True)
class CustomerType:
    """A configured customer type; ``is_regional`` is the data flag that turns on the regional
    rules (never compare the code string)."""

    code: str
    is_regional: bool = False


@dataclass(frozen=True, slots=True)
class ProductSpec:
    """What validation needs about a product; ``stock`` None means stock is not tracked."""

    product_code: str
    pack_size: int = 1
    allows_pieces: bool = False
    stock: int | None = None

    def __post_init__(self) -> None:
        if self.pack_size <= 0:
            raise ValueError(f"pack_size must be positive for {self.product_code!r}")


@dataclass(frozen=True, slots=True)
class DeliveryCalendar:
    """The distributor's delivery rules; times are local to ``timezone``.

    Orders for delivery tomorrow (calendar day) close at ``next_day_cutoff``; there is no
    same-day delivery.
    """

    timezone: tzinfo
    next_day_cutoff: time
    earliest_start: time
    latest_end: time
    non_delivery_weekdays: frozenset[int] = frozenset()  # date.weekday(): Monday == 0
    non_delivery_dates: frozenset[date] = frozenset()
    window_required: bool = True

    def is_delivery_day(self, day: date) -> bool:
        return (
            day.weekday() not in self.non_delivery_weekdays and day not in self.non_delivery_dates
        )


@dataclass(frozen=True, slots=True)
class ShippingDetails:
    carrier: str = ""
    address: str = ""


@dataclass(frozen=True, slots=True)
class OrderDraft:
    """The order as entered by the operator; optional fields may still be missing."""

    lines: tuple[OrderLine, ...]
    delivery_date: date | None = None
    window_start: time | None = None
    window_end: time | None = None
    authorised_person: str | None = None
    payment_form: str | None = None
    pickup_date: date | None = None
    shipping: ShippingDetails | None = None


def _blank(value: str | None) -> bool:
    return value is None or not value.strip()


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def _check_lines(
    lines: Sequence[OrderLine], products: Mapping[str, ProductSpec]
) -> list[ValidationIssue]:
    issues: list[ValidationIssue] = []
    if not lines:
        return [ValidationIssue("lines", ValidationCode.ORDER_EMPTY, {})]
    first_seen: dict[str, int] = {}
    for index, line in enumerate(lines):
        code_field = f"lines[{index}].product_code"
        qty_field = f"lines[{index}].quantity"
        product = products.get(line.product_code)
        if product is None:
            issues.append(
                ValidationIssue(
                    code_field, ValidationCode.PRODUCT_UNKNOWN, {"product_code": line.product_code}
                )
            )
        elif line.product_code in first_seen:
            issues.append(
                ValidationIssue(
                    code_field,
                    ValidationCode.DUPLICATE_PRODUCT,
                    {
                        "product_code": line.product_code,
                        "first_line": first_seen[line.product_code],
                    },
                )
            )
        else:
            first_seen[line.product_code] = index
        if line.quantity <= 0:
            issues.append(
                ValidationIssue(
                    qty_field, ValidationCode.QUANTITY_NOT_POSITIVE, {"quantity": line.quantity}
                )
            )
            continue
        if product is None:
            continue
        if not product.allows_pieces and line.quantity % product.pack_size:
            lower = line.quantity - line.quantity % product.pack_size
            issues.append(
                ValidationIssue(
                    qty_field,
                    ValidationCode.QUANTITY_NOT_PACK_MULTIPLE,
                    {
                        "product_code": product.product_code,
                        "quantity": line.quantity,
                        "pack_size": product.pack_size,
                        "lower": lower,
                        "upper": lower + product.pack_size,
                    },
                )
            )
        if product.stock is not None and line.quantity > product.stock:
            issues.append(
                ValidationIssue(
                    qty_field,
                    ValidationCode.INSUFFICIENT_STOCK,
                    {
                        "product_code": product.product_code,
                        "quantity": line.quantity,
                        "available": max(product.stock, 0),
                    },
                )
            )
    return issues


def _check_delivery_date(
    delivery: date | None, calendar: DeliveryCalendar, local_now: datetime
) -> list[ValidationIssue]:
    field = "delivery_date"
    if delivery is None:
        return [ValidationIssue(field, ValidationCode.DELIVERY_DATE_REQUIRED, {})]
    today = local_now.date()
    tomorrow = today + timedelta(days=1)
    after_cutoff = local_now.time() >= calendar.next_day_cutoff
    earliest = (tomorrow + timedelta(days=1) if after_cutoff else tomorrow).isoformat()
    issues: list[ValidationIssue] = []
    if delivery < today:
        issues.append(
            ValidationIssue(
                field, ValidationCode.DELIVERY_DATE_IN_PAST, {"date": delivery.isoformat()}
            )
        )
    elif delivery == today:
        issues.append(
            ValidationIssue(field, ValidationCode.DELIVERY_DATE_TOO_SOON, {"earliest": earliest})
        )
    elif delivery == tomorrow and after_cutoff:
        issues.append(
            ValidationIssue(
                field,
                ValidationCode.DELIVERY_CUTOFF_PASSED,
                {"cutoff": _hhmm(calendar.next_day_cutoff), "earliest": earliest},
            )
        )
    if delivery >= today and not calendar.is_delivery_day(delivery):
        issues.append(
            ValidationIssue(field, ValidationCode.NON_DELIVERY_DAY, {"date": delivery.isoformat()})
        )
    return issues


def _check_window(
    start: time | None, end: time | None, calendar: DeliveryCalendar
) -> list[ValidationIssue]:
    if start is None or end is None:
        if start is None and end is None and not calendar.window_required:
            return []
        return [
            ValidationIssue(name, ValidationCode.DELIVERY_WINDOW_REQUIRED, {})
            for name, value in (("delivery_window.start", start), ("delivery_window.end", end))
            if value is None
        ]
    params: MessageParams = {"start": _hhmm(start), "end": _hhmm(end)}
    issues: list[ValidationIssue] = []
    if start >= end:
        issues.append(
            ValidationIssue("delivery_window", ValidationCode.DELIVERY_WINDOW_INVALID, params)
        )
    hours_start, hours_end = calendar.earliest_start, calendar.latest_end
    if not (hours_start <= start <= hours_end and hours_start <= end <= hours_end):
        issues.append(
            ValidationIssue(
                "delivery_window",
                ValidationCode.DELIVERY_WINDOW_OUTSIDE_HOURS,
                {
                    **params,
                    "earliest": _hhmm(calendar.earliest_start),
                    "latest": _hhmm(calendar.latest_end),
                },
            )
        )
    return issues


def _check_regional(
    draft: OrderDraft, allowed_payment_forms: Collection[str], today: date
) -> list[ValidationIssue]:
    issues: list[ValidationIssue] = []
    if draft.payment_form is None or _blank(draft.payment_form):
        issues.append(ValidationIssue("payment_form", ValidationCode.PAYMENT_FORM_REQUIRED, {}))
    elif allowed_payment_forms and draft.payment_form not in allowed_payment_forms:
        issues.append(
            ValidationIssue(
                "payment_form",
                ValidationCode.PAYMENT_FORM_UNKNOWN,
                {"payment_form": draft.payment_form},
            )
        )
    shipping = draft.shipping
    no_shipping = shipping is None or (_blank(shipping.carrier) and _blank(shipping.address))
    if draft.pickup_date is None and no_shipping:
        issues.append(ValidationIssue("shipping", ValidationCode.PICKUP_OR_SHIPPING_REQUIRED, {}))
    if draft.pickup_date is not None and draft.pickup_date < today:
        issues.append(
            ValidationIssue(
                "pickup_date",
                ValidationCode.PICKUP_DATE_IN_PAST,
                {"date": draft.pickup_date.isoformat()},
            )
        )
    if shipping is not None and not no_shipping:
        # Half-filled shipping details are an error even when a pick-up date is also given.
        if _blank(shipping.carrier):
            issues.append(
                ValidationIssue("shipping.carrier", ValidationCode.SHIPPING_CARRIER_REQUIRED, {})
            )
        if _blank(shipping.address):
            issues.append(
                ValidationIssue("shipping.address", ValidationCode.SHIPPING_ADDRESS_REQUIRED, {})
            )
    return issues


def check_order(
    draft: OrderDraft,
    *,
    customer_type: CustomerType,
    products: Mapping[str, ProductSpec],
    calendar: DeliveryCalendar,
    now: datetime,
    authorised_persons: Collection[str] = (),
    allowed_payment_forms: Collection[str] = (),
) -> tuple[ValidationIssue, ...]:
    """All problems with ``draft`` in field order; empty means the order may be saved (R-ORD-7).

    ``now`` must be timezone-aware; it is converted to the calendar's timezone for "today" and
    the cutoff. A non-empty ``authorised_persons`` restricts the person to the customer's list;
    a non-empty ``allowed_payment_forms`` restricts the (regional) payment form.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    local_now = now.astimezone(calendar.timezone)
    issues = _check_lines(draft.lines, products)
    issues += _check_delivery_date(draft.delivery_date, calendar, local_now)
    issues += _check_window(draft.window_start, draft.window_end, calendar)
    if draft.authorised_person is None or _blank(draft.authorised_person):
        issues.append(
            ValidationIssue("authorised_person", ValidationCode.AUTHORISED_PERSON_REQUIRED, {})
        )
    elif authorised_persons and draft.authorised_person.strip() not in authorised_persons:
        issues.append(
            ValidationIssue(
                "authorised_person",
                ValidationCode.AUTHORISED_PERSON_UNKNOWN,
                {"person": draft.authorised_person},
            )
        )
    if customer_type.is_regional:
        issues += _check_regional(draft, allowed_payment_forms, local_now.date())
    return tuple(issues)
