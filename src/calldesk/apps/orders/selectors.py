"""Reads for the order desk, and the adapters that turn rows into the ordering core's values.

Everything here is per customer and index-bound (customer id, product codes), so the cost of
pricing or checking an order does not grow with the size of the ledger or the customer base.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from calldesk.apps.accounts.roles import Role
from calldesk.apps.catalog.models import Price, Product, ProgramMembership, Promotion
from calldesk.apps.catalog.reference import RuleRow, get_reference
from calldesk.apps.catalog.selectors import get_columns, search_products
from calldesk.apps.customers.models import Customer
from calldesk.apps.customers.selectors import (
    get_credit_terms,
    get_finance_department,
    get_ledger_summary,
    to_money,
)
from calldesk.domain import ordering as dom

from .models import Escalation, Order, OrderLine

__all__ = ["get_columns", "search_products"]  # re-exported for the order screen

ZERO = Decimal("0.00")
FAR_FUTURE = date(9999, 12, 31)
# Orders that are or were real: they count for history, volume and "traditional" products.
COUNTED_STATUSES = (Order.Status.PLACED, Order.Status.SHIPPED)
ORDER_TAKERS = (Role.OPERATOR, Role.ACCOUNT_MANAGER, Role.SALES_HEAD, Role.WHOLESALE_HEAD)
COLUMN_OVERRIDERS = frozenset({Role.SALES_HEAD, Role.WHOLESALE_HEAD})

DEFAULT_DELIVERY = {
    "timezone": "Europe/Moscow",
    "next_day_cutoff": "16:00",
    "earliest_start": "08:00",
    "latest_end": "20:00",
    "non_delivery_weekdays": (6,),  # Sunday
    "window_required": True,
}
DEFAULT_PAYMENT_FORMS = (
    ("bank_transfer", _("Bank transfer")),
    ("cash", _("Cash on delivery")),
    ("card", _("Card on delivery")),
)


def get_visible_orders(user: object) -> QuerySet[Order]:
    orders = Order.objects.select_related("customer", "customer__type", "column", "taken_by")
    if user.role == Role.ACCOUNT_MANAGER:  # type: ignore[attr-defined]
        orders = orders.filter(customer__manager=user)
    return orders


def get_required_offers() -> int:
    return int(getattr(settings, "CALLDESK_REQUIRED_OFFERS", 3))


def get_payment_forms() -> tuple[tuple[str, object], ...]:
    return tuple(getattr(settings, "CALLDESK_PAYMENT_FORMS", DEFAULT_PAYMENT_FORMS))


def _hm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def get_delivery_calendar() -> dom.DeliveryCalendar:
    conf = {**DEFAULT_DELIVERY, **getattr(settings, "CALLDESK_DELIVERY", {})}
    return dom.DeliveryCalendar(
        timezone=ZoneInfo(str(conf["timezone"])),
        next_day_cutoff=_hm(str(conf["next_day_cutoff"])),
        earliest_start=_hm(str(conf["earliest_start"])),
        latest_end=_hm(str(conf["latest_end"])),
        non_delivery_weekdays=frozenset(conf["non_delivery_weekdays"]),  # type: ignore[arg-type]
        window_required=bool(conf["window_required"]),
    )


def get_business_today(now: datetime) -> date:
    return now.astimezone(get_delivery_calendar().timezone).date()


def get_earliest_delivery_date(now: datetime) -> date:
    """The first day an order taken now can be delivered (cutoff and non-delivery days)."""
    calendar = get_delivery_calendar()
    local = now.astimezone(calendar.timezone)
    day = local.date() + timedelta(days=2 if local.time() >= calendar.next_day_cutoff else 1)
    while not calendar.is_delivery_day(day):
        day += timedelta(days=1)
    return day


# --- credit (R-ORD-4) ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OrderStats:
    order_count: int
    unshipped_total: Decimal
    volumes: dict[int, Decimal]


def get_order_stats(customer_id: int, *, today: date, windows: Iterable[int] = ()) -> OrderStats:
    """History, rolling volumes and the unshipped total in ONE aggregate over the customer's orders.

    Plain SQL for the same reason as the ledger summary: it runs on every order.
    """
    tz = get_delivery_calendar().timezone
    windows = sorted(set(windows))
    adapt = connection.ops.adapt_datetimefield_value
    counted = "status IN (%s, %s)"
    columns = [f"SUM(CASE WHEN {counted} THEN 1 ELSE 0 END)", "SUM(CASE WHEN status = %s THEN total ELSE 0 END)"]
    params: list[object] = [*COUNTED_STATUSES, Order.Status.PLACED]
    for days in windows:
        start = datetime.combine(today - timedelta(days=days - 1), time.min, tz).astimezone(UTC)
        columns.append(f"SUM(CASE WHEN {counted} AND placed_at >= %s THEN total ELSE 0 END)")
        params += [*COUNTED_STATUSES, adapt(start)]
    sql = f"SELECT {', '.join(columns)} FROM {Order._meta.db_table} WHERE customer_id = %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, customer_id])
        row = cursor.fetchone()
    return OrderStats(
        order_count=int(row[0] or 0),
        unshipped_total=to_money(row[1]),
        volumes={days: to_money(row[2 + i]) for i, days in enumerate(windows)},
    )


@dataclass(frozen=True, slots=True)
class CreditStatus:
    """The credit decision plus who to transfer a blocked caller to, for the screens."""

    decision: dom.CreditDecision
    transfer_name: str

    @property
    def ok(self) -> bool:
        return self.decision.ok


def get_transfer_name(customer: Customer, target: dom.TransferTarget | None) -> str:
    if target is dom.TransferTarget.MANAGER and customer.manager is not None:
        return str(customer.manager)
    finance = get_finance_department()
    return str(finance) if finance is not None else str(_("Finance"))


def manager_available(customer: Customer) -> bool:
    manager = customer.manager
    return manager is not None and manager.is_active and manager.is_present


def get_credit_status(customer: Customer, now: datetime) -> CreditStatus:
    """The check before the order screen opens (order total 0)."""
    today = get_business_today(now)
    terms = get_credit_terms(customer)
    decision = dom.check_credit_before_order(
        terms=terms,
        ledger=get_ledger_summary(customer.pk, today, customer.grace_days),
        unshipped_total=get_order_stats(customer.pk, today=today).unshipped_total,
        today=today,
        has_manager=customer.manager_id is not None,
        manager_available=manager_available(customer),
    )
    return CreditStatus(decision=decision, transfer_name=get_transfer_name(customer, decision.transfer_to))


# --- pricing (R-ORD-6, R-ORD-12) -----------------------------------------------------------


def _tier_rule(rule: RuleRow) -> dom.TierRule:
    types = frozenset({rule.customer_type}) if rule.customer_type else frozenset()
    rule_id = str(rule.pk)
    if rule.program:
        return dom.ProgramRule(rule_id=rule_id, column=rule.column, program_code=rule.program, customer_types=types)
    if rule.min_volume > 0:
        return dom.VolumeRule(
            rule_id=rule_id, column=rule.column, window_days=max(rule.volume_days, 1),
            min_volume=rule.min_volume, customer_types=types,
        )
    if rule.min_orders or rule.min_months or not types:
        return dom.HistoryRule(
            rule_id=rule_id, column=rule.column, min_months=rule.min_months, min_orders=rule.min_orders, customer_types=types,
        )
    return dom.CustomerTypeRule(rule_id=rule_id, column=rule.column, customer_types=types)


@dataclass(frozen=True)
class PricingContext:
    customer_type: str
    columns: dom.PriceColumns
    column_ids: dict[str, int]
    column_names: dict[str, str]
    decision: dom.ColumnDecision
    reason: str
    promotions: tuple[dom.Promotion, ...]
    bonus_programs: tuple[dom.BonusProgram, ...]
    unshipped_total: Decimal
    promotion_pks: dict[str, int] = field(default_factory=dict)

    def column_pk(self, code: str) -> int:
        return self.column_ids[code]

    @property
    def column_codes(self) -> dict[int, str]:
        return {pk: code for code, pk in self.column_ids.items()}


def get_pricing_context(customer: Customer, today: date) -> PricingContext:
    """Everything pricing needs for one customer on one day: the cached reference data plus
    the customer's own history (one aggregate) and, when programs exist, its memberships."""
    ref = get_reference()
    if not ref.columns:
        raise LookupError("no price columns are configured")
    codes = dom.PriceColumns(tuple(c.code for c in ref.columns))
    type_code = customer.type.code
    rules = [_tier_rule(r) for r in ref.rules]
    memberships = list(ProgramMembership.objects.filter(customer=customer).select_related("program")) if ref.has_programs else []
    stats = get_order_stats(customer.pk, today=today, windows=dom.required_volume_windows(rules))
    facts = dom.CustomerPricingFacts(
        customer_type=type_code,
        customer_since=customer.created_at.date() if customer.created_at else today,
        order_count=stats.order_count,
        rolling_volume=stats.volumes,
        programs=tuple(dom.ProgramEnrolment(m.program.code, m.valid_from, m.valid_to) for m in memberships),
    )
    decision = dom.choose_price_column(rules=rules, columns=codes, facts=facts, today=today)
    names = {str(r.pk): r.name for r in ref.rules}
    reason = names.get(decision.rule.rule_id, "") if decision.rule is not None else ""

    promotions: list[dom.Promotion] = []
    bonus: list[dom.BonusProgram] = []
    promotion_pks: dict[str, int] = {}
    for promo in ref.active_promotions(today, customer.type_id):
        products = frozenset({promo.product_code}) if promo.product_code else frozenset()
        categories = frozenset({promo.category_code}) if promo.category_code else frozenset()
        if not products and not categories:
            continue
        promo_id = f"{promo.pk:09d}"
        promotion_pks[promo_id] = promo.pk
        common = {"valid_from": promo.starts_on, "valid_until": promo.ends_on, "product_codes": products, "category_codes": categories}
        if promo.kind == Promotion.Kind.BUY_GET:
            if promo.buy_quantity > 0 and promo.free_quantity > 0:
                bonus.append(dom.BuyGetFree(program_id=promo_id, buy=promo.buy_quantity, free=promo.free_quantity, **common))  # type: ignore[arg-type]
        elif promo.value > 0:
            kind = dom.DiscountKind.PERCENT if promo.kind == Promotion.Kind.PERCENT else dom.DiscountKind.FIXED
            promotions.append(dom.Promotion(promotion_id=promo_id, kind=kind, value=promo.value, **common))  # type: ignore[arg-type]
    for m in memberships:
        percent = Decimal(m.program.bonus_percent)
        if percent > 0:
            # "bonus % of the sum" as points: one point per (100 / percent) of the order total.
            bonus.append(dom.PointsPerAmount(
                program_id=m.program.code, per_amount=(Decimal(100) / percent).quantize(Decimal("0.01")), points=1,
                valid_from=m.valid_from, valid_until=m.valid_to or FAR_FUTURE,
            ))
    return PricingContext(
        customer_type=type_code,
        columns=codes,
        column_ids={c.code: c.pk for c in ref.columns},
        column_names={c.code: c.name for c in ref.columns},
        decision=decision,
        reason=reason,
        promotions=tuple(promotions),
        bonus_programs=tuple(bonus),
        unshipped_total=stats.unshipped_total,
        promotion_pks=promotion_pks,
    )


