"""The orders API: same checks as every channel, 4xx JSON reasons, idempotent submission."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from calldesk.apps.accounts.roles import Role
from calldesk.apps.orders.models import IdempotencyKey, Order

from .world import order_json

URL = "/api/orders/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, body, key: str | None = None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json", **headers)


@pytest.fixture
def operator(world):
    return client_for(world.users[Role.OPERATOR])


def test_submitted_order_is_created_and_returned(world, operator):
    # R-ORD-13: the API enters the same flow; R-ORD-6: priced in the allowed column.
    response = post(operator, order_json(world.good, [("P001", 12)]))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "placed" and body["channel"] == "api" and body["column"] == "c2"
    assert body["total"] == "1140.00" and body["lines"][0]["unit_price"] == "95.00"
    assert Order.objects.get(pk=body["id"]).taken_by == world.users[Role.OPERATOR]


def test_a_retry_with_the_same_key_returns_the_first_answer_and_places_nothing_new(world, operator):
    # Idempotency-Key: same status and body, one order.
    body = order_json(world.good)
    first = post(operator, body, key="k-1")
    second = post(operator, body, key="k-1")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Order.objects.filter(customer=world.good).count() == 1


def test_a_reused_key_with_another_body_is_refused(world, operator):
    post(operator, order_json(world.good), key="k-2")
    response = post(operator, order_json(world.good, [("P002", 2)]), key="k-2")
    assert response.status_code == 422
    assert response.json()["code"] == "IDEMPOTENCY_KEY_REUSED" and response.json()["detail"]
    assert Order.objects.filter(customer=world.good).count() == 1


def test_a_refusal_is_replayed_for_its_key_too(world, operator):
    body = order_json(world.overdue)
    first = post(operator, body, key="k-3")
    second = post(operator, body, key="k-3")
    assert first.status_code == second.status_code == 422 and first.json() == second.json()


def test_keys_belong_to_their_user(world, operator):
    post(operator, order_json(world.good), key="shared")
    other = client_for(world.users[Role.SALES_HEAD])
    assert post(other, order_json(world.good), key="shared").status_code == 201
    assert IdempotencyKey.objects.filter(key="shared").count() == 2


def test_blocked_customer_gets_a_422_with_the_reason_and_whom_to_call(world, operator):
    # R-ORD-4: enforced on the API path too.
    response = post(operator, order_json(world.overdue))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "CREDIT_BLOCKED" and body["errors"][0]["code"] == "OVERDUE"
    assert body["errors"][0]["field"] == "customer" and "4,000.00" in body["errors"][0]["message"]
    assert body["transfer_to"]["to"] == "manager"
    assert not Order.objects.filter(customer=world.overdue).exists()


@pytest.mark.parametrize(
    ("lines", "field", "code"),
    [
        ([("NOPE", 1)], "lines[0].product_code", "PRODUCT_UNKNOWN"),
        ([("P002", 0)], "lines[0].quantity", "QUANTITY_NOT_POSITIVE"),
        ([("P002", -1)], "lines[0].quantity", "QUANTITY_NOT_POSITIVE"),
        ([("P002", 999)], "lines[0].quantity", "INSUFFICIENT_STOCK"),
    ],
)
def test_bad_lines_get_a_422_with_field_code_and_message(world, operator, lines, field, code):
    # R-ORD-7: a clear reason per field, nothing half-saved.
    response = post(operator, order_json(world.good, lines))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {"field": field, "code": code} == {k: errors[0][k] for k in ("field", "code")} and errors[0]["message"]
    assert not Order.objects.exists()


def test_a_better_column_is_forbidden_for_an_operator(world, operator):
    # R-ORD-6
    response = post(operator, order_json(world.good, column="c3"))
    assert response.status_code == 403 and response.json()["errors"][0]["field"] == "column"


def test_a_head_may_override_the_column(world):
    # R-ORD-6: override roles; audited (see the service tests).
    response = post(client_for(world.users[Role.WHOLESALE_HEAD]), order_json(world.good, column="c3"))
    assert response.status_code == 201 and response.json()["column_overridden"] is True


def test_missing_regional_fields_get_a_422(world, operator):
    # R-ORD-7
    response = post(operator, order_json(world.regional))
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} >= {"payment_form", "shipping"}


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ("{not json", 400, "body"),
        ({"customer_id": 1}, 422, "lines"),
        ({"customer_id": "x", "lines": []}, 422, "customer_id"),
        ({"lines": [{"product_code": "P001", "quantity": "many"}]}, 422, "lines[0].quantity"),
        ({"lines": [{"product_code": "P001", "quantity": 6}], "delivery_date": "tomorrow"}, 422, "delivery_date"),
    ],
)
def test_malformed_requests_get_4xx_json_never_500(world, operator, body, status, field):
    if isinstance(body, dict) and "customer_id" not in body:
        body = {"customer_id": world.good.pk, **body}
    response = post(operator, body)
    assert response.status_code == status, response.content
    payload = response.json()
    assert payload["detail"] and field in [e["field"] for e in payload["errors"]]


def test_unknown_or_foreign_customer_is_404(world):
    operator = client_for(world.users[Role.OPERATOR])
    assert post(operator, order_json(world.good, customer_id=999999)).status_code == 404
    # An account manager only sees their own customers.
    from calldesk.apps.customers.models import Customer

    Customer.objects.filter(pk=world.good.pk).update(manager=None)
    manager = client_for(world.users[Role.ACCOUNT_MANAGER])
    assert post(manager, order_json(world.good)).status_code == 404


def test_customer_code_may_stand_for_the_id(world, operator):
    body = order_json(world.good)
    del body["customer_id"]
    body["customer_code"] = "c100"
    assert post(operator, body).status_code == 201


def test_roles_without_orders_are_refused_and_anonymous_users_unauthorised(world):
    assert post(client_for(world.users[Role.CLIENT]), order_json(world.good)).status_code == 403
    assert post(client_for(world.users[Role.FINANCE]), order_json(world.good)).status_code == 403
    assert post(Client(), order_json(world.good)).status_code == 401


def test_phone_orders_through_the_api_need_the_offers_too(world, operator):
    # R-ORD-5: the upsell minimum holds on every path that takes a call's order.
    response = post(operator, order_json(world.good, channel="phone"))
    assert response.status_code == 422 and response.json()["code"] == "OFFERS_MISSING"
    offers = [{"product_code": c, "outcome": "declined"} for c in ("P003", "P005", "P006")]
    assert post(operator, order_json(world.good, channel="phone", offers=offers)).status_code == 201


def test_orders_can_be_listed_and_read_by_those_who_may_see_them(world, operator):
    created = post(operator, order_json(world.good)).json()
    assert [o["number"] for o in operator.get(URL).json()] == [created["number"]]
    assert operator.get(f"{URL}{created['id']}").json()["total"] == created["total"]
    manager = client_for(world.users[Role.ACCOUNT_MANAGER])
    assert manager.get(f"{URL}{created['id']}").status_code == 200
    from calldesk.apps.customers.models import Customer

    Customer.objects.filter(pk=world.good.pk).update(manager=None)
    assert manager.get(f"{URL}{created['id']}").status_code == 404
    assert manager.get(URL).json() == []


def test_openapi_schema_documents_the_order_body(world, operator):
    schema = operator.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/orders/"]["post"]
    assert "lines" in operation["requestBody"]["content"]["application/json"]["schema"]["properties"]
