"""Orders that arrive by e-mail (R-ORD-13): parse, then the same `place_order` as every channel.

A message names its products one per line ("P00012 x 24") or in a CSV/XLSX attachment
(code, quantity). Optional lines set the rest: "Delivery: 2026-12-01", "Window: 09:00-13:00",
"Accept: <name>", "Pay: <name>", "Payment: cash", "Pickup: <date>", "Carrier: ...",
"Address: ...", "Customer: <code>". What is not given is filled with the customer's defaults
(earliest delivery day, the delivery hours, the contact who wrote). A refused message keeps
its reason, and a known customer gets it back by e-mail.
"""

from __future__ import annotations

import csv
import email
import email.policy
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from email.message import EmailMessage as ParsedMessage
from email.utils import parseaddr
from typing import Any

from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from calldesk.apps.customers.models import Customer, CustomerContact

from .messages import message_for
from .models import InboundEmail, Order
from .selectors import get_delivery_calendar, get_earliest_delivery_date
from .services import LineRequest, OrderRejected, OrderRequest, Problem, place_order

LINE_RE = re.compile(
    r"^\s*(?P<code>[A-Za-z0-9][A-Za-z0-9._/-]*)\s*(?:[xXхХ×*;,=\t]|\s-\s)\s*(?P<qty>[-+]?\d+)\s*"
    r"(?:pcs|pc|units?|шт)?\.?\s*$"
)
FIELD_RE = re.compile(r"^\s*(?P<key>[A-Za-zА-Яа-яёЁ -]+?)\s*:\s*(?P<value>.+?)\s*$")
FIELD_KEYS = {
    "customer": "customer", "клиент": "customer", "код клиента": "customer",
    "delivery": "delivery_date", "delivery date": "delivery_date", "доставка": "delivery_date", "дата доставки": "delivery_date",
    "window": "window", "time": "window", "время": "window", "окно": "window",
    "accept": "accepting_person", "accepts": "accepting_person", "принимает": "accepting_person",
    "pay": "paying_person", "pays": "paying_person", "оплачивает": "paying_person",
    "payment": "payment_form", "payment form": "payment_form", "оплата": "payment_form", "форма оплаты": "payment_form",
    "pickup": "pickup_date", "pick-up": "pickup_date", "самовывоз": "pickup_date",
    "carrier": "shipping_carrier", "перевозчик": "shipping_carrier",
    "address": "shipping_address", "адрес": "shipping_address",
    "comment": "comment", "комментарий": "comment",
}
CODE_HEADERS = {"code", "product", "product_code", "sku", "код", "артикул", "товар"}
QTY_HEADERS = {"qty", "quantity", "count", "количество", "кол-во", "колво"}


@dataclass
class ParsedOrder:
    lines: list[LineRequest] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def parse_date(text: str) -> date | None:
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_time(text: str) -> time | None:
    text = text.strip().replace(".", ":")
    for fmt in ("%H:%M", "%H"):
        try:
            return datetime.strptime(text, fmt).time()
        except ValueError:
            continue
    return None


def parse_order_text(text: str) -> ParsedOrder:
    """Lines like "P00012 x 24" and "Key: value" fields; quoted replies and signatures are skipped."""
    parsed = ParsedOrder()
    for raw in text.splitlines():
        if raw.startswith(">"):
            continue
        if raw.rstrip() in ("--", "-- "):
            break
        line = raw.strip()
        if not line:
            continue
        match = LINE_RE.match(line)
        if match:
            parsed.lines.append(LineRequest(match["code"].upper(), int(match["qty"])))
            continue
        match = FIELD_RE.match(line)
        if match:
            key = FIELD_KEYS.get(match["key"].strip().lower())
            if key and key not in parsed.fields:
                parsed.fields[key] = match["value"]
    return parsed


def _table_rows(rows: list[list[Any]]) -> list[LineRequest]:
    rows = [r for r in rows if any(c not in (None, "") for c in r)]
    if not rows:
        return []
    header = [str(c or "").strip().lower() for c in rows[0]]
    code_col = next((i for i, h in enumerate(header) if h in CODE_HEADERS), None)
    qty_col = next((i for i, h in enumerate(header) if h in QTY_HEADERS), None)
    if code_col is None or qty_col is None:
        code_col, qty_col = 0, 1
    else:
        rows = rows[1:]
    lines = []
    for row in rows:
        if len(row) <= max(code_col, qty_col):
            continue
        code, qty = str(row[code_col] or "").strip(), row[qty_col]
        try:
            quantity = int(float(str(qty).replace(",", ".").strip()))
        except ValueError:
            continue  # a header or a note, not an order line
        if code:
            lines.append(LineRequest(code.upper(), quantity))
    return lines


