"""Reads of the catalog: price columns and the product search the operator types into."""

from django.db.models import Q, QuerySet

from .models import Price, PriceColumn, Product


def get_columns() -> list[PriceColumn]:
    # Worst (lowest rank) first, as the core's PriceColumns wants them.
    return list(PriceColumn.objects.order_by("rank"))


def get_active_products() -> QuerySet[Product]:
    return Product.objects.filter(is_active=True).select_related("category")


def search_products(query: str, *, limit: int = 12) -> list[Product]:
    """Products by code prefix first, then by name, as the operator types."""
    query = query.strip()
    if not query:
        return []
    base = get_active_products()
    exact = list(base.filter(code__iexact=query)[:1])
    by_code = list(base.filter(code__istartswith=query).exclude(pk__in=[p.pk for p in exact]).order_by("code")[: limit])
    found = exact + by_code
    if len(found) < limit:
        by_name = base
        for word in query.split():
            # SQLite folds case for ASCII only; product names are mostly Cyrillic.
            variants = {word, word.lower(), word.upper(), word.capitalize()}
            match = Q()
            for variant in variants:
                match |= Q(name__icontains=variant)
            by_name = by_name.filter(match)
        found += list(by_name.exclude(pk__in=[p.pk for p in found]).order_by("name")[: limit - len(found)])
    return found[:limit]


def get_prices(*, column: str | None = None, product_codes: list[str] | None = None) -> QuerySet[Price]:
    prices = Price.objects.select_related("product", "column").order_by("product__code", "column__rank")
    if column:
        prices = prices.filter(column__code=column)
    if product_codes:
        prices = prices.filter(product__code__in=product_codes)
    return prices
