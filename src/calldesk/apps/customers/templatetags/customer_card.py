"""The caller's card extras (R-ORD-2, R-ORD-4): credit status with its reason and whom to
transfer to, last orders, usual products and open remarks.

An inclusion tag, so any screen that includes `customers/_card.html` with just `customer`
(and optionally `receivables`) gets the full card; a view that already computed the credit
status passes it as `credit` and it is not computed twice.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from calldesk.apps.orders.messages import message_for
from calldesk.apps.orders.selectors import (
    ORDER_TAKERS,
    get_business_today,
    get_credit_status,
    get_last_orders,
    get_traditional_products,
)

register = template.Library()


@register.inclusion_tag("customers/_card_extras.html", takes_context=True)
def customer_card_extras(context: template.Context, customer: Any) -> dict[str, Any]:
    now = timezone.now()
    credit = context.get("credit") or get_credit_status(customer, now)
    decision = credit.decision
    transfer = ""
    if not decision.ok:
        code = "TRANSFER_MANAGER" if decision.transfer_to == "manager" else "TRANSFER_FINANCE"
        transfer = message_for(code, {"name": credit.transfer_name})
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "customer": customer,
        "credit": credit,
        "reasons": [message_for(str(r.code), dict(r.params)) for r in decision.reasons],
        "transfer": transfer,
        "last_orders": get_last_orders(customer.pk),
        "traditional": get_traditional_products(customer.pk, get_business_today(now)),
        "remarks": customer.remarks.filter(status="new").select_related("department")[:3],
        "can_take_order": getattr(user, "role", None) in ORDER_TAKERS,
        "hide_actions": context.get("hide_card_actions", False),
        "call": context.get("call", ""),
        "csrf_token": context.get("csrf_token"),
    }
