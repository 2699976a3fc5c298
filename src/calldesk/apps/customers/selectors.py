from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from calldesk.apps.accounts.roles import Role
from calldesk.apps.core.phones import InvalidPhone, normalize_phone

from .models import Customer, Invoice

ZERO = Decimal("0.00")


def get_visible_customers(user: object) -> QuerySet[Customer]:
    """Account managers see their own customers; the other staff roles see all of them."""
    customers = Customer.objects.select_related("type", "manager", "department")
    if user.role == Role.ACCOUNT_MANAGER:  # type: ignore[attr-defined]
        customers = customers.filter(manager=user)
    return customers


def find_customer_by_phone(raw: str) -> Customer | None:
    try:
        number = normalize_phone(raw)
    except InvalidPhone:
        return None
    return (
        Customer.objects.select_related("type", "manager", "department")
        .filter(phones__number=number)
        .first()
    )


@dataclass(frozen=True, slots=True)
class Receivables:
    outstanding: Decimal
    overdue: Decimal
    oldest_overdue_due_on: date | None
    open_invoices: int


def get_receivables(customer_id: int, today: date, grace_days: int = 0) -> Receivables:
    """One indexed aggregate over the customer's open invoices."""
    from datetime import timedelta

    overdue_before = today - timedelta(days=grace_days)
    outstanding_expr = Coalesce(Sum("amount") - Sum("paid"), ZERO)
    row = Invoice.objects.filter(customer_id=customer_id, is_open=True).aggregate(
        outstanding=outstanding_expr,
        overdue_amount=Coalesce(Sum("amount", filter=Q(due_on__lt=overdue_before)), ZERO),
        overdue_paid=Coalesce(Sum("paid", filter=Q(due_on__lt=overdue_before)), ZERO),
        oldest=Min("due_on", filter=Q(due_on__lt=overdue_before)),
        n=Count("id"),
    )
    return Receivables(
        outstanding=row["outstanding"],
        overdue=row["overdue_amount"] - row["overdue_paid"],
        oldest_overdue_due_on=row["oldest"],
        open_invoices=row["n"],
    )


def get_overdue_customers(today: date) -> QuerySet[Customer]:
    return (
        Customer.objects.filter(invoices__is_open=True, invoices__due_on__lt=today)
        .annotate(
            overdue=Sum("invoices__amount") - Sum("invoices__paid"),
            oldest_due=Min("invoices__due_on"),
        )
        .select_related("manager", "type")
        .order_by("oldest_due")
    )
