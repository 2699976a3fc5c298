"""Screens of the order desk. Views parse input, call one service, render; rules live in services."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from calldesk.apps.accounts.permissions import role_required
from calldesk.apps.accounts.roles import Role
from calldesk.apps.catalog.models import Product
from calldesk.apps.customers.models import Customer
from calldesk.apps.customers.selectors import find_customer_by_phone, get_visible_customers
from calldesk.domain import ordering as dom

from . import services
from .forms import DeliveryForm, EscalationForm, LineForm, WebOrderForm
from .mail import customer_contacts, parse_order_text
from .models import Order, UpsellOffer
from .selectors import (
    ORDER_TAKERS,
    get_business_today,
    get_columns,
    get_credit_status,
    get_delivery_calendar,
    get_earliest_delivery_date,
    get_prices_in_column,
    get_pricing_context,
    get_required_offers,
    get_upsell_offers,
    get_visible_orders,
    search_products,
)
from .weblinks import get_customer_for_token

ORDER_READERS = (
    Role.OPERATOR, Role.ACCOUNT_MANAGER, Role.SALES_HEAD, Role.WHOLESALE_HEAD, Role.FINANCE, Role.CC_HEAD,
)
LIST_STATUSES = (Order.Status.PLACED, Order.Status.SHIPPED, Order.Status.CANCELLED)


# --- lists -----------------------------------------------------------------------------------


@role_required(*ORDER_READERS)
def order_list(request: HttpRequest) -> HttpResponse:
    orders = get_visible_orders(request.user).filter(status__in=LIST_STATUSES)
    page = Paginator(orders, 50).get_page(request.GET.get("page"))
    return render(request, "orders/list.html", {"page": page, "title_mine": False})


@role_required(Role.ACCOUNT_MANAGER)
def manager_orders(request: HttpRequest) -> HttpResponse:
    """Every order of the manager's customers, live (R-ORD-1): WebSocket push, polling fallback."""
    orders = get_visible_orders(request.user).filter(status__in=(Order.Status.PLACED, Order.Status.SHIPPED))
    page = Paginator(orders, 50).get_page(request.GET.get("page"))
    if request.htmx and request.GET.get("rows"):
        return render(request, "orders/_manager_rows.html", {"page": page})
    return render(request, "orders/list.html", {"page": page, "title_mine": True, "live": True})


@role_required(*ORDER_READERS)
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    order = get_object_or_404(get_visible_orders(request.user), pk=order_id)
    if order.status == Order.Status.DRAFT and request.user.role in ORDER_TAKERS:
        return redirect("orders:entry", order_id=order.pk)
    lines = order.lines.select_related("product", "promotion", "bonus_promotion")
    return render(request, "orders/detail.html", {
        "order": order, "lines": lines, "offers": order.offers.select_related("product"),
        "escalations": order.escalations.select_related("raised_by", "answered_by", "head"),
    })


# --- starting an order -------------------------------------------------------------------------


def _parse_call(raw: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw) if raw else None
    except ValueError:
        return None


@role_required(*ORDER_TAKERS)
def order_new(request: HttpRequest) -> HttpResponse:
    """Find the caller (number, code or name), run the credit check, open the order screen."""
    visible = get_visible_customers(request.user)
    customer: Customer | None = None
    rejection = None
    # `customer` is the id the card's button sends; `code` is what the operator types.
    customer_id = (request.POST.get("customer") or request.GET.get("customer") or "").strip()
    query = (request.GET.get("code") or "").strip()
    number = (request.GET.get("number") or "").strip()
    if customer_id.isdigit():
        customer = visible.filter(pk=int(customer_id)).first()
    elif query:
        customer = visible.filter(code__iexact=query).first()
    elif number:
        found = find_customer_by_phone(number)
        customer = visible.filter(pk=found.pk).first() if found else None
    if request.method == "POST":
        if customer is None:
            raise Http404
        try:
            order = services.start_order(customer, actor=request.user, call_id=_parse_call(request.POST.get("call")))
        except services.OrderRejected as exc:
            rejection = exc
        else:
            return redirect("orders:entry", order_id=order.pk)
    credit = get_credit_status(customer, timezone.now()) if customer else None
    drafts = Order.objects.filter(status=Order.Status.DRAFT, taken_by=request.user).select_related("customer")[:10]
    return render(request, "orders/new.html", {
        "customer": customer, "credit": credit, "rejection": rejection, "number": number, "query": query,
        "searched": bool(customer_id or query or number), "drafts": drafts, "call": request.GET.get("call", ""),
    })