def get_product_pricing(products: Sequence[Product], column_codes: dict[int, str] | None = None) -> dict[str, dom.ProductPricing]:
    ids = {p.pk: p for p in products}
    prices: dict[int, dict[str, Decimal]] = {pk: {} for pk in ids}
    codes = column_codes if column_codes is not None else {c.pk: c.code for c in get_columns()}
    for product_id, column_id, price in Price.objects.filter(product_id__in=ids).values_list("product_id", "column_id", "price"):
        prices[product_id][codes[column_id]] = Decimal(price)
    return {
        p.code: dom.ProductPricing(
            product_code=p.code, category=p.category.code if p.category_id else "", prices=prices[p.pk],
        )
        for p in products
    }


def get_product_specs(products: Iterable[Product]) -> dict[str, dom.ProductSpec]:
    return {
        p.code: dom.ProductSpec(product_code=p.code, pack_size=max(p.pack_size, 1), allows_pieces=p.allow_pieces, stock=p.stock)
        for p in products
    }


def get_prices_in_column(products: Sequence[Product], column: str, columns: dom.PriceColumns) -> dict[int, Decimal | None]:
    pricing = get_product_pricing(products)
    result: dict[int, Decimal | None] = {}
    for product in products:
        try:
            result[product.pk] = pricing[product.code].price_for(column, columns)[1]
        except ValueError:
            result[product.pk] = None
    return result


