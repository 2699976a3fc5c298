"""Catalog API: products, price columns, and prices (optionally in a customer's allowed column)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError

from calldesk.apps.accounts.roles import STAFF_ROLES
from calldesk.apps.customers.selectors import get_visible_customers
from calldesk.apps.orders.messages import message_for
from calldesk.apps.orders.selectors import get_business_today, get_pricing_context

from .models import Product
from .selectors import get_active_products, get_columns, get_prices, search_products

router = Router()


def _staff(request: HttpRequest) -> None:
    if getattr(request.user, "role", None) not in STAFF_ROLES:
        raise HttpError(403, message_for("ROLE_FORBIDDEN"))


class ProductOut(Schema):
    code: str
    name: str
    category: str | None
    unit: str
    pack_size: int
    allow_pieces: bool
    stock: int
    is_new: bool
    certificates: list[str]


class ColumnOut(Schema):
    code: str
    name: str
    rank: int


class PriceOut(Schema):
    product_code: str
    column: str
    price: str


class CustomerPricesOut(Schema):
    customer_id: int
    allowed_column: str
    reason: str
    prices: list[PriceOut]


def serialize_product(p: Product) -> dict[str, Any]:
    return {
        "code": p.code, "name": p.name, "category": p.category.code if p.category_id else None, "unit": p.unit,
        "pack_size": p.pack_size, "allow_pieces": p.allow_pieces, "stock": p.stock, "is_new": p.is_new,
        "certificates": [c.title for c in p.certificates.all()],
    }


@router.get("/products", response=list[ProductOut], summary="Products; `q` searches code and name")
def list_products(request: HttpRequest, q: str = "", limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    _staff(request)
    limit = max(1, min(limit, 500))
    if q:
        products = search_products(q, limit=limit)
    else:
        products = list(get_active_products().prefetch_related("certificates").order_by("code")[max(offset, 0): max(offset, 0) + limit])
    return [serialize_product(p) for p in products]


@router.get("/products/{code}", response=ProductOut, summary="One product by code")
def get_product(request: HttpRequest, code: str) -> dict[str, Any]:
    _staff(request)
    return serialize_product(get_object_or_404(Product.objects.select_related("category"), code=code))


@router.get("/columns", response=list[ColumnOut], summary="Price-list columns, worst to best")
def list_columns(request: HttpRequest) -> list[dict[str, Any]]:
    _staff(request)
    return [{"code": c.code, "name": c.name, "rank": c.rank} for c in get_columns()]


@router.get("/prices", response=list[PriceOut], summary="Prices; filter by column and product codes (comma-separated)")
def list_prices(request: HttpRequest, column: str = "", products: str = "", limit: int = 500, offset: int = 0) -> list[dict[str, Any]]:
    _staff(request)
    codes = [c.strip() for c in products.split(",") if c.strip()]
    limit = max(1, min(limit, 5000))
    rows = get_prices(column=column or None, product_codes=codes or None)[max(offset, 0): max(offset, 0) + limit]
    return [{"product_code": p.product.code, "column": p.column.code, "price": str(p.price)} for p in rows]


@router.get("/prices/customer/{int:customer_id}", response=CustomerPricesOut,
            summary="Prices in the best column the rules allow this customer (R-ORD-6)")
def customer_prices(request: HttpRequest, customer_id: int, products: str = "") -> dict[str, Any]:
    _staff(request)
    customer = get_object_or_404(get_visible_customers(request.user), pk=customer_id)
    ctx = get_pricing_context(customer, get_business_today(timezone.now()))
    codes = [c.strip() for c in products.split(",") if c.strip()]
    rows = get_prices(column=ctx.decision.column, product_codes=codes or None)[:5000]
    return {
        "customer_id": customer.pk, "allowed_column": ctx.decision.column, "reason": ctx.reason,
        "prices": [{"product_code": p.product.code, "column": p.column.code, "price": str(p.price)} for p in rows],
    }
