"""Use cases of the order desk. `place_order` is the one gate every order passes through.

Phone (the operator's screen), API, web link, e-mail and import all build an `OrderRequest`
and call `place_order`; the credit check, price-column rules, validation, stock and the
upsell minimum are enforced there and nowhere else, so no path can skip them (R-ORD-4,
R-ORD-13).
"""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from calldesk.apps.accounts.roles import Role
from calldesk.apps.audit.services import record
from calldesk.apps.catalog.models import Certificate, PriceColumn, Product
from calldesk.apps.customers.models import Customer, Department
from calldesk.apps.customers.selectors import get_credit_terms, get_ledger_summary
from calldesk.domain import ordering as dom

from . import events
from .messages import message_for
from .models import Escalation, IdempotencyKey, Order, OrderLine, UpsellOffer
from .selectors import (
    COLUMN_OVERRIDERS,
    PricingContext,
    get_business_today,
    get_delivery_calendar,
    get_order_stats,
    get_payment_forms,
    get_pricing_context,
    get_product_pricing,
    get_product_specs,
    get_required_offers,
    get_transfer_name,
    get_upsell_offers,
    manager_available,
)

ZERO = Decimal("0.00")
UPSELL_CANDIDATES_CAP = 50

_REASON_TO_MODEL = {
    dom.UpsellReason.NEW: UpsellOffer.Reason.NEW,
    dom.UpsellReason.PROMOTED: UpsellOffer.Reason.PROMOTED,
    dom.UpsellReason.TRADITIONAL: UpsellOffer.Reason.TRADITIONAL,
    dom.UpsellReason.TYPICAL: UpsellOffer.Reason.TYPICAL,
}


_SQLITE_WRITERS = threading.RLock()


@contextmanager
def serialized_writes() -> Iterator[None]:
    """On SQLite, order transactions of this process queue here instead of at BEGIN IMMEDIATE.

    SQLite has no queue for its write lock: a writer that finds it taken sleeps and retries
    (1, 2, 5 ... 100 ms), so under load some requests starve while others get through. Queuing
    on a lock before BEGIN gives each waiter its turn as soon as the lock frees. Correctness
    does not depend on it (IMMEDIATE transactions and PostgreSQL's row locks do that, ADR 0003);
    inside an open transaction the connection already holds the write lock, so it is skipped.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with _SQLITE_WRITERS:
        yield


# --- errors ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a request: a stable field path, a code and its params."""

    field: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return message_for(self.code, self.params)

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "code": self.code, "message": self.message, "params": self.params}


class OrderRejected(Exception):
    """The order (or draft change) was refused; nothing was saved. `status` is the HTTP status
    the API answers with; the UI shows `detail` and the per-field `errors`."""

    def __init__(
        self,
        code: str,
        *,
        status: int = 422,
        params: dict[str, Any] | None = None,
        errors: Sequence[Problem] = (),
        transfer: dict[str, str] | None = None,
    ) -> None:
        self.code = code
        self.status = status
        self.params = params or {}
        self.errors = list(errors)
        self.transfer = transfer
        super().__init__(code)

    @property
    def detail(self) -> str:
        return message_for(self.code, self.params)

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"detail": self.detail, "code": self.code, "errors": [e.as_dict() for e in self.errors]}
        if self.transfer:
            body["transfer_to"] = self.transfer
        return body

    def field_errors(self) -> dict[str, list[str]]:
        result: dict[str, list[str]] = {}
        for problem in self.errors:
            result.setdefault(problem.field, []).append(problem.message)
        return result


def _credit_problems(decision: dom.CreditDecision) -> list[Problem]:
    return [Problem("customer", str(reason.code), dict(reason.params)) for reason in decision.reasons]


def credit_rejection(customer: Customer, decision: dom.CreditDecision) -> OrderRejected:
    target = decision.transfer_to or dom.TransferTarget.FINANCE
    name = get_transfer_name(customer, target)
    code = "TRANSFER_MANAGER" if target is dom.TransferTarget.MANAGER else "TRANSFER_FINANCE"
    return OrderRejected(
        "CREDIT_BLOCKED",
        errors=_credit_problems(decision),
        transfer={"to": str(target), "name": name, "instruction": message_for(code, {"name": name})},
    )


# --- requests ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineRequest:
    product_code: str
    quantity: int


@dataclass(frozen=True)
class OfferRequest:
    product_code: str
    outcome: str
    reason: str = ""


