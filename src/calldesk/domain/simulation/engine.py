"""General path: drive the production Router on a virtual clock.

A calendar (heap of (time, order, kind, call, agent)) replays the world around the router:
arrivals, callers' patience running out, agents answering after `answer_delay_s`, calls
ending after their handle time, staffing changes per interval and breaks, plus a Tick at
each `router.next_deadline()` (wrap-up ends, ring timeouts). Everything the router decides
comes from the same code the runtime uses.
"""

from __future__ import annotations

from heapq import heappop, heappush

import numpy as np

from calldesk.domain.routing import (
    AgentAnswered,
    AgentConfigured,
    AgentState,
    AgentStateChanged,
    AgentStateRequested,
    CallEnded,
    CallFinished,
    CallOffered,
    Command,
    ConnectCall,
    Event,
    Hotline,
    QueueConfig,
    RingAgent,
    Router,
    RoutingConfig,
    Tick,
)
from calldesk.domain.simulation.model import CallInputs, SimulationModel
from calldesk.domain.simulation.result import SimulationResult

ENGINE = "router: production Router driven by a discrete-event calendar"
HOTLINE = "sim"
SKILL = "sim"

_TICK, _STAFF, _BREAK_START, _BREAK_END, _END, _ANSWER, _ABANDON, _ARRIVAL = range(8)
_OUTCOME_CODES = {"answered": 0, "abandoned": 1, "voicemail": 2, "callback": 3}
_BUSY = frozenset(
    {AgentState.RESERVED, AgentState.TALKING, AgentState.ON_HOLD, AgentState.WRAP_UP}
)
_AVAILABLE = _BUSY | {AgentState.READY}

_NEVER = float("inf")
# Call states kept by the calendar.
_NOT_YET, _IN_ROUTER, _CONNECTED, _DONE = range(4)


def simulation_config(agents: int, wrap_up_s: float) -> RoutingConfig:
    """One hotline, one longest-idle queue; no agent present means voicemail, never a loss."""
    return RoutingConfig(
        hotlines=(
            Hotline(
                name=HOTLINE,
                default_queue=HOTLINE,
                options=("voicemail",),
                wrap_up_s=wrap_up_s,
                ring_timeout_s=3600.0,
            ),
        ),
        queues=(QueueConfig(name=HOTLINE, skill=SKILL),),
    )


