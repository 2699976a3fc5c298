"""The operator's order screen: the caller's card, fast entry, upsell, delivery, escalation."""

from __future__ import annotations

from datetime import date

import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator
from channels.layers import get_channel_layer
from django.core import mail
from django.test import Client

from calldesk.apps.accounts.roles import Role
from calldesk.apps.audit.models import AuditEvent
from calldesk.apps.orders.consumers import ManagerOrdersConsumer
from calldesk.apps.orders.events import manager_group
from calldesk.apps.orders.models import Escalation, Order, UpsellOffer

from .world import build_world, delivery_day


def websocket(user) -> ApplicationCommunicator:
    scope = {"type": "websocket", "path": "/ws/orders/manager/", "headers": [], "subprotocols": [], "user": user}
    return ApplicationCommunicator(ManagerOrdersConsumer.as_asgi(), scope)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def operator(world):
    return login(world.users[Role.OPERATOR])


def start(client: Client, customer) -> Order:
    response = client.post("/orders/new/", {"customer": customer.pk})
    assert response.status_code == 302, response.content
    return Order.objects.get(pk=int(response["Location"].split("/")[2]))


def add(client: Client, order: Order, product: str, quantity: object):
    return client.post(f"/orders/{order.pk}/lines/", {"product": product, "quantity": quantity}, HTTP_HX_REQUEST="true")


def offer(client: Client, order: Order, product: str, outcome: str):
    return client.post(f"/orders/{order.pk}/offers/", {"product": product, "outcome": outcome, "reason": "new"}, HTTP_HX_REQUEST="true")


def place(client: Client, order: Order, **fields):
    data = {"delivery_date": delivery_day().isoformat(), "window_start": "09:00", "window_end": "12:00", "accepting_person": "Anna Ivanova"}
    data.update(fields)
    return client.post(f"/orders/{order.pk}/place/", data)


def test_caller_is_found_by_number_and_the_card_shows_type_manager_and_credit(world, operator):
    # R-ORD-2, R-ORD-4: identify by number (any spelling), show type, manager, credit status.
    page = operator.get("/orders/new/", {"number": "8 (495) 111-00-00"}).content.decode()
    assert "ООО C100" in page and "Retail" in page and "user_account_manager" in page
    assert "Orders allowed" in page and 'accesskey="o"' in page


def test_caller_is_found_by_code_even_when_it_is_all_digits(world, operator):
    # R-ORD-2: accounting codes are often numbers; they are not confused with record ids.
    from calldesk.apps.customers.models import Customer

    Customer.objects.filter(pk=world.regional.pk).update(code=str(world.good.pk))
    page = operator.get("/orders/new/", {"code": str(world.good.pk)}).content.decode()
    assert "ООО C400" in page and "ООО C100" not in page
    assert "ООО C100" in operator.get("/orders/new/", {"code": "c100"}).content.decode()


def test_blocked_caller_sees_the_reason_and_whom_to_transfer_to_and_cannot_start(world, operator):
    # R-ORD-4: the reason (overdue amount and days) and the transfer instruction; no order.
    page = operator.get("/orders/new/", {"customer": world.overdue.pk}).content.decode()
    assert "Orders blocked" in page and "4,000.00" in page and "transfer the call to the manager" in page
    assert "Take order" not in page
    response = operator.post("/orders/new/", {"customer": world.overdue.pk})
    assert response.status_code == 200 and "Orders blocked" in response.content.decode()
    assert not Order.objects.filter(customer=world.overdue).exists()


def test_the_caller_card_on_the_call_desk_keeps_its_contract_and_shows_the_extras(world, operator):
    # R-OPS-2 / R-ORD-2: the routing screen includes customers/_card.html with `customer`.
    page = operator.get("/calls/desk/", {"number": "+74951110001"}).content.decode()
    assert "ООО C200" in page and "Orders blocked" in page and "Usual products" in page


