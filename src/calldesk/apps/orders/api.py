"""Orders API. Submission goes through `place_order` like every other channel (R-ORD-13).

Every refusal answers 4xx with ``{"detail": ..., "code": ..., "errors": [{field, code, message,
params}]}``. ``POST /api/orders/`` honours an ``Idempotency-Key`` header: a retry with the same
body gets the first answer (same status and body); the same key with another body gets 422.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, time
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import Field, ValidationError

from calldesk.apps.accounts.roles import Role
from calldesk.apps.customers.selectors import get_visible_customers

from . import services
from .mail import receive_email_order
from .messages import message_for
from .models import InboundEmail, Order
from .selectors import ORDER_TAKERS, get_visible_orders

router = Router()

SUBMITTERS = frozenset({*ORDER_TAKERS, Role.ADMIN})
READERS = frozenset({*SUBMITTERS, Role.FINANCE, Role.CC_HEAD})


def require_role(request: HttpRequest, roles: frozenset[str]) -> None:
    if getattr(request.user, "role", None) not in roles:
        raise HttpError(403, message_for("ROLE_FORBIDDEN"))


# --- schemas -----------------------------------------------------------------------------------


class LineIn(Schema):
    product_code: str = Field(min_length=1, max_length=60)
    quantity: int


class WindowIn(Schema):
    start: time | None = None
    end: time | None = None


class ShippingIn(Schema):
    carrier: str = ""
    address: str = ""


class OfferIn(Schema):
    product_code: str
    outcome: str
    reason: str = ""


class OrderIn(Schema):
    customer_id: int | None = None
    customer_code: str | None = None
    lines: list[LineIn]
    column: str | None = None
    delivery_date: date | None = None
    delivery_window: WindowIn | None = None
    accepting_person: str = ""
    paying_person: str = ""
    payment_form: str = ""
    pickup_date: date | None = None
    shipping: ShippingIn | None = None
    comment: str = Field(default="", max_length=4000)
    external_ref: str = Field(default="", max_length=200)
    channel: str = Order.Channel.API
    call_id: uuid.UUID | None = None
    offers: list[OfferIn] = []


class LineOut(Schema):
    product_code: str
    name: str
    quantity: int
    free_units: int
    list_price: str | None
    unit_price: str
    line_total: str
    promotion: str | None


class OrderOut(Schema):
    id: int
    number: str
    status: str
    channel: str
    customer_id: int
    customer_code: str
    column: str
    allowed_column: str | None
    column_overridden: bool
    total: str
    bonus_points: int
    delivery_date: date | None
    window_start: time | None
    window_end: time | None
    accepting_person: str
    paying_person: str
    payment_form: str
    pickup_date: date | None
    shipping_carrier: str
    shipping_address: str
    placed_at: str | None
    lines: list[LineOut]


class ProblemOut(Schema):
    field: str
    code: str
    message: str
    params: dict[str, Any] = {}


class ErrorOut(Schema):
    detail: str
    code: str = ""
    errors: list[ProblemOut] = []


def _inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """pydantic puts nested models under $defs; the OpenAPI document wants them inline here."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return walk(defs[ref.rsplit("/", 1)[-1]])
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)  # type: ignore[no-any-return]


ORDER_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": _inline_refs(OrderIn.model_json_schema())}},
    },
    "parameters": [{
        "in": "header", "name": "Idempotency-Key", "required": False, "schema": {"type": "string", "maxLength": 100},
        "description": "A retry with the same key and body returns the first answer.",
    }],
}


# --- helpers -----------------------------------------------------------------------------------


