"""The roles of R-OPS-1 and what each one's home screen is.

A role is a property of the person, not a Django group: it decides the home screen, the menu
and which pages answer. Fine-grained model permissions stay with Django's admin for the
administrator.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OPERATOR = "operator", _("Operator")
    ACCOUNT_MANAGER = "account_manager", _("Account manager")
    SALES_HEAD = "sales_head", _("Sales department head")
    WHOLESALE_HEAD = "wholesale_head", _("Head of wholesale")
    CC_HEAD = "cc_head", _("Head of contact center")
    FINANCE = "finance", _("Finance")
    ADMIN = "admin", _("Administrator")
    CLIENT = "client", _("Client user")


STAFF_ROLES = frozenset(r for r in Role if r != Role.CLIENT)
HEADS = frozenset({Role.SALES_HEAD, Role.WHOLESALE_HEAD, Role.CC_HEAD})
SALES_SIDE = frozenset({Role.ACCOUNT_MANAGER, Role.SALES_HEAD, Role.WHOLESALE_HEAD})

# URL name of each role's home screen.
HOME = {
    Role.OPERATOR: "calls:desk",
    Role.ACCOUNT_MANAGER: "orders:manager",
    Role.SALES_HEAD: "customers:sales_home",
    Role.WHOLESALE_HEAD: "customers:sales_home",
    Role.CC_HEAD: "calls:wallboard",
    Role.FINANCE: "customers:finance_home",
    Role.ADMIN: "core:admin_home",
    Role.CLIENT: "clients:portal",
}
