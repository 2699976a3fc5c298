"""The reference data every order reads - price columns, tier rules, promotions - kept per process.

Pricing an order used to spend a good part of its time re-reading these small tables. The
snapshot is rebuilt when any of their rows is saved or deleted: signals bump a version stored
in Django's cache, so every process (and, with Redis, every server) sees the change on its next
order. Queryset `.update()` sends no signal; nothing here changes these tables that way.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.cache import cache

from .models import Category, PriceColumn, Product, Promotion, SpecialProgram, TierRule

VERSION_KEY = "calldesk:catalog:reference-version"


@dataclass(frozen=True)
class ColumnRow:
    pk: int
    code: str
    name: str


@dataclass(frozen=True)
class RuleRow:
    pk: int
    name: str
    customer_type: str | None
    min_volume: Decimal
    volume_days: int
    min_orders: int
    min_months: int
    program: str | None
    column: str


@dataclass(frozen=True)
class PromotionRow:
    pk: int
    name: str
    kind: str
    value: Decimal
    buy_quantity: int
    free_quantity: int
    product_code: str | None
    category_code: str | None
    customer_type_id: int | None
    starts_on: date
    ends_on: date
    push_in_calls: bool


@dataclass(frozen=True)
class Reference:
    columns: tuple[ColumnRow, ...]  # worst first
    rules: tuple[RuleRow, ...]  # configuration order
    promotions: tuple[PromotionRow, ...]
    has_programs: bool

    def active_promotions(self, on: date, customer_type_id: int) -> list[PromotionRow]:
        return [
            p for p in self.promotions
            if p.starts_on <= on <= p.ends_on and p.customer_type_id in (None, customer_type_id)
        ]


_lock = threading.Lock()
_snapshot: tuple[str, Reference] | None = None


def _build() -> Reference:
    columns = tuple(ColumnRow(c.pk, c.code, c.name) for c in PriceColumn.objects.order_by("rank"))
    code_of = {c.pk: c.code for c in columns}
    rules = tuple(
        RuleRow(
            pk=r.pk, name=r.name, customer_type=r.customer_type.code if r.customer_type_id else None,
            min_volume=Decimal(r.min_volume), volume_days=r.volume_days, min_orders=r.min_orders,
            min_months=r.min_months, program=r.program.code if r.program_id else None, column=code_of[r.column_id],
        )
        for r in TierRule.objects.filter(is_active=True).select_related("customer_type", "program").order_by("pk")
    )
    promotions = tuple(
        PromotionRow(
            pk=p.pk, name=p.name, kind=p.kind, value=Decimal(p.value), buy_quantity=p.buy_quantity,
            free_quantity=p.free_quantity, product_code=p.product.code if p.product_id else None,
            category_code=p.category.code if p.category_id else None, customer_type_id=p.customer_type_id,
            starts_on=p.starts_on, ends_on=p.ends_on, push_in_calls=p.push_in_calls,
        )
        for p in Promotion.objects.select_related("product", "category").order_by("pk")
    )
    has_programs = any(r.program for r in rules) or SpecialProgram.objects.filter(bonus_percent__gt=0).exists()
    return Reference(columns=columns, rules=rules, promotions=promotions, has_programs=has_programs)


def get_reference() -> Reference:
    global _snapshot
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    current = _snapshot
    if current is not None and current[0] == version:
        return current[1]
    with _lock:
        reference = _build()
        _snapshot = (version, reference)
    return reference


def invalidate(**_kwargs: Any) -> None:
    global _snapshot
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    _snapshot = None


WATCHED = (PriceColumn, TierRule, Promotion, SpecialProgram, Category, Product)
