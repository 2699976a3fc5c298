"""Per-customer signed links to the web order form (R-ORD-13): no login, no guessable ids.

The token carries the customer id and the customer's `web_link_version`; raising the version
(in the admin) revokes every link handed out before.
"""

from __future__ import annotations

from django.core import signing

from calldesk.apps.customers.models import Customer

SALT = "calldesk.orders.web-order-link"


def make_web_order_token(customer: Customer) -> str:
    return signing.dumps({"c": customer.pk, "v": customer.web_link_version}, salt=SALT, compress=True)


def get_customer_for_token(token: str) -> Customer | None:
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    customer = Customer.objects.select_related("type").filter(pk=data.get("c")).first()
    if customer is None or customer.web_link_version != data.get("v"):
        return None
    return customer
