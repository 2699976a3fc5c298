"""Deterministic demo data: the same seed and day give the same contact center.

`load_demo(scale=N)` multiplies customers and their ledger for benchmarks; products, staff and
hotlines stay the same size. Rows go in with bulk inserts in batches, so --scale 100 (50,000
customers, ~5 million ledger rows) loads in minutes, not hours.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Max, Model

from calldesk.apps.accounts.roles import Role
from calldesk.apps.calls.models import Call
from calldesk.apps.catalog.models import (
    Category,
    Price,
    PriceColumn,
    Product,
    ProgramMembership,
    Promotion,
    SpecialProgram,
    TierRule,
)
from calldesk.apps.clients.models import ClientCompany
from calldesk.apps.customers.models import (
    Customer,
    CustomerContact,
    CustomerPhone,
    CustomerType,
    Department,
    Invoice,
    Payment,
)
from calldesk.apps.hotlines.demo import load_hotline_demo
from calldesk.apps.hotlines.models import Hotline, HotlineNumber
from calldesk.apps.orders.models import Order, OrderLine
from calldesk.apps.workforce.demo import load_workforce_demo

from . import names

DEMO_PASSWORD = "demo"
BATCH = 5000
Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    note: str


def _noop(label: str, n: int) -> None:
    return None


def _bulk(model: type[Model], rows: Iterable[Model], progress: Progress, label: str) -> int:
    batch: list[Model] = []
    total = 0
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            model.objects.bulk_create(batch, batch_size=BATCH)  # type: ignore[attr-defined]
            total += len(batch)
            progress(label, len(batch))
            batch = []
    if batch:
        model.objects.bulk_create(batch, batch_size=BATCH)  # type: ignore[attr-defined]
        total += len(batch)
        progress(label, len(batch))
    return total


def is_loaded() -> bool:
    return get_user_model().objects.filter(username="head").exists()


@functools.cache
def _demo_password_hash() -> str:
    return make_password(DEMO_PASSWORD)


def _person(rng: random.Random) -> tuple[str, str]:
    first = rng.choice(names.FIRST)
    last = rng.choice(names.LAST)
    if first in names.FEMALE_FIRST:
        last += names.FEMININE_LAST_SUFFIX
    return first, last


def _user(username: str, role: Role, first: str, last: str, **extra: Any) -> Any:
    user = get_user_model()(username=username, role=role, first_name=first, last_name=last,
                            email=f"{username}@calldesk.example", **extra)
    # One hash for every demo user: hashing ~60 passwords one by one would take most of the load.
    user.password = _demo_password_hash()
    if role == Role.ADMIN:
        user.is_staff = True
        user.is_superuser = True
    user.save()
    return user


def load_demo(*, seed: int = 7, scale: int = 1, today: date | None = None, progress: Progress = _noop) -> list[DemoLogin]:
    if scale < 1:
        raise ValueError("scale must be at least 1")
    today = today or date.today()
    rng = random.Random(seed)
    with transaction.atomic():
        staff = _load_staff_and_clients(rng, today)
        catalog = _load_catalog(rng, today)
        _load_customers(rng, today, scale, staff, catalog, progress)
        _load_calls(rng, today, staff, progress)
        # Each feature seeds its own demo data; separate generators keep the core data
        # identical whichever features are installed.
        load_hotline_demo(random.Random(seed + 1), today)
        load_workforce_demo(random.Random(seed + 2), today)
    return staff["logins"]


def _load_staff_and_clients(rng: random.Random, today: date) -> dict[str, Any]:
    logins: list[DemoLogin] = []
    admin = _user("admin", Role.ADMIN, "Админ", "Системный")
    head = _user("head", Role.CC_HEAD, "Галина", "Руководитель")
    finance_dept = Department.objects.create(code="finance", name="Финансовая служба", kind=Department.Kind.FINANCE, email="finance@distributor.example")
    cc_dept = Department.objects.create(code="contact-center", name="Контакт-центр", kind=Department.Kind.CONTACT_CENTER, head=head)
    wholesale = Department.objects.create(code="wholesale", name="Отдел оптового сбыта", kind=Department.Kind.WHOLESALE)
    sales_moscow = Department.objects.create(code="sales-moscow", name="Отдел продаж: Москва", kind=Department.Kind.SALES)
    sales_regions = Department.objects.create(code="sales-regions", name="Отдел продаж: регионы", kind=Department.Kind.SALES)
    wholesale_head = _user("wholesale", Role.WHOLESALE_HEAD, "Борис", "Оптовиков", department=wholesale)
    wholesale.head = wholesale_head
    wholesale.save()
    sales_head = _user("saleshead", Role.SALES_HEAD, "Вера", "Продажина", department=sales_moscow)
    sales_moscow.head = sales_head
    sales_moscow.save()
    regions_head = _user("saleshead2", Role.SALES_HEAD, "Глеб", "Регионов", department=sales_regions)
    sales_regions.head = regions_head
    sales_regions.save()
    _user("finance", Role.FINANCE, "Фаина", "Счётова", department=finance_dept)
    _user("finance2", Role.FINANCE, *_person(rng), department=finance_dept)
    key_managers = [
        _user(f"km{i}", Role.ACCOUNT_MANAGER, *_person(rng), department=wholesale) for i in range(1, 4)
    ]
    managers = [
        _user(f"manager{i}", Role.ACCOUNT_MANAGER, *_person(rng), department=sales_moscow if i <= 3 else sales_regions)
        for i in range(1, 6)
    ]
    operators = [_user(f"op{i:02d}", Role.OPERATOR, *_person(rng), department=cc_dept) for i in range(1, 41)]

    distributor = ClientCompany.objects.create(name="Продторг", legal_name="ООО «Продторг»", tax_id="7701000001", email="info@prodtorg.example")
    clients = [
        distributor,
        ClientCompany.objects.create(name="ТеплоДом", legal_name="АО «ТеплоДом»", tax_id="7702000002", email="office@teplodom.example"),
        ClientCompany.objects.create(name="МедЛайн", legal_name="ООО «МедЛайн»", tax_id="7703000003", email="office@medline.example"),
    ]
    hotlines = [
        Hotline.objects.create(client=distributor, code="order-desk", name="Продторг: приём заказов", kind=Hotline.Kind.ORDER_DESK,
                               status=Hotline.Status.LIVE, planned_operators=25, wrap_up_seconds=30),
        Hotline.objects.create(client=clients[1], code="teplodom-service", name="ТеплоДом: сервисная линия",
                               status=Hotline.Status.LIVE, planned_operators=8),
        Hotline.objects.create(client=clients[2], code="medline-info", name="МедЛайн: справочная",
                               status=Hotline.Status.LIVE, planned_operators=5),
        Hotline.objects.create(client=clients[2], code="medline-promo", name="МедЛайн: акция «Здоровье»",
                               status=Hotline.Status.LAUNCHING, planned_operators=4,
                               planned_launch=today + timedelta(days=10)),
    ]
    for i, hotline in enumerate(hotlines):
        HotlineNumber.objects.create(hotline=hotline, number=f"+7800555{i:04d}")
    client_users = [
        _user(f"client{i + 1}", Role.CLIENT, *_person(rng), client=client) for i, client in enumerate(clients)
    ]

    logins += [
        DemoLogin("admin", Role.ADMIN.label, "Django admin too"),
        DemoLogin("head", Role.CC_HEAD.label, "wallboard, hotlines"),
        DemoLogin("op01", Role.OPERATOR.label, "op01 … op40"),
        DemoLogin("km1", Role.ACCOUNT_MANAGER.label, "key accounts; km1 … km3"),
        DemoLogin("manager1", Role.ACCOUNT_MANAGER.label, "manager1 … manager5"),
        DemoLogin("saleshead", Role.SALES_HEAD.label, "Moscow sales; saleshead2: regions"),
        DemoLogin("wholesale", Role.WHOLESALE_HEAD.label, ""),
        DemoLogin("finance", Role.FINANCE.label, ""),
        DemoLogin("client1", Role.CLIENT.label, "Продторг; client2: ТеплоДом, client3: МедЛайн"),
    ]
    return {
        "logins": logins, "admin": admin, "operators": operators, "managers": managers,
        "key_managers": key_managers, "departments": {"moscow": sales_moscow, "regions": sales_regions, "wholesale": wholesale},
        "hotlines": hotlines, "client_users": client_users,
    }


def _load_catalog(rng: random.Random, today: date) -> dict[str, Any]:
    columns = [
        PriceColumn.objects.create(code=code, name=name, rank=rank)
        for rank, (code, name) in enumerate(
            [("base", "Базовая"), ("c2", "Колонка 2"), ("c3", "Колонка 3"), ("c4", "Колонка 4"), ("c5", "Колонка 5")], start=1
        )
    ]
    products: list[Product] = []
    categories = []
    n = 0
    for code, title, kinds in names.CATEGORIES:
        category = Category.objects.create(code=code, name=title)
        categories.append(category)
        for _ in range(50):
            n += 1
            kind = rng.choice(kinds)
            products.append(Product(
                code=f"P{n:05d}", name=f"{kind} «{rng.choice(names.BRANDS)}» {rng.choice(names.SIZES)}",
                category=category, unit="шт", pack_size=rng.choice([1, 6, 10, 12, 20]),
                allow_pieces=rng.random() < 0.2, stock=rng.choice([0, 40, 120, 600, 2400]) if rng.random() < 0.95 else 0,
                is_new=rng.random() < 0.06,
            ))
    Product.objects.bulk_create(products)
    products = list(Product.objects.order_by("id"))
    prices = []
    for product in products:
        base = Decimal(rng.randint(40, 2500))
        for i, column in enumerate(columns):
            prices.append(Price(product=product, column=column, price=(base * (Decimal(1) - Decimal("0.03") * i)).quantize(Decimal("0.01"))))
    Price.objects.bulk_create(prices, batch_size=BATCH)

    types = {
        code: CustomerType.objects.create(code=code, name_ru=ru, name_en=en, **flags)
        for code, ru, en, flags in [
            ("market_trader", "Рыночник", "Market trader", {"watch_dormancy": True}),
            ("key_account", "Ключевой клиент", "Key account", {"is_key_account": True}),
            ("own_outlet", "Собственная точка", "Own outlet", {}),
            ("retail", "Розница", "Retail", {}),
            ("regional", "Региональный", "Regional", {"is_regional": True}),
            ("new", "Новый", "New", {"is_new": True}),
        ]
    }
    loyalty = SpecialProgram.objects.create(code="loyal-2y", name="Лояльность: 2 года с нами", column=columns[2], bonus_percent=Decimal("1.00"))
    SpecialProgram.objects.create(code="regional-start", name="Старт в регионе", column=columns[1])
    rules = [
        ("Базовая колонка для всех", None, 0, 0, None, 0),
        ("Рыночник: объём от 300 000 за 90 дней", "market_trader", 300000, 0, None, 1),
        ("Ключевой клиент", "key_account", 0, 0, None, 3),
        ("Ключевой клиент: объём от 2 млн", "key_account", 2000000, 0, None, 4),
        ("Собственная точка", "own_outlet", 0, 0, None, 2),
        ("Регион: от 10 заказов", "regional", 0, 10, None, 1),
        ("Программа лояльности", None, 0, 0, loyalty, 2),
    ]
    for name, type_code, volume, orders, program, column_index in rules:
        TierRule.objects.create(
            name=name, customer_type=types[type_code] if type_code else None, min_volume=Decimal(volume),
            min_orders=orders, program=program, column=columns[column_index],
        )
    promoted = rng.sample(products, 12)
    for i, product in enumerate(promoted):
        Promotion.objects.create(
            name=f"Акция: {product.name}", product=product,
            kind=Promotion.Kind.PERCENT if i % 3 else Promotion.Kind.BUY_GET,
            value=Decimal(rng.choice([5, 7, 10, 15])), buy_quantity=10 if i % 3 == 0 else 0, free_quantity=1 if i % 3 == 0 else 0,
            starts_on=today - timedelta(days=rng.randint(1, 20)), ends_on=today + timedelta(days=rng.randint(10, 60)),
        )
    Promotion.objects.create(
        name="Неделя сладостей: −5% на кондитерские изделия", category=categories[4], kind=Promotion.Kind.PERCENT,
        value=Decimal(5), starts_on=today - timedelta(days=3), ends_on=today + timedelta(days=4), push_in_calls=False,
    )
    return {"columns": columns, "products": products, "types": types, "loyalty": loyalty}


TYPE_MIX = [("market_trader", 0.34), ("retail", 0.22), ("regional", 0.16), ("own_outlet", 0.08), ("key_account", 0.10), ("new", 0.10)]

# Customers, orders and the ledger are the bulk of a large demo (scale 100: 50,000 customers,
# ~0.9 M orders, ~3.4 M order lines, ~4.5 M ledger rows). They are streamed as tuples through
# executemany with explicit ids, so lines and payments are written in the same pass as their
# order or invoice; building model instances and compiling ORM inserts took most of the time.


def _next_id(model: type[Model]) -> int:
    return int(model.objects.aggregate(m=Max("id"))["m"] or 0) + 1


def _insert(model: type[Model], columns: list[str], rows: Iterable[tuple[Any, ...]], progress: Progress, label: str,
            *, constants: dict[str, Any] | None = None) -> int:
    """INSERT rows (tuples in `columns` order); every other column gets `constants` or its default."""
    constants = dict(constants or {})
    fields = {f.attname: f for f in model._meta.concrete_fields}
    rest = [name for name in fields if name not in columns and not (fields[name].primary_key and name not in constants)]
    tail = []
    for name in rest:
        value = constants[name] if name in constants else fields[name].get_default()
        tail.append(fields[name].get_db_prep_save(value, connection))
    tail_tuple = tuple(tail)
    quote = connection.ops.quote_name
    names = ", ".join(quote(fields[c].column) for c in [*columns, *rest])
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({', '.join(['%s'] * (len(columns) + len(rest)))})"
    total = 0
    with connection.cursor() as cursor:
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append(row + tail_tuple if tail_tuple else row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                total += len(batch)
                progress(label, len(batch))
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            total += len(batch)
            progress(label, len(batch))
    return total


def _reset_sequences(*models: type[Model]) -> None:
    """Rows went in with explicit ids; PostgreSQL's sequences must move past them (SQLite needs nothing)."""
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(statement)


