"""Every URL × every role (and anonymous) against an explicit allow/deny table (R-OPS-1).

A URL pattern missing from the table fails the test, so a new page cannot ship without a
decision about who may see it.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from calldesk.apps.accounts.roles import Role

from . import permissions
from .permissions.common import PUBLIC

R = Role

# The table is split per app (tests/apps/permissions/<app>.py, each a RULES dict) so that
# features land without editing one shared file. name -> (roles allowed, kwargs builder).
# Anonymous users are always sent to the login page, except for PUBLIC pages.
TABLE: dict[str, tuple[object, object]] = {}
for _module in pkgutil.iter_modules(permissions.__path__):
    TABLE.update(getattr(importlib.import_module(f"{permissions.__name__}.{_module.name}"), "RULES", {}))
# Patterns outside the role model: Django admin (is_staff), the API (its own tests), i18n.
EXCLUDED_PREFIXES = ("admin:", "api:")
EXCLUDED_NAMES = {"set_language", "javascript-catalog"}
# Views that change state answer POST only and must refuse a request without a CSRF token.
POST_ONLY = {name for name, rule in TABLE.items() if len(rule) > 2 and rule[2] == "post"}


def _all_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace: str | None) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace or namespace
                walk(p.url_patterns, f"{namespace}:{p.namespace}" if namespace and p.namespace else ns)
            elif isinstance(p, URLPattern) and p.name:
                names.add(f"{namespace}:{p.name}" if namespace else p.name)

    walk(get_resolver().url_patterns, None)
    return {n for n in names if not n.startswith(EXCLUDED_PREFIXES) and n not in EXCLUDED_NAMES}


def test_every_url_is_in_the_permission_table():
    # R-OPS-1
    missing = _all_url_names() - set(TABLE)
    stale = set(TABLE) - _all_url_names()
    assert not missing, f"URLs without a permission decision: {sorted(missing)}"
    assert not stale, f"Table rows for URLs that no longer exist: {sorted(stale)}"


@pytest.fixture
def fixtures(users, customer, hotline_a):
    from calldesk.apps.catalog.models import PriceColumn
    from calldesk.apps.orders.models import Order

    column = PriceColumn.objects.create(code="base", name="Base", rank=1)
    order = Order.objects.create(number="T-1", customer=customer, column=column)
    return {"users": users, "customer": customer, "hotline_a": hotline_a, "order": order}


def _url(name: str, fixtures) -> str:
    kwargs = TABLE[name][1]
    return reverse(name, kwargs=kwargs(fixtures) if kwargs else None)


@pytest.mark.parametrize("name", sorted(TABLE))
def test_role_matrix(name, fixtures):
    # R-OPS-1: allowed roles get the page, others 403, anonymous users the login page.
    allowed = TABLE[name][0]
    url = _url(name, fixtures)
    method = "post" if name in POST_ONLY else "get"
    anonymous = getattr(Client(), method)(url)
    if allowed is PUBLIC:
        assert anonymous.status_code in (200, 302)
        return
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"], name
    for role, user in fixtures["users"].items():
        client = Client()
        client.force_login(user)
        response = getattr(client, method)(url)
        if role in allowed:
            assert response.status_code in (200, 302), f"{name} should open for {role}: {response.status_code}"
            if response.status_code == 302:
                assert "/accounts/login/" not in response["Location"]
        else:
            assert response.status_code == 403, f"{name} must be denied to {role}: {response.status_code}"


@pytest.mark.parametrize("name", sorted(POST_ONLY | {"set_language"}))
def test_state_changing_requests_need_csrf(name, users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users[R.OPERATOR])
    assert client.post(reverse(name), {"language": "en"}).status_code == 403


def test_profile_change_needs_csrf(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users[R.OPERATOR])
    assert client.post(reverse("accounts:profile"), {"first_name": "X"}).status_code == 403
    page = client.get(reverse("accounts:profile"))
    token = page.cookies["csrftoken"].value
    response = client.post(reverse("accounts:profile"), {"first_name": "X", "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_client_user_cannot_see_another_clients_hotline(users, hotline_a, hotline_b):
    # R-OPS-1: a client user sees only its own company.
    client = Client()
    client.force_login(users[R.CLIENT])
    assert client.get(reverse("clients:hotline", args=[hotline_a.pk])).status_code == 200
    assert client.get(reverse("clients:hotline", args=[hotline_b.pk])).status_code == 404
    portal = client.get(reverse("clients:portal")).content.decode()
    assert "A line" in portal and "B line" not in portal


@pytest.mark.parametrize("role", list(Role))
def test_each_role_lands_on_its_own_home(role, users):
    from calldesk.apps.accounts.roles import HOME

    client = Client()
    client.force_login(users[role])
    response = client.get("/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(HOME[role])
