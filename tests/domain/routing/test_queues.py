from __future__ import annotations

from calldesk.domain.routing import (
    AgentState,
    AnnouncePosition,
    CallbackRequested,
    DialCallback,
    Outcome,
    PlayMessage,
    RegisterCallback,
)

from .helpers import Desk, one_queue


def _busy_then_free(desk: Desk, agent: str, call: str, start: float, end: float) -> None:
    """Give `agent` one call from start to end so its counters and idle time move."""
    desk.offer(call, at=start)
    desk.answer(call, agent, at=start)
    desk.end(call, at=end)


# R-ORD-3 (others served by operators): longest idle operator gets the call
def test_longest_idle_strategy_picks_the_agent_idle_longest() -> None:
    desk = Desk(one_queue("longest_idle"))
    desk.login("a2", at=1)
    desk.login("a1", at=2)
    desk.login("a3", at=3)
    assert desk.ringing_agent(desk.offer("c1", at=10)) == "a2"
    assert desk.ringing_agent(desk.offer("c2", at=11)) == "a1"


# R-OPS-2
def test_fewest_calls_strategy_prefers_the_least_used_agent() -> None:
    desk = Desk(one_queue("fewest_calls", agents={"a1": {"s": 1}, "a2": {"s": 1}}))
    desk.login("a1", at=0)
    _busy_then_free(desk, "a1", "warm", 1, 2)  # a1 handled one call, now idle since 2
    desk.login("a2", at=5)  # a2 idle for less time but handled none
    assert desk.ringing_agent(desk.offer("c1", at=10)) == "a2"


# R-OPS-2
def test_skill_level_first_strategy_prefers_the_best_skilled() -> None:
    agents = {"a1": {"s": 2}, "a2": {"s": 9}, "a3": {"s": 5}}
    desk = Desk(one_queue("skill_level", agents=agents))
    desk.login("a1", "a2", "a3", at=0)
    assert desk.ringing_agent(desk.offer("c1", at=1)) == "a2"
    assert desk.ringing_agent(desk.offer("c2", at=2)) == "a3"


# R-OPS-2
def test_minimum_skill_level_keeps_novices_out_of_the_queue() -> None:
    agents = {"novice": {"s": 1}, "expert": {"s": 5}}
    desk = Desk(one_queue(agents=agents, min_level=3))
    desk.login("novice", at=0)
    desk.login("expert", at=1)
    desk.request("expert", AgentState.BREAK, "coffee", at=2)
    out = desk.offer("c1", at=3)
    # Only the expert qualifies; on a break, nobody is present for the queue.
    assert desk.rung(out) == []
    assert PlayMessage("c1", "no_agent", ("voicemail", "callback")) in out
    desk.request("expert", AgentState.READY, at=4)
    assert desk.ringing_agent(desk.offer("c2", at=5)) == "expert"


# R-OPS-2
def test_higher_priority_calls_are_served_first_then_by_arrival() -> None:
    desk = Desk(one_queue(agents={"a1": {"s": 1}}))
    desk.login("a1", at=0)
    desk.offer("busy", at=1)
    desk.answer("busy", "a1", at=1)
    desk.offer("low1", at=2)
    desk.offer("low2", at=3)
    desk.offer("vip", at=4, priority=5)
    assert desk.router.queue_position("vip").position == 1  # type: ignore[union-attr]
    assert desk.router.queue_position("low2").position == 3  # type: ignore[union-attr]
    out = desk.end("busy", at=10)
    assert desk.ringing_agent(out) == "a1"
    assert desk.rung(out) == [("vip", "a1")]


