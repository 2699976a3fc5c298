from django.db.models import QuerySet

from calldesk.apps.accounts.roles import Role

from .models import Order


def get_visible_orders(user: object) -> QuerySet[Order]:
    orders = Order.objects.select_related("customer", "customer__type", "column", "taken_by")
    if user.role == Role.ACCOUNT_MANAGER:  # type: ignore[attr-defined]
        orders = orders.filter(customer__manager=user)
    return orders