def test_starting_twice_resumes_the_same_draft(world, operator):
    first = start(operator, world.good)
    assert start(operator, world.good).pk == first.pk and first.status == Order.Status.DRAFT
    assert operator.get(f"/orders/{first.pk}/entry/").status_code == 200


def test_lines_are_added_with_enter_and_the_total_follows(world, operator):
    # R-ORD-7: assortment and sum, in the chosen column.
    order = start(operator, world.good)
    response = add(operator, order, "p001", 12)
    assert response.status_code == 200 and response["HX-Trigger"] == "order-lines-changed"
    assert "1 140,00" in response.content.decode() or "1,140.00" in response.content.decode()
    add(operator, order, "P001", 6)  # the same product again sets its quantity
    order.refresh_from_db()
    assert order.lines.get().quantity == 6 and str(order.total) == "570.00"
    line = order.lines.get()
    operator.post(f"/orders/{order.pk}/lines/", {"remove": line.pk}, HTTP_HX_REQUEST="true")
    order.refresh_from_db()
    assert not order.lines.exists() and order.total == 0


@pytest.mark.parametrize(
    ("product", "quantity", "text"),
    [
        ("NOPE", 1, "Product NOPE does not exist."),
        ("P002", 0, "Quantity must be at least 1"),
        ("P002", -5, "Quantity must be at least 1"),
        ("P002", 51, "Only 50 unit(s) of P002 in stock"),
        ("P001", 5, "sold in packs of 6"),
        ("P002", "", "This field is required."),
        ("P002", "abc", "Enter a valid value."),
    ],
)
def test_bad_lines_show_a_clear_message_and_nothing_is_added(world, operator, product, quantity, text):
    # R-ORD-7: every bad input gets a message in the form, never a 500.
    order = start(operator, world.good)
    response = add(operator, order, product, quantity)
    assert response.status_code == 200 and text in response.content.decode()
    assert "HX-Trigger" not in response and not order.lines.exists()


def test_product_search_finds_by_code_prefix_and_by_name_as_you_type(world, operator):
    order = start(operator, world.good)
    by_code = operator.get(f"/orders/{order.pk}/products/", {"product": "p00"}).content.decode()
    assert by_code.count('class="od-suggestion"') == 7 and "95,00" in by_code or "95.00" in by_code
    by_name = operator.get(f"/orders/{order.pk}/products/", {"product": "молоко P003"}).content.decode()
    assert by_name.count('class="od-suggestion"') == 1 and "P003" in by_name


def test_operator_cannot_choose_a_better_column_on_screen(world, operator):
    # R-ORD-6: the choice offers only allowed-or-worse columns, a forged one is 403.
    order = start(operator, world.good)
    lines = operator.get(f"/orders/{order.pk}/lines/").content.decode()
    assert 'value="c2"' in lines and 'value="c3"' not in lines
    assert operator.post(f"/orders/{order.pk}/column/", {"column": "c3"}).status_code == 403
    assert operator.post(f"/orders/{order.pk}/column/", {"column": "base"}).status_code == 200
    order.refresh_from_db()
    assert order.column.code == "base"


def test_sales_head_override_on_screen_is_audited(world):
    # R-ORD-6, R-OPS-5
    head = login(world.users[Role.SALES_HEAD])
    order = start(head, world.good)
    add(head, order, "P001", 6)
    assert head.post(f"/orders/{order.pk}/column/", {"column": "c3"}).status_code == 200
    event = AuditEvent.objects.get(action="order.column_override", target_id=str(order.pk))
    assert event.data["requested"] == "c3" and event.data["total_before"] == "570.00" and event.data["total_after"] == "540.00"


