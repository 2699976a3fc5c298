"""Shared fixtures: one user per role, two client companies with a hotline each."""

from __future__ import annotations

from decimal import Decimal

import pytest

# Models are imported inside the fixtures: the pure domain tests run without Django at all.

PASSWORD = "s3cret-Pass!"


@pytest.fixture
def client_a(db):
    from calldesk.apps.clients.models import ClientCompany

    return ClientCompany.objects.create(name="Client A")


@pytest.fixture
def client_b(db):
    from calldesk.apps.clients.models import ClientCompany

    return ClientCompany.objects.create(name="Client B")


@pytest.fixture
def hotline_a(client_a):
    from calldesk.apps.hotlines.models import Hotline

    return Hotline.objects.create(client=client_a, code="a-line", name="A line", status=Hotline.Status.LIVE)


@pytest.fixture
def hotline_b(client_b):
    from calldesk.apps.hotlines.models import Hotline

    return Hotline.objects.create(client=client_b, code="b-line", name="B line", status=Hotline.Status.LIVE)


def make_user(username: str, role, **extra):
    from django.contrib.auth import get_user_model

    user = get_user_model()(username=username, role=role, **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def users(db, client_a):
    """One user per role; the client user belongs to client A."""
    from calldesk.apps.accounts.roles import Role

    result = {}
    for role in Role:
        extra = {"client": client_a} if role == Role.CLIENT else {}
        result[role] = make_user(f"user_{role.value}", role, **extra)
    return result


@pytest.fixture
def customer(db, users):
    from calldesk.apps.accounts.roles import Role
    from calldesk.apps.customers.models import Customer, CustomerPhone, CustomerType, Department

    ctype = CustomerType.objects.create(code="market_trader", name_ru="Рыночник", name_en="Market trader")
    dept = Department.objects.create(code="sales", name="Sales", head=users[Role.SALES_HEAD])
    customer = Customer.objects.create(
        code="C1", legal_name="ООО Ромашка", type=ctype, manager=users[Role.ACCOUNT_MANAGER],
        department=dept, credit_limit=Decimal("100000.00"),
    )
    CustomerPhone.objects.create(customer=customer, number="+74951234567")
    return customer


@pytest.fixture(autouse=True)
def _audit_triggers_survive_test_flush(request):
    """Lets a transactional test's final flush empty the append-only audit table on SQLite.

    PostgreSQL empties tables with TRUNCATE, which row triggers do not see; SQLite's flush
    is a DELETE, which the audit trigger rightly refuses. The trigger is dropped for the
    flush only and recreated before the next transactional test.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or bool(marker and marker.kwargs.get("transaction"))
    if not transactional:
        yield
        return
    request.getfixturevalue("transactional_db")
    import importlib

    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    triggers = importlib.import_module("calldesk.apps.audit.migrations.0002_append_only_triggers")
    with connection.cursor() as cursor:
        for sql in triggers.SQLITE:
            cursor.execute(sql.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS"))
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS audit_no_delete")
