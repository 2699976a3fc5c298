"""Orders from the web (signed link) and by e-mail enter the same flow with the same checks (R-ORD-13)."""

from __future__ import annotations

import io
from email.message import EmailMessage

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from calldesk.apps.accounts.roles import Role
from calldesk.apps.orders.mail import parse_order_text, receive_email_order
from calldesk.apps.orders.models import InboundEmail, Order
from calldesk.apps.orders.weblinks import make_web_order_token

from .world import delivery_day


def web_url(customer) -> str:
    return f"/orders/web/{make_web_order_token(customer)}/"


def web_post(customer, lines: str, **fields):
    data = {"lines": lines, "delivery_date": delivery_day().isoformat(), "window_start": "10:00", "window_end": "14:00",
            "accepting_person": "Anna Ivanova"}
    data.update(fields)
    return Client().post(web_url(customer), data)


def test_web_order_form_opens_without_login_by_its_signed_link(world):
    # R-ORD-13
    page = Client().get(web_url(world.good))
    assert page.status_code == 200 and "ООО C100" in page.content.decode()


@pytest.mark.parametrize("token", ["garbage", "eyJjIjoxfQ:1abc:def"])
def test_a_forged_or_broken_link_opens_nothing(world, token):
    response = Client().get(f"/orders/web/{token}/")
    assert response.status_code == 404 and "not valid any more" in response.content.decode()


def test_raising_the_link_version_revokes_old_links(world):
    url = web_url(world.good)
    world.good.web_link_version += 1
    world.good.save()
    assert Client().get(url).status_code == 404


def test_web_order_is_placed_through_the_same_flow(world):
    # R-ORD-13: channel web, priced by the rules, nobody logged in.
    response = web_post(world.good, "P001 x 12\nP002 * 3")
    assert response.status_code == 200 and "is accepted" in response.content.decode()
    order = Order.objects.get(customer=world.good)
    assert order.channel == Order.Channel.WEB and order.column.code == "c2" and order.lines.count() == 2
    assert order.taken_by is None


def test_blocked_customer_cannot_order_from_the_web(world):
    # R-ORD-4: the credit check holds on every path.
    response = web_post(world.overdue, "P001 x 6")
    page = response.content.decode()
    assert response.status_code == 200 and "credit is blocked" in page and "4,000.00" in page
    assert not Order.objects.filter(customer=world.overdue).exists()


def test_bad_web_lines_get_a_message_and_nothing_is_saved(world):
    # R-ORD-7
    page = web_post(world.good, "NOPE x 1\nP002 x 0").content.decode()
    assert "Product NOPE does not exist." in page and "Quantity must be at least 1" in page
    page = web_post(world.good, "hello").content.decode()
    assert "No order lines were found" in page
    assert not Order.objects.exists()


def test_regional_web_order_needs_the_regional_fields(world):
    # R-ORD-7
    page = web_post(world.regional, "P001 x 6").content.decode()
    assert "Choose a payment form." in page
    response = web_post(world.regional, "P001 x 6", payment_form="bank_transfer", shipping_carrier="PEK", shipping_address="Kazan, Main st 1")
    assert "is accepted" in response.content.decode()


def test_order_text_lines_are_parsed_in_the_usual_spellings():
    parsed = parse_order_text(
        "Hello!\nP00012 x 24\np00013 X 6\nP00014×2\nP00015 * 10 pcs\nP00016; 4\nP00017 - 1\n"
        "Delivery: 2030-01-02\nWindow: 09:00-12:00\n> P00099 x 1\n-- \nP00100 x 5"
    )
    assert [(line.product_code, line.quantity) for line in parsed.lines] == [
        ("P00012", 24), ("P00013", 6), ("P00014", 2), ("P00015", 10), ("P00016", 4), ("P00017", 1)]
    assert parsed.fields == {"delivery_date": "2030-01-02", "window": "09:00-12:00"}


def eml(sender: str, body: str, *, subject: str = "Order", message_id: str = "<m1@example.com>",
        attachment: tuple[str, bytes, str] | None = None) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "orders@distributor.example"
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message.set_content(body)
    if attachment:
        name, data, subtype = attachment
        maintype, _, sub = subtype.partition("/")
        message.add_attachment(data, maintype=maintype, subtype=sub, filename=name)
    return message.as_bytes()


def test_email_order_from_a_known_contact_is_placed(world):
    # R-ORD-13: the contact who wrote accepts and pays; delivery defaults to the earliest day.
    record = receive_email_order(eml("Anna <anna.c100@example.com>", "Please deliver:\nP001 x 12\nP002 x 2\n\nThanks"))
    assert record.status == InboundEmail.Status.ACCEPTED and record.customer == world.good
    order = record.order
    assert order.channel == Order.Channel.EMAIL and order.accepting_person == "Anna Ivanova"
    assert order.delivery_date == delivery_day() and order.lines.count() == 2
    assert mail.outbox[-1].to == ["anna.c100@example.com"] and order.number in mail.outbox[-1].subject


