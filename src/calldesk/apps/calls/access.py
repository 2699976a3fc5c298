"""Who uses the live call screens (R-OPS-1): everyone routing can ring, and the heads."""

from calldesk.apps.accounts.roles import Role

# Routing rings operators, managers, department heads and finance (R-ORD-3, R-ORD-4).
DESK_ROLES = (Role.OPERATOR, Role.ACCOUNT_MANAGER, Role.WHOLESALE_HEAD, Role.SALES_HEAD, Role.FINANCE)
WALLBOARD_ROLES = (Role.CC_HEAD, Role.WHOLESALE_HEAD, Role.SALES_HEAD)
