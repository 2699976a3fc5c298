"""Pages of the order desk (issue #3): order entry, escalations, remarks, imports, web orders.

Same format as foundation.py: URL name -> (roles allowed, kwargs builder or None[, "post"]).
"""

from .common import PUBLIC, R

ORDER_TAKERS = {R.OPERATOR, R.ACCOUNT_MANAGER, R.SALES_HEAD, R.WHOLESALE_HEAD}
SALES_HEADS = {R.SALES_HEAD, R.WHOLESALE_HEAD}
HEADS_AND_FINANCE = {R.SALES_HEAD, R.WHOLESALE_HEAD, R.CC_HEAD, R.FINANCE, R.ADMIN}
IMPORTERS = {R.ADMIN, R.FINANCE, R.SALES_HEAD, R.WHOLESALE_HEAD}


def _order(f):
    return {"order_id": f["order"].pk}


def _customer(f):
    return {"customer_id": f["customer"].pk}


def _escalation(f):
    from calldesk.apps.orders.models import Escalation

    escalation = Escalation.objects.create(
        order=f["order"], customer=f["customer"], raised_by=f["users"][R.OPERATOR], question="?",
    )
    return {"escalation_id": escalation.pk}


def _remark(f):
    from calldesk.apps.customers.models import Remark

    remark = Remark.objects.create(customer=f["customer"], department=f["customer"].department, text="!")
    return {"remark_id": remark.pk}


def _web(f):
    from calldesk.apps.orders.weblinks import make_web_order_token

    return {"token": make_web_order_token(f["customer"])}


RULES = {
    "orders:new": (ORDER_TAKERS, None),
    "orders:entry": (ORDER_TAKERS, _order),
    "orders:lines": (ORDER_TAKERS, _order),
    "orders:products": (ORDER_TAKERS, _order),
    "orders:column": (ORDER_TAKERS, _order),
    "orders:offers": (ORDER_TAKERS, _order),
    "orders:place": (ORDER_TAKERS, _order),
    "orders:cancel": (ORDER_TAKERS, _order),
    "orders:escalate": (ORDER_TAKERS, _order),
    "orders:web": (PUBLIC, _web),
    "customers:reference_mail": (ORDER_TAKERS, _customer),
    "customers:remarks_new": (ORDER_TAKERS, _customer),
    "customers:remarks": (HEADS_AND_FINANCE, None),
    "customers:remark": (HEADS_AND_FINANCE, _remark),
    "customers:escalation": (SALES_HEADS, _escalation),
    "customers:import": (IMPORTERS, None),
}
