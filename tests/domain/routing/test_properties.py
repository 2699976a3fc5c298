"""Random event sequences against the router's invariants and replay (R-OPS-2, R-HL-5)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calldesk.domain.routing import (
    AgentAnswered,
    AgentDeclined,
    AgentState,
    AgentStateChanged,
    AgentStateRequested,
    BlindTransferred,
    CallbackRequested,
    CallEnded,
    Caller,
    CallerChose,
    CallFinished,
    CallHeld,
    CallOffered,
    CallResumed,
    ConferenceStarted,
    ConsultEnded,
    ConsultStarted,
    Event,
    Outcome,
    ParticipantLeft,
    Router,
    Target,
    Tick,
    TransferCompleted,
    event_from_dict,
    event_to_dict,
    parse_routing_config,
    replay,
)

CONFIG = parse_routing_config({
    "queues": [
        {"name": "q1", "skill": "s1", "wrap_up_s": 5,
         "overflow": [{"after_s": 30, "queue": "q2"}], "announce_every_s": 20},
        {"name": "q2", "skill": "s2", "strategy": "fewest_calls", "max_wait_s": 200},
        {"name": "q3", "skill": "s1", "strategy": "skill_level", "min_level": 2},
    ],
    "agents": [
        {"id": "a0", "skills": {"s1": 1, "ka": 1}},
        {"id": "a1", "skills": {"s1": 3}},
        {"id": "a2", "skills": {"s2": 1, "ka": 1}},
        {"id": "a3", "skills": {"s1": 2, "s2": 2}},
    ],
    "directories": {"heads": {"wholesale": "a3"}},
    "hotlines": [{
        "name": "main", "default_queue": "q1", "ring_timeout_s": 40,
        "hours": {"weekly": [[d, 1, 1440] for d in range(7)]},  # closed 00:00-00:01
        "rules": [
            {"name": "blocked", "when": {"blocked": "true"}, "fallback_to_default_queue": False,
             "steps": [{"agent_attr": "manager"}, {"queue": "q2"}]},
            {"name": "ka", "when": {"type": "key_account"},
             "steps": [{"agent_attr": "manager", "wait_s": 10},
                       {"skill": "ka", "exclude_attr": "manager", "wait_s": 20},
                       {"directory": "heads", "key": "wholesale", "wait_s": None}]},
            {"name": "vip", "when": {"type": "vip"}, "steps": [{"queue": "q3"}]},
        ],
    }],
})
AGENTS = ("a0", "a1", "a2", "a3")
CALLERS = (
    Caller.of("+1"),
    Caller.of("+2", type="key_account", manager="a0"),
    Caller.of("+3", type="key_account", manager="a2"),
    Caller.of("", blocked="true", manager="a1"),
    Caller.of("+5", type="vip"),
)
TARGETS = (AgentState.READY, AgentState.READY, AgentState.NOT_READY, AgentState.BREAK, AgentState.OFFLINE,
           AgentState.TRAINING)
FINAL = {o.value for o in Outcome}

action = st.tuples(
    st.floats(min_value=0, max_value=12, allow_nan=False),
    st.integers(min_value=0, max_value=15),
    st.integers(min_value=0, max_value=7),
    st.integers(min_value=0, max_value=7),
    st.booleans(),
)


class World:
    """Builds plausible events from the router's current state and checks invariants."""

    def __init__(self) -> None:
        self.router = Router(CONFIG)
        self.events: list[Event] = []
        self.now = 0.0
        self.offered: list[str] = []
        self.finished: Counter[str] = Counter()
        for agent in AGENTS[:3]:
            self.send(AgentStateRequested(0.0, agent, AgentState.READY))

    def send(self, event: Event) -> None:
        self.events.append(event)
        out = self.router.handle(event)
        for command in out:
            if isinstance(command, AgentStateChanged) and command.new is AgentState.RESERVED:
                # An agent in wrap-up, on a break, offline or busy is never rung.
                assert command.old is AgentState.READY, command
            if isinstance(command, CallFinished):
                assert command.call_id in self.offered
                assert command.outcome.value in FINAL
                self.finished[command.call_id] += 1
                assert self.finished[command.call_id] == 1, "call finished twice"
        self.check_no_double_booking()

    def check_no_double_booking(self) -> None:
        holders: Counter[str] = Counter()
        for call_id in self.router.live_call_ids():
            view = self.router.call(call_id)
            assert view is not None
            assert call_id not in self.finished
            involved = set(view.agents) | {view.ringing_agent, view.consult_agent}
            for agent in involved - {""}:
                holders[agent] += 1
                agent_view = self.router.agent(agent)
                assert agent_view is not None and agent_view.call_id == call_id
        assert all(count == 1 for count in holders.values()), holders

    def calls(self, phase: str | None = None) -> list[str]:
        ids = []
        for call_id in self.router.live_call_ids():
            view = self.router.call(call_id)
            assert view is not None
            if phase is None or view.phase == phase:
                ids.append(call_id)
        return ids

    def state(self, agent: str) -> AgentState:
        view = self.router.agent(agent)
        assert view is not None
        return view.state

    def ringing(self) -> list[tuple[str, str]]:
        pairs = []
        for agent in AGENTS:
            view = self.router.agent(agent)
            assert view is not None
            if view.state is AgentState.RESERVED and view.call_id is not None:
                pairs.append((view.call_id, agent))
        return pairs

    def step(self, dt: float, kind: int, a: int, b: int, flag: bool) -> None:
        self.now += dt
        now = self.now
        connected = self.calls("connected")

        def pick(items: list) -> Any:
            return items[a % len(items)]

        if kind in (0, 1):
            call_id = f"c{len(self.offered)}"
            self.offered.append(call_id)
            self.send(CallOffered(now, call_id, "main", CALLERS[a % len(CALLERS)], b % 3))
        elif kind in (2, 3):
            self.send(AgentStateRequested(now, AGENTS[a % 4], TARGETS[b % len(TARGETS)],
                                          "r", when_free=flag))
        elif kind in (4, 5, 13) and self.ringing():
            call_id, agent = pick(self.ringing())
            event_cls = AgentDeclined if kind == 5 and flag else AgentAnswered
            self.send(event_cls(now, call_id, agent))
        elif kind == 6 and self.calls():
            self.send(CallEnded(now, pick(self.calls())))
        elif kind == 7 and self.calls("waiting"):
            self.send(CallbackRequested(now, pick(self.calls("waiting")), "+9"))
        elif kind == 8 and self.calls("message"):
            self.send(CallerChose(now, pick(self.calls("message")),
                                  "voicemail" if flag else "callback", "+9"))
        elif kind == 9 and connected:
            call_id = pick(connected)
            view = self.router.call(call_id)
            assert view is not None
            event_cls = CallHeld if flag else CallResumed
            self.send(event_cls(now, call_id, view.agents[b % len(view.agents)]))
        elif kind == 10 and connected:
            call_id = pick(connected)
            view = self.router.call(call_id)
            assert view is not None
            target = (Target("queue", "q2") if flag else Target("agent", AGENTS[b % 4]))
            self.send(BlindTransferred(now, call_id, view.agents[0], target))
        elif kind == 11 and connected:
            call_id = pick(connected)
            view = self.router.call(call_id)
            assert view is not None
            ready = [x for x in AGENTS if self.state(x) is AgentState.READY] or list(AGENTS)
            self.send(ConsultStarted(now, call_id, view.agents[0], ready[b % len(ready)]))
        elif kind == 12 and connected:
            consulting = [c for c in connected if self.router.call(c).consult_agent]  # type: ignore[union-attr]
            call_id = pick(consulting or connected)
            view = self.router.call(call_id)
            assert view is not None
            options = (TransferCompleted, ConferenceStarted, ConsultEnded, ParticipantLeft)
            self.send(options[b % 4](now, call_id, view.agents[0]))
        else:
            self.send(Tick(now))

    def drain(self) -> None:
        """Serve everybody: log agents in, answer, hang up, until no call is live."""
        for _ in range(400):
            if not self.router.live_call_ids():
                return
            self.now += 50
            for agent in AGENTS:
                view = self.router.agent(agent)
                assert view is not None
                if view.state not in (AgentState.RESERVED, AgentState.TALKING,
                                      AgentState.ON_HOLD, AgentState.READY):
                    self.send(AgentStateRequested(self.now, agent, AgentState.READY))
            for call_id, agent in self.ringing():
                self.send(AgentAnswered(self.now, call_id, agent))
            for call_id in self.calls("message"):
                self.send(CallerChose(self.now, call_id, "voicemail"))
            for call_id in self.calls("connected"):
                self.send(CallEnded(self.now, call_id))
            self.send(Tick(self.now))
        raise AssertionError(f"calls never finished: {self.router.live_call_ids()}")


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(action, max_size=60))
def test_no_call_is_lost_or_duplicated_and_no_agent_double_booked(actions: list) -> None:
    # R-HL-5: every offered call ends answered, abandoned, voicemail or callback, once.
    # R-OPS-2: no agent holds two calls; wrap-up/break/offline agents are never rung.
    world = World()
    for item in actions:
        world.step(*item)
    world.drain()
    assert set(world.finished) == set(world.offered)
    assert all(count == 1 for count in world.finished.values())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(action, max_size=60))
def test_replaying_stored_events_rebuilds_the_live_state(actions: list) -> None:
    # R-OPS-2: the runtime stores each event first; replay must give the same router.
    world = World()
    for item in actions:
        world.step(*item)
    stored = [json.dumps(event_to_dict(event)) for event in world.events]
    rebuilt = replay(CONFIG, [event_from_dict(json.loads(text)) for text in stored])
    assert rebuilt.snapshot() == world.router.snapshot()
    assert rebuilt.next_deadline() == world.router.next_deadline()