@dataclass(frozen=True)
class OrderRequest:
    """An order as any channel submits it; optional fields may be missing (validation says so)."""

    customer_id: int
    lines: tuple[LineRequest, ...]
    channel: str = Order.Channel.API
    column: str | None = None
    delivery_date: date | None = None
    window_start: time | None = None
    window_end: time | None = None
    accepting_person: str = ""
    paying_person: str = ""
    payment_form: str = ""
    pickup_date: date | None = None
    shipping_carrier: str = ""
    shipping_address: str = ""
    comment: str = ""
    external_ref: str = ""
    call_id: uuid.UUID | None = None
    offers: tuple[OfferRequest, ...] = ()


def may_override_column(actor: Any) -> bool:
    return getattr(actor, "role", None) in COLUMN_OVERRIDERS


def _lock_customer(customer_id: int) -> Customer:
    # The lock serialises every order of one customer, so exposure (open invoices + placed
    # orders + this one) is computed with no other order of theirs in flight (ADR 0003).
    customer = (
        Customer.objects.select_for_update(of=("self",))
        .select_related("type", "manager")
        .filter(pk=customer_id)
        .first()
    )
    if customer is None:
        raise OrderRejected("CUSTOMER_UNKNOWN", status=404, params={"customer": customer_id},
                            errors=[Problem("customer", "CUSTOMER_UNKNOWN", {"customer": customer_id})])
    return customer


def _get_products(codes: Iterable[str]) -> dict[str, Product]:
    return {p.code: p for p in Product.objects.select_related("category").filter(code__in=set(codes), is_active=True)}


def _lock_products(codes: Iterable[str]) -> dict[str, Product]:
    # Locked in primary-key order so that two orders sharing products cannot deadlock.
    rows = Product.objects.select_for_update().filter(code__in=set(codes), is_active=True).order_by("pk")
    return {p.code: p for p in rows}


def _contact_names(customer: Customer) -> tuple[set[str], set[str]]:
    accept, pay = set(), set()
    for name, may_accept, may_pay in customer.contacts.values_list("name", "may_accept_goods", "may_pay"):
        if may_accept:
            accept.add(name.strip())
        if may_pay:
            pay.add(name.strip())
    return accept, pay


def _column_problem(choice: dom.ColumnChoice, ctx: PricingContext) -> OrderRejected:
    params = {
        "requested": ctx.column_names.get(choice.requested, choice.requested),
        "allowed": ctx.column_names.get(choice.allowed, choice.allowed),
    }
    status = 403 if choice.code is dom.ColumnChoiceCode.BETTER_THAN_ALLOWED else 422
    return OrderRejected(str(choice.code), status=status, params=params, errors=[Problem("column", str(choice.code), params)])


def _field_path(domain_field: str) -> str:
    # The core's paths are kept, except that the one "authorised person" is our accepting person.
    return "accepting_person" if domain_field == "authorised_person" else domain_field


def _validate(
    req: OrderRequest,
    customer: Customer,
    products: dict[str, Product],
    now: datetime,
) -> tuple[list[Problem], str]:
    accept, pay = _contact_names(customer)
    draft = dom.OrderDraft(
        lines=tuple(dom.OrderLine(line.product_code, line.quantity) for line in req.lines),
        delivery_date=req.delivery_date,
        window_start=req.window_start,
        window_end=req.window_end,
        authorised_person=req.accepting_person,
        payment_form=req.payment_form or None,
        pickup_date=req.pickup_date,
        shipping=dom.ShippingDetails(req.shipping_carrier, req.shipping_address)
        if (req.shipping_carrier or req.shipping_address) else None,
    )
    issues = dom.check_order(
        draft,
        customer_type=dom.CustomerType(customer.type.code, is_regional=customer.type.is_regional),
        products=get_product_specs(products.values()),
        calendar=get_delivery_calendar(),
        now=now,
        authorised_persons=accept,
        allowed_payment_forms=[code for code, _label in get_payment_forms()],
    )
    problems = [Problem(_field_path(i.field), str(i.code), dict(i.params)) for i in issues]
    paying = req.paying_person.strip()
    if not paying and req.accepting_person.strip() in pay:
        paying = req.accepting_person.strip()
    if paying and pay and paying not in pay:
        problems.append(Problem("paying_person", "PAYING_PERSON_UNKNOWN", {"person": paying}))
    return problems, paying