def test_email_order_lines_may_come_in_a_csv_attachment(world):
    data = "Код;Количество\nP001;6\nP002;4\n".encode("cp1251")
    record = receive_email_order(eml("c100@example.com", "see attached", attachment=("order.csv", data, "text/csv")))
    assert record.status == "accepted" and record.order.lines.count() == 2


def test_email_order_lines_may_come_in_an_xlsx_attachment(world):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Product", "Qty"])
    sheet.append(["P001", 18])
    buffer = io.BytesIO()
    book.save(buffer)
    record = receive_email_order(eml("c100@example.com", "xlsx", attachment=(
        "order.xlsx", buffer.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))
    assert record.status == "accepted" and record.order.lines.get().quantity == 18


def test_email_from_a_blocked_customer_is_refused_with_the_reason_recorded(world):
    # R-ORD-4, R-ORD-13: the reason is kept and sent back to the customer.
    record = receive_email_order(eml("c200@example.com", "P001 x 6"))
    assert record.status == InboundEmail.Status.REJECTED and record.order is None
    assert "credit is blocked" in record.reason and record.errors[0]["code"] == "OVERDUE"
    assert "could not be accepted" in mail.outbox[-1].subject
    assert not Order.objects.filter(customer=world.overdue).exists()


def test_email_with_bad_lines_or_from_a_stranger_is_refused_with_a_reason(world):
    bad = receive_email_order(eml("c100@example.com", "NOPE x 3", message_id="<m2@x>"))
    assert bad.status == "rejected" and bad.errors[0]["code"] == "PRODUCT_UNKNOWN"
    empty = receive_email_order(eml("c100@example.com", "Call me back", message_id="<m3@x>"))
    assert empty.status == "rejected" and empty.errors[0]["code"] == "EMAIL_NO_LINES"
    assert len(mail.outbox) == 2  # the known customer hears why
    stranger = receive_email_order(eml("who@nowhere.example", "P001 x 6", message_id="<m4@x>"))
    assert stranger.status == "rejected" and stranger.errors[0]["code"] == "EMAIL_CUSTOMER_UNKNOWN"
    assert stranger.reason and len(mail.outbox) == 2  # strangers get no reply


def test_customer_code_in_the_subject_identifies_the_customer(world):
    record = receive_email_order(eml("someone@else.example", "P001 x 6\nAccept: Anna Ivanova", subject="Order C100"))
    assert record.status == "accepted" and record.customer == world.good


def test_the_same_message_is_taken_once(world):
    first = receive_email_order(eml("c100@example.com", "P001 x 6"))
    second = receive_email_order(eml("c100@example.com", "P001 x 6"))
    assert first.pk == second.pk and Order.objects.count() == 1


def test_regional_email_order_uses_its_fields(world):
    body = "P001 x 6\nPayment: cash\nPickup: " + delivery_day().strftime("%d.%m.%Y")
    record = receive_email_order(eml("c400@example.com", body))
    assert record.status == "accepted" and record.order.payment_form == "cash"


def test_unreadable_bytes_are_refused_not_crashed(world):
    record = receive_email_order(b"\x00\xff not a message")
    assert record.status == "rejected"


def test_email_api_endpoint_answers_201_or_422_with_the_reason(world):
    client = Client()
    client.force_login(world.users[Role.OPERATOR])
    ok = client.post("/api/orders/email", data=eml("c100@example.com", "P001 x 6"), content_type="message/rfc822")
    assert ok.status_code == 201 and ok.json()["order"]["channel"] == "email"
    refused = client.post("/api/orders/email", data=eml("c200@example.com", "P001 x 6", message_id="<b@x>"), content_type="message/rfc822")
    assert refused.status_code == 422 and refused.json()["errors"][0]["code"] == "OVERDUE"
    upload = io.BytesIO(eml("c100@example.com", "P002 x 1", message_id="<c@x>"))
    upload.name = "order.eml"
    assert client.post("/api/orders/email", {"file": upload}).status_code == 201
    assert client.post("/api/orders/email", data=b"", content_type="message/rfc822").status_code == 400


def test_mail_folder_command_processes_and_files_each_message(world, tmp_path):
    # R-ORD-13: e-mails dropped in a folder.
    (tmp_path / "1.eml").write_bytes(eml("c100@example.com", "P001 x 6", message_id="<f1@x>"))
    (tmp_path / "2.eml").write_bytes(eml("c200@example.com", "P001 x 6", message_id="<f2@x>"))
    out = io.StringIO()
    call_command("process_order_mail", folder=str(tmp_path), stdout=out)
    assert "accepted=1 rejected=1" in out.getvalue()
    assert (tmp_path / "accepted" / "1.eml").exists() and (tmp_path / "rejected" / "2.eml").exists()
    call_command("process_order_mail", folder=str(tmp_path), stdout=io.StringIO())
    assert Order.objects.count() == 1
