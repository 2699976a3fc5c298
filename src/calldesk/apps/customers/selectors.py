from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Min, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from calldesk.apps.accounts.roles import Role
from calldesk.apps.core.phones import InvalidPhone, normalize_phone
from calldesk.domain import ordering as dom

from .models import Customer, Department, Invoice, Remark

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


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


def to_money(value: object) -> Decimal:
    """A SUM as the driver returns it (Decimal on PostgreSQL, int or float on SQLite) in cents."""
    if value is None:
        return ZERO
    return Decimal(str(value)).quantize(CENT)


def get_ledger_summary(customer_id: int, today: date, grace_days: int) -> dom.LedgerSummary:
    """The credit check's view of the ledger: ONE aggregate over open invoices (R-ORD-4).

    `is_open` is kept equal to `paid < amount`, so "open" here is the domain's
    "outstanding > 0"; the partial index on open invoices serves the query at any ledger size.
    Plain SQL: it runs on every order, and the ORM spent longer composing it than the
    database spent answering it.
    """
    cutoff = dom.calculate_overdue_cutoff(today, grace_days)
    table = Invoice._meta.db_table
    sql = (
        f"SELECT SUM(amount - paid), SUM(CASE WHEN due_on < %s THEN amount - paid ELSE 0 END), "
        f"MIN(CASE WHEN due_on < %s THEN due_on END) FROM {table} WHERE customer_id = %s AND is_open"
    )
    day = connection.ops.adapt_datefield_value(cutoff)
    with connection.cursor() as cursor:
        cursor.execute(sql, [day, day, customer_id])
        open_raw, overdue_raw, oldest_raw = cursor.fetchone()
    open_total = to_money(open_raw)
    overdue_total = min(to_money(overdue_raw), open_total)
    oldest = None
    if overdue_total > 0 and oldest_raw is not None:
        oldest = oldest_raw if isinstance(oldest_raw, date) else date.fromisoformat(str(oldest_raw)[:10])
    return dom.LedgerSummary(
        overdue_before=cutoff,
        open_total=open_total,
        overdue_total=overdue_total if oldest is not None else ZERO,
        oldest_overdue_due_date=oldest,
    )


def get_credit_terms(customer: Customer) -> dom.CreditTerms:
    return dom.CreditTerms(
        credit_limit=Decimal(customer.credit_limit),
        grace_days=customer.grace_days,
        payment_terms=f"net{customer.payment_terms_days}" if customer.on_credit else "prepayment",
        on_credit=customer.on_credit,
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


def get_finance_department() -> Department | None:
    return Department.objects.filter(kind=Department.Kind.FINANCE).select_related("head").order_by("pk").first()


def get_department_remarks(user: object, *, only_new: bool = True) -> QuerySet[Remark]:
    """Remarks routed to the departments this user heads or works in (R-ORD-11)."""
    remarks = Remark.objects.select_related("customer", "department", "author")
    scope = Q(department__head=user)
    if getattr(user, "department_id", None):
        scope |= Q(department_id=user.department_id)  # type: ignore[attr-defined]
    if getattr(user, "role", None) == Role.ADMIN:
        scope = Q()
    remarks = remarks.filter(scope)
    if only_new:
        remarks = remarks.filter(status=Remark.Status.NEW)
    return remarks