def test_upsell_panel_proposes_with_reasons_and_records_each_answer(world, operator):
    # R-ORD-5: new, promoted, traditional products with the reason; outcomes recorded.
    order = start(operator, world.good)
    panel = operator.get(f"/orders/{order.pk}/offers/").content.decode()
    assert "P005" in panel and "Promoted by management" in panel and "New product" in panel
    assert "0 of 3 offered" in panel
    response = offer(operator, order, "P005", "accepted")
    assert response["HX-Trigger"] == "order-offers-changed" and "1 of 3 offered" in response.content.decode()
    offer(operator, order, "P003", "declined")
    offer(operator, order, "P006", "not_available")
    assert dict(UpsellOffer.objects.filter(order=order).values_list("product__code", "outcome")) == {
        "P005": "accepted", "P003": "declined", "P006": "not_available"}
    assert order.lines.filter(product__code="P005").exists()  # accepted -> one pack on the order
    assert offer(operator, order, "P007", "maybe").status_code == 200  # bad outcome: message, not 500


def test_order_cannot_be_placed_before_three_offers(world, operator):
    # R-ORD-5
    order = start(operator, world.good)
    add(operator, order, "P001", 6)
    offer(operator, order, "P003", "declined")
    response = place(operator, order)
    assert response.status_code == 200 and "Offer 2 more extra product(s)" in response.content.decode()
    order.refresh_from_db()
    assert order.status == Order.Status.DRAFT


def test_delivery_fields_are_required_and_shown_next_to_the_field(world, operator):
    # R-ORD-7
    order = start(operator, world.good)
    add(operator, order, "P001", 6)
    response = place(operator, order, delivery_date="", window_start="", window_end="", accepting_person="")
    page = response.content.decode()
    assert response.status_code == 200 and "Choose a delivery date." in page
    assert "Enter the person authorised to accept the goods." in page
    assert place(operator, order, delivery_date="31.02.2026").status_code == 200  # unparsable: form error


def test_regional_fields_appear_only_for_regional_customers(world, operator):
    # R-ORD-7: payment form, pick-up date or shipping details for regional customers only.
    page = operator.get(f"/orders/{start(operator, world.good).pk}/entry/").content.decode()
    assert 'name="payment_form"' not in page
    page = operator.get(f"/orders/{start(operator, world.regional).pk}/entry/").content.decode()
    assert 'name="payment_form"' in page and 'name="pickup_date"' in page and 'name="shipping_carrier"' in page


def test_a_complete_phone_order_is_placed_and_reaches_the_manager(world, operator, django_capture_on_commit_callbacks):
    # R-ORD-1, R-ORD-5, R-ORD-7: placed, visible at once in the manager's list.
    order = start(operator, world.good)
    add(operator, order, "P001", 6)
    for code in ("P003", "P005", "P006"):
        offer(operator, order, code, "declined")
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(manager_group(world.users[Role.ACCOUNT_MANAGER].pk), channel)
    with django_capture_on_commit_callbacks(execute=True):
        response = place(operator, order, comment="ring at the gate")
    assert response.status_code == 302 and response["Location"] == f"/orders/{order.pk}/"
    order.refresh_from_db()
    assert order.status == Order.Status.PLACED and order.channel == Order.Channel.PHONE
    assert order.delivery_date == delivery_day() and order.comment == "ring at the gate"
    assert async_to_sync(layer.receive)(channel)["order_id"] == order.pk
    manager_page = login(world.users[Role.ACCOUNT_MANAGER]).get("/orders/mine/").content.decode()
    assert order.number in manager_page and 'ws-connect="/ws/orders/manager/"' in manager_page


def test_manager_list_polls_for_new_rows_as_a_fallback(world, operator):
    # R-ORD-1: without the WebSocket the list refreshes its rows.
    from calldesk.apps.orders.services import place_order

    from .world import order_request

    order = place_order(order_request(world.good), actor=None)
    rows = login(world.users[Role.ACCOUNT_MANAGER]).get("/orders/mine/", {"rows": "1"}, HTTP_HX_REQUEST="true")
    assert rows.status_code == 200 and order.number in rows.content.decode()
    assert rows.content.decode().startswith("<tbody")


