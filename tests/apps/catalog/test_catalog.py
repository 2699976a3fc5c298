"""Products, price list, tier rules (R-ORD-6, R-ORD-12): imports, API, audit of price changes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from calldesk.apps.accounts.roles import Role
from calldesk.apps.audit.models import AuditEvent
from calldesk.apps.catalog.models import Category, Price, Product, SpecialProgram, TierRule
from calldesk.apps.customers.imports import ImportFailed, run_import

D = Decimal


def test_products_are_created_and_updated_from_an_export(world):
    data = "code;name;category;pack_size;stock;is_new\nP001;Milk renamed;;;12;да\nP100;Новинка;sweets;12;240;1\n".encode()
    result = run_import("products", data, "products.csv")
    assert (result.created, result.updated) == (1, 1)
    p1 = Product.objects.get(code="P001")
    assert p1.name == "Milk renamed" and p1.stock == 12 and p1.is_new and p1.pack_size == 6
    assert Product.objects.get(code="P100").category == Category.objects.get(code="sweets")


def test_bad_product_rows_are_reported_and_nothing_changes(world):
    data = b"code;name;pack_size;stock;is_new\nP101;;0;-1;maybe\nP102;ok;x;;\n"
    with pytest.raises(ImportFailed) as caught:
        run_import("products", data, "products.csv")
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "is_new"), (2, "name"), (2, "pack_size"), (2, "stock"), (3, "pack_size")]
    assert not Product.objects.filter(code__in=["P101", "P102"]).exists()


def test_prices_in_wide_form_and_every_change_audited(world):
    # R-OPS-5: prices are money-related data; R-ORD-6: columns are data.
    data = b"product;name;base;c2;c3\nP001;x;101.00;95.00;90,50\n"
    result = run_import("prices", data, "prices.csv", actor=world.users[Role.ADMIN])
    assert (result.created, result.updated, result.unchanged) == (0, 2, 1)
    assert Price.objects.get(product__code="P001", column__code="c3").price == D("90.50")
    changes = {e.data["column"]: (e.data["before"], e.data["after"]) for e in AuditEvent.objects.filter(action="price.changed")}
    assert changes == {"base": ("100.00", "101.00"), "c3": ("90.00", "90.50")}


def test_prices_in_long_form_with_errors_per_row(world):
    data = b"product;column;price\nP001;c2;96\nNOPE;c2;1\nP001;zz;1\nP002;base;-1\nP001;c2;97\n"
    with pytest.raises(ImportFailed) as caught:
        run_import("prices", data, "prices.csv")
    assert [(e.row, e.column) for e in caught.value.errors] == [(3, "product"), (4, "column"), (5, "price"), (6, "price")]
    assert Price.objects.get(product__code="P001", column__code="c2").price == D("95.00")


def test_unknown_price_column_header_is_refused(world):
    with pytest.raises(ImportFailed) as caught:
        run_import("prices", b"product;c9\nP001;1\n", "prices.csv")
    assert caught.value.errors[0].column == "c9" and "known: base, c2, c3" in caught.value.errors[0].message


def test_a_tier_rule_tests_one_kind_of_fact(world):
    # R-ORD-6: rules are ORed in the pricing core, so a mixed rule would be misread.
    program = SpecialProgram.objects.create(code="p", name="P")
    rule = TierRule(name="mixed", program=program, min_volume=D("10"), column=world.columns["c3"])
    with pytest.raises(ValidationError):
        rule.clean()
    TierRule(name="history", min_orders=3, min_months=6, column=world.columns["c3"]).clean()


def test_history_rule_counts_past_orders(world):
    # R-ORD-6: customer history.
    from calldesk.apps.orders.selectors import get_pricing_context
    from calldesk.apps.orders.services import place_order
    from tests.apps.orders.world import business_today, order_request

    TierRule.objects.create(name="Two orders", min_orders=2, column=world.columns["c3"])
    assert get_pricing_context(world.good, business_today()).decision.column == "c2"
    place_order(order_request(world.good), actor=None)
    place_order(order_request(world.good), actor=None)
    ctx = get_pricing_context(world.good, business_today())
    assert ctx.decision.column == "c3" and ctx.reason == "Two orders"


def test_catalog_api_lists_searches_and_prices(world):
    client = Client()
    client.force_login(world.users[Role.OPERATOR])
    assert [p["code"] for p in client.get("/api/catalog/products", {"limit": 2}).json()] == ["P001", "P002"]
    assert client.get("/api/catalog/products", {"q": "P003"}).json()[0]["is_new"] is True
    assert client.get("/api/catalog/products/P002").json()["allow_pieces"] is True
    assert client.get("/api/catalog/products/NOPE").status_code == 404
    assert [c["code"] for c in client.get("/api/catalog/columns").json()] == ["base", "c2", "c3"]
    prices = client.get("/api/catalog/prices", {"column": "c2", "products": "P001,P002"}).json()
    assert prices == [{"product_code": "P001", "column": "c2", "price": "95.00"},
                      {"product_code": "P002", "column": "c2", "price": "9.50"}]
    mine = client.get(f"/api/catalog/prices/customer/{world.good.pk}", {"products": "P001"}).json()
    assert mine["allowed_column"] == "c2" and mine["prices"][0]["price"] == "95.00" and mine["reason"] == "Retail: column 2"


def test_catalog_api_is_for_staff(world):
    client = Client()
    client.force_login(world.users[Role.CLIENT])
    assert client.get("/api/catalog/products").status_code == 403
    assert Client().get("/api/catalog/products").status_code == 401


def test_price_changed_in_the_admin_is_audited(world):
    # R-OPS-5
    client = Client()
    admin_user = world.users[Role.ADMIN]
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    product = world.products["P002"]
    prices = list(Price.objects.filter(product=product).order_by("pk"))
    data = {
        "code": product.code, "name": product.name, "category": product.category_id, "unit": product.unit,
        "pack_size": product.pack_size, "allow_pieces": "on", "stock": product.stock, "is_active": "on",
        "prices-TOTAL_FORMS": len(prices), "prices-INITIAL_FORMS": len(prices), "prices-MIN_NUM_FORMS": 0, "prices-MAX_NUM_FORMS": 1000,
        "certificates-TOTAL_FORMS": 0, "certificates-INITIAL_FORMS": 0, "certificates-MIN_NUM_FORMS": 0, "certificates-MAX_NUM_FORMS": 1000,
    }
    for i, price in enumerate(prices):
        data.update({f"prices-{i}-id": price.pk, f"prices-{i}-product": product.pk, f"prices-{i}-column": price.column_id,
                     f"prices-{i}-price": "11.00" if i == 0 else str(price.price)})
    response = client.post(f"/admin/catalog/product/{product.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="price.changed")
    assert event.data["before"] == "10.00" and event.data["after"] == "11.00" and event.actor == admin_user
