"""Pages of the foundation: home, accounts, audit, lists of customers, orders and calls.

Each rule: URL name -> (roles allowed, kwargs builder or None[, "post"]). The kwargs builder
gets a dict with `users`, `customer`, `hotline_a`, `order` and may create what it needs.
"""

from .common import EVERYONE, PUBLIC, STAFF, R

ORDER_READERS = {R.OPERATOR, R.ACCOUNT_MANAGER, R.SALES_HEAD, R.WHOLESALE_HEAD, R.FINANCE, R.CC_HEAD}

RULES = {
    "core:home": (EVERYONE, None),
    "core:admin_home": ({R.ADMIN}, None),
    "accounts:login": (PUBLIC, None),
    "accounts:logout": (PUBLIC, None, "post"),
    "accounts:profile": (EVERYONE, None),
    "audit:list": ({R.CC_HEAD, R.FINANCE, R.ADMIN}, None),
    "hotlines:list": ({R.CC_HEAD, R.ADMIN}, None),
    "clients:portal": ({R.CLIENT}, None),
    "clients:hotline": ({R.CLIENT}, lambda f: {"hotline_id": f["hotline_a"].pk}),
    "customers:list": (STAFF, None),
    "customers:detail": (STAFF, lambda f: {"customer_id": f["customer"].pk}),
    "customers:sales_home": ({R.SALES_HEAD, R.WHOLESALE_HEAD}, None),
    "customers:finance_home": ({R.FINANCE}, None),
    "orders:list": (ORDER_READERS, None),
    "orders:manager": ({R.ACCOUNT_MANAGER}, None),
    "orders:detail": (ORDER_READERS, lambda f: {"order_id": f["order"].pk}),
}
