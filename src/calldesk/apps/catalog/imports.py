"""Import of products and the price list; the file handling and the all-or-nothing rule are in
`calldesk.apps.customers.imports` (run_import)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from calldesk.apps.audit.services import record
from calldesk.apps.customers.imports import (
    ImportResult,
    Row,
    RowChecker,
    canonical_rows,
    check_duplicates,
    text,
)

from .models import Category, Price, PriceColumn, Product

PRODUCT_COLUMNS = {
    "code": ("product_code", "код", "артикул"),
    "name": ("наименование", "название", "товар"),
    "category": ("группа", "категория"),
    "unit": ("ед_изм", "единица"),
    "pack_size": ("pack", "в_упаковке", "упаковка", "кратность"),
    "stock": ("остаток", "в_наличии"),
    "is_new": ("new", "новинка"),
    "allow_pieces": ("pieces", "поштучно"),
    "is_active": ("active", "активен"),
}


def import_products(rows: list[Row], *, actor: Any, filename: str) -> ImportResult:
    rows, _present = canonical_rows(rows, PRODUCT_COLUMNS)
    check = RowChecker()
    check_duplicates(check, rows, lambda r: text(r.get("code")).upper(), "code")
    plans = []
    for line, row in rows:
        plans.append({
            "code": check.required(line, row, "code"),
            "name": check.required(line, row, "name"),
            "category": text(row.get("category")),
            "unit": text(row.get("unit")),
            "pack_size": check.count(line, row, "pack_size", minimum=1),
            "stock": check.count(line, row, "stock", minimum=0),
            "is_new": check.flag(line, row, "is_new"),
            "allow_pieces": check.flag(line, row, "allow_pieces"),
            "is_active": check.flag(line, row, "is_active"),
        })
    check.fail_if_any()
    result = ImportResult(kind="products", rows=len(plans))
    categories = {c.code.lower(): c for c in Category.objects.all()}
    existing = {p.code.upper(): p for p in Product.objects.filter(code__in=[p["code"] for p in plans] + [p["code"].upper() for p in plans])}
    for plan in plans:
        category = None
        if plan["category"]:
            category = categories.get(plan["category"].lower())
            if category is None:
                category = categories[plan["category"].lower()] = Category.objects.create(code=plan["category"][:40], name=plan["category"])
        product = existing.get(plan["code"].upper())
        if product is None:
            product = Product(code=plan["code"])
            result.created += 1
        else:
            result.updated += 1
        product.name = plan["name"]
        if category is not None:
            product.category = category
        if plan["unit"]:
            product.unit = plan["unit"]
        for name in ("pack_size", "stock", "is_new", "allow_pieces", "is_active"):
            if plan[name] is not None:
                setattr(product, name, plan[name])
        product.save()
    record(action="import.products", actor=actor, data={"file": filename, "created": result.created, "updated": result.updated})
    return result


PRICE_COLUMNS = {
    "product": ("product_code", "code", "код", "артикул", "товар"),
    "column": ("price_column", "колонка", "колонка_прайса"),
    "price": ("цена",),
}


def import_prices(rows: list[Row], *, actor: Any, filename: str) -> ImportResult:
    """Long form (product, column, price) or wide form (product, then one header per column code)."""
    rows, present = canonical_rows(rows, PRICE_COLUMNS)
    check = RowChecker()
    columns = {c.code.lower(): c for c in PriceColumn.objects.all()}
    long_form = "column" in present and "price" in present
    descriptive = {"name", "наименование", "название", "unit", "ед_изм", "category", "группа"}
    wide = [] if long_form else [h for h in present if h != "product" and h not in descriptive]
    if not long_form:
        for header in wide:
            if header not in columns:
                check.add(rows[0][0] - 1 if rows else 1, header,
                          _("Unknown price column %(value)s; known: %(known)s.") % {"value": header, "known": ", ".join(sorted(columns))})
    codes = {text(r.get("product")).upper() for _l, r in rows}
    products = {p.code.upper(): p for p in Product.objects.filter(code__in=list(codes))}
    planned: dict[tuple[int, int], tuple[int, Decimal]] = {}
    for line, row in rows:
        code = check.required(line, row, "product")
        product = products.get(code.upper())
        if code and product is None:
            check.add(line, "product", _("Unknown product %(value)s.") % {"value": code})
        pairs: list[tuple[str, Any]] = []
        if long_form:
            column_code = check.required(line, row, "column").lower()
            if column_code and column_code not in columns:
                check.add(line, "column", _("Unknown price column %(value)s.") % {"value": text(row.get("column"))})
            pairs.append((column_code, "price"))
        else:
            pairs += [(header, header) for header in wide if header in columns and text(row.get(header))]
        for column_code, source in pairs:
            price = check.money(line, row, source, required=long_form)
            column = columns.get(column_code)
            if product is None or column is None or price is None:
                continue
            key = (product.pk, column.pk)
            if key in planned:
                check.add(line, source, _("Duplicate of line %(line)s.") % {"line": planned[key][0]})
            planned[key] = (line, price)
    check.fail_if_any()
    result = ImportResult(kind="prices", rows=len(rows))
    current = {(p.product_id, p.column_id): p for p in Price.objects.filter(product_id__in=[k[0] for k in planned])}
    new, changed = [], []
    names = {p.pk: p.code for p in products.values()}
    column_codes = {c.pk: c.code for c in columns.values()}
    for (product_id, column_id), (_line, price) in planned.items():
        existing = current.get((product_id, column_id))
        if existing is None:
            new.append(Price(product_id=product_id, column_id=column_id, price=price))
        elif Decimal(existing.price) != price:
            # Every price change is audited with before and after (R-OPS-5).
            record(action="price.changed", actor=actor, target=existing, data={
                "product": names[product_id], "column": column_codes[column_id],
                "before": str(existing.price), "after": str(price), "source": f"import {filename}",
            })
            existing.price = price
            changed.append(existing)
        else:
            result.unchanged += 1
    Price.objects.bulk_create(new, batch_size=2000)
    Price.objects.bulk_update(changed, ["price"], batch_size=2000)
    result.created, result.updated = len(new), len(changed)
    record(action="import.prices", actor=actor, data={"file": filename, "created": result.created, "updated": result.updated})
    return result