# --- upsell (R-ORD-5) ----------------------------------------------------------------------

TYPE_POPULARITY_DAYS = 90
TYPE_POPULARITY_TTL = 6 * 3600


def get_type_popularity(type_id: int, today: date) -> dict[str, float]:
    """Share of the type's customers who bought each product lately; cached, it scans lines."""
    key = f"orders:type-popularity:{type_id}:{today.isoformat()}"
    cached = cache.get(key)
    if cached is not None:
        return dict(cached)
    since = datetime.combine(today - timedelta(days=TYPE_POPULARITY_DAYS), time.min, UTC)
    customers = Customer.objects.filter(type_id=type_id).count()
    popularity: dict[str, float] = {}
    if customers:
        rows = (
            OrderLine.objects.filter(order__customer__type_id=type_id, order__status__in=COUNTED_STATUSES, order__placed_at__gte=since)
            .values("product__code")
            .annotate(buyers=Count("order__customer_id", distinct=True))
            .order_by("-buyers")[:200]
        )
        popularity = {row["product__code"]: row["buyers"] / customers for row in rows}
    cache.set(key, popularity, TYPE_POPULARITY_TTL)
    return popularity


def get_purchase_history(customer_id: int, today: date, days: int = 365) -> list[dom.PurchaseRecord]:
    since = datetime.combine(today - timedelta(days=days), time.min, UTC)
    rows = OrderLine.objects.filter(
        order__customer_id=customer_id, order__status__in=COUNTED_STATUSES, order__placed_at__gte=since
    ).values_list("product__code", "order__placed_at")
    return [dom.PurchaseRecord(code, placed.date()) for code, placed in rows if placed is not None]