def _priced(req_lines: Sequence[LineRequest], products: dict[str, Product], ctx: PricingContext, column: str, today: date) -> dom.PricedOrder:
    pricing = get_product_pricing(list(products.values()), ctx.column_codes)
    missing = []
    for i, line in enumerate(req_lines):
        try:
            pricing[line.product_code].price_for(column, ctx.columns)
        except ValueError:
            missing.append(Problem(f"lines[{i}].product_code", "NO_PRICE",
                                   {"product_code": line.product_code, "column": ctx.column_names.get(column, column)}))
    if missing:
        raise OrderRejected("ORDER_INVALID", errors=missing)
    return dom.calculate_order_price(
        lines=[dom.OrderLine(line.product_code, line.quantity) for line in req_lines],
        products=pricing,
        columns=ctx.columns,
        column=column,
        customer_type=ctx.customer_type,
        on=today,
        promotions=ctx.promotions,
        bonus_programs=ctx.bonus_programs,
    )


def _close_check(req: OrderRequest, draft: Order | None, customer: Customer, today: date) -> None:
    """R-ORD-5: a phone order closes only after N extra positions were offered."""
    if draft is not None:
        records = [dom.OfferRecord(code, dom.OfferOutcome(outcome)) for code, outcome in draft.offers.values_list("product__code", "outcome")]
        candidates = draft.offer_candidates
    else:
        records = []
        for offer in req.offers:
            try:
                records.append(dom.OfferRecord(offer.product_code, dom.OfferOutcome(offer.outcome)))
            except ValueError:
                raise OrderRejected("ORDER_INVALID", errors=[Problem("offers", "FIELD_INVALID", {})]) from None
        candidates = len(get_upsell_offers(customer, in_order=(), today=today, k=UPSELL_CANDIDATES_CAP))
    check = dom.check_order_can_close(records, get_required_offers(), candidates_available=candidates)
    if not check.can_close:
        params = dict(check.params)
        raise OrderRejected("OFFERS_MISSING", params=params, errors=[Problem("offers", "OFFERS_MISSING", params)])


def _temporary_number() -> str:
    return f"tmp-{uuid.uuid4().hex[:24]}"


def _assign_number(order: Order) -> None:
    order.number = f"O{order.pk:07d}"
    Order.objects.filter(pk=order.pk).update(number=order.number)


def _valid_call_id(call_id: uuid.UUID | None) -> uuid.UUID | None:
    if call_id is None:
        return None
    from calldesk.apps.calls.models import Call

    return call_id if Call.objects.filter(pk=call_id).exists() else None


def _get_customer(customer_id: int) -> Customer:
    customer = Customer.objects.select_related("type", "manager").filter(pk=customer_id).first()
    if customer is None:
        raise OrderRejected("CUSTOMER_UNKNOWN", status=404, params={"customer": customer_id},
                            errors=[Problem("customer", "CUSTOMER_UNKNOWN", {"customer": customer_id})])
    return customer


def _get_draft(draft_id: int, customer_id: int, *, lock: bool = False) -> Order:
    drafts = Order.objects.select_for_update(of=("self",)) if lock else Order.objects.select_related("column")
    draft = drafts.filter(pk=draft_id, customer_id=customer_id).first()
    if draft is None or draft.status != Order.Status.DRAFT:
        params = {"number": draft.number if draft else draft_id, "status": draft.get_status_display() if draft else "—"}
        raise OrderRejected("ORDER_NOT_DRAFT", status=409, params=params)
    return draft


def _credit_args(customer: Customer, today: date, unshipped_total: Decimal) -> dict[str, Any]:
    return {
        "terms": get_credit_terms(customer),
        "ledger": get_ledger_summary(customer.pk, today, customer.grace_days),
        "unshipped_total": unshipped_total,
        "today": today,
        "has_manager": customer.manager_id is not None,
        "manager_available": manager_available(customer),
    }


