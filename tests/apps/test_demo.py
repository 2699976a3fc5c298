"""Demo data is deterministic and has every kind of customer the requirements talk about."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db.models import Count, Sum

from calldesk.apps.customers.models import Customer, Invoice
from calldesk.apps.customers.selectors import get_receivables
from calldesk.apps.demo.services import is_loaded, load_demo
from calldesk.apps.orders.models import Order

TODAY = date(2026, 11, 2)


@pytest.fixture
def demo(db):
    load_demo(seed=3, today=TODAY)


def _fingerprint():
    return (
        list(Customer.objects.order_by("code").values_list("code", "type__code", "credit_limit")[:50]),
        Invoice.objects.aggregate(s=Sum("amount"))["s"],
        Order.objects.count(),
    )


def test_demo_has_every_customer_type_and_the_staff(demo):
    # R-ORD-2: types are data; every type the seed names is present.
    counts = dict(Customer.objects.values_list("type__code").annotate(n=Count("id")))
    assert set(counts) == {"market_trader", "key_account", "own_outlet", "retail", "regional", "new"}
    assert sum(counts.values()) == 500
    assert is_loaded()
    assert Customer.objects.filter(type__code="new", manager__isnull=True).count() == counts["new"]


def test_demo_has_overdue_and_over_limit_customers(demo):
    overdue = [c for c in Customer.objects.exclude(type__code="new")[:500] if get_receivables(c.pk, TODAY, c.grace_days).overdue > 0]
    assert overdue, "some customers must be overdue"
    over_limit = [
        c for c in Customer.objects.filter(credit_limit=10000)
        if get_receivables(c.pk, TODAY, c.grace_days).outstanding > c.credit_limit
    ]
    assert over_limit, "some customers must be over their limit"


def test_demo_has_dormant_market_traders(demo):
    # R-OUT-1 needs market traders with no order for two quarters.
    cutoff = TODAY - timedelta(days=183)
    dormant = Customer.objects.filter(type__code="market_trader", last_order_at__date__lt=cutoff)
    assert dormant.exists()


class _RollBack(Exception):
    pass


def test_same_seed_gives_the_same_data(db):
    # Load, fingerprint and roll back inside a savepoint, then load again: a flush would
    # fight the append-only audit table and PostgreSQL's deferred foreign keys.
    from django.db import transaction

    try:
        with transaction.atomic():
            load_demo(seed=3, today=TODAY)
            first = _fingerprint()
            raise _RollBack
    except _RollBack:
        pass
    assert not Customer.objects.exists()
    load_demo(seed=3, today=TODAY)
    assert _fingerprint() == first
