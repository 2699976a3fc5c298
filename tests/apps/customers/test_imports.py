"""Imports from accounting exports: all or nothing, a clear error per bad row (issue #3)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from calldesk.apps.accounts.roles import Role
from calldesk.apps.audit.models import AuditEvent
from calldesk.apps.catalog.models import Price, Product
from calldesk.apps.customers.imports import ImportFailed, run_import
from calldesk.apps.customers.models import Customer, CustomerPhone, Invoice, Payment
from calldesk.apps.orders.models import Order
from tests.apps.orders.world import delivery_day

D = Decimal


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.strip().encode(encoding) + b"\n"


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def errors_of(caught) -> list[tuple[int, str]]:
    return [(e.row, e.column) for e in caught.value.errors]


CUSTOMERS = """
code;legal_name;type;tax_id;phones;manager;department;credit_limit;payment_terms_days;contact_name;contact_email
C900;ООО Новая;retail;7700000001;8 (495) 222-33-44, +7 916 000 00 01;user_account_manager;sales-m;50 000,00;21;Pavel Petrov;pavel@example.com
C100;ООО C100 renamed;retail;;;;;150000;;;
"""


def test_customers_are_created_and_updated_with_e164_phones(world):
    # R-ORD-2: customers with types, managers, limits, phones in E.164.
    result = run_import("customers", csv_bytes(CUSTOMERS), "clients.csv", actor=world.users[Role.FINANCE])
    assert (result.created, result.updated) == (1, 1)
    new = Customer.objects.get(code="C900")
    assert new.manager == world.users[Role.ACCOUNT_MANAGER] and new.credit_limit == D("50000.00") and new.payment_terms_days == 21
    assert set(new.phones.values_list("number", flat=True)) == {"+74952223344", "+79160000001"}
    assert new.contacts.get().may_accept_goods
    world.good.refresh_from_db()
    assert world.good.legal_name == "ООО C100 renamed" and world.good.credit_limit == D("150000.00")
    assert world.good.manager == world.users[Role.ACCOUNT_MANAGER]  # an absent column keeps the value


def test_credit_limit_changes_by_import_are_audited(world):
    # R-OPS-5: credit limits are money-related data.
    run_import("customers", csv_bytes(CUSTOMERS), "clients.csv", actor=world.users[Role.FINANCE])
    event = AuditEvent.objects.get(action="customer.credit_limit", target_id=str(world.good.pk))
    assert event.data["before"] == "100000.00" and event.data["after"] == "150000.00" and "clients.csv" in event.data["source"]
    assert event.actor == world.users[Role.FINANCE]


def test_one_bad_row_stops_the_whole_import_with_an_error_per_row(world):
    text = """
code;legal_name;type;phones;credit_limit;manager;email
C901;Good one;retail;+74951234567;1000;;
C902;;nosuchtype;12;-5;ghost;not-an-email
C901;Duplicate;retail;;;;
"""
    with pytest.raises(ImportFailed) as caught:
        run_import("customers", csv_bytes(text), "clients.csv")
    assert errors_of(caught) == [
        (3, "credit_limit"), (3, "email"), (3, "legal_name"), (3, "manager"), (3, "phones"), (3, "type"), (4, "code")]
    assert all(e.message for e in caught.value.errors)
    assert not Customer.objects.filter(code__in=["C901", "C902"]).exists()
    assert not CustomerPhone.objects.filter(number="+74951234567").exists()


def test_xlsx_in_windows_excel_style_with_russian_headers(world):
    data = xlsx_bytes([["Код", "Наименование", "Тип", "ИНН", "Лимит"], ["C903", "ИП Иванов", "retail", 7701234567, 25000.5]])
    run_import("customers", data, "выгрузка.xlsx")
    customer = Customer.objects.get(code="C903")
    assert customer.tax_id == "7701234567" and customer.credit_limit == D("25000.50")


def test_cp1251_csv_from_1c_is_read(world):
    data = csv_bytes("Код;Наименование;Тип\nC904;ООО Кириллица;retail", encoding="cp1251")
    run_import("customers", data, "export.csv")
    assert Customer.objects.get(code="C904").legal_name == "ООО Кириллица"


def test_unsupported_or_empty_files_are_refused(world):
    with pytest.raises(ImportFailed):
        run_import("customers", b"whatever", "clients.xls")
    with pytest.raises(ImportFailed):
        run_import("customers", b"code;legal_name;type\n", "clients.csv")
    with pytest.raises(ImportFailed):
        run_import("customers", b"PK\x03\x04broken", "clients.xlsx")


def test_dry_run_checks_everything_and_changes_nothing(world):
    result = run_import("customers", csv_bytes(CUSTOMERS), "clients.csv", dry_run=True)
    assert result.dry_run and result.created == 1
    assert not Customer.objects.filter(code="C900").exists()


LEDGER = """
kind;customer;number;date;due_date;amount;paid;invoice;reference
invoice;C100;R-1;01.10.2026;15.10.2026;1 000,00;;;
invoice;C100;R-2;2026-10-05;;500;100;;
payment;C100;;2026-10-20;;400;;R-1;PP-77
"""


def test_ledger_import_creates_invoices_and_applies_payments(world):
    # R-ORD-4: the receivables the credit check reads.
    result = run_import("ledger", csv_bytes(LEDGER), "ledger.csv", actor=world.users[Role.FINANCE])
    assert result.created == 3
    r1 = Invoice.objects.get(number="R-1")
    assert r1.paid == D("400.00") and r1.is_open
    r2 = Invoice.objects.get(number="R-2")
    assert r2.due_on.isoformat() == "2026-10-19"  # document date + the customer's payment terms
    assert Payment.objects.get(reference="PP-77").invoice == r1
    assert r2.paid == D("100.00")  # a stated paid amount is taken as is
    # Importing the same file again changes nothing: payments are matched by reference.
    run_import("ledger", csv_bytes(LEDGER), "ledger.csv")
    assert Invoice.objects.get(number="R-1").paid == D("400.00") and Payment.objects.count() == 1
    assert AuditEvent.objects.filter(action="import.ledger").count() == 2


def test_ledger_rows_with_errors_are_all_reported_and_nothing_changes(world):
    text = """