def place_order(
    req: OrderRequest,
    *,
    actor: Any = None,
    draft_id: int | None = None,
    now: datetime | None = None,
) -> Order:
    """Check, price and save an order atomically, or raise OrderRejected with nothing saved.

    Order of checks: credit before anything (a blocked customer hears that first), then the
    lines and delivery, the price column, the credit again with this order's total, the upsell
    minimum for phone orders.

    Two phases. Reading, validating and pricing run first, outside any lock. Then, in one
    transaction that locks the customer row and the product rows, everything a concurrent
    writer can change is read again - credit terms, open invoices, unshipped orders, stock - the
    credit and stock checks are repeated on those fresh values, and the order is written with
    its stock decrement. The lock is held only for that short second phase (ADR 0003).
    """
    now = now or timezone.now()
    today = get_business_today(now)

    # Phase 1: read, validate, price (no lock).
    customer = _get_customer(req.customer_id)
    draft = _get_draft(draft_id, customer.pk) if draft_id is not None else None
    ctx = get_pricing_context(customer, today)
    before = dom.check_credit(order_total=ZERO, **_credit_args(customer, today, ctx.unshipped_total))
    if not before.ok:
        raise credit_rejection(customer, before)
    codes = [line.product_code for line in req.lines]
    products = _get_products(codes)
    problems, paying_person = _validate(req, customer, products, now)
    if problems:
        raise OrderRejected("ORDER_INVALID", errors=problems)
    requested = req.column or (draft.column.code if draft is not None else ctx.decision.column)
    choice = dom.check_column_choice(requested, ctx.decision.column, may_override_column(actor), columns=ctx.columns)
    if not choice.accepted:
        raise _column_problem(choice, ctx)
    priced = _priced(req.lines, products, ctx, choice.column, today)
    if draft is not None or req.channel == Order.Channel.PHONE:
        _close_check(req, draft, customer, today)

    # Phase 2: lock, re-read what concurrent orders change, re-check, write.
    with serialized_writes(), transaction.atomic():
        customer = _lock_customer(req.customer_id)
        if draft is not None:
            draft = _get_draft(draft.pk, customer.pk, lock=True)
        locked = _lock_products(codes)
        short = [
            Problem(f"lines[{i}].quantity", "INSUFFICIENT_STOCK", {
                "product_code": pl.product_code, "quantity": pl.quantity + pl.free_units,
                "available": max(locked[pl.product_code].stock, 0) if pl.product_code in locked else 0,
            })
            for i, pl in enumerate(priced.lines)
            if pl.product_code not in locked or pl.quantity + pl.free_units > locked[pl.product_code].stock
        ]
        if short:
            raise OrderRejected("ORDER_INVALID", errors=short)
        unshipped = get_order_stats(customer.pk, today=today).unshipped_total
        credit_args = _credit_args(customer, today, unshipped)
        fresh = dom.check_credit(order_total=ZERO, **credit_args)
        if not fresh.ok:
            raise credit_rejection(customer, fresh)
        after = dom.check_credit(order_total=priced.total, **credit_args)
        if not after.ok:
            raise credit_rejection(customer, after)

        order = draft or Order(number=_temporary_number(), customer=customer, channel=req.channel, taken_by=actor if getattr(actor, "pk", None) else None)
        order.customer = customer
        order.status = Order.Status.PLACED
        order.placed_at = now
        order.column = _column(ctx, choice.column)
        order.allowed_column = _column(ctx, ctx.decision.column)
        order.column_reason = ctx.reason[:200]
        order.column_overridden = choice.audit
        order.total = priced.total
        order.bonus_points = priced.total_points
        order.delivery_date = req.delivery_date
        order.window_start = req.window_start
        order.window_end = req.window_end
        order.accepting_person = req.accepting_person.strip()
        order.paying_person = paying_person
        order.payment_form = req.payment_form if customer.type.is_regional else ""
        order.pickup_date = req.pickup_date if customer.type.is_regional else None
        order.shipping_carrier = req.shipping_carrier.strip() if customer.type.is_regional else ""
        order.shipping_details = req.shipping_address.strip() if customer.type.is_regional else ""
        order.comment = req.comment
        order.external_ref = req.external_ref[:200]
        if draft is None:
            order.call_id = _valid_call_id(req.call_id)
        order.save()
        if draft is None:
            _assign_number(order)
        else:
            draft.lines.all().delete()
        lines = [
            OrderLine(
                order=order, product=locked[pl.product_code], quantity=pl.quantity,
                unit_price=pl.unit_price, line_total=pl.line_total, list_price=pl.list_price,
                promotion_id=ctx.promotion_pks.get(pl.promotion_id or ""),
                free_units=pl.free_units, bonus_promotion_id=ctx.promotion_pks.get(pl.bonus_program_id or ""),
            )
            for pl in priced.lines
        ]
        OrderLine.objects.bulk_create(lines)
        order.placed_lines = lines  # type: ignore[attr-defined]  # lets callers answer without reading back
        if draft is None and req.offers:
            _save_offers(order, req.offers)
        for pl in priced.lines:
            need = pl.quantity + pl.free_units
            updated = Product.objects.filter(pk=locked[pl.product_code].pk, stock__gte=need).update(stock=F("stock") - need)
            if updated != 1:  # pragma: no cover - the row lock above makes this unreachable
                raise OrderRejected("ORDER_INVALID", errors=[Problem("lines", "INSUFFICIENT_STOCK", {
                    "product_code": pl.product_code, "quantity": need, "available": 0})])
        Customer.objects.filter(pk=customer.pk).update(last_order_at=now)

        record(action="order.placed", actor=actor, target=order, data={
            "total": str(order.total), "column": choice.column, "allowed_column": ctx.decision.column,
            "channel": order.channel, "lines": len(priced.lines), "exposure_after": str(after.exposure),
        })
        if choice.audit:
            record(action="order.column_override", actor=actor, target=order, data={
                "requested": choice.requested, "allowed": choice.allowed, "total": str(order.total),
            })
        payload = {
            "manager_id": customer.manager_id, "order_id": order.pk, "number": order.number,
            "customer": customer.legal_name, "total": str(order.total), "channel": order.channel,
        }
        transaction.on_commit(lambda: events.publish_order_placed(**payload))
    return order