@pytest.mark.django_db(transaction=True)
def test_the_manager_websocket_pushes_a_row_for_each_placed_order(users):
    # R-ORD-1: the live list's consumer joins the manager's group and sends the row.
    # Transactional: the consumer's database_sync_to_async closes connections it finds inside a
    # transaction. The order row is made directly, so no audit row blocks the teardown flush.
    world = build_world(users)
    manager = world.users[Role.ACCOUNT_MANAGER]
    order = Order.objects.create(number="O-LIVE-1", customer=world.good, column=world.columns["c2"], status=Order.Status.PLACED)

    async def scenario() -> str:
        communicator = websocket(manager)
        await communicator.send_input({"type": "websocket.connect"})
        assert (await communicator.receive_output(timeout=5))["type"] == "websocket.accept"
        await get_channel_layer().group_send(manager_group(manager.pk), {"type": "order.placed", "order_id": order.pk})
        sent = await communicator.receive_output(timeout=5)
        await communicator.send_input({"type": "websocket.disconnect", "code": 1000})
        await communicator.wait(timeout=5)
        return sent["text"]

    html = async_to_sync(scenario)()
    assert order.number in html and 'hx-swap-oob="afterbegin"' in html


def test_the_websocket_refuses_anyone_but_an_account_manager(world):
    async def scenario() -> str:
        communicator = websocket(world.users[Role.OPERATOR])
        await communicator.send_input({"type": "websocket.connect"})
        return (await communicator.receive_output(timeout=5))["type"]

    assert async_to_sync(scenario)() == "websocket.close"


def test_escalation_goes_to_the_department_head_who_answers_on_the_sales_home(world, operator):
    # R-ORD-8: one action; the head sees it on customers:sales_home; the answer is on the order.
    order = start(operator, world.good)
    response = operator.post(f"/orders/{order.pk}/escalate/", {"question": "Wants 30 days to pay"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Waiting for the department head" in response.content.decode()
    escalation = Escalation.objects.get(order=order)
    assert escalation.head == world.users[Role.SALES_HEAD] and escalation.raised_by == world.users[Role.OPERATOR]
    head = login(world.users[Role.SALES_HEAD])
    assert "Wants 30 days to pay" in head.get("/customers/sales/").content.decode()
    assert head.post(f"/customers/sales/escalations/{escalation.pk}/", {"answer": "Yes, 21 days"}).status_code == 302
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.ANSWERED and escalation.answered_by == world.users[Role.SALES_HEAD]
    assert "Yes, 21 days" in operator.get(f"/orders/{order.pk}/escalate/").content.decode()
    assert "Wants 30 days to pay" not in head.get("/customers/sales/").content.decode()


def test_empty_escalation_or_answer_is_refused_with_a_message(world, operator):
    order = start(operator, world.good)
    assert operator.post(f"/orders/{order.pk}/escalate/", {"question": ""}).status_code == 200
    assert not Escalation.objects.exists()
    escalation = Escalation.objects.create(order=order, customer=world.good, question="?")
    response = login(world.users[Role.SALES_HEAD]).post(f"/customers/sales/escalations/{escalation.pk}/", {"answer": ""})
    assert response.status_code == 200 and "This field is required." in response.content.decode()


def test_customer_without_a_department_head_escalates_to_the_head_of_wholesale(world, operator):
    from calldesk.apps.customers.models import Department

    Department.objects.create(code="wh", name="Wholesale", kind=Department.Kind.WHOLESALE, head=world.users[Role.WHOLESALE_HEAD])
    world.good.department = None
    world.good.save()
    order = start(operator, world.good)
    operator.post(f"/orders/{order.pk}/escalate/", {"question": "?"})
    assert Escalation.objects.get().head == world.users[Role.WHOLESALE_HEAD]


def test_reference_information_is_sent_by_email_with_the_price_list_and_certificates(world, operator, settings, tmp_path):
    # R-ORD-9: assortment, prices, delivery terms, certificates; Django's e-mail backend.
    from django.core.files.base import ContentFile

    from calldesk.apps.catalog.models import Certificate

    settings.MEDIA_ROOT = tmp_path
    Certificate.objects.create(product=world.products["P001"], title="GOST", file=ContentFile(b"%PDF-1.4 cert", name="gost.pdf"))
    order = start(operator, world.good)
    add(operator, order, "P001", 6)
    form = operator.get(f"/customers/{world.good.pk}/reference/", {"order": order.pk}).content.decode()
    assert "c100@example.com" in form and "P001" in form
    response = operator.post(f"/customers/{world.good.pk}/reference/?order={order.pk}", {
        "to": "buyer@example.com", "assortment": "on", "prices": "on", "delivery_terms": "on", "certificates": "on",
        "products": "P001", "order": order.pk,
    })
    assert response.status_code == 302 and response["Location"] == f"/orders/{order.pk}/entry/"
    message = mail.outbox[-1]
    assert message.to == ["buyer@example.com"] and "Delivery terms" in message.body
    names = [a[0] for a in message.attachments]
    assert "assortment.xlsx" in names and "P001-gost.pdf" in names
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(message.attachments[0][1])).active
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True)}
    assert float(rows["P001"][-1]) == 95.0  # the customer's column
    assert AuditEvent.objects.filter(action="customer.reference_mail").exists()


