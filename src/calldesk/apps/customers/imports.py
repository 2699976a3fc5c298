"""Import of customers, products, prices, the receivables ledger and orders from CSV or XLSX,
as distributors export them from their accounting system.

All or nothing: every row is read and checked first, errors are collected per row (line,
column, message), and only a clean file is written, in one transaction. Headers are matched
case-insensitively and accept the usual Russian names of 1C exports (Код, ИНН, Сумма, ...).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, IntegrityError, transaction
from django.utils.translation import gettext as _

from calldesk.apps.accounts.roles import Role
from calldesk.apps.audit.services import record
from calldesk.apps.core.phones import InvalidPhone, normalize_phone

from .models import (
    Customer,
    CustomerContact,
    CustomerPhone,
    CustomerType,
    Department,
    Invoice,
    Payment,
)
from .services import change_credit_limit

MAX_ERRORS = 500
Row = tuple[int, dict[str, Any]]


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} error(s)")


@dataclass
class ImportResult:
    kind: str
    rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)


# --- reading ------------------------------------------------------------------------------------


def _norm(header: object) -> str:
    text = str(header or "").strip().lower().replace("ё", "е")
    for ch in " -./":
        text = text.replace(ch, "_")
    while "__" in text:
        text = text.replace("__", "_")
    return text.strip("_")


def read_table(data: bytes, filename: str) -> list[Row]:
    """Rows as (line number in the file, {normalised header: value}); blank rows are dropped."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a broken file
            raise ImportFailed([RowError(0, "", _("The XLSX file cannot be read: %(error)s") % {"error": exc})]) from exc
        raw_rows = [(i, list(r)) for i, r in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1)]
    elif name.endswith((".csv", ".txt")):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1251", errors="replace")  # 1C's Windows exports
        sample = text[:4096]
        try:
            dialect: Any = csv.Sniffer().sniff(sample, delimiters=";,\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.reader(io.StringIO(text), dialect)
        raw_rows = [(reader.line_num, row) for row in reader]
    else:
        raise ImportFailed([RowError(0, "", _("Unsupported file type: use CSV or XLSX."))])
    raw_rows = [(i, r) for i, r in raw_rows if any(str(c or "").strip() for c in r)]
    if not raw_rows:
        raise ImportFailed([RowError(1, "", _("The file is empty."))])
    header_line, header = raw_rows[0]
    keys = [_norm(h) for h in header]
    rows = []
    for line, values in raw_rows[1:]:
        rows.append((line, {k: v for k, v in zip(keys, values, strict=False) if k}))
    if not rows:
        raise ImportFailed([RowError(header_line, "", _("The file has no data rows."))])
    return rows


def canonical_rows(rows: list[Row], aliases: dict[str, Iterable[str]]) -> tuple[list[Row], set[str]]:
    lookup = {_norm(alias): name for name, names in aliases.items() for alias in (name, *names)}
    out = []
    present: set[str] = set()
    for line, values in rows:
        mapped: dict[str, Any] = {}
        for key, value in values.items():
            name = lookup.get(key, key)
            mapped[name] = value
            present.add(name)
        out.append((line, mapped))
    return out, present


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))  # an XLSX number; its shortest repr is what the user typed
    cleaned = text(value).replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        result = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(value) from None
    if not result.is_finite():
        raise ValueError(value)
    return result


def parse_int(value: Any) -> int:
    number = parse_decimal(value)
    if number != number.to_integral_value():
        raise ValueError(value)
    return int(number)


TRUE = {"1", "yes", "y", "true", "да", "д", "+", "x", "истина"}
FALSE = {"0", "no", "n", "false", "нет", "н", "-", "", "ложь"}


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = text(value).lower()
    if word in TRUE:
        return True
    if word in FALSE:
        return False
    raise ValueError(value)


def parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = text(value)
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y"):
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