def _column(ctx: PricingContext, code: str) -> PriceColumn:
    return PriceColumn(pk=ctx.column_pk(code), code=code, name=ctx.column_names[code])


def _save_offers(order: Order, offers: Sequence[OfferRequest]) -> None:
    codes = {o.product_code for o in offers}
    products = dict(Product.objects.filter(code__in=codes).values_list("code", "pk"))
    seen: set[str] = set()
    rows = []
    for offer in offers:
        if offer.product_code in seen or offer.product_code not in products:
            continue
        seen.add(offer.product_code)
        reason = offer.reason if offer.reason in UpsellOffer.Reason.values else UpsellOffer.Reason.PROMOTED
        rows.append(UpsellOffer(order=order, product_id=products[offer.product_code], reason=reason, outcome=offer.outcome))
    UpsellOffer.objects.bulk_create(rows)


# --- the operator's draft (R-ORD-5, R-ORD-6) --------------------------------------------------


def start_order(customer: Customer, *, actor: Any, call_id: uuid.UUID | None = None, now: datetime | None = None) -> Order:
    """Open (or resume) the actor's draft for this customer; refused while credit is blocked."""
    now = now or timezone.now()
    today = get_business_today(now)
    from .selectors import get_credit_status

    status = get_credit_status(customer, now)
    if not status.ok:
        raise credit_rejection(customer, status.decision)
    with transaction.atomic():
        existing = Order.objects.filter(customer=customer, status=Order.Status.DRAFT, taken_by=actor).order_by("-created_at").first()
        if existing is not None:
            return existing
        ctx = get_pricing_context(customer, today)
        candidates = len(get_upsell_offers(customer, in_order=(), today=today, k=UPSELL_CANDIDATES_CAP))
        order = Order.objects.create(
            number=_temporary_number(), customer=customer, channel=Order.Channel.PHONE, status=Order.Status.DRAFT,
            column_id=ctx.column_pk(ctx.decision.column), allowed_column_id=ctx.column_pk(ctx.decision.column),
            column_reason=ctx.reason[:200], taken_by=actor, call_id=_valid_call_id(call_id), offer_candidates=candidates,
        )
        _assign_number(order)
    return order


def _lock_draft(order_id: int) -> Order:
    order = Order.objects.select_for_update(of=("self",)).select_related("customer", "customer__type", "column").get(pk=order_id)
    if order.status != Order.Status.DRAFT:
        raise OrderRejected("ORDER_NOT_DRAFT", status=409, params={"number": order.number, "status": order.get_status_display()})
    return order


def reprice_draft(order: Order, now: datetime | None = None) -> None:
    """Prices shown while typing; `place_order` prices again under lock when the order closes."""
    today = get_business_today(now or timezone.now())
    lines = list(order.lines.select_related("product", "product__category"))
    if not lines:
        if order.total:
            order.total = ZERO
            Order.objects.filter(pk=order.pk).update(total=ZERO)
        return
    ctx = get_pricing_context(order.customer, today)
    products = {line.product.code: line.product for line in lines}
    try:
        priced = _priced([LineRequest(line.product.code, line.quantity) for line in lines], products, ctx, order.column.code, today)
    except OrderRejected:
        return
    by_code = {pl.product_code: pl for pl in priced.lines}
    for line in lines:
        pl = by_code[line.product.code]
        line.unit_price, line.line_total, line.list_price, line.free_units = pl.unit_price, pl.line_total, pl.list_price, pl.free_units
        line.promotion_id = ctx.promotion_pks.get(pl.promotion_id or "")
        line.bonus_promotion_id = ctx.promotion_pks.get(pl.bonus_program_id or "")
    OrderLine.objects.bulk_update(lines, ["unit_price", "line_total", "list_price", "free_units", "promotion", "bonus_promotion"])
    order.total = priced.total
    order.bonus_points = priced.total_points
    Order.objects.filter(pk=order.pk).update(total=order.total, bonus_points=order.bonus_points)


