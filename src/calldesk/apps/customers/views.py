from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from calldesk.apps.accounts.permissions import ANY_STAFF, role_required
from calldesk.apps.accounts.roles import Role

from .models import Customer
from .selectors import get_overdue_customers, get_receivables, get_visible_customers


@role_required(*ANY_STAFF)
def customer_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    customers = get_visible_customers(request.user)
    if query:
        customers = customers.filter(
            Q(legal_name__icontains=query) | Q(code__iexact=query) | Q(tax_id=query) | Q(phones__number__contains=query)
        ).distinct()
    page = Paginator(customers, 50).get_page(request.GET.get("page"))
    template = "customers/_rows.html" if request.htmx else "customers/list.html"
    return render(request, template, {"page": page, "q": query})


@role_required(*ANY_STAFF)
def customer_detail(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = get_object_or_404(get_visible_customers(request.user), pk=customer_id)
    receivables = get_receivables(customer.pk, timezone.localdate(), customer.grace_days)
    orders = customer.orders.select_related("column")[:10]
    return render(
        request,
        "customers/detail.html",
        {"customer": customer, "receivables": receivables, "orders": orders, "phones": customer.phones.all()},
    )


@role_required(Role.SALES_HEAD, Role.WHOLESALE_HEAD)
def sales_home(request: HttpRequest) -> HttpResponse:
    unassigned = Customer.objects.filter(manager__isnull=True).select_related("type")
    if request.user.department_id:
        unassigned = unassigned.filter(Q(department_id=request.user.department_id) | Q(department__isnull=True))
    return render(request, "customers/sales_home.html", {"unassigned": unassigned[:50]})


@role_required(Role.FINANCE)
def finance_home(request: HttpRequest) -> HttpResponse:
    page = Paginator(get_overdue_customers(timezone.localdate()), 50).get_page(request.GET.get("page"))
    return render(request, "customers/finance_home.html", {"page": page})