class RowChecker:
    """Collects per-row errors while values are parsed, so one pass reports everything."""

    def __init__(self) -> None:
        self.errors: list[RowError] = []

    def add(self, line: int, column: str, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(line, column, message))

    def required(self, line: int, row: dict[str, Any], column: str) -> str:
        value = text(row.get(column))
        if not value:
            self.add(line, column, _("Required."))
        return value

    def parse(self, line: int, row: dict[str, Any], column: str, parser: Callable[[Any], Any], message: str,
              *, default: Any = None, required: bool = False) -> Any:
        raw = row.get(column)
        if raw is None or text(raw) == "":
            if required:
                self.add(line, column, _("Required."))
            return default
        try:
            return parser(raw)
        except (ValueError, TypeError):
            self.add(line, column, message % {"value": text(raw)})
            return default

    def money(self, line: int, row: dict[str, Any], column: str, *, required: bool = False, default: Decimal | None = None) -> Decimal | None:
        value = self.parse(line, row, column, parse_decimal, _("Not an amount: %(value)s."), required=required, default=default)
        if value is not None:
            if value < 0:
                self.add(line, column, _("Must not be negative."))
            elif value != value.quantize(Decimal("0.01")):
                self.add(line, column, _("At most two decimal places."))
            else:
                value = value.quantize(Decimal("0.01"))
        return value

    def count(self, line: int, row: dict[str, Any], column: str, *, minimum: int = 0, default: int | None = None) -> int | None:
        value = self.parse(line, row, column, parse_int, _("Not a whole number: %(value)s."), default=default)
        if value is not None and value < minimum:
            self.add(line, column, _("Must be at least %(n)s.") % {"n": minimum})
        return value

    def flag(self, line: int, row: dict[str, Any], column: str, default: bool | None = None) -> bool | None:
        return self.parse(line, row, column, parse_bool, _("Not yes/no: %(value)s."), default=default)

    def day(self, line: int, row: dict[str, Any], column: str, *, required: bool = False) -> date | None:
        return self.parse(line, row, column, parse_date, _("Not a date (YYYY-MM-DD or DD.MM.YYYY): %(value)s."), required=required)

    def fail_if_any(self) -> None:
        if self.errors:
            raise ImportFailed(sorted(self.errors, key=lambda e: (e.row, e.column)))


def check_duplicates(check: RowChecker, rows: list[Row], key: Callable[[dict[str, Any]], Any], column: str) -> None:
    first: dict[Any, int] = {}
    for line, row in rows:
        k = key(row)
        if not k or k == ("",) * (len(k) if isinstance(k, tuple) else 0):
            continue
        if k in first:
            check.add(line, column, _("Duplicate of line %(line)s.") % {"line": first[k]})
        else:
            first[k] = line


# --- customers ---------------------------------------------------------------------------------

CUSTOMER_COLUMNS = {
    "code": ("customer_code", "код", "код_клиента"),
    "legal_name": ("name", "наименование", "название", "юр_лицо", "полное_наименование"),
    "tax_id": ("inn", "инн"),
    "type": ("customer_type", "тип", "тип_клиента"),
    "region": ("регион",),
    "time_zone": ("timezone", "часовой_пояс"),
    "address": ("адрес",),
    "email": ("e_mail", "почта", "эл_почта"),
    "phones": ("phone", "телефон", "телефоны"),
    "manager": ("менеджер",),
    "department": ("отдел",),
    "credit_limit": ("limit", "лимит", "кредитный_лимит"),
    "payment_terms_days": ("payment_terms", "отсрочка", "отсрочка_дней"),
    "grace_days": ("льготные_дни",),
    "on_credit": ("в_кредит",),
    "contact_name": ("contact", "контакт", "контактное_лицо"),
    "contact_phone": ("телефон_контакта",),
    "contact_email": ("почта_контакта",),
    "contact_accepts": ("принимает_товар",),
    "contact_pays": ("оплачивает",),
}