def check_line(order: Order, product_code: str, quantity: int, now: datetime) -> tuple[Product | None, list[Problem]]:
    """The core's line rules for one line, as the operator types it."""
    product = Product.objects.filter(code__iexact=product_code.strip(), is_active=True).select_related("category").first()
    code = product.code if product else product_code.strip()
    issues = dom.check_order(
        dom.OrderDraft(lines=(dom.OrderLine(code, quantity),)),
        customer_type=dom.CustomerType(order.customer.type.code, is_regional=False),
        products=get_product_specs([product] if product else []),
        calendar=get_delivery_calendar(),
        now=now,
    )
    problems = [
        Problem("quantity" if i.field.endswith("quantity") else "product", str(i.code), dict(i.params))
        for i in issues if i.field.startswith("lines")
    ]
    return product, problems


def add_draft_line(order_id: int, product_code: str, quantity: int, *, actor: Any, now: datetime | None = None) -> Order:
    """Add a line, or set the quantity of a product already in the draft."""
    now = now or timezone.now()
    with transaction.atomic():
        order = _lock_draft(order_id)
        product, problems = check_line(order, product_code, quantity, now)
        if problems:
            raise OrderRejected("ORDER_INVALID", errors=problems)
        assert product is not None
        line = order.lines.filter(product=product).first()
        if line is None:
            OrderLine.objects.create(order=order, product=product, quantity=quantity, unit_price=ZERO, line_total=ZERO)
        else:
            line.quantity = quantity
            line.save(update_fields=["quantity"])
        reprice_draft(order, now)
    return order


def remove_draft_line(order_id: int, line_id: int, *, actor: Any) -> Order:
    with transaction.atomic():
        order = _lock_draft(order_id)
        order.lines.filter(pk=line_id).delete()
        reprice_draft(order)
    return order


def set_draft_column(order_id: int, column_code: str, *, actor: Any, now: datetime | None = None) -> Order:
    """R-ORD-6: the allowed column or a worse one; a better one only for override roles, audited."""
    now = now or timezone.now()
    with transaction.atomic():
        order = _lock_draft(order_id)
        ctx = get_pricing_context(order.customer, get_business_today(now))
        choice = dom.check_column_choice(column_code, ctx.decision.column, may_override_column(actor), columns=ctx.columns)
        if not choice.accepted:
            raise _column_problem(choice, ctx)
        before = order.column.code
        order.column_id = ctx.column_pk(choice.column)
        order.allowed_column_id = ctx.column_pk(ctx.decision.column)
        order.column_overridden = choice.audit
        order.save(update_fields=["column", "allowed_column", "column_overridden"])
        order.column = PriceColumn.objects.get(pk=order.column_id)
        total_before = order.total
        reprice_draft(order, now)
        if choice.audit:
            record(action="order.column_override", actor=actor, target=order, data={
                "requested": choice.requested, "allowed": choice.allowed, "before": before,
                "total_before": str(total_before), "total_after": str(order.total),
            })
    return order


def record_offer(order_id: int, product_code: str, outcome: str, reason: str, *, actor: Any, now: datetime | None = None) -> Order:
    """R-ORD-5: the customer's answer to one offered product. "Accepted" puts one pack on the order."""
    now = now or timezone.now()
    if outcome not in UpsellOffer.Outcome.values:
        raise OrderRejected("ORDER_INVALID", errors=[Problem("outcome", "FIELD_INVALID", {})])
    with transaction.atomic():
        order = _lock_draft(order_id)
        product = Product.objects.filter(code=product_code).first()
        if product is None:
            raise OrderRejected("ORDER_INVALID", errors=[Problem("product", "PRODUCT_UNKNOWN", {"product_code": product_code})])
        model_reason = reason if reason in UpsellOffer.Reason.values else UpsellOffer.Reason.PROMOTED
        UpsellOffer.objects.update_or_create(order=order, product=product, defaults={"outcome": outcome, "reason": model_reason})
        if outcome == UpsellOffer.Outcome.ACCEPTED and not order.lines.filter(product=product).exists():
            quantity = max(product.pack_size, 1)
            if product.stock >= quantity:
                OrderLine.objects.create(order=order, product=product, quantity=quantity, unit_price=ZERO, line_total=ZERO)
                reprice_draft(order, now)
    return order


@dataclass(frozen=True)
class DeliveryDetails:
    delivery_date: date | None = None
    window_start: time | None = None
    window_end: time | None = None
    accepting_person: str = ""
    paying_person: str = ""
    payment_form: str = ""
    pickup_date: date | None = None
    shipping_carrier: str = ""
    shipping_address: str = ""
    comment: str = ""