kind;customer;number;date;due_date;amount;invoice
invoice;C100;R-9;2026-10-01;2026-09-01;100;
invoice;NOBODY;R-10;2026-10-01;;100;
refund;C100;R-11;2026-10-01;;100;
payment;C100;P-1;someday;;abc;NOPE
invoice;C100;R-12;2026-10-01;;100.001;
"""
    with pytest.raises(ImportFailed) as caught:
        run_import("ledger", csv_bytes(text), "ledger.csv")
    assert errors_of(caught) == [(2, "due_date"), (3, "customer"), (4, "kind"), (5, "amount"), (5, "date"), (5, "invoice"), (6, "amount")]
    assert not Invoice.objects.filter(number__startswith="R-").exists()


def test_order_import_goes_through_the_order_flow_and_a_blocked_customer_fails_it_all(world):
    # R-ORD-4, R-ORD-13: imported orders meet the same checks; all or nothing.
    day = delivery_day().isoformat()
    text = f"""
order;customer;product;quantity;delivery_date;window_start;window_end;accepting_person
A1;C100;P001;6;{day};09:00;12:00;Anna Ivanova
A1;C100;P002;2;;;;
B1;C200;P001;6;{day};09:00;12:00;Anna Ivanova
C1;C100;NOPE;1;{day};09:00;12:00;Anna Ivanova
"""
    with pytest.raises(ImportFailed) as caught:
        run_import("orders", csv_bytes(text), "orders.csv", actor=world.users[Role.SALES_HEAD])
    found = errors_of(caught)
    assert (4, "customer") in found and (5, "product") in found
    assert any("credit is blocked" in e.message for e in caught.value.errors)
    assert not Order.objects.exists() and Product.objects.get(code="P001").stock == 600
    good = "\n".join(line for line in text.strip().splitlines() if not line.startswith(("B1", "C1")))
    result = run_import("orders", csv_bytes(good), "orders.csv", actor=world.users[Role.SALES_HEAD])
    order = Order.objects.get()
    assert result.created == 1 and order.channel == Order.Channel.IMPORT and order.lines.count() == 2


def test_import_page_shows_row_errors_and_results(world):
    client = Client()
    client.force_login(world.users[Role.FINANCE])
    page = client.get("/customers/import/").content.decode()
    assert 'value="ledger"' in page and 'value="products"' not in page  # finance: customers and ledger
    bad = io.BytesIO(b"code;legal_name;type\nC905;;retail\n")
    bad.name = "c.csv"
    response = client.post("/customers/import/", {"kind": "customers", "file": bad})
    assert response.status_code == 200 and "nothing was imported" in response.content.decode()
    assert "legal_name" in response.content.decode()
    good = io.BytesIO(b"code;legal_name;type\nC905;OK;retail\n")
    good.name = "c.csv"
    response = client.post("/customers/import/", {"kind": "customers", "file": good})
    assert "1 created" in response.content.decode() and Customer.objects.filter(code="C905").exists()
    forbidden = io.BytesIO(b"code;name\nP9;x\n")
    forbidden.name = "p.csv"
    assert client.post("/customers/import/", {"kind": "products", "file": forbidden}).status_code == 200
    assert not Product.objects.filter(code="P9").exists()


def test_import_command_imports_or_lists_the_errors(world, tmp_path):
    path = tmp_path / "prices.csv"
    path.write_text("product;column;price\nP001;base;111.00\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_data", "prices", str(path), stdout=out)
    assert "1 updated" in out.getvalue() and Price.objects.get(product__code="P001", column__code="base").price == D("111.00")
    path.write_text("product;column;price\nP001;zz;1\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_data", "prices", str(path), stdout=io.StringIO(), stderr=io.StringIO())