def import_customers(rows: list[Row], *, actor: Any, filename: str) -> ImportResult:
    rows, _present = canonical_rows(rows, CUSTOMER_COLUMNS)
    check = RowChecker()
    types = {t.code.lower(): t for t in CustomerType.objects.all()}
    departments = {d.code.lower(): d for d in Department.objects.all()}
    users = {u.username.lower(): u for u in get_user_model().objects.filter(role__in=(Role.ACCOUNT_MANAGER, Role.SALES_HEAD, Role.WHOLESALE_HEAD))}
    check_duplicates(check, rows, lambda r: text(r.get("code")).lower(), "code")
    plans = []
    for line, row in rows:
        code = check.required(line, row, "code")
        name = check.required(line, row, "legal_name")
        type_code = check.required(line, row, "type").lower()
        ctype = types.get(type_code)
        if type_code and ctype is None:
            check.add(line, "type", _("Unknown customer type %(value)s.") % {"value": text(row.get("type"))})
        manager = None
        if text(row.get("manager")):
            manager = users.get(text(row.get("manager")).lower())
            if manager is None:
                check.add(line, "manager", _("No account manager with login %(value)s.") % {"value": text(row.get("manager"))})
        department = None
        if text(row.get("department")):
            department = departments.get(text(row.get("department")).lower())
            if department is None:
                check.add(line, "department", _("Unknown department %(value)s.") % {"value": text(row.get("department"))})
        zone = text(row.get("time_zone"))
        if zone:
            try:
                ZoneInfo(zone)
            except (ZoneInfoNotFoundError, ValueError):
                check.add(line, "time_zone", _("Unknown time zone %(value)s.") % {"value": zone})
        for column in ("email", "contact_email"):
            if text(row.get(column)):
                try:
                    validate_email(text(row.get(column)))
                except ValidationError:
                    check.add(line, column, _("Not an e-mail address: %(value)s.") % {"value": text(row.get(column))})
        phones = []
        for raw in text(row.get("phones")).replace(",", ";").split(";"):
            if raw.strip():
                try:
                    phones.append(normalize_phone(raw))
                except InvalidPhone:
                    check.add(line, "phones", _("Not a phone number: %(value)s.") % {"value": raw.strip()})
        contact_phone = ""
        if text(row.get("contact_phone")):
            try:
                contact_phone = normalize_phone(text(row.get("contact_phone")))
            except InvalidPhone:
                check.add(line, "contact_phone", _("Not a phone number: %(value)s.") % {"value": text(row.get("contact_phone"))})
        plans.append({
            "line": line, "code": code, "legal_name": name, "type": ctype, "tax_id": text(row.get("tax_id")),
            "region": text(row.get("region")), "time_zone": zone, "address": text(row.get("address")),
            "email": text(row.get("email")), "phones": phones, "manager": manager, "department": department,
            # An empty cell keeps what the customer has; exports often leave columns blank.
            "has_manager": bool(text(row.get("manager"))), "has_department": bool(text(row.get("department"))),
            "credit_limit": check.money(line, row, "credit_limit"),
            "payment_terms_days": check.count(line, row, "payment_terms_days"),
            "grace_days": check.count(line, row, "grace_days"),
            "on_credit": check.flag(line, row, "on_credit"),
            "contact": {
                "name": text(row.get("contact_name")), "phone": contact_phone, "email": text(row.get("contact_email")),
                "may_accept_goods": check.flag(line, row, "contact_accepts", default=True),
                "may_pay": check.flag(line, row, "contact_pays", default=True),
            },
        })
    check.fail_if_any()

    result = ImportResult(kind="customers", rows=len(plans))
    existing = {c.code.lower(): c for c in Customer.objects.filter(code__in=[p["code"] for p in plans])}
    for plan in plans:
        customer = existing.get(plan["code"].lower())
        created = customer is None
        if created:
            customer = Customer(code=plan["code"], type=plan["type"])
        assert customer is not None
        old_limit = None if created else Decimal(customer.credit_limit)
        customer.legal_name = plan["legal_name"]
        customer.type = plan["type"]
        for name in ("tax_id", "region", "address", "email"):
            if plan[name] or created:
                setattr(customer, name, plan[name])
        if plan["time_zone"]:
            customer.time_zone = plan["time_zone"]
        if plan["has_manager"]:
            customer.manager = plan["manager"]
        if plan["has_department"]:
            customer.department = plan["department"]
        for name in ("payment_terms_days", "grace_days", "on_credit"):
            if plan[name] is not None:
                setattr(customer, name, plan[name])
        if created and plan["credit_limit"] is not None:
            customer.credit_limit = plan["credit_limit"]
        customer.save()
        if created:
            result.created += 1
            if plan["credit_limit"]:
                record(action="customer.credit_limit", actor=actor, target=customer,
                       data={"before": None, "after": str(plan["credit_limit"]), "source": f"import {filename}"})
        else:
            result.updated += 1
            if plan["credit_limit"] is not None and old_limit is not None:
                customer.credit_limit = old_limit
                change_credit_limit(customer, plan["credit_limit"], actor=actor, source=f"import {filename}")
        known = set(customer.phones.values_list("number", flat=True)) if not created else set()
        CustomerPhone.objects.bulk_create([CustomerPhone(customer=customer, number=n) for n in dict.fromkeys(plan["phones"]) if n not in known])
        contact = plan["contact"]
        if contact["name"]:
            CustomerContact.objects.update_or_create(
                customer=customer, name=contact["name"],
                defaults={k: contact[k] for k in ("phone", "email", "may_accept_goods", "may_pay")},
            )
    record(action="import.customers", actor=actor, data={"file": filename, "created": result.created, "updated": result.updated})
    return result