# --- the order screen -------------------------------------------------------------------------


def _draft(request: HttpRequest, order_id: int) -> Order:
    return get_object_or_404(get_visible_orders(request.user).select_related("customer__manager", "customer__department"), pk=order_id)


def _allowed_columns(request: HttpRequest, order: Order, ctx: Any) -> list[Any]:
    columns = get_columns()
    if services.may_override_column(request.user):
        return columns
    allowed_rank = ctx.columns.rank(ctx.decision.column)
    return [c for c in columns if ctx.columns.rank(c.code) <= allowed_rank]


def _lines_context(request: HttpRequest, order: Order, **extra: Any) -> dict[str, Any]:
    today = get_business_today(timezone.now())
    ctx = get_pricing_context(order.customer, today)
    lines = list(order.lines.select_related("product", "promotion", "bonus_promotion").order_by("pk"))
    return {
        "order": order, "lines": lines, "columns": _allowed_columns(request, order, ctx),
        "allowed_column": ctx.column_names[ctx.decision.column], "column_reason": ctx.reason,
        "can_override": services.may_override_column(request.user), **extra,
    }


def _offers_context(order: Order) -> dict[str, Any]:
    today = get_business_today(timezone.now())
    recorded = list(order.offers.select_related("product").order_by("at", "pk"))
    in_order = set(order.lines.values_list("product__code", flat=True)) | {o.product.code for o in recorded}
    proposals = get_upsell_offers(order.customer, in_order=in_order, today=today, k=5)
    products = {p.code: p for p in Product.objects.filter(code__in=[p.product_code for p in proposals])}
    prices = get_prices_in_column(list(products.values()), order.column.code, get_pricing_context(order.customer, today).columns)
    reason_labels = dict(UpsellOffer.Reason.choices)
    rows = []
    for proposal in proposals:
        product = products.get(proposal.product_code)
        if product is None:
            continue
        reason = proposal.reason.value.lower()
        rows.append({
            "product": product, "reason": reason, "reason_label": reason_labels.get(reason, reason),
            "also": [reason_labels.get(r.value.lower(), r.value) for r in proposal.reasons[1:]],
            "price": prices.get(product.pk),
        })
    check = dom.check_order_can_close(
        [dom.OfferRecord(o.product.code, dom.OfferOutcome(o.outcome)) for o in recorded],
        get_required_offers(), candidates_available=order.offer_candidates,
    )
    return {"order": order, "proposals": rows, "recorded": recorded, "check": check, "outcomes": UpsellOffer.Outcome.choices}


def _entry_context(request: HttpRequest, order: Order, *, form: DeliveryForm | None = None, rejection: Any = None) -> dict[str, Any]:
    customer = order.customer
    now = timezone.now()
    accept, pay = customer_contacts(customer)
    if form is None:
        person = accept[0] if len(accept) == 1 else ""
        form = DeliveryForm(regional=customer.type.is_regional, initial={
            "delivery_date": get_earliest_delivery_date(now), "accepting_person": person,
            "paying_person": pay[0] if len(pay) == 1 else "",
        })
    return {
        **_lines_context(request, order), **_offers_context(order),
        "customer": customer, "credit": get_credit_status(customer, now), "form": form, "rejection": rejection,
        "accept_names": accept, "pay_names": pay, "line_form": LineForm(),
        **_escalation_context(order, EscalationForm()), "hide_card_actions": True,
    }


def _escalation_context(order: Order, form: EscalationForm) -> dict[str, Any]:
    escalations = list(order.escalations.select_related("raised_by", "answered_by", "head").order_by("created_at"))
    return {
        "order": order, "escalations": escalations, "escalation_form": form,
        "has_open": any(e.status == e.Status.OPEN for e in escalations),
    }


@role_required(*ORDER_TAKERS)
def order_entry(request: HttpRequest, order_id: int) -> HttpResponse:
    order = _draft(request, order_id)
    if order.status != Order.Status.DRAFT:
        return redirect("orders:detail", order_id=order.pk)
    return render(request, "orders/entry.html", _entry_context(request, order))