def place_draft(order_id: int, details: DeliveryDetails, *, actor: Any, now: datetime | None = None) -> Order:
    """Close the operator's order: the draft's lines and column go through `place_order`."""
    draft = Order.objects.select_related("column").get(pk=order_id)
    lines = tuple(LineRequest(code, qty) for code, qty in draft.lines.order_by("pk").values_list("product__code", "quantity"))
    req = OrderRequest(
        customer_id=draft.customer_id, lines=lines, channel=Order.Channel.PHONE, column=draft.column.code,
        delivery_date=details.delivery_date, window_start=details.window_start, window_end=details.window_end,
        accepting_person=details.accepting_person, paying_person=details.paying_person, payment_form=details.payment_form,
        pickup_date=details.pickup_date, shipping_carrier=details.shipping_carrier, shipping_address=details.shipping_address,
        comment=details.comment,
    )
    return place_order(req, actor=actor, draft_id=draft.pk, now=now)


def cancel_draft(order_id: int, *, actor: Any) -> Order:
    with transaction.atomic():
        order = _lock_draft(order_id)
        order.status = Order.Status.CANCELLED
        order.save(update_fields=["status"])
        record(action="order.cancelled", actor=actor, target=order, data={"total": str(order.total)})
    return order


# --- escalations (R-ORD-8) -----------------------------------------------------------------


def choose_escalation_head(customer: Customer) -> Any:
    """The head of the customer's sales department; else the head of wholesale; else any sales head."""
    from django.contrib.auth import get_user_model

    if customer.department_id and customer.department and customer.department.head_id:
        return customer.department.head
    wholesale = Department.objects.filter(kind=Department.Kind.WHOLESALE, head__isnull=False).select_related("head").first()
    if wholesale is not None:
        return wholesale.head
    return get_user_model().objects.filter(role=Role.SALES_HEAD, is_active=True).order_by("pk").first()


def escalate(order_id: int, question: str, *, actor: Any) -> Escalation:
    question = question.strip()
    if not question:
        raise OrderRejected("ORDER_INVALID", errors=[Problem("question", "FIELD_REQUIRED", {})])
    order = Order.objects.select_related("customer", "customer__department", "customer__department__head").get(pk=order_id)
    head = choose_escalation_head(order.customer)
    escalation = Escalation.objects.create(
        order=order, customer=order.customer, department=order.customer.department, head=head,
        raised_by=actor, question=question,
    )
    if head is not None and head.email:
        subject = _("Escalation: %(customer)s, order %(number)s") % {"customer": order.customer, "number": order.number}
        transaction.on_commit(lambda: EmailMessage(subject, question, to=[head.email]).send(fail_silently=True))
    return escalation


def answer_escalation(escalation_id: int, answer: str, *, actor: Any) -> Escalation:
    answer = answer.strip()
    if not answer:
        raise OrderRejected("ORDER_INVALID", errors=[Problem("answer", "FIELD_REQUIRED", {})])
    with transaction.atomic():
        escalation = Escalation.objects.select_for_update(of=("self",)).get(pk=escalation_id)
        escalation.answer = answer
        escalation.answered_by = actor
        escalation.answered_at = timezone.now()
        escalation.status = Escalation.Status.ANSWERED
        escalation.save()
    return escalation


# --- reference information by e-mail (R-ORD-9) ------------------------------------------------

MAX_CERTIFICATES = 10
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
DEFAULT_DELIVERY_TERMS = (
    "Delivery within the city the next working day for orders placed before 16:00; "
    "no deliveries on Sundays. Regional customers pick goods up at the warehouse or choose a carrier."
)


@dataclass(frozen=True)
class ReferenceRequest:
    to: str
    assortment: bool = True
    prices: bool = True
    delivery_terms: bool = True
    certificates: bool = True
    product_codes: tuple[str, ...] = ()
    column: str | None = None


