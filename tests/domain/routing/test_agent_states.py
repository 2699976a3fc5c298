from __future__ import annotations

import pytest

from calldesk.domain.routing import (
    AgentState,
    AgentStateChanged,
    AgentStatus,
    IllegalTransition,
    Rejected,
    RingAgent,
    StopRinging,
    check_request,
    check_transition,
    transition,
)

from .helpers import Desk, one_queue

S = AgentState


# R-OPS-2
@pytest.mark.parametrize(
    ("current", "target", "reason"),
    [
        (S.OFFLINE, S.READY, ""),
        (S.READY, S.RESERVED, ""),
        (S.RESERVED, S.TALKING, ""),
        (S.TALKING, S.ON_HOLD, ""),
        (S.ON_HOLD, S.TALKING, ""),
        (S.TALKING, S.WRAP_UP, ""),
        (S.WRAP_UP, S.READY, ""),
        (S.READY, S.BREAK, "lunch"),
        (S.BREAK, S.READY, ""),
        (S.READY, S.TRAINING, ""),
        (S.READY, S.OUTBOUND, ""),
        (S.NOT_READY, S.NOT_READY, "meeting"),
        (S.RESERVED, S.NOT_READY, "no answer"),
        (S.WRAP_UP, S.OFFLINE, ""),
    ],
)
def test_legal_transitions_are_applied(current: S, target: S, reason: str) -> None:
    status = transition(AgentStatus(current, since=0.0), target, at=5.0, reason=reason)
    assert status == AgentStatus(target, since=5.0, reason=reason)


# R-OPS-2
@pytest.mark.parametrize(
    ("current", "target", "reason", "why"),
    [
        (S.WRAP_UP, S.RESERVED, "", "no transition"),
        (S.BREAK, S.RESERVED, "", "no transition"),
        (S.OFFLINE, S.RESERVED, "", "no transition"),
        (S.NOT_READY, S.RESERVED, "", "no transition"),
        (S.OFFLINE, S.TALKING, "", "no transition"),
        (S.TALKING, S.BREAK, "lunch", "when the call ends"),
        (S.RESERVED, S.BREAK, "lunch", "ringing"),
        (S.READY, S.BREAK, "", "needs a reason"),
        (S.READY, S.NOT_READY, "", "needs a reason"),
    ],
)
def test_illegal_transitions_are_refused_with_a_reason(
    current: S, target: S, reason: str, why: str
) -> None:
    assert why in (check_transition(current, target, reason) or "")
    with pytest.raises(IllegalTransition) as refused:
        transition(AgentStatus(current, since=0.0), target, at=1.0, reason=reason)
    assert why in refused.value.reason


# R-OPS-2
def test_agents_cannot_request_call_states_or_leave_a_call() -> None:
    assert "call events" in (check_request(S.READY, S.TALKING) or "")
    assert "call events" in (check_request(S.WRAP_UP, S.WRAP_UP) or "")
    assert "when the call ends" in (check_request(S.TALKING, S.READY) or "")
    assert check_request(S.WRAP_UP, S.READY) is None


# R-OPS-2
def test_router_refuses_illegal_request_and_changes_nothing() -> None:
    desk = Desk(one_queue())
    out = desk.request("a1", S.BREAK)  # offline -> break is not a transition
    assert [type(c) for c in out] == [Rejected]
    assert desk.state("a1") is S.OFFLINE
    out = desk.request("nobody", S.READY)
    assert "unknown agent" in desk.rejected(out)[0]


# R-OPS-2: a ringing call nobody answers puts the agent in not-ready "no answer"
def test_ring_timeout_sends_agent_to_not_ready_and_rings_the_next() -> None:
    desk = Desk(one_queue(agents={"a1": {"s": 1}, "a2": {"s": 1}}))
    desk.login("a1", at=0)
    desk.login("a2", at=1)
    out = desk.offer("c1", at=10)
    assert desk.ringing_agent(out) == "a1"
    assert desk.router.next_deadline() == 30.0
    out = desk.tick(30.0)
    assert StopRinging("c1", "a1", "no answer") in out
    assert desk.state("a1") is S.NOT_READY
    assert desk.router.agent("a1").reason == "no answer"  # type: ignore[union-attr]
    assert desk.ringing_agent(out) == "a2"


# R-OPS-2: the timeout also fires when the next event comes late, without a Tick
def test_ring_timeout_fires_before_a_late_answer() -> None:
    desk = Desk(one_queue(agents={"a1": {"s": 1}}))
    desk.login("a1", at=0)
    desk.offer("c1", at=1)
    out = desk.answer("c1", "a1", at=25.0)
    assert desk.state("a1") is S.NOT_READY
    assert "not ringing" in desk.rejected(out)[0]


# R-OPS-2: wrap-up duration comes from the queue, and nobody is offered a call meanwhile
def test_wrap_up_is_never_offered_a_call() -> None:
    desk = Desk(one_queue(agents={"a1": {"s": 1}}, wrap_up_s=30))
    desk.login("a1", at=0)
    desk.offer("c1", at=1)
    desk.answer("c1", "a1", at=2)
    desk.end("c1", at=60)
    assert desk.state("a1") is S.WRAP_UP
    out = desk.offer("c2", at=61)
    assert desk.rung(out) == []
    out = desk.tick(89.0)
    assert desk.rung(out) == []
    out = desk.tick(90.0)
    assert desk.rung(out) == [("c2", "a1")]


# R-OPS-2
def test_break_requested_during_a_call_starts_after_wrap_up() -> None:
    desk = Desk(one_queue(agents={"a1": {"s": 1}}, wrap_up_s=10))
    desk.login("a1", at=0)
    desk.offer("c1", at=1)
    desk.answer("c1", "a1", at=2)
    assert desk.rejected(desk.request("a1", S.BREAK, "lunch", at=3))
    assert desk.request("a1", S.BREAK, "lunch", at=3, when_free=True) == []
    desk.end("c1", at=50)
    desk.offer("c2", at=55)
    out = desk.tick(60)
    assert desk.state("a1") is S.BREAK
    assert desk.router.agent("a1").reason == "lunch"  # type: ignore[union-attr]
    assert desk.rung(out) == []


# R-OPS-2
def test_agent_may_end_wrap_up_early() -> None:
    desk = Desk(one_queue(agents={"a1": {"s": 1}}, wrap_up_s=100))
    desk.login("a1", at=0)
    desk.offer("c1", at=1)
    desk.answer("c1", "a1", at=2)
    desk.end("c1", at=10)
    desk.offer("c2", at=11)
    out = desk.request("a1", S.READY, at=12)
    assert desk.rung(out) == [("c2", "a1")]
    assert any(isinstance(c, RingAgent) for c in out)
    changes = [c for c in out if isinstance(c, AgentStateChanged)]
    assert [(c.old, c.new) for c in changes] == [(S.WRAP_UP, S.READY), (S.READY, S.RESERVED)]