def test_reference_mail_needs_a_valid_address(world, operator):
    response = operator.post(f"/customers/{world.good.pk}/reference/", {"to": "not-an-address"})
    assert response.status_code == 200 and not mail.outbox


def test_remarks_reach_the_chosen_department_head(world, operator):
    # R-ORD-11: captured on the call, routed to the department chosen; the head sees them.
    world.finance.email = "finance@example.com"
    world.finance.save()
    response = operator.post(f"/customers/{world.good.pk}/remarks/new/",
                             {"kind": "wish", "department": world.finance.pk, "text": "Invoices by e-mail, please"})
    assert response.status_code == 302
    finance = login(world.users[Role.FINANCE])
    world.users[Role.FINANCE].department = world.finance
    world.users[Role.FINANCE].save()
    assert "Invoices by e-mail, please" in finance.get("/customers/receivables/").content.decode()
    assert "Invoices by e-mail, please" not in login(world.users[Role.SALES_HEAD]).get("/customers/sales/").content.decode()
    from calldesk.apps.customers.models import Remark

    remark = Remark.objects.get()
    assert finance.post(f"/customers/remarks/{remark.pk}/", {"response": "Done"}).status_code == 302
    remark.refresh_from_db()
    assert remark.status == "done" and remark.handled_by == world.users[Role.FINANCE]


def test_a_remark_needs_text_and_department(world, operator):
    response = operator.post(f"/customers/{world.good.pk}/remarks/new/", {"kind": "wish", "text": ""})
    assert response.status_code == 200 and "This field is required." in response.content.decode()


def test_cancelled_draft_is_not_listed_and_cannot_be_placed(world, operator):
    order = start(operator, world.good)
    assert operator.post(f"/orders/{order.pk}/cancel/").status_code == 302
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert place(operator, order).status_code == 302  # back to the entry, which shows the order
    response = add(operator, order, "P001", 6)
    assert response["HX-Redirect"] == f"/orders/{order.pk}/"


def test_drafts_do_not_count_as_exposure_or_appear_in_lists(world, operator):
    order = start(operator, world.good)
    add(operator, order, "P001", 60)
    assert order.number not in operator.get("/orders/").content.decode()
    from calldesk.apps.orders.selectors import get_order_stats

    assert get_order_stats(world.good.pk, today=date.today()).unshipped_total == 0
