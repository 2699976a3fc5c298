"""Credit check before and during order taking (R-ORD-4).

The check is O(1): it reads a :class:`LedgerSummary` — three aggregates over the customer's
open invoices — instead of the invoices themselves, so the database layer answers it with one
aggregate query however long the ledger is. :func:`summarise_ledger` is the in-memory
reference for that query (tests use it; adapters must match it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from ._money import ZERO, format_money, require_money
from .messages import MessageParams, default_message


class CreditStatus(StrEnum):
    OK = "ok"
    BLOCKED = "blocked"


class TransferTarget(StrEnum):
    """Who a blocked customer is transferred to."""

    MANAGER = "manager"
    FINANCE = "finance"


class CreditReasonCode(StrEnum):
    OVERDUE = "OVERDUE"
    OVER_LIMIT = "OVER_LIMIT"


@dataclass(frozen=True, slots=True)
class CreditTerms:
    """The customer's credit conditions.

    ``payment_terms`` is the configured terms code (data, e.g. "net14", "prepay"); it is only
    carried into the decision for display. ``on_credit`` says whether orders under these terms
    are delivered on credit: for prepayment / cash-on-delivery terms it is False, and then the
    order being taken adds nothing to exposure (existing debt still counts and still blocks).
    """

    credit_limit: Decimal
    grace_days: int
    payment_terms: str
    on_credit: bool = True

    def __post_init__(self) -> None:
        require_money("credit_limit", self.credit_limit)
        if self.grace_days < 0:
            raise ValueError(f"grace_days must not be negative, got {self.grace_days}")


@dataclass(frozen=True, slots=True)
class OpenInvoice:
    """One receivable; ``outstanding`` <= 0 (paid, credit note) is not an open invoice."""

    outstanding: Decimal
    due_date: date

    def __post_init__(self) -> None:
        require_money("outstanding", self.outstanding, allow_negative=True)


def calculate_overdue_cutoff(today: date, grace_days: int) -> date:
    """Invoices due strictly before the returned date are overdue.

    ``due_date + grace_days < today``  <=>  ``due_date < today - grace_days``; the second form
    is what an index on ``due_date`` can serve.
    """
    if grace_days < 0:
        raise ValueError(f"grace_days must not be negative, got {grace_days}")
    return today - timedelta(days=grace_days)


@dataclass(frozen=True, slots=True)
class LedgerSummary:
    """Aggregates of a customer's open invoices, relative to an overdue cutoff.

    Fill it with one aggregate query over invoices with ``outstanding > 0``, using
    ``cutoff = calculate_overdue_cutoff(today, terms.grace_days)``::

        SELECT COALESCE(SUM(outstanding), 0)                                  AS open_total,
               COALESCE(SUM(outstanding) FILTER (WHERE due_date < :cutoff), 0) AS overdue_total,
               MIN(due_date)             FILTER (WHERE due_date < :cutoff)     AS oldest_overdue
        FROM invoice WHERE customer_id = :customer AND outstanding > 0

    (Django: ``aggregate(Sum(...), Sum(..., filter=Q(due_date__lt=cutoff)), Min(..., filter=...))``.)
    ``overdue_before`` records the cutoff used, so the check can refuse a summary computed for
    another day or another grace period instead of silently misjudging it.
    """

    overdue_before: date
    open_total: Decimal
    overdue_total: Decimal
    oldest_overdue_due_date: date | None

    def __post_init__(self) -> None:
        require_money("open_total", self.open_total)
        require_money("overdue_total", self.overdue_total)
        if self.overdue_total > self.open_total:
            raise ValueError("overdue_total cannot exceed open_total")
        if (self.overdue_total > 0) != (self.oldest_overdue_due_date is not None):
            raise ValueError(
                "oldest_overdue_due_date must be set exactly when something is overdue"
            )
        if (
            self.oldest_overdue_due_date is not None
            and self.oldest_overdue_due_date >= self.overdue_before
        ):
            raise ValueError("oldest_overdue_due_date must lie before overdue_before")


def summarise_ledger(
    invoices: Iterable[OpenInvoice], *, today: date, grace_days: int
) -> LedgerSummary:
    """In-memory equivalent of the aggregate query documented on :class:`LedgerSummary`."""
    cutoff = calculate_overdue_cutoff(today, grace_days)
    open_total = ZERO
    overdue_total = ZERO
    oldest: date | None = None
    for invoice in invoices:
        if invoice.outstanding <= 0:
            continue
        open_total += invoice.outstanding
        if invoice.due_date < cutoff:
            overdue_total += invoice.outstanding
            if oldest is None or invoice.due_date < oldest:
                oldest = invoice.due_date
    return LedgerSummary(
        overdue_before=cutoff,
        open_total=open_total,
        overdue_total=overdue_total,
        oldest_overdue_due_date=oldest,
    )


@dataclass(frozen=True, slots=True)
class OverdueReason:
    """Blocked because invoices are overdue; days are counted from the due date, not grace end."""

    amount: Decimal
    oldest_days_overdue: int
    oldest_due_date: date

    @property
    def code(self) -> CreditReasonCode:
        return CreditReasonCode.OVERDUE

    @property
    def params(self) -> MessageParams:
        return {
            "amount": format_money(self.amount),
            "days": self.oldest_days_overdue,
            "oldest_due_date": self.oldest_due_date.isoformat(),
        }

    @property
    def message_en(self) -> str:
        return default_message(self.code, self.params)


@dataclass(frozen=True, slots=True)
class OverLimitReason:
    """Blocked because exposure exceeds the credit limit by ``excess`` (> 0)."""

    exposure: Decimal
    limit: Decimal
    excess: Decimal

    @property
    def code(self) -> CreditReasonCode:
        return CreditReasonCode.OVER_LIMIT

    @property
    def params(self) -> MessageParams:
        return {
            "exposure": format_money(self.exposure),
            "limit": format_money(self.limit),
            "excess": format_money(self.excess),
        }

    @property
    def message_en(self) -> str:
        return default_message(self.code, self.params)


CreditReason = OverdueReason | OverLimitReason


@dataclass(frozen=True, slots=True)
class CreditDecision:
    """Outcome of a credit check.

    ``headroom`` is ``limit - exposure`` (negative when over the limit); at 0 the customer is
    still OK but any further credit order will be blocked, which the UI may want to warn about.
    ``transfer_to`` is set exactly when blocked.
    """

    status: CreditStatus
    reasons: tuple[CreditReason, ...]
    exposure: Decimal
    limit: Decimal
    headroom: Decimal
    payment_terms: str
    transfer_to: TransferTarget | None

    @property
    def ok(self) -> bool:
        return self.status is CreditStatus.OK


def choose_transfer_target(*, has_manager: bool, manager_available: bool) -> TransferTarget:
    """The customer's own manager when assigned and available now, otherwise finance."""
    return TransferTarget.MANAGER if has_manager and manager_available else TransferTarget.FINANCE