def _customers_by_code(codes: Iterable[str]) -> dict[str, Customer]:
    typed = {c for c in codes if c}
    variants = typed | {c.upper() for c in typed} | {c.lower() for c in typed}
    return {c.code.lower(): c for c in Customer.objects.filter(code__in=variants)}


# --- ledger ------------------------------------------------------------------------------------

LEDGER_COLUMNS = {
    "kind": ("type", "вид", "тип_документа", "документ_тип"),
    "customer": ("customer_code", "код_клиента", "клиент", "контрагент"),
    "number": ("document", "номер", "номер_документа", "документ"),
    "date": ("issued_on", "paid_on", "дата", "дата_документа"),
    "due_date": ("due_on", "срок_оплаты", "оплатить_до"),
    "amount": ("sum", "сумма"),
    "paid": ("оплачено",),
    "invoice": ("invoice_number", "счет", "номер_счета"),
    "reference": ("ref", "платежка", "номер_платежа"),
}
INVOICE_WORDS = {"invoice", "счет", "реализация", "отгрузка", "накладная", ""}
PAYMENT_WORDS = {"payment", "оплата", "платеж", "поступление"}


def import_ledger(rows: list[Row], *, actor: Any, filename: str) -> ImportResult:
    rows, present = canonical_rows(rows, LEDGER_COLUMNS)
    check = RowChecker()
    customers = _customers_by_code(text(r.get("customer")) for _line, r in rows)
    invoices_in_file: dict[tuple[int, str], dict[str, Any]] = {}
    payments: list[dict[str, Any]] = []
    for line, row in rows:
        kind = text(row.get("kind")).lower().replace("ё", "е")
        is_payment = kind in PAYMENT_WORDS
        if not is_payment and kind not in INVOICE_WORDS:
            check.add(line, "kind", _("Unknown document kind %(value)s: use invoice or payment.") % {"value": text(row.get("kind"))})
            continue
        code = check.required(line, row, "customer")
        customer = customers.get(code.lower())
        if code and customer is None:
            check.add(line, "customer", _("Unknown customer %(value)s.") % {"value": code})
        amount = check.money(line, row, "amount", required=True)
        day = check.day(line, row, "date", required=True)
        if is_payment:
            reference = text(row.get("reference")) or text(row.get("number"))
            payments.append({"line": line, "customer": customer, "amount": amount, "paid_on": day,
                             "invoice": text(row.get("invoice")), "reference": reference})
            continue
        number = check.required(line, row, "number")
        due = check.day(line, row, "due_date")
        if due is None and day is not None and customer is not None and not text(row.get("due_date")):
            due = day + timedelta(days=customer.payment_terms_days)
        if due is not None and day is not None and due < day:
            check.add(line, "due_date", _("The due date is before the document date."))
        paid = check.money(line, row, "paid", default=None)
        if customer is not None and number:
            key = (customer.pk, number)
            if key in invoices_in_file:
                check.add(line, "number", _("Duplicate of line %(line)s.") % {"line": invoices_in_file[key]["line"]})
            invoices_in_file[key] = {"line": line, "customer": customer, "number": number, "issued_on": day,
                                     "due_on": due, "amount": amount, "paid": paid}
    existing_invoices = {
        (i.customer_id, i.number): i
        for i in Invoice.objects.filter(customer__in=[c for c in customers.values()], number__in={n for _c, n in invoices_in_file} | {p["invoice"] for p in payments if p["invoice"]})
    } if customers else {}
    for payment in payments:
        if payment["invoice"] and payment["customer"] is not None:
            key = (payment["customer"].pk, payment["invoice"])
            if key not in invoices_in_file and key not in existing_invoices:
                check.add(payment["line"], "invoice", _("Unknown invoice %(value)s.") % {"value": payment["invoice"]})
    check.fail_if_any()

    result = ImportResult(kind="ledger", rows=len(rows))
    new_invoices = []
    for key, plan in invoices_in_file.items():
        invoice = existing_invoices.get(key)
        if invoice is None:
            invoice = Invoice(customer=plan["customer"], number=plan["number"], paid=plan["paid"] or Decimal("0"))
            new_invoices.append(invoice)
            result.created += 1
        else:
            result.updated += 1
            if plan["paid"] is not None:
                invoice.paid = plan["paid"]
        invoice.issued_on, invoice.due_on, invoice.amount = plan["issued_on"], plan["due_on"], plan["amount"]
        invoice.is_open = invoice.paid < invoice.amount
        existing_invoices[key] = invoice
    Invoice.objects.bulk_create(new_invoices, batch_size=2000)
    Invoice.objects.bulk_update([i for k, i in existing_invoices.items() if i.pk and k in invoices_in_file],
                                ["issued_on", "due_on", "amount", "paid", "is_open"], batch_size=2000)
    # Payments move `paid` only of invoices whose paid amount this file did not state itself.
    touched: dict[int, Invoice] = {}
    for payment in payments:
        customer = payment["customer"]
        invoice = existing_invoices.get((customer.pk, payment["invoice"])) if payment["invoice"] else None
        previous = Payment.objects.filter(customer=customer, reference=payment["reference"]).first() if payment["reference"] else None
        delta = payment["amount"] - (previous.amount if previous else Decimal("0"))
        if previous is None:
            Payment.objects.create(customer=customer, invoice=invoice, paid_on=payment["paid_on"], amount=payment["amount"], reference=payment["reference"])
            result.created += 1
        else:
            Payment.objects.filter(pk=previous.pk).update(amount=payment["amount"], paid_on=payment["paid_on"], invoice=invoice)
            result.updated += 1
        stated = invoice is not None and invoices_in_file.get((customer.pk, invoice.number), {}).get("paid") is not None
        if invoice is not None and not stated and delta:
            invoice.paid = invoice.paid + delta
            invoice.is_open = invoice.paid < invoice.amount
            touched[invoice.pk] = invoice
    if any(i.paid < 0 for i in touched.values()):
        raise ImportFailed([RowError(0, "paid", _("Payments would make an invoice's paid amount negative."))])
    Invoice.objects.bulk_update(list(touched.values()), ["paid", "is_open"], batch_size=2000)
    record(action="import.ledger", actor=actor, data={
        "file": filename, "invoices": len(invoices_in_file), "payments": len(payments),
        "invoice_total": str(sum((p["amount"] or Decimal(0) for p in invoices_in_file.values()), Decimal(0))),
        "payment_total": str(sum((p["amount"] or Decimal(0) for p in payments), Decimal(0))),
        "columns": sorted(present),
    })
    return result


