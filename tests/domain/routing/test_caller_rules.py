from __future__ import annotations

import json

import pytest

from calldesk.domain.routing import (
    AgentState,
    ConfigError,
    PlayMessage,
    RingAgent,
    parse_routing_config,
)

from .helpers import Desk

ORDER_DESK_JSON = """
{
  "queues": [
    {"name": "operators", "skill": "orders"},
    {"name": "finance", "skill": "finance"}
  ],
  "agents": [
    {"id": "op1", "skills": {"orders": 1}},
    {"id": "mgr1", "skills": {"key_account": 1}},
    {"id": "mgr2", "skills": {"key_account": 1}},
    {"id": "mgr3", "skills": {"key_account": 1}},
    {"id": "head_wholesale", "skills": {}},
    {"id": "head_retail", "skills": {}},
    {"id": "sales_head_retail", "skills": {}},
    {"id": "sales_head_wholesale", "skills": {}},
    {"id": "fin1", "skills": {"finance": 1}}
  ],
  "directories": {
    "heads": {"wholesale": "head_wholesale", "retail": "head_retail"},
    "sales_heads": {"wholesale": "sales_head_wholesale", "retail": "sales_head_retail"}
  },
  "hotlines": [{
    "name": "main",
    "default_queue": "operators",
    "ring_timeout_s": 20,
    "rules": [
      {"name": "credit blocked", "when": {"credit_blocked": true},
       "fallback_to_default_queue": false,
       "steps": [{"agent_attr": "manager", "ring_timeout_s": 15},
                 {"queue": "finance"}]},
      {"name": "not an order", "when": {"intent": {"not_in": ["order", "information"]}},
       "steps": [{"agent_attr": "manager", "ring_timeout_s": 15},
                 {"directory": "heads", "key_attr": "department", "wait_s": 300}]},
      {"name": "key account", "when": {"type": "key_account"},
       "steps": [{"agent_attr": "manager", "ring_timeout_s": 15},
                 {"skill": "key_account", "exclude_attr": "manager", "ring_timeout_s": 15},
                 {"directory": "heads", "key": "wholesale", "wait_s": null}]},
      {"name": "new customer", "when": {"type": "new"},
       "steps": [{"directory": "sales_heads", "key_attr": "department", "wait_s": 120}]}
    ]
  }]
}
"""

EVERYONE = ("op1", "mgr1", "mgr2", "mgr3", "head_wholesale", "head_retail",
            "sales_head_retail", "sales_head_wholesale", "fin1")


def _desk(*present: str) -> Desk:
    desk = Desk(parse_routing_config(json.loads(ORDER_DESK_JSON)))
    for k, agent in enumerate(present):
        desk.login(agent, at=float(k) / 100)
    desk.at(1.0)
    return desk


def _occupy(desk: Desk, agent: str, call: str) -> None:
    """Put `agent` on a call by ringing them directly with a throwaway call."""
    view = desk.router.agent(agent)
    assert view is not None and view.state is AgentState.READY
    others = [a for a in EVERYONE if a != agent and desk.state(a) is AgentState.READY]
    for other in others:
        desk.request(other, AgentState.NOT_READY, "hold back")
    desk.offer(call, type="key_account", manager=agent)
    desk.answer(call, agent)
    for other in others:
        desk.login(other)


KA = {"type": "key_account", "manager": "mgr1"}


# R-ORD-3: key account -> own manager rings first
def test_key_account_rings_own_manager_first() -> None:
    desk = _desk(*EVERYONE)
    out = desk.offer("c1", at=2, **KA)
    assert desk.rung(out) == [("c1", "mgr1")]
    assert [c.timeout_s for c in out if isinstance(c, RingAgent)] == [15.0]


# R-ORD-3: own manager absent -> another key-account manager, never the absent one
def test_key_account_goes_to_another_manager_when_own_is_absent() -> None:
    desk = _desk(*(a for a in EVERYONE if a != "mgr1"))
    out = desk.offer("c1", at=2, **KA)
    assert desk.ringing_agent(out) in ("mgr2", "mgr3")


# R-ORD-3: own manager does not answer within the ring timeout -> another KA manager
def test_key_account_moves_on_after_the_ring_timeout() -> None:
    desk = _desk(*EVERYONE)
    desk.offer("c1", at=2, **KA)
    assert desk.router.next_deadline() == 17.0
    out = desk.tick(17.0)
    assert desk.state("mgr1") is AgentState.NOT_READY
    assert desk.ringing_agent(out) in ("mgr2", "mgr3")


# R-ORD-3: no key-account manager free -> head of wholesale
def test_key_account_goes_to_head_of_wholesale_when_no_manager_is_free() -> None:
    desk = _desk(*EVERYONE)
    _occupy(desk, "mgr2", "x2")
    _occupy(desk, "mgr3", "x3")
    desk.request("mgr1", AgentState.BREAK, "lunch")
    out = desk.offer("c1", at=5, **KA)
    assert desk.rung(out) == [("c1", "head_wholesale")]