def serialize_order(order: Order) -> dict[str, Any]:
    placed = getattr(order, "placed_lines", None)  # just placed: the lines are in memory
    lines = placed if placed is not None else order.lines.select_related("product", "promotion").order_by("pk")
    return {
        "id": order.pk, "number": order.number, "status": order.status, "channel": order.channel,
        "customer_id": order.customer_id, "customer_code": order.customer.code,
        "column": order.column.code, "allowed_column": order.allowed_column.code if order.allowed_column_id else None,
        "column_overridden": order.column_overridden, "total": str(order.total), "bonus_points": order.bonus_points,
        "delivery_date": order.delivery_date.isoformat() if order.delivery_date else None,
        "window_start": order.window_start.strftime("%H:%M") if order.window_start else None,
        "window_end": order.window_end.strftime("%H:%M") if order.window_end else None,
        "accepting_person": order.accepting_person, "paying_person": order.paying_person,
        "payment_form": order.payment_form, "pickup_date": order.pickup_date.isoformat() if order.pickup_date else None,
        "shipping_carrier": order.shipping_carrier, "shipping_address": order.shipping_details,
        "placed_at": order.placed_at.isoformat() if order.placed_at else None,
        "lines": [{
            "product_code": line.product.code, "name": line.product.name, "quantity": line.quantity,
            "free_units": line.free_units, "list_price": str(line.list_price) if line.list_price is not None else None,
            "unit_price": str(line.unit_price), "line_total": str(line.line_total),
            "promotion": line.promotion.name if line.promotion_id else None,
        } for line in lines],
    }


def _error(status: int, code: str, errors: list[dict[str, Any]], params: dict[str, Any] | None = None) -> services.StoredResponse:
    return services.StoredResponse(status, {"detail": message_for(code, params), "code": code, "errors": errors})


def _pydantic_errors(exc: ValidationError) -> list[dict[str, Any]]:
    result = []
    for error in exc.errors():
        path = ""
        for part in error.get("loc", ()):
            path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
        code = "FIELD_REQUIRED" if error.get("type") == "missing" else "FIELD_INVALID"
        result.append({"field": path or "body", "code": code, "message": f"{message_for(code)} ({error.get('msg', '')})", "params": {}})
    return result


def _parse(request: HttpRequest) -> tuple[OrderIn | None, services.StoredResponse | None, Any]:
    try:
        payload = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        return None, _error(400, "INVALID_JSON", [{"field": "body", "code": "INVALID_JSON", "message": message_for("INVALID_JSON", {"error": str(exc)}), "params": {}}], {"error": str(exc)}), None
    try:
        return OrderIn.model_validate(payload), None, payload
    except ValidationError as exc:
        return None, _error(422, "ORDER_INVALID", _pydantic_errors(exc)), payload


def _submit(request: HttpRequest, data: OrderIn) -> services.StoredResponse:
    visible = get_visible_customers(request.user)
    # Only the id is needed here (place_order loads the customer itself): a values query
    # spares building the customer, its type, manager and department on every submission.
    customer_id = None
    if data.customer_id is not None:
        customer_id = visible.filter(pk=data.customer_id).values_list("pk", flat=True).first()
    elif data.customer_code:
        customer_id = visible.filter(code__iexact=data.customer_code.strip()).values_list("pk", flat=True).first()
    if customer_id is None:
        ref = data.customer_id or data.customer_code or ""
        field = "customer_id" if data.customer_id is not None or not data.customer_code else "customer_code"
        return _error(404 if ref else 422, "CUSTOMER_UNKNOWN",
                      [{"field": field, "code": "CUSTOMER_UNKNOWN", "message": message_for("CUSTOMER_UNKNOWN", {"customer": ref}), "params": {"customer": ref}}],
                      {"customer": ref})
    if data.channel not in (Order.Channel.API, Order.Channel.PHONE):
        return _error(422, "ORDER_INVALID", [{"field": "channel", "code": "FIELD_INVALID", "message": message_for("FIELD_INVALID"), "params": {}}])
    window = data.delivery_window or WindowIn()
    shipping = data.shipping or ShippingIn()
    req = services.OrderRequest(
        customer_id=customer_id, lines=tuple(services.LineRequest(line.product_code.strip(), line.quantity) for line in data.lines),
        channel=data.channel, column=data.column, delivery_date=data.delivery_date,
        window_start=window.start, window_end=window.end, accepting_person=data.accepting_person,
        paying_person=data.paying_person, payment_form=data.payment_form, pickup_date=data.pickup_date,
        shipping_carrier=shipping.carrier, shipping_address=shipping.address, comment=data.comment,
        external_ref=data.external_ref, call_id=data.call_id,
        offers=tuple(services.OfferRequest(o.product_code, o.outcome, o.reason) for o in data.offers),
    )
    try:
        order = services.place_order(req, actor=request.user)
    except services.OrderRejected as exc:
        return services.StoredResponse(exc.status, exc.as_dict())
    return services.StoredResponse(201, serialize_order(order))


