from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calldesk.domain.ordering import (
    CreditDecision,
    CreditReasonCode,
    CreditStatus,
    CreditTerms,
    LedgerSummary,
    OpenInvoice,
    OverdueReason,
    OverLimitReason,
    TransferTarget,
    calculate_overdue_cutoff,
    check_credit,
    check_credit_before_order,
    summarise_ledger,
)

TODAY = date(2025, 3, 10)
D = Decimal


def terms(limit: str = "1000.00", grace: int = 0, *, on_credit: bool = True) -> CreditTerms:
    return CreditTerms(
        credit_limit=D(limit), grace_days=grace, payment_terms="net14", on_credit=on_credit
    )


def run(
    invoices: list[OpenInvoice],
    *,
    limit: str = "1000.00",
    grace: int = 0,
    unshipped: str = "0",
    order: str = "0",
    has_manager: bool = False,
    manager_available: bool = False,
    on_credit: bool = True,
) -> CreditDecision:
    t = terms(limit, grace, on_credit=on_credit)
    return check_credit(
        terms=t,
        ledger=summarise_ledger(invoices, today=TODAY, grace_days=grace),
        unshipped_total=D(unshipped),
        order_total=D(order),
        today=TODAY,
        has_manager=has_manager,
        manager_available=manager_available,
    )


def test_customer_without_debt_is_ok() -> None:
    # R-ORD-4
    decision = run([], order="250.00")
    assert decision.ok and decision.status is CreditStatus.OK
    assert decision.reasons == ()
    assert decision.transfer_to is None
    assert decision.exposure == D("250.00")
    assert decision.headroom == D("750.00")


def test_invoices_not_yet_due_do_not_block() -> None:
    # R-ORD-4
    decision = run([OpenInvoice(D("300"), TODAY), OpenInvoice(D("200"), TODAY + timedelta(3))])
    assert decision.ok
    assert decision.exposure == D("500")


def test_overdue_invoice_blocks_with_amount_and_oldest_days() -> None:
    # R-ORD-4
    decision = run(
        [
            OpenInvoice(D("120.50"), TODAY - timedelta(days=5)),
            OpenInvoice(D("79.50"), TODAY - timedelta(days=20)),
            OpenInvoice(D("500.00"), TODAY + timedelta(days=5)),
        ]
    )
    assert decision.status is CreditStatus.BLOCKED
    assert decision.reasons == (
        OverdueReason(
            amount=D("200.00"), oldest_days_overdue=20, oldest_due_date=TODAY - timedelta(20)
        ),
    )
    reason = decision.reasons[0]
    assert reason.code is CreditReasonCode.OVERDUE
    assert reason.params == {"amount": "200.00", "days": 20, "oldest_due_date": "2025-02-18"}
    assert "200.00" in reason.message_en and "20 days" in reason.message_en


def test_grace_days_are_respected() -> None:
    # R-ORD-4: overdue = due_date + grace_days < today
    due = TODAY - timedelta(days=7)
    assert run([OpenInvoice(D("10"), due)], grace=7).ok  # due + 7 == today: not yet overdue
    assert not run([OpenInvoice(D("10"), due)], grace=6).ok
    late = run([OpenInvoice(D("10"), TODAY - timedelta(days=8))], grace=7)
    assert not late.ok
    # days are counted from the due date, not from the end of grace
    assert late.reasons == (OverdueReason(D("10"), 8, TODAY - timedelta(days=8)),)


def test_paid_or_credit_invoices_are_not_open() -> None:
    # R-ORD-4
    decision = run(
        [OpenInvoice(D("0"), TODAY - timedelta(30)), OpenInvoice(D("-50"), TODAY - timedelta(30))]
    )
    assert decision.ok and decision.exposure == 0


def test_this_order_pushing_exposure_over_the_limit_blocks() -> None:
    # R-ORD-4
    decision = run([OpenInvoice(D("600"), TODAY)], unshipped="300", order="100.01")
    assert not decision.ok
    assert decision.reasons == (
        OverLimitReason(exposure=D("1000.01"), limit=D("1000.00"), excess=D("0.01")),
    )
    assert decision.reasons[0].params == {
        "exposure": "1000.01",
        "limit": "1000.00",
        "excess": "0.01",
    }
    assert decision.headroom == D("-0.01")


def test_exposure_exactly_at_the_limit_is_ok() -> None:
    # R-ORD-4
    decision = run([OpenInvoice(D("600"), TODAY)], unshipped="300", order="100.00")
    assert decision.ok
    assert decision.headroom == 0


def test_overdue_and_over_limit_are_both_reported() -> None:
    # R-ORD-4
    decision = run([OpenInvoice(D("900"), TODAY - timedelta(days=1))], order="200")
    assert [r.code for r in decision.reasons] == [
        CreditReasonCode.OVERDUE,
        CreditReasonCode.OVER_LIMIT,
    ]


@pytest.mark.parametrize(
    ("has_manager", "available", "expected"),
    [
        (True, True, TransferTarget.MANAGER),
        (True, False, TransferTarget.FINANCE),
        (False, False, TransferTarget.FINANCE),
        (False, True, TransferTarget.FINANCE),
    ],
)
def test_blocked_customer_goes_to_available_manager_else_finance(
    has_manager: bool, available: bool, expected: TransferTarget
) -> None:
    # R-ORD-4
    decision = run(
        [OpenInvoice(D("1"), TODAY - timedelta(1))],
        has_manager=has_manager,
        manager_available=available,
    )
    assert decision.transfer_to is expected
    assert decision.transfer_to == expected.value  # a plain string for templates/JSON