def _assortment_xlsx(column: PriceColumn | None, with_prices: bool) -> bytes:
    import io

    from openpyxl import Workbook

    from calldesk.apps.catalog.models import Price

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Assortment"))
    header = [_("Code"), _("Name"), _("Unit"), _("Units per pack"), _("In stock"), _("New")]
    if with_prices and column is not None:
        header.append(_("Price (%(column)s)") % {"column": column.name})
    sheet.append(header)
    prices = dict(Price.objects.filter(column=column).values_list("product_id", "price")) if with_prices and column else {}
    for p in Product.objects.filter(is_active=True).order_by("code"):
        row: list[object] = [p.code, p.name, p.unit, p.pack_size, max(p.stock, 0), _("yes") if p.is_new else ""]
        if with_prices and column is not None:
            price = prices.get(p.pk)
            row.append(price if price is not None else "")
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def send_reference_info(customer: Customer, request: ReferenceRequest, *, actor: Any) -> EmailMessage:
    if not request.to.strip():
        raise OrderRejected("ORDER_INVALID", errors=[Problem("to", "FIELD_REQUIRED", {})])
    column = PriceColumn.objects.filter(code=request.column).first() if request.column else None
    if column is None:
        today = get_business_today(timezone.now())
        ctx = get_pricing_context(customer, today)
        column = PriceColumn.objects.get(pk=ctx.column_pk(ctx.decision.column))
    parts: list[str] = []
    body = [_("Dear customer,"), "", _("as requested, here is our reference information."), ""]
    message = EmailMessage(
        subject=_("Reference information for %(customer)s") % {"customer": customer.legal_name},
        to=[request.to.strip()],
    )
    if request.assortment or request.prices:
        message.attach("assortment.xlsx", _assortment_xlsx(column, request.prices),
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        parts.append("assortment" + ("+prices" if request.prices else ""))
        body.append(_("The assortment%(prices)s is attached (assortment.xlsx).") % {
            "prices": _(" with your prices") if request.prices else ""})
    if request.delivery_terms:
        terms = str(getattr(settings, "CALLDESK_DELIVERY_TERMS", "") or _(DEFAULT_DELIVERY_TERMS))
        body += ["", _("Delivery terms:"), terms]
        parts.append("delivery_terms")
    if request.certificates and request.product_codes:
        size = 0
        attached = 0
        for certificate in Certificate.objects.filter(product__code__in=request.product_codes).select_related("product"):
            if attached >= MAX_CERTIFICATES:
                break
            try:
                with certificate.file.open("rb") as handle:
                    data = handle.read()
            except (OSError, ValueError):
                continue
            if size + len(data) > MAX_ATTACHMENT_BYTES:
                continue
            size += len(data)
            attached += 1
            name = certificate.file.name.rsplit("/", 1)[-1]
            message.attach(f"{certificate.product.code}-{name}", data)
        if attached:
            parts.append(f"certificates:{attached}")
            body += ["", _("Certificates for the products we discussed are attached.")]
    message.body = "\n".join(body)
    message.send()
    record(action="customer.reference_mail", actor=actor, target=customer, data={"to": request.to, "parts": parts})
    return message


# --- API idempotency ---------------------------------------------------------------------------


def hash_request(payload: Any) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: dict[str, Any]


def _replay(user: Any, key: str, request_hash: str) -> StoredResponse | None:
    stored = IdempotencyKey.objects.filter(user=user, key=key).first()
    if stored is None:
        return None
    if stored.request_hash != request_hash:
        return StoredResponse(422, {
            "detail": message_for("IDEMPOTENCY_KEY_REUSED"), "code": "IDEMPOTENCY_KEY_REUSED",
            "errors": [{"field": "Idempotency-Key", "code": "IDEMPOTENCY_KEY_REUSED",
                        "message": message_for("IDEMPOTENCY_KEY_REUSED"), "params": {}}],
        })
    return StoredResponse(stored.status_code, stored.response)


def run_idempotent(*, user: Any, key: str | None, request_hash: str, action: Callable[[], StoredResponse]) -> StoredResponse:
    """Run `action` once per (user, key): a retry with the same body gets the first answer, a
    reuse with another body is refused. The key row commits with the order, so a concurrent
    duplicate loses on the unique constraint and rolls its order back."""
    if not key:
        return action()
    key = key.strip()[:100]
    previous = _replay(user, key, request_hash)
    if previous is not None:
        return previous
    try:
        with serialized_writes(), transaction.atomic():
            result = action()
            if result.status < 500:
                IdempotencyKey.objects.create(key=key, user=user, request_hash=request_hash,
                                              status_code=result.status, response=result.body)
    except IntegrityError:
        previous = _replay(user, key, request_hash)
        if previous is None:
            raise
        return previous
    return result


def today_for(now: datetime | None = None) -> date:
    return get_business_today(now or timezone.now())


__all__ = [
    "DeliveryDetails", "LineRequest", "OfferRequest", "OrderRejected", "OrderRequest", "Problem",
    "ReferenceRequest", "StoredResponse", "add_draft_line", "answer_escalation", "cancel_draft",
    "check_line", "credit_rejection", "escalate", "hash_request", "place_draft", "place_order",
    "record_offer", "remove_draft_line", "reprice_draft", "run_idempotent", "send_reference_info",
    "set_draft_column", "start_order", "today_for",
]
