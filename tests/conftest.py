"""Shared fixtures: one user per role, two client companies with a hotline each."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from calldesk.apps.accounts.roles import Role
from calldesk.apps.clients.models import ClientCompany
from calldesk.apps.customers.models import Customer, CustomerPhone, CustomerType, Department
from calldesk.apps.hotlines.models import Hotline

PASSWORD = "s3cret-Pass!"


@pytest.fixture
def client_a(db):
    return ClientCompany.objects.create(name="Client A")


@pytest.fixture
def client_b(db):
    return ClientCompany.objects.create(name="Client B")


@pytest.fixture
def hotline_a(client_a):
    return Hotline.objects.create(client=client_a, code="a-line", name="A line", status=Hotline.Status.LIVE)


@pytest.fixture
def hotline_b(client_b):
    return Hotline.objects.create(client=client_b, code="b-line", name="B line", status=Hotline.Status.LIVE)


def make_user(username: str, role: Role, **extra):
    user = get_user_model()(username=username, role=role, **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def users(db, client_a):
    """One user per role; the client user belongs to client A."""
    result = {}
    for role in Role:
        extra = {"client": client_a} if role == Role.CLIENT else {}
        result[role] = make_user(f"user_{role.value}", role, **extra)
    return result


@pytest.fixture
def customer(db, users):
    ctype = CustomerType.objects.create(code="market_trader", name_ru="Рыночник", name_en="Market trader")
    dept = Department.objects.create(code="sales", name="Sales", head=users[Role.SALES_HEAD])
    customer = Customer.objects.create(
        code="C1", legal_name="ООО Ромашка", type=ctype, manager=users[Role.ACCOUNT_MANAGER],
        department=dept, credit_limit=Decimal("100000.00"),
    )
    CustomerPhone.objects.create(customer=customer, number="+74951234567")
    return customer
