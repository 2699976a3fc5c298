from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from calldesk.apps.accounts.permissions import ANY_STAFF, role_required
from calldesk.apps.accounts.roles import Role
from calldesk.apps.orders import services as order_services
from calldesk.apps.orders.forms import AnswerForm
from calldesk.apps.orders.models import Escalation, Order
from calldesk.apps.orders.selectors import ORDER_TAKERS, get_credit_status, get_open_escalations
from calldesk.apps.orders.weblinks import make_web_order_token

from . import services
from .forms import HandleRemarkForm, ImportForm, ReferenceMailForm, RemarkForm
from .imports import ImportFailed, kinds_for, run_import
from .models import Customer, Remark
from .selectors import (
    get_department_remarks,
    get_overdue_customers,
    get_receivables,
    get_visible_customers,
)

HEADS_AND_FINANCE = (Role.SALES_HEAD, Role.WHOLESALE_HEAD, Role.CC_HEAD, Role.FINANCE, Role.ADMIN)
IMPORTERS = (Role.ADMIN, Role.FINANCE, Role.SALES_HEAD, Role.WHOLESALE_HEAD)
SALES_HEADS = (Role.SALES_HEAD, Role.WHOLESALE_HEAD)


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
    now = timezone.now()
    receivables = get_receivables(customer.pk, timezone.localdate(), customer.grace_days)
    orders = customer.orders.exclude(status=Order.Status.DRAFT).select_related("column")[:10]
    web_link = None
    if request.user.role in (*ORDER_TAKERS, Role.ADMIN):
        web_link = request.build_absolute_uri(reverse("orders:web", args=[make_web_order_token(customer)]))
    return render(request, "customers/detail.html", {
        "customer": customer, "receivables": receivables, "orders": orders, "phones": customer.phones.all(),
        "contacts": customer.contacts.all(), "credit": get_credit_status(customer, now), "web_link": web_link,
    })


@role_required(*SALES_HEADS)
def sales_home(request: HttpRequest) -> HttpResponse:
    """The department head's desk: escalations to answer (R-ORD-8), remarks (R-ORD-11), and
    new customers waiting for a manager."""
    unassigned = Customer.objects.filter(manager__isnull=True).select_related("type")
    if request.user.department_id:
        unassigned = unassigned.filter(Q(department_id=request.user.department_id) | Q(department__isnull=True))
    return render(request, "customers/sales_home.html", {
        "unassigned": unassigned[:50],
        "escalations": get_open_escalations(request.user)[:50],
        "remarks": get_department_remarks(request.user)[:20],
    })


@role_required(*SALES_HEADS)
def escalation_answer(request: HttpRequest, escalation_id: int) -> HttpResponse:
    escalation = get_object_or_404(Escalation.objects.select_related("customer", "order", "raised_by"), pk=escalation_id)
    form = AnswerForm(request.POST or None, initial={"answer": escalation.answer})
    if request.method == "POST" and form.is_valid():
        order_services.answer_escalation(escalation.pk, form.cleaned_data["answer"], actor=request.user)
        messages.success(request, _("Your answer is recorded on the order."))
        return redirect("customers:sales_home")
    return render(request, "customers/escalation.html", {"escalation": escalation, "form": form})


@role_required(Role.FINANCE)
def finance_home(request: HttpRequest) -> HttpResponse:
    page = Paginator(get_overdue_customers(timezone.localdate()), 50).get_page(request.GET.get("page"))
    return render(request, "customers/finance_home.html", {"page": page, "remarks": get_department_remarks(request.user)[:20]})


# --- remarks and wishes (R-ORD-11) ------------------------------------------------------------


@role_required(*ORDER_TAKERS)
def remark_new(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = get_object_or_404(get_visible_customers(request.user), pk=customer_id)
    form = RemarkForm(request.POST or None, initial={"department": customer.department_id})
    if request.method == "POST" and form.is_valid():
        remark = services.create_remark(
            customer, department=form.cleaned_data["department"], kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"], actor=request.user,
        )
        messages.success(request, _("Passed to %(department)s.") % {"department": remark.department})
        back = request.POST.get("next") or ""
        return redirect(back if back.startswith("/") and not back.startswith("//") else reverse("customers:detail", args=[customer.pk]))
    return render(request, "customers/remark_form.html", {"customer": customer, "form": form, "next": request.GET.get("next", "")})


@role_required(*HEADS_AND_FINANCE)
def remark_list(request: HttpRequest) -> HttpResponse:
    show_all = request.GET.get("all") == "1"
    page = Paginator(get_department_remarks(request.user, only_new=not show_all), 50).get_page(request.GET.get("page"))
    return render(request, "customers/remarks.html", {"page": page, "show_all": show_all})


@role_required(*HEADS_AND_FINANCE)
def remark_detail(request: HttpRequest, remark_id: int) -> HttpResponse:
    remark = get_object_or_404(Remark.objects.select_related("customer", "department", "author", "handled_by"), pk=remark_id)
    form = HandleRemarkForm(request.POST or None, initial={"response": remark.response})
    if request.method == "POST" and form.is_valid():
        services.handle_remark(remark.pk, response=form.cleaned_data["response"], actor=request.user)
        messages.success(request, _("The remark is marked as handled."))
        return redirect("customers:remarks")
    return render(request, "customers/remark.html", {"remark": remark, "form": form})


# --- reference information by e-mail (R-ORD-9) ------------------------------------------------


@role_required(*ORDER_TAKERS)
def reference_mail(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = get_object_or_404(get_visible_customers(request.user), pk=customer_id)
    order = None
    order_id = request.GET.get("order") or request.POST.get("order")
    if order_id and str(order_id).isdigit():
        order = customer.orders.filter(pk=int(order_id)).first()
    codes: list[str] = []
    if order is not None:
        codes = list(order.lines.values_list("product__code", flat=True)) + list(order.offers.values_list("product__code", flat=True))
    emails = [e for e in [customer.email, *customer.contacts.exclude(email="").values_list("email", flat=True)] if e]
    form = ReferenceMailForm(request.POST or None, initial={"to": emails[0] if emails else "", "products": " ".join(dict.fromkeys(codes))})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        order_services.send_reference_info(customer, order_services.ReferenceRequest(
            to=data["to"], assortment=data["assortment"], prices=data["prices"], delivery_terms=data["delivery_terms"],
            certificates=data["certificates"], product_codes=tuple(data["products"].upper().split()),
            column=order.column.code if order is not None else None,
        ), actor=request.user)
        messages.success(request, _("Reference information is sent to %(to)s.") % {"to": data["to"]})
        if order is not None and order.status == Order.Status.DRAFT:
            return redirect("orders:entry", order_id=order.pk)
        return redirect("customers:detail", customer_id=customer.pk)
    return render(request, "customers/reference_mail.html", {"customer": customer, "form": form, "emails": emails, "order": order})


# --- imports -----------------------------------------------------------------------------------


@role_required(*IMPORTERS)
def import_data(request: HttpRequest) -> HttpResponse:
    """Upload a CSV/XLSX export; a bad row is reported with its line and nothing changes."""
    kinds = kinds_for(request.user.role)
    form = ImportForm(request.POST or None, request.FILES or None, kinds=kinds)
    result = None
    errors = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = run_import(form.cleaned_data["kind"], upload.read(), upload.name, actor=request.user,
                                dry_run=form.cleaned_data["dry_run"])
        except ImportFailed as exc:
            errors = exc.errors
    return render(request, "customers/import.html", {"form": form, "result": result, "errors": errors})
