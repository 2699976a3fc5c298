"""The `simulator` telephony adapter: virtual callers and virtual agents (R-OPS-2).

Callers arrive per hotline as a Poisson stream, wait with an exponential patience, hang up
after a sampled talk time when a virtual agent has them (a person at a browser ends the call
himself), and pick voicemail or a callback after the closed / no-agent message. Virtual
agents answer after a short delay, go ready again after a missed ring, and wrap up as the
router says. Time comes from a `Scheduler`: the real clock on an asyncio loop, or a virtual
one in tests.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import random
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from calldesk.domain import routing as dom
from calldesk.telephony.port import EventSink, IncomingCall


class Handle(Protocol):
    def cancel(self) -> None: ...


class Scheduler(Protocol):
    def now(self) -> float: ...

    def call_at(self, at: float, callback: Callable[[], None]) -> Handle: ...


class LoopScheduler:
    """Unix time on an asyncio loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def now(self) -> float:
        return time.time()

    def call_at(self, at: float, callback: Callable[[], None]) -> Handle:
        return self._loop.call_later(max(0.0, at - time.time()), callback)


class _VirtualHandle:
    __slots__ = ("cancelled",)

    def __init__(self) -> None:
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class VirtualScheduler:
    """A virtual clock: `run_until(t)` fires due callbacks in time order."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = start
        self._heap: list[tuple[float, int, _VirtualHandle, Callable[[], None]]] = []
        self._seq = itertools.count()

    def now(self) -> float:
        return self._now

    def call_at(self, at: float, callback: Callable[[], None]) -> Handle:
        handle = _VirtualHandle()
        heapq.heappush(self._heap, (max(at, self._now), next(self._seq), handle, callback))
        return handle

    def next_at(self) -> float | None:
        while self._heap and self._heap[0][2].cancelled:
            heapq.heappop(self._heap)
        return self._heap[0][0] if self._heap else None

    def step(self) -> bool:
        """Fire the next callback; False when nothing is scheduled."""
        if self.next_at() is None:
            return False
        at, _, _, callback = heapq.heappop(self._heap)
        self._now = at
        callback()
        return True

    def advance(self, to: float) -> None:
        self._now = max(self._now, to)


@dataclass(frozen=True, slots=True)
class SimulatorSettings:
    """Load and behaviour of the simulation; durations in seconds, rates per minute."""

    calls_per_minute: Mapping[str, float] = field(default_factory=dict)
    agents: tuple[str, ...] = ()
    numbers: Mapping[str, Sequence[str]] = field(default_factory=dict)
    known_share: float = 0.8
    intents: tuple[tuple[str, float], ...] = (("order", 0.85), ("information", 0.05), ("complaint", 0.1))
    answer_delay_s: float = 2.0
    talk_mean_s: float = 45.0
    patience_mean_s: float = 120.0
    ready_again_s: float = 5.0
    choice_delay_s: float = 2.0
    callback_share: float = 0.03
    human_call_max_s: float = 900.0
    max_calls: int | None = None
    seed: int = 7


class _Caller:
    __slots__ = ("call_id", "hotline", "number", "patience", "talk", "answer", "connected")

    def __init__(self, call_id: str, hotline: str, number: str) -> None:
        self.call_id = call_id
        self.hotline = hotline
        self.number = number
        self.patience: Handle | None = None
        self.talk: Handle | None = None
        self.answer: Handle | None = None
        self.connected = False


class SimulatorAdapter:
    """Implements TelephonyPort; feeds events back through the sink."""

    def __init__(self, settings: SimulatorSettings, scheduler: Scheduler, sink: EventSink) -> None:
        self.settings = settings
        self._scheduler = scheduler
        self._sink = sink
        self._rng = random.Random(settings.seed)
        self._virtual = frozenset(settings.agents)
        self._callers: dict[str, _Caller] = {}
        self._answers: dict[tuple[str, str], Handle] = {}
        self._arrivals: list[Handle] = []
        self.offered = 0
        self.stopped = False

    # lifecycle ---------------------------------------------------------------------------

    def start(self, agents: Sequence[dom.AgentView] = (), calls: Sequence[dom.CallView] = (),
              callers: Mapping[str, Mapping[str, Any]] | None = None,
              options: Mapping[str, Sequence[str]] | None = None) -> None:
        """Start arrivals and the virtual agents; after a restart, take over the live calls.

        `agents` and `calls` are the router's views after replay; `callers` maps a live call
        to its hotline and number; `options` the hotline's choices after a message.
        """
        states = {a.agent_id: a.state for a in agents}
        for agent_id in self.settings.agents:
            if states.get(agent_id, dom.AgentState.OFFLINE) not in dom.PRESENT_STATES:
                self._request_ready(agent_id)
        callers = callers or {}
        for view in calls:
            info = callers.get(view.call_id, {})
            caller = _Caller(view.call_id, view.hotline, str(info.get("number", "")))
            self._callers[view.call_id] = caller
            if view.phase == "waiting" and not view.callback:
                self._be_patient(caller)
            elif view.phase == "ringing" and view.ringing_agent in self._virtual:
                self.ring(view.call_id, view.ringing_agent, 0.0, "call")
            elif view.phase == "connected":
                caller.connected = True
                self._talk(caller, view.agents[-1] if view.agents else "")
            elif view.phase == "message":
                choices = tuple((options or {}).get(view.hotline, ("voicemail",)))
                self.play_message(view.call_id, "", choices or ("voicemail",))
            if view.consult_agent in self._virtual:
                self.ring(view.call_id, view.consult_agent, 0.0, "consult")
        for hotline, rate in sorted(self.settings.calls_per_minute.items()):
            if rate > 0:
                self._next_arrival(hotline, rate)

    def stop(self) -> None:
        """No new callers; the calls already in the system play out."""
        self.stopped = True
        for handle in self._arrivals:
            handle.cancel()

    @property
    def live_calls(self) -> int:
        return len(self._callers)

    # arrivals ----------------------------------------------------------------------------

    def _next_arrival(self, hotline: str, rate: float) -> None:
        at = self._scheduler.now() + self._rng.expovariate(rate / 60.0)
        self._arrivals.append(self._scheduler.call_at(at, lambda: self._arrive(hotline, rate)))

    def _arrive(self, hotline: str, rate: float) -> None:
        limit = self.settings.max_calls
        if self.stopped or (limit is not None and self.offered >= limit):
            return
        self.offered += 1
        call_id = str(uuid.UUID(int=self._rng.getrandbits(128), version=4))
        caller = _Caller(call_id, hotline, self._number(hotline))
        self._callers[call_id] = caller
        intent = self._intent()
        self._sink.offer(IncomingCall(call_id, hotline, caller.number, intent))
        self._be_patient(caller)
        if self._rng.random() < self.settings.callback_share:
            at = self._scheduler.now() + self._rng.uniform(0.2, 1.0) * self.settings.patience_mean_s / 4
            self._scheduler.call_at(at, lambda: self._ask_callback(caller))
        self._next_arrival(hotline, rate)

    def _number(self, hotline: str) -> str:
        known = self.settings.numbers.get(hotline, ())
        if known and self._rng.random() < self.settings.known_share:
            return self._rng.choice(list(known))
        return f"+7903{self._rng.randrange(10_000_000):07d}"

    def _intent(self) -> str:
        names = [name for name, _ in self.settings.intents]
        weights = [w for _, w in self.settings.intents]
        return self._rng.choices(names, weights)[0] if names else ""

    def _be_patient(self, caller: _Caller) -> None:
        patience = self._rng.expovariate(1.0 / self.settings.patience_mean_s)
        caller.patience = self._scheduler.call_at(self._scheduler.now() + patience, lambda: self._give_up(caller))

    def _give_up(self, caller: _Caller) -> None:
        if not caller.connected and caller.call_id in self._callers:
            self._sink.emit(dom.CallEnded(self._scheduler.now(), caller.call_id))

    def _ask_callback(self, caller: _Caller) -> None:
        if not caller.connected and caller.call_id in self._callers:
            self._sink.emit(dom.CallbackRequested(self._scheduler.now(), caller.call_id, caller.number))

    # virtual agents ----------------------------------------------------------------------

    def _request_ready(self, agent_id: str) -> None:
        self._sink.emit(dom.AgentStateRequested(self._scheduler.now(), agent_id, dom.AgentState.READY))

    def _talk(self, caller: _Caller, agent_id: str) -> None:
        if caller.talk is not None:
            caller.talk.cancel()
        if agent_id in self._virtual:
            talk = self._rng.expovariate(1.0 / self.settings.talk_mean_s)
        else:
            talk = self.settings.human_call_max_s  # a person ends the call; this is a safety net
        call_id = caller.call_id
        caller.talk = self._scheduler.call_at(
            self._scheduler.now() + talk, lambda: self._sink.emit(dom.CallEnded(self._scheduler.now(), call_id))
        )

    # TelephonyPort -----------------------------------------------------------------------

    def ring(self, call_id: str, agent_id: str, timeout_s: float, kind: str) -> None:
        if agent_id not in self._virtual:
            return
        delay = self._rng.uniform(0.5, 1.5) * self.settings.answer_delay_s

        def answer() -> None:
            self._answers.pop((call_id, agent_id), None)
            self._sink.emit(dom.AgentAnswered(self._scheduler.now(), call_id, agent_id))

        self._answers[(call_id, agent_id)] = self._scheduler.call_at(self._scheduler.now() + delay, answer)

    def stop_ringing(self, call_id: str, agent_id: str, reason: str) -> None:
        handle = self._answers.pop((call_id, agent_id), None)
        if handle is not None:
            handle.cancel()

    def bridge(self, call_id: str, agent_id: str, leg: str) -> None:
        if leg != "caller":
            return
        # A call offered from elsewhere (the API, a test) gets a virtual caller from here on.
        caller = self._callers.setdefault(call_id, _Caller(call_id, "", ""))
        caller.connected = True
        if caller.patience is not None:
            caller.patience.cancel()
        self._talk(caller, agent_id)

    def dial(self, call_id: str, agent_id: str, number: str) -> None:
        caller = self._callers.setdefault(call_id, _Caller(call_id, "", number))
        self.bridge(caller.call_id, agent_id, "caller")

    def conference(self, call_id: str, agent_ids: Sequence[str]) -> None:
        return None

    def hold(self, call_id: str, agent_id: str) -> None:
        return None

    def resume(self, call_id: str, agent_id: str) -> None:
        return None

    def announce(self, call_id: str, position: int, expected_wait_s: float) -> None:
        return None

    def play_message(self, call_id: str, message: str, options: Sequence[str]) -> None:
        caller = self._callers.setdefault(call_id, _Caller(call_id, "", ""))
        if caller.patience is not None:
            caller.patience.cancel()
        if len(options) < 2:
            return  # the router applies a single option itself
        choice = self._rng.choice(list(options))
        at = self._scheduler.now() + self.settings.choice_delay_s
        self._scheduler.call_at(at, lambda: self._sink.emit(dom.CallerChose(self._scheduler.now(), call_id, choice, caller.number)))

    def record(self, call_id: str, mailbox: str) -> None:
        return None

    def hang_up(self, call_id: str) -> None:
        caller = self._callers.pop(call_id, None)
        if caller is None:
            return
        for handle in (caller.patience, caller.talk):
            if handle is not None:
                handle.cancel()

    def agent_state(self, agent_id: str, state: dom.AgentState) -> None:
        if agent_id in self._virtual and state in (dom.AgentState.NOT_READY, dom.AgentState.OFFLINE):
            at = self._scheduler.now() + self.settings.ready_again_s
            self._scheduler.call_at(at, lambda: self._request_ready(agent_id))