def _not_draft(order: Order) -> HttpResponse | None:
    if order.status == Order.Status.DRAFT:
        return None
    response = HttpResponse(status=200)
    response["HX-Redirect"] = reverse("orders:detail", args=[order.pk])
    return response


@role_required(*ORDER_TAKERS)
def order_lines(request: HttpRequest, order_id: int) -> HttpResponse:
    """GET: the lines and the live total. POST: add a line (Enter) or remove one."""
    order = _draft(request, order_id)
    if (gone := _not_draft(order)) is not None:
        return gone
    problems: list[services.Problem] = []
    entered: dict[str, str] = {}
    response_headers = {}
    if request.method == "POST":
        try:
            if request.POST.get("remove"):
                services.remove_draft_line(order.pk, int(request.POST["remove"]), actor=request.user)
            else:
                entered = {"product": request.POST.get("product", "").strip(), "quantity": request.POST.get("quantity", "").strip()}
                form = LineForm(request.POST)
                if not form.is_valid():
                    problems = [services.Problem(name, "FIELD_REQUIRED" if not entered.get(name) else "FIELD_INVALID") for name in form.errors]
                else:
                    services.add_draft_line(order.pk, form.cleaned_data["product"], form.cleaned_data["quantity"], actor=request.user)
                    entered = {}
        except services.OrderRejected as exc:
            problems = exc.errors or [services.Problem("product", exc.code, exc.params)]
        except ValueError:
            problems = [services.Problem("product", "FIELD_INVALID")]
        else:
            if not problems:
                response_headers["HX-Trigger"] = "order-lines-changed"
        order.refresh_from_db()
    response = render(request, "orders/_lines.html", _lines_context(request, order, problems=problems, entered=entered))
    for key, value in response_headers.items():
        response[key] = value
    return response


@role_required(*ORDER_TAKERS)
def product_search(request: HttpRequest, order_id: int) -> HttpResponse:
    order = _draft(request, order_id)
    products = search_products(request.GET.get("product") or request.GET.get("q") or "")
    today = get_business_today(timezone.now())
    columns = get_pricing_context(order.customer, today).columns
    prices = get_prices_in_column(products, order.column.code, columns)
    rows = [{"product": p, "price": prices.get(p.pk)} for p in products]
    return render(request, "orders/_suggestions.html", {"rows": rows, "order": order})


@role_required(*ORDER_TAKERS)
def order_column(request: HttpRequest, order_id: int) -> HttpResponse:
    """R-ORD-6: a better column than the rules allow is refused (403) unless the role may override."""
    order = _draft(request, order_id)
    if (gone := _not_draft(order)) is not None:
        return gone
    if request.method == "POST":
        try:
            services.set_draft_column(order.pk, request.POST.get("column", ""), actor=request.user)
        except services.OrderRejected as exc:
            if exc.status == 403:
                raise PermissionDenied(exc.detail) from exc
            return render(request, "orders/_lines.html", _lines_context(request, order, problems=exc.errors))
        order.refresh_from_db()
        response = render(request, "orders/_lines.html", _lines_context(request, order))
        response["HX-Trigger"] = "order-lines-changed"
        return response
    return render(request, "orders/_lines.html", _lines_context(request, order))


@role_required(*ORDER_TAKERS)
def order_offers(request: HttpRequest, order_id: int) -> HttpResponse:
    """R-ORD-5: the proposals with their reason, and the customer's answer to each."""
    order = _draft(request, order_id)
    if (gone := _not_draft(order)) is not None:
        return gone
    error = None
    response_headers = {}
    if request.method == "POST":
        try:
            services.record_offer(
                order.pk, request.POST.get("product", ""), request.POST.get("outcome", ""),
                request.POST.get("reason", ""), actor=request.user,
            )
        except services.OrderRejected as exc:
            error = "; ".join(p.message for p in exc.errors) or exc.detail
        else:
            response_headers["HX-Trigger"] = "order-offers-changed"
        order.refresh_from_db()
    response = render(request, "orders/_offers.html", {**_offers_context(order), "error": error})
    for key, value in response_headers.items():
        response[key] = value
    return response