def read_attachment(name: str, data: bytes) -> list[LineRequest]:
    lower = name.lower()
    if lower.endswith(".xlsx"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        return _table_rows([list(row) for row in sheet.iter_rows(values_only=True)])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1251")
    dialect = csv.Sniffer().sniff(text[:2048], delimiters=";,\t") if text.strip() else csv.excel
    return _table_rows(list(csv.reader(io.StringIO(text), dialect)))


def _body_text(message: ParsedMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    return strip_tags(content) if part.get_content_type() == "text/html" else content


def parse_email(raw: bytes) -> tuple[ParsedMessage, ParsedOrder]:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    parsed = parse_order_text(_body_text(message))  # type: ignore[arg-type]
    for part in message.iter_attachments():  # type: ignore[attr-defined]
        name = part.get_filename() or ""
        if not name.lower().endswith((".csv", ".xlsx", ".txt")):
            continue
        try:
            parsed.lines += read_attachment(name, part.get_payload(decode=True) or b"")
        except Exception as exc:  # any unreadable file is the sender's problem, reported back
            parsed.problems.append(Problem("attachment", "EMAIL_ATTACHMENT_UNREADABLE", {"name": name, "error": str(exc)[:200]}))
    return message, parsed  # type: ignore[return-value]


def _find_customer(sender: str, code: str) -> tuple[Customer | None, CustomerContact | None]:
    if code:
        customer = Customer.objects.select_related("type").filter(code__iexact=code.strip()).first()
        if customer is not None:
            contact = customer.contacts.filter(email__iexact=sender).first() if sender else None
            return customer, contact
    if not sender:
        return None, None
    contact = CustomerContact.objects.select_related("customer", "customer__type").filter(email__iexact=sender).first()
    if contact is not None:
        return contact.customer, contact
    matches = list(Customer.objects.select_related("type").filter(email__iexact=sender)[:2])
    return (matches[0], None) if len(matches) == 1 else (None, None)


def _default_person(customer: Customer, contact: CustomerContact | None, flag: str) -> str:
    if contact is not None and getattr(contact, flag):
        return contact.name
    first = customer.contacts.filter(**{flag: True}).order_by("pk").first()
    return first.name if first else ""


def build_request(customer: Customer, contact: CustomerContact | None, parsed: ParsedOrder, *, channel: str, ref: str) -> OrderRequest:
    """Fill what the sender left out with defaults; what they wrote is checked as written."""
    f = parsed.fields
    calendar = get_delivery_calendar()
    window_start, window_end = calendar.earliest_start, calendar.latest_end
    if "window" in f:
        start, _sep, end = f["window"].replace("–", "-").partition("-")
        window_start, window_end = parse_time(start) or window_start, parse_time(end) or window_end
    delivery = parse_date(f["delivery_date"]) if "delivery_date" in f else get_earliest_delivery_date(timezone.now())
    return OrderRequest(
        customer_id=customer.pk,
        lines=tuple(parsed.lines),
        channel=channel,
        delivery_date=delivery,
        window_start=window_start,
        window_end=window_end,
        accepting_person=f.get("accepting_person") or _default_person(customer, contact, "may_accept_goods"),
        paying_person=f.get("paying_person") or _default_person(customer, contact, "may_pay"),
        payment_form=f.get("payment_form", ""),
        pickup_date=parse_date(f["pickup_date"]) if "pickup_date" in f else None,
        shipping_carrier=f.get("shipping_carrier", ""),
        shipping_address=f.get("shipping_address", ""),
        comment=f.get("comment", ""),
        external_ref=ref,
    )


def _reply(to: str, subject: str, body: str) -> None:
    if to:
        EmailMessage(subject=subject, body=body, to=[to]).send(fail_silently=True)


def receive_email_order(raw: bytes, *, source: str = "api") -> InboundEmail:
    """Take one order e-mail through the order flow and record the outcome (idempotent per Message-ID)."""
    try:
        message, parsed = parse_email(raw)
    except Exception as exc:
        return InboundEmail.objects.create(
            message_id="", source=source, status=InboundEmail.Status.REJECTED,
            reason=message_for("EMAIL_UNREADABLE", {"error": str(exc)[:200]}),
            errors=[Problem("message", "EMAIL_UNREADABLE", {"error": str(exc)[:200]}).as_dict()],
        )
    message_id = str(message.get("Message-ID", "") or "").strip()[:300]
    if message_id:
        seen = InboundEmail.objects.filter(message_id=message_id).first()
        if seen is not None:
            return seen
    sender = parseaddr(str(message.get("From", "")))[1].strip().lower()
    subject = str(message.get("Subject", "") or "")[:300]
    code = parsed.fields.get("customer", "")
    if not code:
        found = re.search(r"\b(C\d{3,})\b", subject)
        code = found.group(1) if found else ""
    customer, contact = _find_customer(sender, code)
    record = InboundEmail(message_id=message_id, sender=sender, subject=subject, source=source, customer=customer)

    def refuse(detail: str, errors: list[dict[str, Any]]) -> InboundEmail:
        record.status = InboundEmail.Status.REJECTED
        record.reason = detail
        record.errors = errors
        record.save()
        if customer is not None:
            lines = [detail, ""] + [f"- {e['message']}" for e in errors if e["message"] != detail]
            _reply(sender, _("Your order could not be accepted: %(subject)s") % {"subject": subject}, "\n".join(lines))
        return record

    if customer is None:
        problem = Problem("from", "EMAIL_CUSTOMER_UNKNOWN", {"sender": sender or "?"})
        return refuse(problem.message, [problem.as_dict()])
    if parsed.problems:
        return refuse(parsed.problems[0].message, [p.as_dict() for p in parsed.problems])
    if not parsed.lines:
        problem = Problem("lines", "EMAIL_NO_LINES", {})
        return refuse(problem.message, [problem.as_dict()])
    request = build_request(customer, contact, parsed, channel=Order.Channel.EMAIL, ref=message_id or subject)
    try:
        order = place_order(request, actor=None)
    except OrderRejected as exc:
        body = exc.as_dict()
        return refuse(exc.detail + (" " + exc.transfer["instruction"] if exc.transfer else ""), body["errors"])
    record.status = InboundEmail.Status.ACCEPTED
    record.order = order
    record.save()
    _reply(sender, _("Order %(number)s accepted") % {"number": order.number},
           _("Thank you. Your order %(number)s for %(total)s is accepted.") % {"number": order.number, "total": order.total})
    return record


def customer_contacts(customer: Customer) -> tuple[list[str], list[str]]:
    accept = list(customer.contacts.filter(may_accept_goods=True).order_by("name").values_list("name", flat=True))
    pay = list(customer.contacts.filter(may_pay=True).order_by("name").values_list("name", flat=True))
    return accept, pay
