"""The menu each role sees. Items are URL names, so a renamed page breaks a test, not a user."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .roles import Role

MENU: dict[str, list[tuple[str, object]]] = {
    Role.OPERATOR: [
        ("calls:desk", _("Call desk")),
        ("orders:list", _("Orders")),
        ("customers:list", _("Customers")),
    ],
    Role.ACCOUNT_MANAGER: [
        ("orders:manager", _("My orders")),
        ("customers:list", _("My customers")),
        ("calls:desk", _("Call desk")),
    ],
    Role.SALES_HEAD: [
        ("customers:sales_home", _("Department")),
        ("orders:list", _("Orders")),
        ("customers:list", _("Customers")),
    ],
    Role.WHOLESALE_HEAD: [
        ("customers:sales_home", _("Wholesale")),
        ("orders:list", _("Orders")),
        ("customers:list", _("Customers")),
        ("calls:desk", _("Call desk")),
    ],
    Role.CC_HEAD: [
        ("calls:wallboard", _("Wallboard")),
        ("hotlines:list", _("Hotlines")),
        ("workforce:plan", _("Staffing plan")),
        ("audit:list", _("Audit log")),
    ],
    Role.FINANCE: [
        ("customers:finance_home", _("Receivables")),
        ("customers:list", _("Customers")),
        ("audit:list", _("Audit log")),
    ],
    Role.ADMIN: [
        ("core:admin_home", _("Administration")),
        ("audit:list", _("Audit log")),
        ("hotlines:list", _("Hotlines")),
    ],
    Role.CLIENT: [
        ("clients:portal", _("My hotlines")),
    ],
}


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    items = [{"url": reverse(name), "label": label, "active": False} for name, label in MENU.get(user.role, [])]
    # The longest matching prefix is the current section: /customers/receivables/ is not /customers/.
    matching = [item for item in items if request.path.startswith(item["url"])]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["active"] = True
    return {"menu": items}
