"""Customers API: lookup by phone, search, and the credit status an order would meet (R-ORD-2, R-ORD-4)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError

from calldesk.apps.accounts.roles import STAFF_ROLES
from calldesk.apps.core.phones import InvalidPhone, normalize_phone
from calldesk.apps.orders.messages import message_for
from calldesk.apps.orders.selectors import get_credit_status

from .models import Customer
from .selectors import get_visible_customers

router = Router()


def _staff(request: HttpRequest) -> None:
    if getattr(request.user, "role", None) not in STAFF_ROLES:
        raise HttpError(403, message_for("ROLE_FORBIDDEN"))


class CustomerOut(Schema):
    id: int
    code: str
    legal_name: str
    tax_id: str
    type: str
    region: str
    time_zone: str
    manager: str | None
    department: str | None
    credit_limit: str
    payment_terms_days: int
    on_credit: bool
    phones: list[str]


class CreditReasonOut(Schema):
    code: str
    message: str
    params: dict[str, Any]


class CreditOut(Schema):
    status: str
    exposure: str
    limit: str
    headroom: str
    reasons: list[CreditReasonOut]
    transfer_to: str | None
    transfer_name: str | None


class CustomerDetailOut(CustomerOut):
    credit: CreditOut


def serialize_customer(c: Customer) -> dict[str, Any]:
    return {
        "id": c.pk, "code": c.code, "legal_name": c.legal_name, "tax_id": c.tax_id, "type": c.type.code,
        "region": c.region, "time_zone": c.time_zone, "manager": c.manager.username if c.manager_id else None,
        "department": c.department.code if c.department_id else None, "credit_limit": str(c.credit_limit),
        "payment_terms_days": c.payment_terms_days, "on_credit": c.on_credit,
        "phones": [p.number for p in c.phones.all()],
    }


def serialize_credit(customer: Customer) -> dict[str, Any]:
    status = get_credit_status(customer, timezone.now())
    d = status.decision
    return {
        "status": str(d.status), "exposure": str(d.exposure), "limit": str(d.limit), "headroom": str(d.headroom),
        "reasons": [{"code": str(r.code), "message": message_for(str(r.code), dict(r.params)), "params": dict(r.params)} for r in d.reasons],
        "transfer_to": str(d.transfer_to) if d.transfer_to else None,
        "transfer_name": status.transfer_name if d.transfer_to else None,
    }


@router.get("/", response=list[CustomerOut], summary="Search customers (name, code, tax id, phone)")
def list_customers(request: HttpRequest, q: str = "", phone: str = "", limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    _staff(request)
    customers = get_visible_customers(request.user).prefetch_related("phones")
    if phone:
        try:
            customers = customers.filter(phones__number=normalize_phone(phone))
        except InvalidPhone:
            raise HttpError(422, message_for("FIELD_INVALID")) from None
    if q:
        customers = customers.filter(Q(legal_name__icontains=q) | Q(code__iexact=q) | Q(tax_id=q)).distinct()
    limit = max(1, min(limit, 200))
    return [serialize_customer(c) for c in customers[max(offset, 0): max(offset, 0) + limit]]


@router.get("/{int:customer_id}", response=CustomerDetailOut, summary="A customer with the credit status an order would meet now")
def get_customer(request: HttpRequest, customer_id: int) -> dict[str, Any]:
    _staff(request)
    customer = get_object_or_404(get_visible_customers(request.user).prefetch_related("phones"), pk=customer_id)
    return {**serialize_customer(customer), "credit": serialize_credit(customer)}