# --- orders ------------------------------------------------------------------------------------

ORDER_COLUMNS = {
    "order": ("order_ref", "ref", "заказ", "номер_заказа"),
    "customer": ("customer_code", "код_клиента", "клиент"),
    "product": ("product_code", "code", "код", "артикул", "товар"),
    "quantity": ("qty", "количество", "кол_во"),
    "delivery_date": ("delivery", "дата_доставки"),
    "window_start": ("from", "с"),
    "window_end": ("to", "до"),
    "accepting_person": ("accepts", "принимает"),
    "paying_person": ("pays", "оплачивает"),
    "payment_form": ("payment", "форма_оплаты"),
    "pickup_date": ("pickup", "самовывоз"),
    "shipping_carrier": ("carrier", "перевозчик"),
    "shipping_address": ("address", "адрес_доставки"),
    "comment": ("комментарий",),
}


def import_orders(rows: list[Row], *, actor: Any, filename: str) -> ImportResult:
    """Each order goes through `place_order` (credit, column, stock...): a blocked customer's
    order fails the import like any other bad row (R-ORD-4, R-ORD-13)."""
    from calldesk.apps.orders.mail import parse_time
    from calldesk.apps.orders.models import Order
    from calldesk.apps.orders.services import LineRequest, OrderRejected, OrderRequest, place_order

    rows, _present = canonical_rows(rows, ORDER_COLUMNS)
    check = RowChecker()
    groups: dict[str, list[Row]] = defaultdict(list)
    for line, row in rows:
        ref = text(row.get("order")) or f"{text(row.get('customer'))}"
        groups[ref].append((line, row))
    customers = _customers_by_code(text(r.get("customer")) for _l, r in rows)
    requests = []
    for ref, group in groups.items():
        first_line, first = group[0]
        code = check.required(first_line, first, "customer")
        customer = customers.get(code.lower())
        if code and customer is None:
            check.add(first_line, "customer", _("Unknown customer %(value)s.") % {"value": code})
        for line, row in group[1:]:
            if text(row.get("customer")).lower() not in ("", code.lower()):
                check.add(line, "customer", _("All lines of order %(ref)s must have the same customer.") % {"ref": ref})
        lines = []
        for line, row in group:
            product = check.required(line, row, "product")
            quantity = check.parse(line, row, "quantity", parse_int, _("Not a whole number: %(value)s."), required=True)
            lines.append(LineRequest(product, quantity if quantity is not None else 0))
        times = {}
        for column in ("window_start", "window_end"):
            raw = first.get(column)
            value = raw if hasattr(raw, "hour") else (parse_time(text(raw)) if text(raw) else None)
            if text(raw) and value is None:
                check.add(first_line, column, _("Not a time (HH:MM): %(value)s.") % {"value": text(raw)})
            times[column] = value
        if customer is None:
            continue
        requests.append((ref, group, OrderRequest(
            customer_id=customer.pk, lines=tuple(lines), channel=Order.Channel.IMPORT,
            delivery_date=check.day(first_line, first, "delivery_date"),
            window_start=times["window_start"], window_end=times["window_end"],
            accepting_person=text(first.get("accepting_person")), paying_person=text(first.get("paying_person")),
            payment_form=text(first.get("payment_form")), pickup_date=check.day(first_line, first, "pickup_date"),
            shipping_carrier=text(first.get("shipping_carrier")), shipping_address=text(first.get("shipping_address")),
            comment=text(first.get("comment")), external_ref=f"{filename}:{ref}",
        )))
    check.fail_if_any()
    result = ImportResult(kind="orders", rows=len(rows))
    for _ref, group, request in requests:
        try:
            with transaction.atomic():
                place_order(request, actor=actor)
        except OrderRejected as exc:
            problems = exc.errors or []
            if not problems or exc.code == "CREDIT_BLOCKED":
                check.add(group[0][0], "customer", exc.detail + (" " + exc.transfer["instruction"] if exc.transfer else ""))
            for problem in problems:
                if exc.code == "CREDIT_BLOCKED":
                    check.add(group[0][0], "customer", problem.message)
                    continue
                line = group[0][0]
                if problem.field.startswith("lines["):
                    index = int(problem.field[6:problem.field.index("]")])
                    line = group[index][0] if index < len(group) else line
                column = "quantity" if problem.field.endswith("quantity") else ("product" if problem.field.startswith("lines") else problem.field)
                check.add(line, column, problem.message)
        else:
            result.created += 1
    check.fail_if_any()
    return result