class _Run:
    def __init__(self, model: SimulationModel, inputs: CallInputs) -> None:
        self.model = model
        self.inputs = inputs
        size = len(inputs.arrival_s)
        self.size = size
        self.arrival = inputs.arrival_s.tolist()
        self.handle = inputs.handle_s.tolist()
        self.patience = inputs.patience_s.tolist()
        self.state = bytearray(size)
        self.wait = np.zeros(size)
        self.talk = np.zeros(size)
        self.outcome = np.zeros(size, dtype=np.int8)
        self.found_free = np.zeros(size, dtype=bool)
        self.finished = 0
        peak = model.staffing.peak
        self.agent_ids = [f"a{k}" for k in range(peak)]
        self.router = Router(simulation_config(peak, model.wrap_up_s))
        self.calendar: list[tuple[float, int, int, int, int]] = []
        self.order = 0
        self.tick_at: float | None = None
        self.scheduled_on = [False] * peak
        self.to_log_off: list[int] = []
        self.to_break: list[tuple[int, float, str]] = []
        self.break_length: dict[int, float] = {}
        self.last_change = [0.0] * peak
        self.busy_s = 0.0
        self.clock = 0.0
        self.available_s = 0.0
        for k, agent_id in enumerate(self.agent_ids):
            self.router.handle(AgentConfigured(0.0, agent_id, ((SKILL, 1),)))
            self.last_change[k] = 0.0

    def push(self, at: float, kind: int, call: int = -1, agent: int = -1) -> None:
        self.order += 1
        heappush(self.calendar, (at, self.order, kind, call, agent))

    def send(self, event: Event) -> None:
        self.apply(self.router.handle(event), event.at)
        if self.to_log_off or self.to_break:
            self.reconcile(event.at)
        deadline = self.router.next_deadline()
        if deadline is not None and (self.tick_at is None or deadline < self.tick_at):
            self.tick_at = deadline
            self.push(deadline, _TICK)

    def apply(self, commands: list[Command], now: float) -> None:
        for command in commands:
            if isinstance(command, RingAgent):
                call = int(command.call_id)
                agent = int(command.agent_id[1:])
                self.push(now + self.model.answer_delay_s, _ANSWER, call, agent)
            elif isinstance(command, ConnectCall):
                call = int(command.call_id)
                self.state[call] = _CONNECTED
                self.push(now + self.handle[call], _END, call)
            elif isinstance(command, CallFinished):
                self.record(command)
            elif isinstance(command, AgentStateChanged):
                self.account(command)

    def record(self, done: CallFinished) -> None:
        call = int(done.call_id)
        self.state[call] = _DONE
        self.finished += 1
        self.outcome[call] = _OUTCOME_CODES[done.outcome.value]
        self.found_free[call] = done.found_free_agent
        if done.answered_at is not None:
            self.wait[call] = done.answered_at - done.offered_at
            self.talk[call] = done.ended_at - done.answered_at
        else:
            self.wait[call] = done.ended_at - done.offered_at

    def account(self, change: AgentStateChanged) -> None:
        k = int(change.agent_id[1:])
        spent = change.at - self.last_change[k]
        self.last_change[k] = change.at
        if change.old in _BUSY:
            self.busy_s += spent
        if change.old in _AVAILABLE:
            self.available_s += spent
        if change.new is AgentState.BREAK and k in self.break_length:
            self.push(change.at + self.break_length.pop(k), _BREAK_END, agent=k)

    def request(self, at: float, agent: int, target: AgentState, reason: str = "") -> None:
        self.send(AgentStateRequested(at, self.agent_ids[agent], target, reason))

    def reconcile(self, now: float) -> None:
        """Log off / send on break agents who were ringing when their time came."""
        waiting_off, self.to_log_off = self.to_log_off, []
        for k in waiting_off:
            self.leave(now, k, AgentState.OFFLINE, "")
        waiting_break, self.to_break = self.to_break, []
        for k, length, reason in waiting_break:
            self.break_length[k] = length
            self.leave(now, k, AgentState.BREAK, reason)

    def leave(self, now: float, k: int, target: AgentState, reason: str) -> None:
        view = self.router.agent(self.agent_ids[k])
        assert view is not None
        state = view.state
        if state is AgentState.OFFLINE:
            self.break_length.pop(k, None)
            return
        if state is AgentState.RESERVED:
            if target is AgentState.OFFLINE:
                self.to_log_off.append(k)
            else:
                self.to_break.append((k, self.break_length.pop(k), reason))
            return
        if state is target:
            return
        when_free = state in (AgentState.TALKING, AgentState.ON_HOLD)
        self.apply(
            self.router.handle(
                AgentStateRequested(now, self.agent_ids[k], target, reason, when_free)
            ),
            now,
        )

    def staff(self, at: float, interval: int) -> None:
        agents = self.model.staffing.agents
        wanted = agents[min(interval, len(agents) - 1)]
        for k in range(len(self.agent_ids)):
            should = k < wanted
            if should == self.scheduled_on[k]:
                continue
            self.scheduled_on[k] = should
            if should:
                self.to_log_off = [j for j in self.to_log_off if j != k]
                view = self.router.agent(self.agent_ids[k])
                assert view is not None
                if view.state in (AgentState.TALKING, AgentState.ON_HOLD):
                    self.send(AgentStateRequested(at, self.agent_ids[k], AgentState.READY,
                                                  when_free=True))
                elif view.state not in _AVAILABLE:
                    self.request(at, k, AgentState.READY)
            else:
                self.leave(at, k, AgentState.OFFLINE, "")
        if self.model.staffing.interval_s != float("inf") and interval + 1 < len(agents):
            self.push((interval + 1) * self.model.staffing.interval_s, _STAFF, agent=interval + 1)

    def run(self) -> SimulationResult:
        for item in self.model.breaks:
            self.push(item.start_s, _BREAK_START, agent=item.agent)
        self.staff(0.0, 0)
        if self.size:
            self.push(self.arrival[0], _ARRIVAL, 0)
        breaks = {(b.start_s, b.agent): b for b in self.model.breaks}
        calendar = self.calendar
        while calendar:
            at, _, kind, call, agent = heappop(calendar)
            if kind == _ARRIVAL:
                self.state[call] = _IN_ROUTER
                self.send(CallOffered(at, str(call), HOTLINE))
                if self.patience[call] != _NEVER and self.state[call] == _IN_ROUTER:
                    self.push(at + self.patience[call], _ABANDON, call)
                if call + 1 < self.size:
                    self.push(self.arrival[call + 1], _ARRIVAL, call + 1)
            elif kind == _ANSWER:
                if self.state[call] == _IN_ROUTER:
                    self.send(AgentAnswered(at, str(call), self.agent_ids[agent]))
            elif kind == _END:
                if self.state[call] == _CONNECTED:
                    self.send(CallEnded(at, str(call)))
            elif kind == _ABANDON:
                if self.state[call] == _IN_ROUTER:
                    self.send(CallEnded(at, str(call)))
            elif kind == _TICK:
                if self.tick_at == at:
                    self.tick_at = None
                    self.send(Tick(at))
            elif kind == _STAFF:
                self.staff(at, agent)
            elif kind == _BREAK_END:
                view = self.router.agent(self.agent_ids[agent])
                if view is not None and view.state is AgentState.BREAK:
                    self.request(at, agent, AgentState.READY)
            else:  # _BREAK_START
                item = breaks[(at, agent)]
                if self.scheduled_on[agent]:
                    self.break_length[agent] = item.duration_s
                    self.leave(at, agent, AgentState.BREAK, item.reason)
            self.clock = at
        self.close_accounts()
        return SimulationResult(
            engine=ENGINE,
            offered_at=self.inputs.arrival_s,
            wait_s=self.wait,
            talk_s=self.talk,
            outcome=self.outcome,
            found_free=self.found_free,
            warmup_calls=min(self.model.warmup_calls, self.size),
            wrap_s=self.model.wrap_up_s,
            agent_busy_s=self.busy_s,
            agent_available_s=self.available_s,
        )

    def close_accounts(self) -> None:
        for k, agent_id in enumerate(self.agent_ids):
            view = self.router.agent(agent_id)
            assert view is not None
            spent = self.clock - self.last_change[k]
            if view.state in _BUSY:
                self.busy_s += spent
            if view.state in _AVAILABLE:
                self.available_s += spent


def simulate_with_router(model: SimulationModel, inputs: CallInputs) -> SimulationResult:
    return _Run(model, inputs).run()
