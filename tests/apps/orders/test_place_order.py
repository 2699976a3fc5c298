"""`place_order`, the one gate of every order: credit, column, validation, stock, events."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from calldesk.apps.accounts.roles import Role
from calldesk.apps.audit.models import AuditEvent
from calldesk.apps.catalog.models import Product, ProgramMembership, Promotion, SpecialProgram
from calldesk.apps.orders.events import ORDER_PLACED, manager_group
from calldesk.apps.orders.models import Order, OrderLine, UpsellOffer
from calldesk.apps.orders.services import OfferRequest, OrderRejected, place_order

from .world import business_today, order_request

D = Decimal


def codes(exc: OrderRejected) -> dict[str, str]:
    return {p.field: p.code for p in exc.errors}


def test_order_is_priced_in_the_allowed_column_and_saved_with_its_lines(world):
    # R-ORD-6, R-ORD-7: retail customers get column 2 by rule; the total is the sum of lines.
    order = place_order(order_request(world.good, [("P001", 12), ("P002", 3)]), actor=world.users[Role.OPERATOR])
    assert order.status == Order.Status.PLACED and order.number == f"O{order.pk:07d}"
    assert order.column.code == "c2" and order.allowed_column.code == "c2"
    assert order.column_reason == "Retail: column 2"
    lines = {line.product.code: line for line in order.lines.select_related("product")}
    assert lines["P001"].unit_price == D("95.00") and lines["P001"].line_total == D("1140.00")
    assert order.total == D("1140.00") + D("28.50")
    assert order.accepting_person == "Anna Ivanova" and order.paying_person == "Anna Ivanova"


def test_stock_is_decremented_with_the_order(world):
    # R-ORD-7: stock moves atomically with the order.
    place_order(order_request(world.good, [("P001", 60)]), actor=world.users[Role.OPERATOR])
    assert Product.objects.get(code="P001").stock == 540


def test_order_placement_is_audited_with_its_total(world):
    # R-OPS-5: order totals are money-related data.
    order = place_order(order_request(world.good), actor=world.users[Role.OPERATOR])
    event = AuditEvent.objects.get(action="order.placed", target_id=str(order.pk))
    assert event.data["total"] == str(order.total) and event.data["column"] == "c2"


def test_overdue_customer_is_refused_with_the_reason_and_a_transfer_to_the_manager(world):
    # R-ORD-4: overdue receivables block the order; the present manager takes the call.
    with pytest.raises(OrderRejected) as caught:
        place_order(order_request(world.overdue), actor=world.users[Role.OPERATOR])
    exc = caught.value
    assert exc.code == "CREDIT_BLOCKED" and exc.status == 422
    assert [p.code for p in exc.errors] == ["OVERDUE"]
    assert exc.errors[0].params["amount"] == "4000.00" and exc.errors[0].params["days"] == 10
    assert exc.transfer["to"] == "manager" and exc.transfer["name"] == str(world.users[Role.ACCOUNT_MANAGER])
    assert not Order.objects.filter(customer=world.overdue).exists()
    assert Product.objects.get(code="P001").stock == 600


def test_blocked_customer_whose_manager_is_absent_goes_to_finance(world):
    # R-ORD-4: no present manager -> finance.
    manager = world.users[Role.ACCOUNT_MANAGER]
    manager.is_present = False
    manager.save()
    with pytest.raises(OrderRejected) as caught:
        place_order(order_request(world.overdue), actor=world.users[Role.OPERATOR])
    assert caught.value.transfer["to"] == "finance" and caught.value.transfer["name"] == "Finance dept"


def test_open_invoices_over_the_limit_block_the_order(world):
    # R-ORD-4: exposure over the limit, nothing overdue.
    with pytest.raises(OrderRejected) as caught:
        place_order(order_request(world.over_limit, [("P002", 1)]), actor=world.users[Role.OPERATOR])
    assert [p.code for p in caught.value.errors] == ["OVER_LIMIT"]


def test_an_order_that_would_cross_the_limit_is_refused_and_one_that_fits_is_taken(world):
    # R-ORD-4: exposure = open invoices + placed unshipped orders + this order.
    customer = world.good
    customer.credit_limit = D("1000.00")
    customer.save()
    place_order(order_request(customer, [("P001", 6)]), actor=None)  # 570.00
    with pytest.raises(OrderRejected) as caught:
        place_order(order_request(customer, [("P001", 6)]), actor=None)  # 1140 > 1000
    assert caught.value.errors[0].code == "OVER_LIMIT"
    assert caught.value.errors[0].params["exposure"] == "1140.00"
    place_order(order_request(customer, [("P002", 40)]), actor=None)  # 570 + 380 = 950 fits
    assert Order.objects.filter(customer=customer, status=Order.Status.PLACED).count() == 2


def test_shipped_orders_no_longer_count_towards_exposure(world):
    # R-ORD-4: only placed-but-unshipped orders are exposure; shipped ones are invoices by then.
    customer = world.good
    customer.credit_limit = D("600.00")
    customer.save()
    first = place_order(order_request(customer, [("P001", 6)]), actor=None)
    Order.objects.filter(pk=first.pk).update(status=Order.Status.SHIPPED)
    place_order(order_request(customer, [("P001", 6)]), actor=None)


def test_prepayment_customer_is_not_limited_by_the_order_but_still_by_overdue_debt(world):
    # R-ORD-4: prepayment orders add no exposure; existing debt still blocks.
    customer = world.good
    customer.credit_limit = D("0.00")
    customer.on_credit = False
    customer.save()
    place_order(order_request(customer, [("P001", 6)]), actor=None)
    world.overdue.on_credit = False
    world.overdue.save()
    with pytest.raises(OrderRejected) as caught:
        place_order(order_request(world.overdue), actor=None)
    assert caught.value.code == "CREDIT_BLOCKED"


@pytest.mark.parametrize(
    ("lines", "field", "code"),
    [
        ([("NOPE", 1)], "lines[0].product_code", "PRODUCT_UNKNOWN"),
        ([("P002", 0)], "lines[0].quantity", "QUANTITY_NOT_POSITIVE"),
        ([("P002", -3)], "lines[0].quantity", "QUANTITY_NOT_POSITIVE"),
        ([("P002", 51)], "lines[0].quantity", "INSUFFICIENT_STOCK"),
        ([("P001", 7)], "lines[0].quantity", "QUANTITY_NOT_PACK_MULTIPLE"),
        ([("P004", 1)], "lines[0].quantity", "INSUFFICIENT_STOCK"),
        ([], "lines", "ORDER_EMPTY"),
    ],
)
def test_bad_lines_are_refused_with_the_field_and_nothing_is_saved(world, lines, field, code):
    # R-ORD-7: unknown product, zero or negative quantity, more than in stock, pack multiples.
    with pytest.raises(OrderRejected) as caught:
        place_order(order_request(world.good, lines), actor=None)
    assert codes(caught.value)[field] == code
    assert caught.value.errors[0].message  # a human message, in the active language
    assert not Order.objects.exists() and not OrderLine.objects.exists()


def test_delivery_and_person_are_required(world):
    # R-ORD-7: delivery date, window and the person who accepts the goods.
    request = order_request(world.good, delivery_date=None, window_start=None, window_end=None, accepting_person="")
    with pytest.raises(OrderRejected) as caught:
        place_order(request, actor=None)
    found = codes(caught.value)
    assert found["delivery_date"] == "DELIVERY_DATE_REQUIRED"
    assert found["delivery_window.start"] == "DELIVERY_WINDOW_REQUIRED"
    assert found["accepting_person"] == "AUTHORISED_PERSON_REQUIRED"


def test_only_the_customers_authorised_people_accept_and_pay(world):
    # R-ORD-7: the person comes from the customer's contacts.
    with pytest.raises(OrderRejected) as caught:
        place_order(order_request(world.good, accepting_person="Somebody Else", paying_person="Nobody"), actor=None)
    found = codes(caught.value)
    assert found["accepting_person"] == "AUTHORISED_PERSON_UNKNOWN"
    assert found["paying_person"] == "PAYING_PERSON_UNKNOWN"


def test_regional_customer_needs_payment_form_and_pickup_or_shipping(world):
    # R-ORD-7: regional customers add payment form and either pick-up date or shipping details.
    with pytest.raises(OrderRejected) as caught:
        place_order(order_request(world.regional), actor=None)
    found = codes(caught.value)
    assert found["payment_form"] == "PAYMENT_FORM_REQUIRED" and found["shipping"] == "PICKUP_OR_SHIPPING_REQUIRED"
    with pytest.raises(OrderRejected) as caught:
        place_order(order_request(world.regional, payment_form="cash", shipping_carrier="PEK"), actor=None)
    assert codes(caught.value)["shipping.address"] == "SHIPPING_ADDRESS_REQUIRED"
    order = place_order(order_request(world.regional, payment_form="cash", pickup_date=business_today() + timedelta(days=3)), actor=None)
    assert order.payment_form == "cash" and order.pickup_date is not None


def test_regional_fields_are_not_kept_for_other_customers(world):
    order = place_order(order_request(world.good, payment_form="cash", shipping_address="x"), actor=None)
    assert order.payment_form == "" and order.shipping_details == ""


def test_operator_cannot_pick_a_better_column_than_allowed(world):
    # R-ORD-6: refused with 403, nothing saved.
    with pytest.raises(OrderRejected) as caught:
        place_order(order_request(world.good, column="c3"), actor=world.users[Role.OPERATOR])
    assert caught.value.status == 403 and caught.value.code == "COLUMN_BETTER_THAN_ALLOWED"
    assert not Order.objects.exists()


def test_operator_may_pick_a_worse_column(world):
    # R-ORD-6: the allowed column or a worse one.
    order = place_order(order_request(world.good, column="base"), actor=world.users[Role.OPERATOR])
    assert order.column.code == "base" and order.total == D("600.00") and not order.column_overridden


def test_unknown_column_is_refused(world):
    with pytest.raises(OrderRejected) as caught:
        place_order(order_request(world.good, column="c9"), actor=world.users[Role.SALES_HEAD])
    assert caught.value.code == "COLUMN_UNKNOWN" and caught.value.status == 422


@pytest.mark.parametrize("role", [Role.SALES_HEAD, Role.WHOLESALE_HEAD])
def test_heads_may_override_the_column_and_the_override_is_audited(world, role):
    # R-ORD-6, R-OPS-5: override roles pick a better column; the audit log keeps it.
    order = place_order(order_request(world.good, column="c3"), actor=world.users[role])
    assert order.column.code == "c3" and order.allowed_column.code == "c2" and order.column_overridden
    event = AuditEvent.objects.get(action="order.column_override", target_id=str(order.pk))
    assert event.data == {"requested": "c3", "allowed": "c2", "total": "540.00"}
    assert event.actor == world.users[role]


def test_volume_rule_grants_a_better_column(world):
    # R-ORD-6: a volume rule looks at the customer's recent orders.
    from calldesk.apps.catalog.models import TierRule

    TierRule.objects.create(name="Volume 1000", min_volume=D("1000"), volume_days=30, column=world.columns["c3"])
    place_order(order_request(world.good, [("P001", 12)]), actor=None)  # 1140 in column 2
    second = place_order(order_request(world.good, [("P002", 1)]), actor=None)
    assert second.column.code == "c3" and second.column_reason == "Volume 1000"


def test_promotion_lowers_the_price_and_is_kept_on_the_line(world):
    # R-ORD-12: management's promotions apply in orders.
    order = place_order(order_request(world.good, [("P005", 10)]), actor=None)
    line = order.lines.get()
    assert line.list_price == D("38.00") and line.unit_price == D("34.20") and line.promotion.name == "Promo P005"


def test_buy_n_get_m_adds_free_units_and_takes_them_from_stock(world):
    # R-ORD-12: bonus program "buy 10 get 1".
    Promotion.objects.create(name="10+1", product=world.products["P003"], kind=Promotion.Kind.BUY_GET, buy_quantity=10,
                             free_quantity=1, starts_on=business_today(), ends_on=business_today() + timedelta(days=5))
    order = place_order(order_request(world.good, [("P003", 20)]), actor=None)
    line = order.lines.get()
    assert line.free_units == 2 and line.line_total == D("380.00")
    assert Product.objects.get(code="P003").stock == 78


def test_special_program_members_get_bonus_points_and_the_programs_column(world):
    # R-ORD-12: special programs defined by management (column + bonus %).
    from calldesk.apps.catalog.models import TierRule

    program = SpecialProgram.objects.create(code="loyal", name="Loyal", column=world.columns["c3"], bonus_percent=D("1.00"))
    TierRule.objects.create(name="Loyalty", program=program, column=world.columns["c3"])
    ProgramMembership.objects.create(customer=world.good, program=program, valid_from=business_today() - timedelta(days=1))
    order = place_order(order_request(world.good, [("P001", 30)]), actor=None)
    assert order.column.code == "c3" and order.total == D("2700.00") and order.bonus_points == 27


def test_phone_order_cannot_close_before_three_offers(world):
    # R-ORD-5: at least 3 (configurable) extra positions offered, outcomes recorded.
    with pytest.raises(OrderRejected) as caught:
        place_order(order_request(world.good, channel=Order.Channel.PHONE,
                                  offers=(OfferRequest("P003", "declined"),)), actor=world.users[Role.OPERATOR])
    assert caught.value.code == "OFFERS_MISSING" and caught.value.params["missing"] == 2
    offers = tuple(OfferRequest(code, outcome) for code, outcome in
                   [("P003", "declined"), ("P005", "accepted"), ("P006", "not_available")])
    order = place_order(order_request(world.good, channel=Order.Channel.PHONE, offers=offers), actor=world.users[Role.OPERATOR])
    assert set(UpsellOffer.objects.filter(order=order).values_list("outcome", flat=True)) == {"declined", "accepted", "not_available"}


def test_required_offers_come_from_settings(world, settings):
    # R-ORD-5: the minimum is configurable.
    settings.CALLDESK_REQUIRED_OFFERS = 1
    place_order(order_request(world.good, channel=Order.Channel.PHONE, offers=(OfferRequest("P003", "declined"),)), actor=None)


def test_placed_order_is_published_to_the_managers_group_on_commit(world, django_capture_on_commit_callbacks):
    # R-ORD-1: every order reaches the customer's manager at once.
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(manager_group(world.users[Role.ACCOUNT_MANAGER].pk), channel)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        order = place_order(order_request(world.good), actor=None)
    assert len(callbacks) == 1
    message = async_to_sync(layer.receive)(channel)
    assert message["type"] == ORDER_PLACED and message["order_id"] == order.pk and message["number"] == order.number
    assert message["total"] == str(order.total)


def test_nothing_is_published_when_the_order_is_refused(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(OrderRejected):
        place_order(order_request(world.overdue), actor=None)
    assert callbacks == []
