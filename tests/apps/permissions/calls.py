"""Live call screens (R-OPS-1, R-OPS-2): the desk for everyone routing rings, the wallboard for heads."""

from .common import R

RULES = {
    "calls:desk": ({R.OPERATOR, R.ACCOUNT_MANAGER, R.WHOLESALE_HEAD, R.SALES_HEAD, R.FINANCE}, None),
    "calls:wallboard": ({R.CC_HEAD, R.WHOLESALE_HEAD, R.SALES_HEAD}, None),
}