def get_traditional_products(customer_id: int, today: date, limit: int = 5) -> list[Product]:
    scores = dom.calculate_traditional_scores(
        get_purchase_history(customer_id, today), today=today, half_life_days=dom.DEFAULT_UPSELL_WEIGHTS.half_life_days
    )
    top = sorted(scores, key=lambda code: (-scores[code], code))[:limit]
    products = {p.code: p for p in Product.objects.filter(code__in=top)}
    return [products[code] for code in top if code in products]


def get_upsell_offers(customer: Customer, *, in_order: Iterable[str], today: date, k: int = 5) -> tuple[dom.UpsellOffer, ...]:
    promoted = set(
        Promotion.objects.filter(push_in_calls=True, starts_on__lte=today, ends_on__gte=today, product__isnull=False)
        .filter(Q(customer_type__isnull=True) | Q(customer_type=customer.type_id))
        .values_list("product__code", flat=True)
    )
    new = set(Product.objects.filter(is_new=True, is_active=True, stock__gt=0).values_list("code", flat=True)[:200])
    history = get_purchase_history(customer.pk, today)
    popularity = get_type_popularity(customer.type_id, today)
    candidates = promoted | new | {h.product_code for h in history} | set(popularity)
    stock = dict(Product.objects.filter(code__in=candidates, is_active=True).values_list("code", "stock"))
    return dom.choose_upsell_offers(
        in_order=set(in_order), stock=stock, new_products=new, promoted_products=promoted,
        history=history, type_popularity=popularity, today=today, k=k,
    )


# --- the caller's card ---------------------------------------------------------------------


def get_last_orders(customer_id: int, limit: int = 5) -> QuerySet[Order]:
    return (
        Order.objects.filter(customer_id=customer_id, status__in=COUNTED_STATUSES)
        .select_related("column").order_by("-created_at")[:limit]
    )


def get_open_escalations(user: object) -> QuerySet[Escalation]:
    """Open escalations for a sales head: put to them, or to their department (R-ORD-8)."""
    scope = Q(head=user)
    if getattr(user, "department_id", None):
        scope |= Q(department_id=user.department_id)  # type: ignore[attr-defined]
    if getattr(user, "role", None) == Role.WHOLESALE_HEAD:
        scope |= Q(head__isnull=True)
    return (
        Escalation.objects.filter(scope, status=Escalation.Status.OPEN)
        .select_related("customer", "order", "raised_by", "department")
        .order_by("created_at")
    )