class _Batcher:
    """Two tables written in one pass (orders + lines, invoices + payments): parents flush first."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.pending: list[tuple[type[Model], list[str], list[tuple[Any, ...]], str, dict[str, Any]]] = []

    def table(self, model: type[Model], columns: list[str], label: str, constants: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = []
        self.pending.append((model, columns, rows, label, constants or {}))
        return rows

    def maybe_flush(self) -> None:
        if any(len(rows) >= BATCH for _m, _c, rows, _l, _k in self.pending):
            self.flush()

    def flush(self) -> None:
        for model, columns, rows, label, constants in self.pending:
            if rows:
                _insert(model, columns, rows, self.progress, label, constants=constants)
                rows.clear()


def _customer_rows(rng: random.Random, count: int, staff: dict[str, Any], catalog: dict[str, Any], first_id: int) -> Iterator[tuple[Any, ...]]:
    types = catalog["types"]
    weights = [w for _, w in TYPE_MIX]
    codes = [c for c, _ in TYPE_MIX]
    for i in range(1, count + 1):
        type_code = rng.choices(codes, weights)[0]
        region, tz = names.REGIONS[0] if type_code != "regional" else rng.choice(names.REGIONS[2:])
        if type_code == "key_account":
            manager, department = rng.choice(staff["key_managers"]), staff["departments"]["wholesale"]
        elif type_code == "new":
            manager, department = None, staff["departments"]["regions" if rng.random() < 0.3 else "moscow"]
        elif type_code == "regional":
            manager, department = rng.choice(staff["managers"][3:]), staff["departments"]["regions"]
        else:
            manager, department = rng.choice(staff["managers"][:3]), staff["departments"]["moscow"]
        limit = {"key_account": 3_000_000, "regional": 600_000, "own_outlet": 400_000}.get(type_code, 250_000)
        yield (
            first_id + i - 1, f"C{i:06d}", f"{rng.choice(names.BUSINESS_FORMS)} «{rng.choice(names.BUSINESS_WORDS)}-{i}»",
            f"77{i:08d}", types[type_code].pk, region, tz, f"{region}, ул. Торговая, {rng.randint(1, 200)}",
            f"c{i}@customer.example", manager.pk if manager else None, department.pk,
            Decimal(limit * rng.choice([1, 1, 2])), rng.choice([7, 14, 21, 30]), rng.choice([0, 3, 5]), type_code,
        )


CUSTOMER_COLUMNS = ["id", "code", "legal_name", "tax_id", "type_id", "region", "time_zone", "address", "email",
                    "manager_id", "department_id", "credit_limit", "payment_terms_days", "grace_days"]


def _load_customers(rng: random.Random, today: date, scale: int, staff: dict[str, Any], catalog: dict[str, Any], progress: Progress) -> None:
    count = 500 * scale
    now = datetime.now(UTC)
    first_id = _next_id(Customer)
    customers: list[tuple[int, str, int]] = []

    def customer_rows() -> Iterator[tuple[Any, ...]]:
        for row in _customer_rows(rng, count, staff, catalog, first_id):
            customers.append((row[0], row[-1], row[12]))
            yield row[:-1]
    _insert(Customer, CUSTOMER_COLUMNS, customer_rows(), progress, "customers", constants={"created_at": now})
    _reset_sequences(Customer)
    _insert(CustomerPhone, ["customer_id", "number", "label"],
            ((cid, f"+7916{cid:07d}", "основной") for cid, _, _ in customers), progress, "phones")

    def contacts() -> Iterator[tuple[Any, ...]]:
        for cid, _, _ in customers:
            first, last = _person(rng)
            yield (cid, f"{first} {last}", f"+7926{cid:07d}", True, True)
    _insert(CustomerContact, ["customer_id", "name", "phone", "may_accept_goods", "may_pay"], contacts(), progress, "contacts")

    memberships = [
        ProgramMembership(customer_id=cid, program=catalog["loyalty"], valid_from=today - timedelta(days=200), valid_to=today + timedelta(days=165))
        for cid, code, _ in customers if code in {"retail", "market_trader"} and rng.random() < 0.1
    ]
    ProgramMembership.objects.bulk_create(memberships, batch_size=BATCH)

    _load_orders(rng, today, customers, catalog, progress)
    _load_ledger(rng, today, customers, progress)


def _load_orders(rng: random.Random, today: date, customers: list[tuple[int, str, int]], catalog: dict[str, Any], progress: Progress) -> None:
    """A year of shipped orders with their lines; totals and last-order dates computed on the way."""
    columns = catalog["columns"]
    products = catalog["products"]
    price_of = {(p, c): v for p, c, v in Price.objects.values_list("product_id", "column_id", "price")}
    start = today - timedelta(days=365)
    per_year = {"key_account": 48, "own_outlet": 36, "retail": 20, "regional": 12, "market_trader": 14, "new": 0}
    adapt_dt = connection.ops.adapt_datetimefield_value
    adapt_d = connection.ops.adapt_datefield_value
    batcher = _Batcher(progress)
    order_rows = batcher.table(Order, ["id", "number", "customer_id", "channel", "status", "column_id", "total",
                                       "created_at", "placed_at", "delivery_date", "accepting_person", "paying_person"], "orders")
    line_rows = batcher.table(OrderLine, ["order_id", "product_id", "quantity", "unit_price", "line_total"], "order lines")
    last_order: list[tuple[Any, int]] = []
    order_id = _next_id(Order)
    n = 0
    for cid, code, _ in customers:
        yearly = per_year[code]
        if yearly == 0:
            continue
        dormant = code == "market_trader" and rng.random() < 0.25
        end = today - timedelta(days=200) if dormant else today - timedelta(days=1)
        k = max(1, round(yearly * (0.6 + 0.8 * rng.random()) * (0.5 if dormant else 1)))
        span = max(1, (end - start).days)
        favourites = rng.sample(products, 8)
        column = columns[{"key_account": 3, "own_outlet": 2}.get(code, 0)]
        latest = None
        for _ in range(k):
            n += 1
            day = start + timedelta(days=rng.randrange(span))
            at = datetime.combine(day, time(rng.randint(6, 15), rng.randint(0, 59)), UTC)
            latest = at if latest is None or at > latest else latest
            chosen = rng.sample(favourites, rng.randint(2, 5)) + ([rng.choice(products)] if rng.random() < 0.3 else [])
            total = Decimal(0)
            for product in {p.id: p for p in chosen}.values():
                qty = product.pack_size * rng.randint(1, 6)
                price = price_of[(product.id, column.pk)]
                total += price * qty
                line_rows.append((order_id, product.id, qty, price, price * qty))
            stamp = adapt_dt(at)
            order_rows.append((order_id, f"H{n:08d}", cid, Order.Channel.PHONE, Order.Status.SHIPPED, column.pk, total,
                               stamp, stamp, adapt_d(day + timedelta(days=1)), "—", "—"))
            order_id += 1
            batcher.maybe_flush()
        if latest is not None:
            last_order.append((adapt_dt(latest), cid))
    batcher.flush()
    _reset_sequences(Order, OrderLine)
    with connection.cursor() as cursor:
        table, quote = Customer._meta.db_table, connection.ops.quote_name
        cursor.executemany(f"UPDATE {quote(table)} SET {quote('last_order_at')} = %s WHERE {quote('id')} = %s", last_order)


def _load_ledger(rng: random.Random, today: date, customers: list[tuple[int, str, int]], progress: Progress) -> None:
    """Weekly invoices for a year, mostly paid; some customers overdue, some over their limit."""
    troubled = {cid: rng.random() for cid, _, _ in customers}
    adapt_d = connection.ops.adapt_datefield_value
    batcher = _Batcher(progress)
    invoice_rows = batcher.table(Invoice, ["id", "customer_id", "number", "issued_on", "due_on", "amount", "paid", "is_open"], "invoices")
    payment_rows = batcher.table(Payment, ["customer_id", "invoice_id", "paid_on", "amount", "reference"], "payments")
    invoice_id = _next_id(Invoice)
    zero = Decimal(0)
    for cid, code, terms in customers:
        if code == "new":
            continue
        size = {"key_account": 120_000, "own_outlet": 50_000, "regional": 60_000}.get(code, 25_000)
        state = troubled[cid]
        for week in range(52):
            issued = today - timedelta(days=7 * (52 - week))
            amount = Decimal(rng.randint(size // 2, size * 3 // 2))
            due = issued + timedelta(days=terms)
            if due >= today:
                paid = zero  # not yet due: open
            elif state < 0.12 and week >= 46:
                paid = (amount * Decimal("0.3")).quantize(Decimal("0.01"))  # overdue
            else:
                paid = amount
            invoice_rows.append((invoice_id, cid, f"INV-{cid}-{week:02d}", adapt_d(issued), adapt_d(due), amount, paid, paid < amount))
            if paid > 0:
                paid_on = issued + timedelta(days=rng.randint(3, 20))
                payment_rows.append((cid, invoice_id, adapt_d(paid_on), paid, f"PP-{invoice_id}"))
            invoice_id += 1
        batcher.maybe_flush()
    batcher.flush()
    _reset_sequences(Invoice, Payment)

    # A handful of customers with no overdue debt but open invoices above their limit.
    over = [cid for cid, code, _ in customers if code in {"retail", "market_trader"} and 0.12 <= troubled[cid] < 0.17]
    for chunk in range(0, len(over), 500):
        Customer.objects.filter(id__in=over[chunk:chunk + 500]).update(credit_limit=Decimal("10000"))


def _load_calls(rng: random.Random, today: date, staff: dict[str, Any], progress: Progress) -> None:
    """A week of calls per hotline so the wallboard and reports have history from the start."""
    hotlines = [h for h in staff["hotlines"] if h.status == Hotline.Status.LIVE]
    operators = staff["operators"]
    phones = list(CustomerPhone.objects.values_list("number", "customer_id")[:2000])
    max_id = Customer.objects.aggregate(m=Max("id"))["m"] or 0

    def calls() -> Iterator[Call]:
        for days_ago in range(7, 0, -1):
            day = today - timedelta(days=days_ago)
            for hotline in hotlines:
                volume = 260 if hotline.kind == Hotline.Kind.ORDER_DESK else 90
                for _ in range(volume):
                    offered = datetime.combine(day, time(6 + rng.randint(0, 11), rng.randint(0, 59), rng.randint(0, 59)), UTC)
                    number, customer_id = rng.choice(phones) if hotline.kind == Hotline.Kind.ORDER_DESK and phones else (f"+7903{rng.randint(0, 9_999_999):07d}", None)
                    wait = rng.expovariate(1 / 18)
                    abandoned = wait > 60 and rng.random() < 0.6
                    talk = int(rng.lognormvariate(5.0, 0.5))
                    answered = None if abandoned else offered + timedelta(seconds=wait)
                    yield Call(
                        hotline=hotline, number=number, customer_id=customer_id if customer_id and customer_id <= max_id else None,
                        operator=None if abandoned else rng.choice(operators), offered_at=offered, answered_at=answered,
                        ended_at=(answered or offered) + timedelta(seconds=0 if abandoned else talk) + (timedelta(seconds=wait) if abandoned else timedelta()),
                        outcome=Call.Outcome.ABANDONED if abandoned else Call.Outcome.ANSWERED,
                        talk_seconds=0 if abandoned else talk, wrap_seconds=0 if abandoned else hotline.wrap_up_seconds,
                        topic="order" if hotline.kind == Hotline.Kind.ORDER_DESK else rng.choice(["info", "complaint", "service"]),
                    )
    _bulk(Call, calls(), progress, "calls")
