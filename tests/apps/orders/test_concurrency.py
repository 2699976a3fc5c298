"""Concurrent orders against the real database: credit and stock are never oversold (R-ORD-4).

Each order runs in its own thread with its own connection. On PostgreSQL (DATABASE_URL) that is
the test database itself; `place_order` locks the customer row, then the product rows, so
exposure and stock are computed with no competing order in flight (ADR 0003).

On SQLite the threads open a copy of the test database made with the embedded settings (see
tests/concurrency.py).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Sum

from calldesk.apps.catalog.models import Product
from calldesk.apps.customers.models import Customer, CustomerContact
from calldesk.apps.orders.models import IdempotencyKey, Order
from calldesk.apps.orders.services import (
    OrderRejected,
    StoredResponse,
    hash_request,
    place_order,
    run_idempotent,
)

from ...concurrency import in_thread, race, real_database
from .world import build_world, order_request

D = Decimal
THREADS = 12


def split(results: list[Any]) -> tuple[list[Order], list[OrderRejected]]:
    unexpected = [r for r in results if isinstance(r, Exception) and not isinstance(r, OrderRejected)]
    assert not unexpected, f"an order failed instead of being refused: {unexpected!r}"
    return [r for r in results if isinstance(r, Order)], [r for r in results if isinstance(r, OrderRejected)]


@pytest.mark.django_db(transaction=True)
def test_concurrent_orders_of_one_customer_never_exceed_its_credit_limit(users, tmp_path):
    # R-ORD-4: 12 orders of 570.00 race for a 2,850.00 limit: exactly 5 fit, 7 are refused.
    world = build_world(users)
    Customer.objects.filter(pk=world.good.pk).update(credit_limit=D("2850.00"))
    with real_database(tmp_path):
        results = race(*[lambda: place_order(order_request(world.good, [("P001", 6)]), actor=None) for _ in range(THREADS)])
        placed, refused = split(results)
        assert len(placed) == 5 and len(refused) == THREADS - 5
        assert {p.code for r in refused for p in r.errors} == {"OVER_LIMIT"}
        total = in_thread(lambda: Order.objects.filter(customer_id=world.good.pk, status=Order.Status.PLACED).aggregate(s=Sum("total"))["s"])
        assert total == D("2850.00")
        assert in_thread(lambda: Product.objects.get(code="P001").stock) == 600 - 5 * 6


@pytest.mark.django_db(transaction=True)
def test_concurrent_orders_of_many_customers_never_oversell_stock(users, tmp_path):
    # R-ORD-7: 12 customers each want 10 of a product with 50 in stock: exactly 5 get it.
    world = build_world(users)
    customers = []
    for i in range(THREADS):
        customer = Customer.objects.create(code=f"S{i}", legal_name=f"S{i}", type=world.types["retail"], credit_limit=D("100000"))
        CustomerContact.objects.create(customer=customer, name="Anna Ivanova", may_accept_goods=True, may_pay=True)
        customers.append(customer)
    with real_database(tmp_path):
        results = race(*[lambda c=c: place_order(order_request(c, [("P002", 10)]), actor=None) for c in customers])
        placed, refused = split(results)
        assert len(placed) == 5 and len(refused) == THREADS - 5
        assert {p.code for r in refused for p in r.errors} == {"INSUFFICIENT_STOCK"}
        assert in_thread(lambda: Product.objects.get(code="P002").stock) == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_idempotency_key_place_one_order(users, tmp_path):
    # R-ORD-13 (API): racing retries of one submission get one order and the same answer.
    world = build_world(users)
    user = world.users["operator"]
    payload = {"lines": [["P001", 6]], "customer": world.good.pk}

    def submit() -> StoredResponse:
        def action() -> StoredResponse:
            order = place_order(order_request(world.good, [("P001", 6)]), actor=user)
            return StoredResponse(201, {"id": order.pk, "number": order.number})

        return run_idempotent(user=user, key="retry-1", request_hash=hash_request(payload), action=action)

    with real_database(tmp_path):
        results = race(*[submit for _ in range(6)])
        assert not [r for r in results if isinstance(r, Exception)], results
        assert len({(r.status, r.body["number"]) for r in results}) == 1
        assert in_thread(lambda: Order.objects.filter(customer_id=world.good.pk).count()) == 1
        assert in_thread(lambda: IdempotencyKey.objects.count()) == 1