# --- endpoints ---------------------------------------------------------------------------------


@router.post("/", response={201: OrderOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
             openapi_extra=ORDER_BODY, summary="Submit an order")
def submit_order(request: HttpRequest) -> JsonResponse:
    require_role(request, SUBMITTERS)
    data, error, payload = _parse(request)
    key = request.headers.get("Idempotency-Key")
    request_hash = services.hash_request(payload if payload is not None else request.body.decode("utf-8", "replace"))
    if error is not None:
        result = services.run_idempotent(user=request.user, key=key, request_hash=request_hash, action=lambda: error)
    else:
        assert data is not None
        result = services.run_idempotent(user=request.user, key=key, request_hash=request_hash, action=lambda: _submit(request, data))
    return JsonResponse(result.body, status=result.status)


@router.get("/", response=list[OrderOut], summary="Orders visible to the user, newest first")
def list_orders(request: HttpRequest, customer_id: int | None = None, status: str = "", limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    require_role(request, READERS)
    orders = get_visible_orders(request.user).select_related("allowed_column").exclude(status=Order.Status.DRAFT)
    if customer_id is not None:
        orders = orders.filter(customer_id=customer_id)
    if status:
        orders = orders.filter(status=status)
    limit = max(1, min(limit, 200))
    return [serialize_order(o) for o in orders[max(offset, 0): max(offset, 0) + limit]]


@router.get("/{int:order_id}", response=OrderOut, summary="One order")
def get_order(request: HttpRequest, order_id: int) -> dict[str, Any]:
    require_role(request, READERS)
    order = get_object_or_404(get_visible_orders(request.user).select_related("allowed_column"), pk=order_id)
    return serialize_order(order)


class EmailResultOut(Schema):
    status: str
    detail: str
    order: OrderOut | None = None
    errors: list[ProblemOut] = []


@router.post("/email", response={201: EmailResultOut, 200: EmailResultOut, 422: EmailResultOut}, summary="Submit an order e-mail (.eml)",
             openapi_extra={"requestBody": {"content": {"message/rfc822": {"schema": {"type": "string", "format": "binary"}},
                                                        "multipart/form-data": {"schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}}}}})
def submit_email(request: HttpRequest) -> JsonResponse:
    """The raw message as the body (Content-Type message/rfc822), or a multipart `file` field."""
    require_role(request, SUBMITTERS)
    upload = request.FILES.get("file")
    raw = upload.read() if upload is not None else request.body
    if not raw:
        return JsonResponse({"status": "rejected", "detail": message_for("EMAIL_UNREADABLE", {"error": "empty body"}),
                             "errors": [{"field": "body", "code": "FIELD_REQUIRED", "message": message_for("FIELD_REQUIRED"), "params": {}}]}, status=400)
    record = receive_email_order(raw, source="api")
    if record.status == InboundEmail.Status.ACCEPTED and record.order_id:
        order = Order.objects.select_related("customer", "column", "allowed_column").get(pk=record.order_id)
        return JsonResponse({"status": record.status, "detail": "", "order": serialize_order(order), "errors": []}, status=201)
    return JsonResponse({"status": record.status, "detail": record.reason, "order": None, "errors": record.errors}, status=422)
