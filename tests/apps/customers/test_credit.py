"""The credit check's read side: one aggregate query that matches the domain's reference (R-ORD-4)."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.admin.sites import site
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from calldesk.apps.accounts.roles import Role
from calldesk.apps.audit.models import AuditEvent
from calldesk.apps.customers.admin import CustomerAdmin
from calldesk.apps.customers.models import Customer, Invoice
from calldesk.apps.customers.selectors import get_ledger_summary
from calldesk.domain import ordering as dom
from tests.apps.orders.world import business_today

D = Decimal


def test_ledger_summary_is_one_query_and_equals_the_domains_reference(world):
    # R-ORD-4: the check reads three aggregates, whatever the ledger's length.
    today = business_today()
    rng = random.Random(5)
    invoices = []
    for i in range(60):
        amount = D(rng.randint(100, 100000)) / 100
        paid = rng.choice([D(0), amount, (amount / 2).quantize(D("0.01"))])
        due = today + timedelta(days=rng.randint(-60, 30))
        invoices.append(Invoice(customer=world.good, number=f"X{i}", issued_on=due - timedelta(days=14), due_on=due,
                                amount=amount, paid=paid, is_open=paid < amount))
    Invoice.objects.bulk_create(invoices)
    for grace in (0, 3, 10):
        with CaptureQueriesContext(connection) as queries:
            summary = get_ledger_summary(world.good.pk, today, grace)
        assert len(queries) == 1
        reference = dom.summarise_ledger(
            [dom.OpenInvoice(i.amount - i.paid, i.due_on) for i in invoices], today=today, grace_days=grace)
        assert summary == reference


def test_an_empty_ledger_summarises_to_zero(world):
    summary = get_ledger_summary(world.good.pk, business_today(), 0)
    assert summary.open_total == 0 and summary.overdue_total == 0 and summary.oldest_overdue_due_date is None


def test_grace_days_postpone_blocking(world):
    # R-ORD-4: 10 days overdue is not blocking with 14 grace days.
    from django.utils import timezone

    from calldesk.apps.orders.selectors import get_credit_status

    assert not get_credit_status(world.overdue, timezone.now()).ok
    world.overdue.grace_days = 14
    world.overdue.save()
    assert get_credit_status(world.overdue, timezone.now()).ok


def test_customer_api_finds_by_phone_and_reports_credit(world):
    client = Client()
    client.force_login(world.users[Role.OPERATOR])
    found = client.get("/api/customers/", {"phone": "8 495 111-00-01"}).json()
    assert [c["code"] for c in found] == ["C200"] and found[0]["phones"] == ["+74951110001"]
    detail = client.get(f"/api/customers/{world.overdue.pk}").json()
    assert detail["credit"]["status"] == "blocked" and detail["credit"]["reasons"][0]["code"] == "OVERDUE"
    assert detail["credit"]["transfer_to"] == "manager"
    assert client.get("/api/customers/", {"q": "C100"}).json()[0]["credit_limit"] == "100000.00"
    assert client.get("/api/customers/", {"phone": "abc"}).status_code == 422
    assert client.get("/api/customers/999999").status_code == 404


def test_customer_api_is_for_staff_and_managers_see_their_own(world):
    client_user = Client()
    client_user.force_login(world.users[Role.CLIENT])
    assert client_user.get("/api/customers/").status_code == 403
    Customer.objects.filter(pk=world.good.pk).update(manager=None)
    manager = Client()
    manager.force_login(world.users[Role.ACCOUNT_MANAGER])
    assert "C100" not in [c["code"] for c in manager.get("/api/customers/").json()]


def test_credit_limit_changed_in_the_admin_is_audited(world):
    # R-OPS-5
    admin_user = world.users[Role.ADMIN]
    request = RequestFactory().post("/admin/")
    request.user = admin_user
    model_admin = CustomerAdmin(Customer, site)
    customer = Customer.objects.get(pk=world.good.pk)
    customer.credit_limit = D("123.45")
    model_admin.save_model(request, customer, form=None, change=True)
    event = AuditEvent.objects.get(action="customer.credit_limit")
    assert event.data == {"before": "100000.00", "after": "123.45", "source": "admin"} and event.actor == admin_user
    model_admin.save_model(request, customer, form=None, change=True)  # unchanged: no new event
    assert AuditEvent.objects.filter(action="customer.credit_limit").count() == 1


def test_customer_detail_offers_the_web_order_link_to_order_takers(world):
    client = Client()
    client.force_login(world.users[Role.OPERATOR])
    page = client.get(f"/customers/{world.good.pk}/").content.decode()
    assert "/orders/web/" in page and "Anna Ivanova" in page
    finance = Client()
    finance.force_login(world.users[Role.FINANCE])
    assert "/orders/web/" not in finance.get(f"/customers/{world.good.pk}/").content.decode()