def check_credit(
    *,
    terms: CreditTerms,
    ledger: LedgerSummary,
    unshipped_total: Decimal,
    order_total: Decimal,
    today: date,
    has_manager: bool,
    manager_available: bool,
) -> CreditDecision:
    """May this order be taken on the customer's credit? (R-ORD-4)

    Blocked iff something is overdue (``ledger.overdue_total > 0``) or
    ``exposure = open invoices + unshipped orders + this order`` exceeds the limit; exposure
    exactly at the limit is OK. Both reasons are reported when both apply.
    """
    require_money("unshipped_total", unshipped_total)
    require_money("order_total", order_total)
    expected_cutoff = calculate_overdue_cutoff(today, terms.grace_days)
    if ledger.overdue_before != expected_cutoff:
        raise ValueError(
            f"ledger summary was computed for cutoff {ledger.overdue_before}, "
            f"but today={today} and grace_days={terms.grace_days} need {expected_cutoff}"
        )

    exposure = ledger.open_total + unshipped_total + (order_total if terms.on_credit else ZERO)
    reasons: list[CreditReason] = []
    if ledger.oldest_overdue_due_date is not None:
        reasons.append(
            OverdueReason(
                amount=ledger.overdue_total,
                oldest_days_overdue=(today - ledger.oldest_overdue_due_date).days,
                oldest_due_date=ledger.oldest_overdue_due_date,
            )
        )
    if exposure > terms.credit_limit:
        reasons.append(
            OverLimitReason(
                exposure=exposure,
                limit=terms.credit_limit,
                excess=exposure - terms.credit_limit,
            )
        )
    blocked = bool(reasons)
    return CreditDecision(
        status=CreditStatus.BLOCKED if blocked else CreditStatus.OK,
        reasons=tuple(reasons),
        exposure=exposure,
        limit=terms.credit_limit,
        headroom=terms.credit_limit - exposure,
        payment_terms=terms.payment_terms,
        transfer_to=(
            choose_transfer_target(has_manager=has_manager, manager_available=manager_available)
            if blocked
            else None
        ),
    )


def check_credit_before_order(
    *,
    terms: CreditTerms,
    ledger: LedgerSummary,
    unshipped_total: Decimal,
    today: date,
    has_manager: bool,
    manager_available: bool,
) -> CreditDecision:
    """The check at the start of a call, before any line is entered (order total 0)."""
    return check_credit(
        terms=terms,
        ledger=ledger,
        unshipped_total=unshipped_total,
        order_total=ZERO,
        today=today,
        has_manager=has_manager,
        manager_available=manager_available,
    )
