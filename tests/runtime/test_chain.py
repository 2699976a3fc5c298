"""Caller-aware routing end to end through the runtime and the simulator, on a virtual clock."""

from __future__ import annotations

from decimal import Decimal

import pytest

from calldesk.domain import routing as dom
from calldesk.telephony.port import IncomingCall
from calldesk.telephony.simulator import SimulatorSettings

CALL = "11111111-1111-4111-8111-111111111111"


@pytest.fixture
def order_desk(db, client_a, users):
    from calldesk.apps.accounts.roles import Role
    from calldesk.apps.customers.models import Customer, CustomerPhone, CustomerType, Department
    from calldesk.apps.hotlines.models import Hotline
    from tests.conftest import make_user

    hotline = Hotline.objects.create(client=client_a, code="order-desk", name="Orders", kind=Hotline.Kind.ORDER_DESK,
                                     status=Hotline.Status.LIVE, wrap_up_seconds=5)
    head = make_user("boss", Role.WHOLESALE_HEAD)
    wholesale = Department.objects.create(code="wholesale", name="Wholesale", kind="wholesale", head=head)
    km1 = make_user("km1", Role.ACCOUNT_MANAGER, department=wholesale)
    km2 = make_user("km2", Role.ACCOUNT_MANAGER, department=wholesale)
    key = CustomerType.objects.create(code="key", name_ru="Ключевой", name_en="Key", is_key_account=True)
    customer = Customer.objects.create(code="K1", legal_name="Key Co", type=key, manager=km1, department=wholesale,
                                       credit_limit=Decimal("1000000"))
    CustomerPhone.objects.create(customer=customer, number="+74950000001")
    return {"hotline": hotline, "km1": km1, "km2": km2, "head": head, "customer": customer}


def _runtime(virtual_agents):
    from calldesk.runtime.virtual import VirtualRuntime

    runtime = VirtualRuntime(SimulatorSettings(agents=tuple(str(u.pk) for u in virtual_agents),
                                               answer_delay_s=1.0, talk_mean_s=30.0, patience_mean_s=10_000.0))
    runtime.start()
    return runtime


def _ready(runtime, *users):
    for user in users:
        runtime.submit(dom.AgentStateRequested(0.0, str(user.pk), dom.AgentState.READY))


def _rings(runtime):
    return [c.agent_id for s in runtime.steps for c in s.commands if isinstance(c, dom.RingAgent)]


@pytest.mark.django_db(transaction=True)
def test_key_account_rings_own_manager_first(order_desk):
    # R-ORD-3: a key account's call goes to its own manager.
    from calldesk.apps.calls.models import Call

    d = order_desk
    runtime = _runtime([d["km1"], d["km2"]])
    runtime.submit(IncomingCall(CALL, "order-desk", "+7 495 000-00-01", "order"))
    runtime.run_until(runtime.scheduler.now() + 5)
    assert _rings(runtime) == [str(d["km1"].pk)]
    call = Call.objects.get(pk=CALL)
    assert call.customer == d["customer"] and call.operator == d["km1"] and call.answered_at is not None


@pytest.mark.django_db(transaction=True)
def test_key_account_falls_back_along_the_chain(order_desk):
    # R-ORD-3: own manager does not answer -> another key-account manager; all absent -> head.
    from calldesk.apps.calls.models import Call

    d = order_desk
    runtime = _runtime([d["km2"], d["head"]])
    _ready(runtime, d["km1"])  # a person who will not pick up
    runtime.submit(IncomingCall(CALL, "order-desk", "+74950000001", "order"))
    runtime.run_until(runtime.scheduler.now() + 60)
    km1, km2, head = (str(d[k].pk) for k in ("km1", "km2", "head"))
    assert _rings(runtime)[:2] == [km1, km2]
    runtime.run_until(runtime.scheduler.now() + 600)
    call = Call.objects.get(pk=CALL)
    assert call.outcome == "answered" and call.operator == d["km2"] and call.routing_rule == "key_account"
    kinds = [(e["kind"], e["agent"]) for e in call.timeline]
    assert ("no_answer", km1) in kinds and ("answered", km2) in kinds

    # Second call: km1 went not-ready after the missed ring, km2 on a break -> head of wholesale.
    runtime.submit(dom.AgentStateRequested(0.0, km2, dom.AgentState.BREAK, "lunch"))
    second = "22222222-2222-4222-8222-222222222222"
    runtime.submit(IncomingCall(second, "order-desk", "+74950000001", "order"))
    runtime.run_until(runtime.scheduler.now() + 600)
    assert _rings(runtime)[-1] == head
    assert Call.objects.get(pk=second).operator == d["head"]


@pytest.mark.django_db(transaction=True)
def test_agent_states_are_logged_for_man_hours(order_desk):
    # R-OPS-2: the state log that man-hours come from; names are the domain's AgentState values.
    from calldesk.apps.calls.models import AgentStateLog

    d = order_desk
    runtime = _runtime([d["km1"]])
    runtime.submit(IncomingCall(CALL, "order-desk", "+74950000001", "order"))
    runtime.run_until(runtime.scheduler.now() + 600)
    states = list(AgentStateLog.objects.filter(agent=d["km1"]).order_by("started_at", "pk").values_list("state", flat=True))
    assert states[:5] == ["ready", "reserved", "talking", "wrap_up", "ready"]
    assert AgentStateLog.objects.filter(agent=d["km1"], ended_at__isnull=True).count() == 1