def _catalog(kind: str) -> Callable[..., ImportResult]:
    from calldesk.apps.catalog import imports as catalog_imports

    return getattr(catalog_imports, f"import_{kind}")  # type: ignore[no-any-return]


IMPORTERS: dict[str, Callable[..., ImportResult]] = {
    "customers": import_customers,
    "products": lambda rows, **kw: _catalog("products")(rows, **kw),
    "prices": lambda rows, **kw: _catalog("prices")(rows, **kw),
    "ledger": import_ledger,
    "orders": import_orders,
}

# Who may import what: customers' limits and the ledger are finance's, the catalog management's.
IMPORT_ROLES: dict[str, frozenset[str]] = {
    "customers": frozenset({Role.ADMIN, Role.FINANCE, Role.SALES_HEAD, Role.WHOLESALE_HEAD}),
    "products": frozenset({Role.ADMIN, Role.SALES_HEAD, Role.WHOLESALE_HEAD}),
    "prices": frozenset({Role.ADMIN, Role.SALES_HEAD, Role.WHOLESALE_HEAD}),
    "ledger": frozenset({Role.ADMIN, Role.FINANCE}),
    "orders": frozenset({Role.ADMIN, Role.SALES_HEAD, Role.WHOLESALE_HEAD}),
}


def kinds_for(role: str | None) -> list[str]:
    return [kind for kind, roles in IMPORT_ROLES.items() if role in roles]


def run_import(kind: str, data: bytes, filename: str, *, actor: Any = None, dry_run: bool = False) -> ImportResult:
    """Read, check every row, then write everything in one transaction, or raise ImportFailed."""
    importer = IMPORTERS.get(kind)
    if importer is None:
        raise ImportFailed([RowError(0, "", _("Unknown import kind %(kind)s.") % {"kind": kind})])
    rows = read_table(data, filename)
    try:
        with transaction.atomic():
            result = importer(rows, actor=actor, filename=filename)
            result.dry_run = dry_run
            if dry_run:
                transaction.set_rollback(True)
    except (IntegrityError, DatabaseError) as exc:
        raise ImportFailed([RowError(0, "", _("The database refused the import: %(error)s") % {"error": exc})]) from exc
    return result