# R-OPS-2
def test_queue_announces_position_and_expected_wait() -> None:
    cfg = one_queue(agents={"a1": {"s": 1}, "a2": {"s": 1}}, aht_estimate_s=120,
                    announce_every_s=30)
    desk = Desk(cfg)
    desk.login("a1", "a2", at=0)
    for k, call in enumerate(("x1", "x2")):
        desk.offer(call, at=1 + k)
        desk.answer(call, f"a{k + 1}", at=1 + k)
    out = desk.offer("w1", at=5)
    assert AnnouncePosition("w1", "q", 1, 60.0) in out
    out = desk.offer("w2", at=6)
    assert AnnouncePosition("w2", "q", 2, 120.0) in out
    out = desk.tick(35)
    assert AnnouncePosition("w1", "q", 1, 60.0) in out


# R-OPS-2
def test_overflow_to_another_queue_after_a_wait() -> None:
    cfg = {
        "queues": [
            {"name": "first", "skill": "s1", "overflow": [{"after_s": 60, "queue": "second"}]},
            {"name": "second", "skill": "s2"},
        ],
        "agents": [{"id": "a1", "skills": {"s1": 1}}, {"id": "b1", "skills": {"s2": 1}}],
        "hotlines": [{"name": "main", "default_queue": "first"}],
    }
    desk = Desk(cfg)
    desk.login("a1", "b1", at=0)
    desk.offer("busy", at=1)
    desk.answer("busy", "a1", at=1)
    out = desk.offer("c1", at=2)
    assert desk.rung(out) == []  # b1 is free but not before the overflow time
    assert desk.rung(desk.tick(61)) == []
    out = desk.tick(62)
    assert desk.rung(out) == [("c1", "b1")]
    finished_kinds = [e.kind for e in desk.router.call("c1").timeline]  # type: ignore[union-attr]
    assert "overflow" in finished_kinds


# R-OPS-2
def test_overflowed_call_can_still_be_taken_by_the_first_queue() -> None:
    cfg = {
        "queues": [
            {"name": "first", "skill": "s1", "overflow": [{"after_s": 10, "queue": "second"}]},
            {"name": "second", "skill": "s2"},
        ],
        "agents": [{"id": "a1", "skills": {"s1": 1}}, {"id": "b1", "skills": {"s2": 1}}],
        "hotlines": [{"name": "main", "default_queue": "first"}],
    }
    desk = Desk(cfg)
    desk.login("a1", "b1", at=0)
    for call, agent in (("x", "a1"), ("y", "b1")):
        desk.offer(call, at=1)
        desk.answer(call, agent, at=1)
    desk.offer("c1", at=2)
    desk.tick(20)  # overflowed, both agents still busy
    out = desk.end("x", at=30)
    assert desk.rung(out) == [("c1", "a1")]


# R-OPS-2
def test_callback_in_queue_keeps_the_place() -> None:
    desk = Desk(one_queue(agents={"a1": {"s": 1}}))
    desk.login("a1", at=0)
    desk.offer("busy", at=1)
    desk.answer("busy", "a1", at=1)
    desk.offer("first", at=2)
    desk.offer("second", at=3)
    out = desk.send(CallbackRequested(4, "first", "+4930123"))
    assert RegisterCallback("first", "+4930123", keeps_place=True) in out
    desk.end("first", at=5)  # the caller hangs up after asking for the callback
    assert desk.router.queue_position("second").position == 2  # type: ignore[union-attr]
    out = desk.end("busy", at=10)
    assert desk.rung(out) == [("first", "a1")]
    out = desk.answer("first", "a1", at=11)
    assert DialCallback("first", "a1", "+4930123") in out
    desk.end("first", at=70)
    assert desk.finished("first").outcome is Outcome.CALLBACK
    assert desk.rung()[-1] == ("second", "a1")


# R-OPS-2
def test_caller_hanging_up_while_ringing_frees_the_agent() -> None:
    desk = Desk(one_queue(agents={"a1": {"s": 1}}))
    desk.login("a1", at=0)
    desk.offer("c1", at=1)
    desk.end("c1", at=3)
    assert desk.finished("c1").outcome is Outcome.ABANDONED
    assert desk.state("a1") is AgentState.READY
    assert desk.ringing_agent(desk.offer("c2", at=4)) == "a1"
