from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from calldesk.apps.accounts.permissions import role_required
from calldesk.apps.accounts.roles import Role
from calldesk.apps.customers.selectors import find_customer_by_phone, get_receivables
from calldesk.apps.hotlines.models import Hotline

from .models import Call
from .selectors import get_hotline_day_stats, local_day_start

DESK_ROLES = (Role.OPERATOR, Role.ACCOUNT_MANAGER, Role.WHOLESALE_HEAD)


@role_required(*DESK_ROLES)
def desk(request: HttpRequest) -> HttpResponse:
    number = request.GET.get("number", "").strip()
    customer = find_customer_by_phone(number) if number else None
    receivables = get_receivables(customer.pk, timezone.localdate(), customer.grace_days) if customer else None
    context = {
        "number": number,
        "customer": customer,
        "receivables": receivables,
        "searched": bool(number),
        "recent_calls": Call.objects.filter(operator=request.user, offered_at__gte=local_day_start())
        .select_related("hotline", "customer")[:20],
    }
    template = "calls/_caller_card.html" if request.htmx else "calls/desk.html"
    return render(request, template, context)


@role_required(Role.CC_HEAD, Role.WHOLESALE_HEAD, Role.SALES_HEAD)
def wallboard(request: HttpRequest) -> HttpResponse:
    hotlines = list(Hotline.objects.select_related("client").exclude(status=Hotline.Status.CLOSED))
    stats = get_hotline_day_stats([h.pk for h in hotlines])
    return render(request, "calls/wallboard.html", {"rows": [(h, stats.get(h.pk)) for h in hotlines]})