def _details(form: DeliveryForm) -> services.DeliveryDetails:
    data = form.cleaned_data
    return services.DeliveryDetails(
        delivery_date=data.get("delivery_date"), window_start=data.get("window_start"), window_end=data.get("window_end"),
        accepting_person=data.get("accepting_person", ""), paying_person=data.get("paying_person", ""),
        payment_form=data.get("payment_form", ""), pickup_date=data.get("pickup_date"),
        shipping_carrier=data.get("shipping_carrier", ""), shipping_address=data.get("shipping_address", ""),
        comment=data.get("comment", ""),
    )


@role_required(*ORDER_TAKERS)
def order_place(request: HttpRequest, order_id: int) -> HttpResponse:
    """Close the order: everything is checked again, under lock, in `place_order`."""
    order = _draft(request, order_id)
    if request.method != "POST" or order.status != Order.Status.DRAFT:
        return redirect("orders:entry", order_id=order.pk)
    form = DeliveryForm(request.POST, regional=order.customer.type.is_regional)
    rejection = None
    if form.is_valid():
        try:
            placed = services.place_draft(order.pk, _details(form), actor=request.user)
        except services.OrderRejected as exc:
            rejection = exc
            form.add_problems(exc.errors)
        else:
            messages.success(request, _("Order %(number)s is placed for %(total)s.") % {"number": placed.number, "total": placed.total})
            return redirect("orders:detail", order_id=placed.pk)
    order.refresh_from_db()
    return render(request, "orders/entry.html", _entry_context(request, order, form=form, rejection=rejection))


@role_required(*ORDER_TAKERS)
def order_cancel(request: HttpRequest, order_id: int) -> HttpResponse:
    order = _draft(request, order_id)
    if request.method == "POST" and order.status == Order.Status.DRAFT:
        services.cancel_draft(order.pk, actor=request.user)
        messages.info(request, _("Order %(number)s is cancelled.") % {"number": order.number})
        return redirect("orders:new")
    return redirect("orders:entry", order_id=order.pk)


@role_required(*ORDER_TAKERS)
def order_escalate(request: HttpRequest, order_id: int) -> HttpResponse:
    """R-ORD-8: one action puts the situation to the department head; the answer shows here."""
    order = _draft(request, order_id)
    form = EscalationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.escalate(order.pk, form.cleaned_data["question"], actor=request.user)
        form = EscalationForm()
    return render(request, "orders/_escalations.html", _escalation_context(order, form))


# --- the customer's own order form (R-ORD-13) -----------------------------------------------------


def web_order(request: HttpRequest, token: str) -> HttpResponse:
    customer = get_customer_for_token(token)
    if customer is None:
        return render(request, "orders/web_invalid.html", status=404)
    contacts = customer_contacts(customer)
    form = WebOrderForm(request.POST or None, regional=customer.type.is_regional, contacts=contacts,
                        initial={"delivery_date": get_earliest_delivery_date(timezone.now())})
    rejection = None
    placed = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        calendar = get_delivery_calendar()
        req = services.OrderRequest(
            customer_id=customer.pk, lines=tuple(parse_order_text(data["lines"]).lines), channel=Order.Channel.WEB,
            delivery_date=data.get("delivery_date"), window_start=data.get("window_start") or calendar.earliest_start,
            window_end=data.get("window_end") or calendar.latest_end,
            accepting_person=data.get("accepting_person", ""), paying_person=data.get("paying_person", ""),
            payment_form=data.get("payment_form", ""), pickup_date=data.get("pickup_date"),
            shipping_carrier=data.get("shipping_carrier", ""), shipping_address=data.get("shipping_address", ""),
            comment=data.get("comment", ""), external_ref="web",
        )
        if not req.lines:
            form.add_error("lines", _("No order lines were found: write one line per product, like \"P00012 x 24\"."))
        else:
            try:
                placed = services.place_order(req, actor=None)
            except services.OrderRejected as exc:
                rejection = exc
                form.add_problems([p for p in exc.errors if not p.field.startswith("lines")])
                line_problems = [p.message for p in exc.errors if p.field.startswith("lines")]
                for message in line_problems:
                    form.add_error("lines", message)
    return render(request, "orders/web.html", {"customer": customer, "form": form, "rejection": rejection, "placed": placed})

