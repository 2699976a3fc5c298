from django.contrib.auth import get_user_model
from django.db.models import Count

from calldesk.apps.audit.models import AuditEvent
from calldesk.apps.catalog.models import Product
from calldesk.apps.clients.models import ClientCompany
from calldesk.apps.customers.models import Customer
from calldesk.apps.hotlines.models import Hotline
from calldesk.apps.orders.models import Order


def get_system_counts() -> dict[str, object]:
    users_by_role = dict(
        get_user_model().objects.filter(is_active=True).values_list("role").annotate(n=Count("id"))
    )
    return {
        "users_by_role": users_by_role,
        "clients": ClientCompany.objects.count(),
        "hotlines": Hotline.objects.count(),
        "customers": Customer.objects.count(),
        "products": Product.objects.count(),
        "orders": Order.objects.count(),
        "audit_events": AuditEvent.objects.count(),
    }