def test_pre_order_check_uses_no_order_total() -> None:
    # R-ORD-4
    t = terms("1000")
    ledger = summarise_ledger([OpenInvoice(D("700"), TODAY)], today=TODAY, grace_days=0)
    ok = check_credit_before_order(
        terms=t,
        ledger=ledger,
        unshipped_total=D("300"),
        today=TODAY,
        has_manager=True,
        manager_available=True,
    )
    assert ok.ok and ok.exposure == D("1000") and ok.headroom == 0
    over = check_credit_before_order(
        terms=t,
        ledger=ledger,
        unshipped_total=D("300.01"),
        today=TODAY,
        has_manager=True,
        manager_available=True,
    )
    assert not over.ok and over.transfer_to is TransferTarget.MANAGER


def test_prepayment_terms_do_not_count_this_order_as_credit() -> None:
    # R-ORD-4: payment terms decide whether this order is on credit
    decision = run([], limit="0", order="5000", on_credit=False)
    assert decision.ok and decision.exposure == 0
    assert run([], limit="0", order="5000").status is CreditStatus.BLOCKED


def test_summary_for_another_cutoff_is_refused() -> None:
    # R-ORD-4: a summary aggregated with the wrong grace/today would misjudge overdue debt
    ledger = summarise_ledger([], today=TODAY, grace_days=3)
    with pytest.raises(ValueError, match="cutoff"):
        check_credit(
            terms=terms(grace=0),
            ledger=ledger,
            unshipped_total=D(0),
            order_total=D(0),
            today=TODAY,
            has_manager=False,
            manager_available=False,
        )


def test_summary_filled_from_an_aggregate_query_is_accepted() -> None:
    # R-ORD-4: the DB layer fills the summary from SUM/SUM FILTER/MIN FILTER
    cutoff = calculate_overdue_cutoff(TODAY, 5)
    assert cutoff == TODAY - timedelta(days=5)
    ledger = LedgerSummary(
        overdue_before=cutoff,
        open_total=D("500"),
        overdue_total=D("100"),
        oldest_overdue_due_date=date(2025, 1, 1),
    )
    decision = check_credit(
        terms=terms(grace=5),
        ledger=ledger,
        unshipped_total=D(0),
        order_total=D(0),
        today=TODAY,
        has_manager=False,
        manager_available=False,
    )
    assert decision.reasons == (OverdueReason(D("100"), 68, date(2025, 1, 1)),)


@pytest.mark.parametrize(
    "kwargs",
    [
        {
            "open_total": D("1"),
            "overdue_total": D("2"),
            "oldest_overdue_due_date": date(2025, 1, 1),
        },
        {"open_total": D("1"), "overdue_total": D("1"), "oldest_overdue_due_date": None},
        {
            "open_total": D("1"),
            "overdue_total": D("0"),
            "oldest_overdue_due_date": date(2025, 1, 1),
        },
        {"open_total": D("1"), "overdue_total": D("1"), "oldest_overdue_due_date": TODAY},
        {"open_total": D("-1"), "overdue_total": D("0"), "oldest_overdue_due_date": None},
    ],
)
def test_inconsistent_ledger_summary_is_rejected(kwargs: dict[str, object]) -> None:
    # R-ORD-4
    with pytest.raises(ValueError):
        LedgerSummary(overdue_before=TODAY, **kwargs)  # type: ignore[arg-type]


def test_float_money_is_rejected() -> None:
    # R-ORD-4: money is Decimal, never float
    with pytest.raises(TypeError):
        CreditTerms(credit_limit=1000.0, grace_days=0, payment_terms="net14")  # type: ignore[arg-type]


money = st.decimals(min_value=0, max_value=100_000, places=2, allow_nan=False, allow_infinity=False)
signed_money = st.decimals(
    min_value=-1000, max_value=100_000, places=2, allow_nan=False, allow_infinity=False
)
invoices = st.lists(
    st.builds(
        OpenInvoice,
        outstanding=signed_money,
        due_date=st.dates(min_value=TODAY - timedelta(400), max_value=TODAY + timedelta(60)),
    ),
    max_size=12,
)


@given(
    invs=invoices,
    limit=money,
    grace=st.integers(min_value=0, max_value=60),
    unshipped=money,
    order=money,
    has_manager=st.booleans(),
    available=st.booleans(),
)
def test_blocked_iff_overdue_or_exposure_over_limit(
    invs: list[OpenInvoice],
    limit: Decimal,
    grace: int,
    unshipped: Decimal,
    order: Decimal,
    has_manager: bool,
    available: bool,
) -> None:
    # R-ORD-4 (property), checked against a direct reading of the rule on raw invoices
    decision = check_credit(
        terms=CreditTerms(credit_limit=limit, grace_days=grace, payment_terms="x"),
        ledger=summarise_ledger(invs, today=TODAY, grace_days=grace),
        unshipped_total=unshipped,
        order_total=order,
        today=TODAY,
        has_manager=has_manager,
        manager_available=available,
    )
    overdue = sum(
        (
            i.outstanding
            for i in invs
            if i.outstanding > 0 and i.due_date + timedelta(grace) < TODAY
        ),
        Decimal(0),
    )
    exposure = (
        sum((i.outstanding for i in invs if i.outstanding > 0), Decimal(0)) + unshipped + order
    )
    assert decision.exposure == exposure
    assert (decision.status is CreditStatus.BLOCKED) == (overdue > 0 or exposure > limit)
    assert (decision.transfer_to is None) == decision.ok
    assert {r.code for r in decision.reasons} == (
        ({CreditReasonCode.OVERDUE} if overdue > 0 else set())
        | ({CreditReasonCode.OVER_LIMIT} if exposure > limit else set())
    )
