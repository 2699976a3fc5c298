"""A small distributor for the order-desk tests: columns, rules, products, customers in every
credit state. Import the `world` fixture into a test package's conftest."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

D = Decimal


@dataclass
class World:
    users: dict[Any, Any]
    columns: dict[str, Any]
    products: dict[str, Any]
    types: dict[str, Any]
    sales: Any
    finance: Any
    good: Any  # retail, credit OK, manager present
    overdue: Any  # retail, an overdue invoice
    over_limit: Any  # retail, open invoices above its limit
    regional: Any
    extra: dict[str, Any] = field(default_factory=dict)


def delivery_day() -> date:
    from django.utils import timezone

    from calldesk.apps.orders.selectors import get_earliest_delivery_date

    return get_earliest_delivery_date(timezone.now())


def business_today() -> date:
    from django.utils import timezone

    from calldesk.apps.orders.selectors import get_business_today

    return get_business_today(timezone.now())


def build_world(users: dict[Any, Any]) -> World:
    from calldesk.apps.accounts.roles import Role
    from calldesk.apps.catalog.models import (
        Category,
        Price,
        PriceColumn,
        Product,
        Promotion,
        TierRule,
    )
    from calldesk.apps.customers.models import (
        Customer,
        CustomerContact,
        CustomerPhone,
        CustomerType,
        Department,
        Invoice,
    )

    today = business_today()
    sales = Department.objects.create(code="sales-m", name="Sales Moscow", head=users[Role.SALES_HEAD])
    finance = Department.objects.create(code="fin", name="Finance dept", kind=Department.Kind.FINANCE)
    columns = {code: PriceColumn.objects.create(code=code, name=f"Column {code}", rank=rank)
               for rank, code in enumerate(["base", "c2", "c3"], start=1)}
    types = {
        "retail": CustomerType.objects.create(code="retail", name_ru="Розница", name_en="Retail"),
        "regional": CustomerType.objects.create(code="regional", name_ru="Регион", name_en="Regional", is_regional=True),
        "key": CustomerType.objects.create(code="key", name_ru="Ключевой", name_en="Key", is_key_account=True),
    }
    TierRule.objects.create(name="Everyone: base", column=columns["base"])
    TierRule.objects.create(name="Retail: column 2", customer_type=types["retail"], column=columns["c2"])
    food = Category.objects.create(code="food", name="Food")
    specs = [
        # code, pack, pieces, stock, new, base price
        ("P001", 6, False, 600, False, "100.00"),
        ("P002", 1, True, 50, False, "10.00"),
        ("P003", 1, True, 100, True, "20.00"),
        ("P004", 1, True, 0, False, "30.00"),
        ("P005", 1, True, 100, False, "40.00"),
        ("P006", 1, True, 100, True, "50.00"),
        ("P007", 1, True, 100, True, "60.00"),
    ]
    products = {}
    for code, pack, pieces, stock, new, price in specs:
        product = Product.objects.create(code=code, name=f"Молоко {code}", category=food, pack_size=pack,
                                         allow_pieces=pieces, stock=stock, is_new=new)
        products[code] = product
        base = D(price)
        for i, column in enumerate(columns.values()):
            Price.objects.create(product=product, column=column, price=(base * (1 - D("0.05") * i)).quantize(D("0.01")))
    Promotion.objects.create(name="Promo P005", product=products["P005"], kind=Promotion.Kind.PERCENT, value=D("10"),
                             starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=30))

    manager = users[Role.ACCOUNT_MANAGER]

    def customer(code: str, ctype: str, limit: str, phone: str, **extra: Any) -> Any:
        c = Customer.objects.create(code=code, legal_name=f"ООО {code}", type=types[ctype], manager=manager,
                                    department=sales, credit_limit=D(limit), email=f"{code.lower()}@example.com", **extra)
        CustomerPhone.objects.create(customer=c, number=phone)
        CustomerContact.objects.create(customer=c, name="Anna Ivanova", email=f"anna.{code.lower()}@example.com",
                                       may_accept_goods=True, may_pay=True)
        return c

    good = customer("C100", "retail", "100000.00", "+74951110000")
    overdue = customer("C200", "retail", "100000.00", "+74951110001")
    Invoice.objects.create(customer=overdue, number="INV-1", issued_on=today - timedelta(days=40),
                           due_on=today - timedelta(days=10), amount=D("5000.00"), paid=D("1000.00"))
    over_limit = customer("C300", "retail", "1000.00", "+74951110002")
    Invoice.objects.create(customer=over_limit, number="INV-2", issued_on=today, due_on=today + timedelta(days=14),
                           amount=D("1500.00"))
    regional = customer("C400", "regional", "100000.00", "+74951110003", region="Kazan")
    return World(users=users, columns=columns, products=products, types=types, sales=sales, finance=finance,
                 good=good, overdue=overdue, over_limit=over_limit, regional=regional)


@pytest.fixture
def world(db, users) -> World:
    return build_world(users)


@pytest.fixture(autouse=True)
def fresh_reference():
    """The reference snapshot outlives a test's rolled-back rows; start each test without it."""
    from calldesk.apps.catalog import reference

    reference.invalidate()
    yield
    reference.invalidate()


@pytest.fixture(autouse=True)
def english(settings):
    """Assertions read the English texts; the Russian catalogue may translate them any time."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def order_request(customer: Any, lines: list[tuple[str, int]] | None = None, **overrides: Any) -> Any:
    from datetime import time

    from calldesk.apps.orders.services import LineRequest, OrderRequest

    values: dict[str, Any] = {
        "customer_id": customer.pk,
        "lines": tuple(LineRequest(code, qty) for code, qty in (lines if lines is not None else [("P001", 6)])),
        "delivery_date": delivery_day(),
        "window_start": time(9, 0),
        "window_end": time(13, 0),
        "accepting_person": "Anna Ivanova",
    }
    values.update(overrides)
    return OrderRequest(**values)


def order_json(customer: Any, lines: list[tuple[str, int]] | None = None, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "customer_id": customer.pk,
        "lines": [{"product_code": c, "quantity": q} for c, q in (lines if lines is not None else [("P001", 6)])],
        "delivery_date": delivery_day().isoformat(),
        "delivery_window": {"start": "09:00", "end": "13:00"},
        "accepting_person": "Anna Ivanova",
    }
    body.update(overrides)
    return body