# R-ORD-3: the chain with ring timeouts end to end: mgr1 (15 s) -> mgr2 (15 s) -> head
def test_key_account_chain_with_ring_timeouts() -> None:
    desk = _desk("op1", "mgr1", "mgr2", "head_wholesale")
    desk.offer("c1", at=2, **KA)
    assert desk.rung() == [("c1", "mgr1")]
    assert desk.rung(desk.tick(17)) == [("c1", "mgr2")]
    assert desk.rung(desk.tick(32)) == [("c1", "head_wholesale")]
    desk.answer("c1", "head_wholesale", at=35)
    timeline = desk.router.call("c1").timeline  # type: ignore[union-attr]
    rings = [(e.kind, e.agent_id) for e in timeline if e.kind in ("ringing", "no_answer")]
    assert rings == [("ringing", "mgr1"), ("no_answer", "mgr1"), ("ringing", "mgr2"),
                     ("no_answer", "mgr2"), ("ringing", "head_wholesale")]


# R-ORD-3: head of wholesale busy -> the key account waits for them, not for operators
def test_key_account_waits_for_a_busy_head_of_wholesale() -> None:
    desk = _desk("op1", "head_wholesale")
    _occupy(desk, "head_wholesale", "x")
    out = desk.offer("c1", at=5, **KA)
    assert desk.rung(out) == []
    out = desk.end("x", at=40)
    assert desk.rung(out) == [("c1", "head_wholesale")]


# R-ORD-3: new customers -> head of the relevant sales department
def test_new_customer_goes_to_the_sales_department_head() -> None:
    desk = _desk(*EVERYONE)
    out = desk.offer("c1", at=2, type="new", department="retail")
    assert desk.rung(out) == [("c1", "sales_head_retail")]
    out = desk.offer("c2", at=3, type="new", department="wholesale")
    assert desk.rung(out) == [("c2", "sales_head_wholesale")]


# R-ORD-3: everybody else is served by operators
def test_regular_customer_goes_to_operators() -> None:
    desk = _desk(*EVERYONE)
    out = desk.offer("c1", at=2, type="regular", manager="mgr1", intent="order")
    assert desk.rung(out) == [("c1", "op1")]


# R-ORD-4: blocked by the credit check -> own manager
def test_blocked_customer_goes_to_own_manager() -> None:
    desk = _desk(*EVERYONE)
    out = desk.offer("c1", at=2, type="key_account", manager="mgr2", credit_blocked="true")
    assert desk.rung(out) == [("c1", "mgr2")]


# R-ORD-4: manager absent -> finance
def test_blocked_customer_goes_to_finance_when_manager_is_absent() -> None:
    desk = _desk(*(a for a in EVERYONE if a != "mgr2"))
    out = desk.offer("c1", at=2, manager="mgr2", credit_blocked="true")
    assert desk.rung(out) == [("c1", "fin1")]


# R-ORD-4, R-HL-5: blocked callers never fall back to order-taking operators
def test_blocked_customer_is_not_given_to_operators_when_finance_is_empty() -> None:
    desk = _desk("op1")
    out = desk.offer("c1", at=2, manager="mgr2", credit_blocked="true")
    assert desk.rung(out) == []
    assert any(isinstance(c, PlayMessage) for c in out)


# R-ORD-10: anything else than an order/information -> the customer's manager
def test_other_intent_goes_to_the_manager() -> None:
    desk = _desk(*EVERYONE)
    out = desk.offer("c1", at=2, intent="complaint", manager="mgr3", department="retail")
    assert desk.rung(out) == [("c1", "mgr3")]


# R-ORD-10: manager absent -> department head
def test_other_intent_goes_to_the_department_head_when_manager_is_absent() -> None:
    desk = _desk(*(a for a in EVERYONE if a != "mgr3"))
    out = desk.offer("c1", at=2, intent="complaint", manager="mgr3", department="retail")
    assert desk.rung(out) == [("c1", "head_retail")]


# R-ORD-10: orders and information requests are not caught by that rule
def test_order_intent_follows_the_customer_type_rules() -> None:
    desk = _desk(*EVERYONE)
    out = desk.offer("c1", at=2, intent="information", type="new", department="retail")
    assert desk.rung(out) == [("c1", "sales_head_retail")]


# R-ORD-3: customer types are data; another hotline can use its own words
def test_customer_types_are_plain_configuration_strings() -> None:
    data = json.loads(ORDER_DESK_JSON)
    data["hotlines"][0]["rules"] = [
        {"name": "gold", "when": {"type": ["gold", "platinum"]},
         "steps": [{"agent": "head_retail"}]}
    ]
    desk = Desk(parse_routing_config(data))
    desk.login("op1", "head_retail", at=0)
    assert desk.rung(desk.offer("c1", at=1, type="platinum")) == [("c1", "head_retail")]
    assert desk.rung(desk.offer("c2", at=2, type="key_account")) == [("c2", "op1")]


# R-ORD-3
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["hotlines"][0].update(default_queue="nowhere"), "unknown default queue"),
        (lambda d: d["queues"][0].update(strategy="random"), "unknown strategy"),
        (lambda d: d["hotlines"][0]["rules"][0]["steps"].append({"queue": "x"}), "unknown queue"),
        (lambda d: d["hotlines"][0]["rules"][0]["steps"].append({"agent": "a", "skill": "b"}),
         "exactly one"),
        (lambda d: d["hotlines"][0].update(options=["fax"]), "unknown option"),
        (lambda d: d["hotlines"][0].update(hours={"timezone": "Mars/Olympus"}), "timezone"),
    ],
)
def test_invalid_rules_are_refused_with_a_message(change: object, message: str) -> None:
    data = json.loads(ORDER_DESK_JSON)
    change(data)  # type: ignore[operator]
    with pytest.raises(ConfigError, match=message):
        parse_routing_config(data)
