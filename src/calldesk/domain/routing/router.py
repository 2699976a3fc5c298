"""The event-driven router (R-ORD-3, R-ORD-4, R-ORD-10, R-HL-5, R-OPS-2).

`Router.handle(event)` folds one event into the in-memory state and returns the commands to
carry out. Nothing else changes the state, so `replay(config, stored_events)` rebuilds it
exactly. Time only moves with the events' `at` (float seconds): every event first fires the
deadlines due by then (ring timeouts, wrap-up ends, step waits, overflows, announcements), so
an adapter calls `next_deadline()` and sends a `Tick` at that time. An event older than the
router's clock is taken as happening now.

Free agents are kept per (skill, strategy, minimum level) in heaps ordered by the strategy's
key, with lazy deletion (an entry is valid while the agent is still ready in the same ready
"generation"); waiting calls per index are sorted lists keyed by (-priority, arrival order).
A decision therefore touches only the heaps of one call's targets or one agent's skills.
Decisions never iterate over sets, so replays in another process make the same choices.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from heapq import heapify, heappop, heappush
from typing import Any

from calldesk.domain.routing.agents import (
    _ALLOWED,
    PRESENT_STATES,
    AgentState,
    check_request,
    check_transition,
)
from calldesk.domain.routing.commands import (
    AgentStateChanged,
    AnnouncePosition,
    CallFinished,
    Command,
    ConnectCall,
    DialCallback,
    Outcome,
    PlayMessage,
    RegisterCallback,
    Rejected,
    RingAgent,
    SendToVoicemail,
    StartConference,
    StopRinging,
    TimelineEntry,
)
from calldesk.domain.routing.config import (
    Caller,
    Hotline,
    QueueConfig,
    RouteStep,
    RoutingConfig,
    Target,
    check_routing_config,
)
from calldesk.domain.routing.events import (
    AgentAnswered,
    AgentConfigured,
    AgentDeclined,
    AgentStateRequested,
    BlindTransferred,
    CallbackRequested,
    CallEnded,
    CallerChose,
    CallHeld,
    CallOffered,
    CallResumed,
    ConferenceStarted,
    ConsultEnded,
    ConsultStarted,
    Event,
    HotlineOverride,
    ParticipantLeft,
    Tick,
    TransferCompleted,
)
from calldesk.domain.routing.hours import check_open

READY = AgentState.READY
RESERVED = AgentState.RESERVED
TALKING = AgentState.TALKING
ON_HOLD = AgentState.ON_HOLD
WRAP_UP = AgentState.WRAP_UP
NOT_READY = AgentState.NOT_READY

# Call phases.
MESSAGE = "message"
WAITING = "waiting"
RINGING = "ringing"
CONNECTED = "connected"
ENDED = "ended"

# Deadline kinds.
_RING, _STEP, _OVERFLOW, _MAXWAIT, _ANNOUNCE, _WRAP, _CONSULT = range(7)
_DEADLINE_NAMES = ("ring", "step", "overflow", "max_wait", "announce", "wrap_up", "consult")
_AHT_SMOOTHING = 0.1
_AGENT_KINDS = ("agent", "agent_attr", "directory")

_WaitEntry = tuple[int, int, str]  # (-priority, arrival order, call id)
_ReadyEntry = tuple[float, float, int, int]  # (strategy key, tie key, agent ord, ready gen)
_Deadline = tuple[float, int, int, str, int, int]  # (at, seq, kind, ref, gen, extra)


class _Index:
    """Agents eligible for one (skill, strategy, min level) and the calls waiting for them."""

    __slots__ = ("skill", "strategy", "min_level", "heap", "ready", "staffed", "waiting")

    def __init__(self, skill: str, strategy: str, min_level: int) -> None:
        self.skill = skill
        self.strategy = strategy
        self.min_level = min_level
        self.heap: list[_ReadyEntry] = []
        self.ready = 0
        self.staffed = 0
        self.waiting: list[_WaitEntry] = []


class _Agent:
    __slots__ = (
        "agent_id", "ord", "name", "skills", "indexes", "state", "since", "reason",
        "ready_gen", "indexed", "idle_since", "calls_handled", "call_id", "wrap_gen",
        "pending", "personal",
    )

    def __init__(self, agent_id: str, ord_: int, name: str, now: float) -> None:
        self.agent_id = agent_id
        self.ord = ord_
        self.name = name
        self.skills: dict[str, int] = {}
        self.indexes: list[_Index] = []
        self.state = AgentState.OFFLINE
        self.since = now
        self.reason = ""
        self.ready_gen = 0
        self.indexed = False
        self.idle_since = now
        self.calls_handled = 0
        self.call_id: str | None = None
        self.wrap_gen = 0
        self.pending: tuple[AgentState, str] | None = None
        self.personal: list[_WaitEntry] = []


class _Call:
    """A live call. Rarely used fields default at class level to keep creation cheap."""

    rule = ""
    steps: tuple[RouteStep, ...] = ()
    step_index = 0
    step_gen = 0
    step_deadline: float | None = None
    target_agent: _Agent | None = None
    excluded: tuple[str, ...] = ()
    inserted = False
    ring_agent: _Agent | None = None
    ring_gen = 0
    consult: _Agent | None = None
    consult_connected = False
    consult_gen = 0
    queue: QueueConfig | None = None
    answered_at: float | None = None
    hold_since: float | None = None
    hold_s = 0.0
    callback = False
    callback_number = ""
    found_free: bool | None = None
    last_agent = ""
    avoid: tuple[str, ...] = ()  # a blind-transferring agent must not get the call back

    def __init__(self, event: CallOffered, hotline: Hotline, seq: int) -> None:
        self.call_id = event.call_id
        self.hotline = hotline
        self.caller = event.caller
        self.offered_at = event.at
        self.seq = seq
        self.priority = event.priority
        self.phase = WAITING
        self.ring_timeout = hotline.ring_timeout_s
        self.targets: list[_Index] = []
        self.entry: _WaitEntry = (0, seq, event.call_id)
        self.agents: list[_Agent] = []
        self.timeline: list[TimelineEntry] = []


# --- read-only views ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AgentView:
    agent_id: str
    state: AgentState
    since: float
    reason: str
    call_id: str | None
    idle_since: float
    calls_handled: int
    pending: tuple[AgentState, str] | None
    skills: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class CallView:
    call_id: str
    hotline: str
    phase: str
    rule: str
    step_index: int
    queue: str
    agents: tuple[str, ...]
    ringing_agent: str
    consult_agent: str
    callback: bool
    priority: int
    timeline: tuple[TimelineEntry, ...]


@dataclass(frozen=True, slots=True)
class RouterSnapshot:
    """Everything that decides future behaviour; live and replayed routers compare equal."""

    now: float
    call_seq: int
    agents: tuple[AgentView, ...]
    calls: tuple[CallView, ...]
    waiting: tuple[tuple[str, tuple[str, ...]], ...]
    ready: tuple[tuple[str, tuple[str, ...]], ...]
    personal: tuple[tuple[str, tuple[str, ...]], ...]
    deadlines: tuple[tuple[float, str, str], ...]
    aht: tuple[tuple[str, float], ...]
    overrides: tuple[tuple[str, bool], ...]


# --- the router -----------------------------------------------------------------------------


class Router:
    """In-memory routing state driven by events; see the module docstring."""

    def __init__(self, config: RoutingConfig, start: float = 0.0) -> None:
        check_routing_config(config)
        self._config = config
        self._now = start
        self._seq = 0
        self._call_seq = 0
        self._deadlines: list[_Deadline] = []
        self._indexes: dict[tuple[str, str, int], _Index] = {}
        self._skill_indexes: dict[str, list[_Index]] = {}
        self._agents: dict[str, _Agent] = {}
        self._by_ord: list[_Agent] = []
        self._calls: dict[str, _Call] = {}
        self._hotlines = {h.name: h for h in config.hotlines}
        self._queues = {q.name: q for q in config.queues}
        self._overrides: dict[str, bool] = {}
        self._aht = {q.name: q.aht_estimate_s for q in config.queues}
        self._out: list[Command] = []
        self._default_steps: dict[str, tuple[RouteStep, ...]] = {}
        self._always_open = {
            h.name for h in config.hotlines if not h.hours.weekly and not h.hours.holidays
        }
        self._queue_indexes: dict[str, _Index] = {}
        for hotline in config.hotlines:
            self._default_steps[hotline.name] = (
                (RouteStep(Target("queue", hotline.default_queue), wait_s=None),)
                if hotline.default_queue
                else ()
            )
        for queue in config.queues:
            self._index(queue.skill, queue.strategy, queue.min_level)
        for hotline in config.hotlines:
            for rule in hotline.rules:
                for step in rule.steps:
                    if step.target.kind == "skill":
                        t = step.target
                        self._index(t.value, t.strategy, t.min_level)
        for profile in config.agents:
            self._configure(profile.agent_id, profile.skills, profile.name)
        self._handlers: dict[type[Any], Callable[[Any], None]] = {
            AgentConfigured: self._on_configured,
            AgentStateRequested: self._on_state_requested,
            CallOffered: self._on_offered,
            AgentAnswered: self._on_answered,
            AgentDeclined: self._on_declined,
            CallEnded: self._on_ended,
            CallerChose: self._on_choice,
            CallbackRequested: self._on_callback_requested,
            CallHeld: self._on_held,
            CallResumed: self._on_resumed,
            BlindTransferred: self._on_blind_transfer,
            ConsultStarted: self._on_consult_started,
            ConsultEnded: self._on_consult_ended,
            TransferCompleted: self._on_transfer_completed,
            ConferenceStarted: self._on_conference_started,
            ParticipantLeft: self._on_participant_left,
            HotlineOverride: self._on_override,
            Tick: self._on_tick,
        }

    # public API -------------------------------------------------------------------------

    @property
    def now(self) -> float:
        return self._now

    def handle(self, event: Event) -> list[Command]:
        """Apply one event and return the commands to carry out, in order."""
        out: list[Command] = []
        self._out = out
        at = event.at if event.at > self._now else self._now
        self._advance(at)
        self._handlers[type(event)](event)
        return out

    def next_deadline(self) -> float | None:
        """When the next timer falls due (send a Tick then), or None."""
        deadlines = self._deadlines
        while deadlines and not self._is_live(deadlines[0]):
            heappop(deadlines)
        return deadlines[0][0] if deadlines else None

    def agent(self, agent_id: str) -> AgentView | None:
        agent = self._agents.get(agent_id)
        return None if agent is None else self._agent_view(agent)

    def call(self, call_id: str) -> CallView | None:
        call = self._calls.get(call_id)
        return None if call is None else self._call_view(call)

    def live_call_ids(self) -> tuple[str, ...]:
        return tuple(self._calls)

    def choose_agent(self, queue: str, excluded: tuple[str, ...] = ()) -> str | None:
        """The free agent a new call to `queue` would ring now, or None (no state change)."""
        config = self._queues.get(queue)
        if config is None:
            return None
        agent = self._take_free(self._queue_index(config), excluded)
        return None if agent is None else agent.agent_id

    def choose_call(self, agent_id: str) -> str | None:
        """The waiting call `agent_id` would be offered on becoming ready (no state change)."""
        agent = self._agents.get(agent_id)
        if agent is None:
            return None
        best = self._best_waiting(agent)
        return None if best is None else best[2]

    def queue_position(self, call_id: str) -> AnnouncePosition | None:
        call = self._calls.get(call_id)
        if call is None or call.phase != WAITING or call.queue is None:
            return None
        return self._announcement(call)

    def snapshot(self) -> RouterSnapshot:
        def ids(entries: Iterable[_WaitEntry]) -> tuple[str, ...]:
            return tuple(e[2] for e in entries)

        def index_name(index: _Index) -> str:
            return f"{index.skill}/{index.strategy}/{index.min_level}"

        ready = []
        for index in self._indexes.values():
            valid = sorted(e for e in index.heap if self._ready_valid(e))
            ready.append((index_name(index), tuple(self._by_ord[e[2]].agent_id for e in valid)))
        return RouterSnapshot(
            now=self._now,
            call_seq=self._call_seq,
            agents=tuple(self._agent_view(a) for a in self._by_ord),
            calls=tuple(self._call_view(c) for c in self._calls.values()),
            waiting=tuple((index_name(i), ids(i.waiting)) for i in self._indexes.values()),
            ready=tuple(ready),
            personal=tuple((a.agent_id, ids(a.personal)) for a in self._by_ord if a.personal),
            deadlines=tuple(
                sorted(
                    (d[0], _DEADLINE_NAMES[d[2]], d[3])
                    for d in self._deadlines
                    if self._is_live(d)
                )
            ),
            aht=tuple(sorted(self._aht.items())),
            overrides=tuple(sorted(self._overrides.items())),
        )

    # time -------------------------------------------------------------------------------

    def _advance(self, to: float) -> None:
        deadlines = self._deadlines
        while deadlines and deadlines[0][0] <= to:
            deadline = heappop(deadlines)
            self._now = deadline[0]
            self._fire(deadline)
        self._now = to

    def _push(self, at: float, kind: int, ref: str, gen: int, extra: int = 0) -> None:
        self._seq += 1
        heappush(self._deadlines, (at, self._seq, kind, ref, gen, extra))

    def _is_live(self, deadline: _Deadline) -> bool:
        _, _, kind, ref, gen, _ = deadline
        if kind == _WRAP:
            agent = self._agents.get(ref)
            return agent is not None and agent.state is WRAP_UP and agent.wrap_gen == gen
        call = self._calls.get(ref)
        if call is None:
            return False
        if kind == _RING:
            return call.phase == RINGING and call.ring_gen == gen
        if kind == _CONSULT:
            return call.consult is not None and not call.consult_connected and call.consult_gen == gen
        if call.step_gen != gen:
            return False
        if kind == _OVERFLOW:
            return call.phase in (WAITING, RINGING)
        if kind == _STEP:
            return call.phase == WAITING
        return call.phase == WAITING and not call.callback  # max wait, announcements

    def _fire(self, deadline: _Deadline) -> None:
        if not self._is_live(deadline):
            return
        _, _, kind, ref, _, extra = deadline
        if kind == _WRAP:
            self._after_work(self._agents[ref])
            return
        call = self._calls[ref]
        if kind == _RING:
            assert call.ring_agent is not None
            self._ring_failed(call, call.ring_agent, "no answer")
        elif kind == _CONSULT:
            assert call.consult is not None
            self._ring_failed(call, call.consult, "no answer")
        elif kind == _STEP:
            self._note(call, "wait_over")
            self._next_step(call)
        elif kind == _OVERFLOW:
            self._overflow(call, extra)
        elif kind == _MAXWAIT:
            self._note(call, "max_wait")
            self._no_agent(call, call.hotline.no_agent_message)
        else:
            self._out.append(self._announcement(call))
            assert call.queue is not None and call.queue.announce_every_s is not None
            self._push(self._now + call.queue.announce_every_s, _ANNOUNCE, ref, call.step_gen)

    # indexes ----------------------------------------------------------------------------

    def _index(self, skill: str, strategy: str, min_level: int) -> _Index:
        key = (skill, strategy, min_level)
        index = self._indexes.get(key)
        if index is None:
            index = _Index(skill, strategy, min_level)
            self._indexes[key] = index
            self._skill_indexes.setdefault(skill, []).append(index)
            for agent in self._by_ord:
                if agent.skills.get(skill, 0) >= min_level:
                    agent.indexes.append(index)
                    if agent.state in PRESENT_STATES:
                        index.staffed += 1
                    if agent.state is READY and agent.indexed:
                        index.ready += 1
                        heappush(index.heap, self._ready_entry(agent, index))
        return index

    def _queue_index(self, queue: QueueConfig) -> _Index:
        index = self._queue_indexes.get(queue.name)
        if index is None:
            index = self._index(queue.skill, queue.strategy, queue.min_level)
            self._queue_indexes[queue.name] = index
        return index

    def _ready_entry(self, agent: _Agent, index: _Index) -> _ReadyEntry:
        strategy = index.strategy
        if strategy == "longest_idle":
            return (agent.idle_since, 0.0, agent.ord, agent.ready_gen)
        if strategy == "fewest_calls":
            return (float(agent.calls_handled), agent.idle_since, agent.ord, agent.ready_gen)
        return (-float(agent.skills[index.skill]), agent.idle_since, agent.ord, agent.ready_gen)

    def _ready_valid(self, entry: _ReadyEntry) -> bool:
        agent = self._by_ord[entry[2]]
        return agent.state is READY and agent.indexed and agent.ready_gen == entry[3]

    def _index_agent(self, agent: _Agent) -> None:
        agent.indexed = True
        for index in agent.indexes:
            index.ready += 1
            heap = index.heap
            heappush(heap, self._ready_entry(agent, index))
            if len(heap) > 4 * index.ready + 256:
                index.heap = [e for e in heap if self._ready_valid(e)]
                heapify(index.heap)

    def _take_free(self, index: _Index, excluded: tuple[str, ...]) -> _Agent | None:
        heap = index.heap
        by_ord = self._by_ord
        skipped: list[_ReadyEntry] = []
        found: _Agent | None = None
        while heap:
            entry = heap[0]
            agent = by_ord[entry[2]]
            if agent.state is not READY or not agent.indexed or agent.ready_gen != entry[3]:
                heappop(heap)
                continue
            if excluded and agent.agent_id in excluded:
                skipped.append(heappop(heap))
                continue
            found = agent
            break
        for entry in skipped:
            heappush(heap, entry)
        return found

    def _any_staffed(self, call: _Call) -> bool:
        if not call.excluded:
            return any(index.staffed > 0 for index in call.targets)
        return any(self._staffed(index, call.excluded) > 0 for index in call.targets)

    def _staffed(self, index: _Index, excluded: tuple[str, ...]) -> int:
        staffed = index.staffed
        for agent_id in excluded:
            agent = self._agents.get(agent_id)
            if agent is not None and agent.state in PRESENT_STATES and index in agent.indexes:
                staffed -= 1
        return staffed

    # agents -----------------------------------------------------------------------------

    def _configure(self, agent_id: str, skills: tuple[tuple[str, int], ...], name: str) -> None:
        agent = self._agents.get(agent_id)
        if agent is None:
            agent = _Agent(agent_id, len(self._by_ord), name, self._now)
            self._agents[agent_id] = agent
            self._by_ord.append(agent)
        agent.name = name or agent.name
        agent.skills = dict(skills)
        agent.indexes = [
            index
            for skill, level in skills
            for index in self._skill_indexes.get(skill, ())
            if level >= index.min_level
        ]

    def _set_state(self, agent: _Agent, new: AgentState, reason: str = "") -> None:
        old = agent.state
        if new not in _ALLOWED[old]:
            raise AssertionError(f"router bug: {agent.agent_id} {old} -> {new}")
        if old is READY and agent.indexed:
            agent.indexed = False
            for index in agent.indexes:
                index.ready -= 1
        agent.state = new
        agent.since = self._now
        agent.reason = reason
        self._out.append(AgentStateChanged(agent.agent_id, old, new, reason, self._now))
        was_present = old in PRESENT_STATES
        is_present = new in PRESENT_STATES
        if is_present and not was_present:
            for index in agent.indexes:
                index.staffed += 1
        elif was_present and not is_present:
            emptied = []
            for index in agent.indexes:
                index.staffed -= 1
                if index.staffed == 0:
                    emptied.append(index)
            for entry in list(agent.personal):
                call = self._calls[entry[2]]
                self._note(call, "skipped", agent.agent_id, "absent")
                self._next_step(call)
            for index in emptied:
                self._on_unstaffed(index)

    def _make_ready(self, agent: _Agent, idle_since: float) -> None:
        agent.idle_since = idle_since
        self._set_state(agent, READY)
        agent.ready_gen += 1
        if not self._serve_waiting(agent):
            self._index_agent(agent)

    def _serve_waiting(self, agent: _Agent) -> bool:
        best = self._best_waiting(agent)
        if best is None:
            return False
        call = self._calls[best[2]]
        self._ring(call, agent, call.ring_timeout)
        return True

    def _best_waiting(self, agent: _Agent) -> _WaitEntry | None:
        """The waiting call this agent would take: highest priority, then longest waiting."""
        best: _WaitEntry | None = agent.personal[0] if agent.personal else None
        calls = self._calls
        agent_id = agent.agent_id
        for index in agent.indexes:
            waiting = index.waiting
            if not waiting:
                continue
            entry: _WaitEntry | None = waiting[0]
            if best is not None and entry is not None and entry >= best:
                continue
            excluded = calls[waiting[0][2]].excluded
            if excluded and agent_id in excluded:
                entry = next((e for e in waiting if agent_id not in calls[e[2]].excluded), None)
            if entry is not None and (best is None or entry < best):
                best = entry
        return best

    def _release(self, agent: _Agent, wrap_s: float) -> None:
        """The agent's part in a call is over: wrap up, then pending state or ready."""
        agent.call_id = None
        if wrap_s > 0 or agent.pending is not None:
            self._set_state(agent, WRAP_UP)
            agent.wrap_gen += 1
            if wrap_s > 0:
                self._push(self._now + wrap_s, _WRAP, agent.agent_id, agent.wrap_gen)
                return
            self._after_work(agent)
        else:
            self._make_ready(agent, self._now)

    def _after_work(self, agent: _Agent) -> None:
        agent.wrap_gen += 1
        pending = agent.pending
        agent.pending = None
        if pending is None or pending[0] is READY:
            self._make_ready(agent, self._now)
        else:
            self._set_state(agent, pending[0], pending[1])

    def _wrap_s(self, call: _Call) -> float:
        if call.queue is not None and call.queue.wrap_up_s is not None:
            return call.queue.wrap_up_s
        return call.hotline.wrap_up_s

    # calls: routing ---------------------------------------------------------------------

    def _note(self, call: _Call, kind: str, agent_id: str = "", detail: str = "") -> None:
        call.timeline.append(TimelineEntry(self._now, kind, agent_id, detail))

    def _steps_for(self, hotline: Hotline, caller: Caller) -> tuple[str, tuple[RouteStep, ...]]:
        default = self._default_steps[hotline.name]
        for rule in hotline.rules:
            if rule.matches(caller):
                steps = rule.steps
                last = steps[-1] if steps else None
                ends_in_queue = (
                    last is not None and last.target.kind == "queue" and last.wait_s is None
                )
                if rule.fallback_to_default_queue and not ends_in_queue:
                    steps = steps + default
                return rule.name, steps
        return "default", default

    def _route(self, call: _Call) -> None:
        steps = call.steps
        while call.step_index < len(steps):
            if self._try_step(call, steps[call.step_index]):
                return
            call.step_index += 1
        self._no_agent(call, call.hotline.no_agent_message)

    def _next_step(self, call: _Call) -> None:
        self._unwait(call)
        call.step_index += 1
        self._route(call)

    def _resolve_agent(self, call: _Call, target: Target) -> str | None:
        if target.kind == "agent":
            return target.value
        if target.kind == "agent_attr":
            return call.caller.get(target.value)
        key = target.key or call.caller.get(target.key_attr) or ""
        return self._config.lookup(target.value, key)

    def _try_step(self, call: _Call, step: RouteStep) -> bool:
        call.step_gen += 1
        call.targets = []
        call.target_agent = None
        call.excluded = call.avoid
        call.queue = None
        now = self._now
        call.step_deadline = None if step.wait_s is None else now + step.wait_s
        target = step.target
        hotline = call.hotline
        priority = call.priority + step.priority
        if target.kind in _AGENT_KINDS:
            agent_id = self._resolve_agent(call, target)
            agent = self._agents.get(agent_id) if agent_id else None
            call.ring_timeout = step.ring_timeout_s or hotline.ring_timeout_s
            if agent is None or agent.state not in PRESENT_STATES:
                self._note(call, "skipped", agent_id or "", f"{target.kind} {target.value}: absent")
                return False
            if agent.state is READY:
                self._ring(call, agent, call.ring_timeout)
                return True
            if step.wait_s == 0:
                self._note(call, "skipped", agent.agent_id, "busy")
                return False
            call.target_agent = agent
        elif target.kind == "skill":
            index = self._index(target.value, target.strategy, target.min_level)
            excluded_id = call.caller.get(target.exclude_attr) if target.exclude_attr else None
            call.excluded = call.avoid + ((excluded_id,) if excluded_id else ())
            call.targets = [index]
            call.ring_timeout = step.ring_timeout_s or hotline.ring_timeout_s
            free = self._take_free(index, call.excluded)
            if free is not None:
                self._ring(call, free, call.ring_timeout)
                return True
            if step.wait_s == 0 or self._staffed(index, call.excluded) <= 0:
                self._note(call, "skipped", "", f"skill {target.value}: none free")
                return False
        else:
            queue = self._queues[target.value]
            call.queue = queue
            call.ring_timeout = step.ring_timeout_s or queue.ring_timeout_s or hotline.ring_timeout_s
            priority += queue.priority
            primary = self._queue_index(queue)
            call.targets = [primary]
            later: list[int] = []
            for position, overflow in enumerate(queue.overflow):
                if overflow.after_s <= 0 or primary.staffed == 0:
                    index = self._queue_index(self._queues[overflow.queue])
                    if index not in call.targets:
                        call.targets.append(index)
                else:
                    later.append(position)
            for index in call.targets:
                free = self._take_free(index, call.excluded)
                if free is not None:
                    self._ring(call, free, call.ring_timeout)
                    for position in later:
                        after = queue.overflow[position].after_s
                        self._push(now + after, _OVERFLOW, call.call_id, call.step_gen, position)
                    return True
            if not self._any_staffed(call):
                self._note(call, "skipped", "", f"queue {queue.name}: nobody present")
                return False
            self._note(call, "queue", "", queue.name)
            for position in later:
                after = queue.overflow[position].after_s
                self._push(now + after, _OVERFLOW, call.call_id, call.step_gen, position)
            if queue.max_wait_s is not None:
                self._push(now + queue.max_wait_s, _MAXWAIT, call.call_id, call.step_gen)
        call.entry = (-priority, call.seq, call.call_id)
        self._wait(call)
        if step.wait_s is not None:
            self._push(now + step.wait_s, _STEP, call.call_id, call.step_gen)
        if call.queue is not None and not call.callback:
            self._out.append(self._announcement(call))
            if call.queue.announce_every_s:
                self._push(now + call.queue.announce_every_s, _ANNOUNCE, call.call_id, call.step_gen)
        return True

    def _wait(self, call: _Call) -> None:
        entry = call.entry
        for index in call.targets:
            insort(index.waiting, entry)
        if call.target_agent is not None:
            insort(call.target_agent.personal, entry)
        call.inserted = True
        call.phase = WAITING
        if call.found_free is None:
            call.found_free = False

    def _unwait(self, call: _Call) -> None:
        if not call.inserted:
            return
        call.inserted = False
        entry = call.entry
        for index in call.targets:
            _remove(index.waiting, entry)
        if call.target_agent is not None:
            _remove(call.target_agent.personal, entry)

    def _rewait(self, call: _Call) -> bool:
        """Back to waiting at the same place after a failed ring; False if nobody is left."""
        for index in call.targets:
            free = self._take_free(index, call.excluded)
            if free is not None:
                self._ring(call, free, call.ring_timeout)
                return True
        if not self._any_staffed(call):
            return False
        self._wait(call)
        return True

    def _on_unstaffed(self, index: _Index) -> None:
        for entry in list(index.waiting):
            call = self._calls.get(entry[2])
            if call is None or not call.inserted:
                continue
            if not self._any_staffed(call):
                self._note(call, "skipped", "", "nobody present")
                self._next_step(call)

    def _overflow(self, call: _Call, position: int) -> None:
        assert call.queue is not None
        overflow = call.queue.overflow[position]
        index = self._queue_index(self._queues[overflow.queue])
        if index in call.targets:
            return
        self._note(call, "overflow", "", overflow.queue)
        call.targets.append(index)
        if call.inserted:
            insort(index.waiting, call.entry)
            free = self._take_free(index, call.excluded)
            if free is not None:
                self._ring(call, free, call.ring_timeout)

    def _ring(self, call: _Call, agent: _Agent, timeout: float) -> None:
        self._unwait(call)
        if call.found_free is None:
            call.found_free = True
        agent.call_id = call.call_id
        self._set_state(agent, RESERVED)
        call.phase = RINGING
        call.ring_agent = agent
        call.ring_gen += 1
        self._push(self._now + timeout, _RING, call.call_id, call.ring_gen)
        kind = "callback" if call.callback else "call"
        self._out.append(RingAgent(call.call_id, agent.agent_id, timeout, kind))
        self._note(call, "ringing", agent.agent_id)

    def _ring_failed(self, call: _Call, agent: _Agent, reason: str) -> None:
        agent.call_id = None
        self._out.append(StopRinging(call.call_id, agent.agent_id, reason))
        if call.consult is agent:
            call.consult = None
            call.consult_gen += 1
            self._note(call, "consult_failed", agent.agent_id, reason)
            self._set_state(agent, NOT_READY, reason)
            return
        call.ring_gen += 1
        call.ring_agent = None
        call.phase = WAITING
        self._note(call, reason.replace(" ", "_"), agent.agent_id)
        self._set_state(agent, NOT_READY, reason)
        step = call.steps[call.step_index] if call.step_index < len(call.steps) else None
        window_open = call.step_deadline is None or self._now < call.step_deadline
        if step is not None and step.target.kind in ("skill", "queue") and window_open:
            if self._rewait(call):
                return
        call.step_index += 1
        self._route(call)

    def _announcement(self, call: _Call) -> AnnouncePosition:
        assert call.queue is not None
        primary = call.targets[0]
        position = bisect_left(primary.waiting, call.entry) + 1
        targets = call.targets
        staffed = targets[0].staffed if len(targets) == 1 else sum(i.staffed for i in targets)
        staffed = max(staffed, 1)
        expected = position * self._aht[call.queue.name] / staffed
        return AnnouncePosition(call.call_id, call.queue.name, position, expected)

    def _no_agent(self, call: _Call, message: str) -> None:
        self._unwait(call)
        call.step_gen += 1
        call.targets = []
        call.target_agent = None
        if call.callback:
            self._out.append(RegisterCallback(call.call_id, call.callback_number, False))
            self._finish(call, Outcome.CALLBACK, "no agent: callback stored")
            return
        if call.found_free is None:
            call.found_free = False
        call.phase = MESSAGE
        options = call.hotline.options
        self._out.append(PlayMessage(call.call_id, message, options))
        self._note(call, "message", "", message)
        if len(options) == 1:
            self._apply_choice(call, options[0], call.caller.number)
        elif not options:
            self._finish(call, Outcome.ABANDONED, "message only")

    def _apply_choice(self, call: _Call, choice: str, number: str) -> None:
        if choice == "voicemail":
            mailbox = call.hotline.voicemail_box or call.hotline.name
            self._out.append(SendToVoicemail(call.call_id, mailbox))
            self._finish(call, Outcome.VOICEMAIL)
        else:
            self._out.append(RegisterCallback(call.call_id, number, False))
            self._finish(call, Outcome.CALLBACK)

    def _finish(self, call: _Call, outcome: Outcome, detail: str = "") -> None:
        if call.hold_since is not None:
            call.hold_s += self._now - call.hold_since
            call.hold_since = None
        self._note(call, "finished", call.last_agent,
                   f"{outcome.value} {detail}" if detail else outcome.value)
        self._unwait(call)
        call.phase = ENDED
        del self._calls[call.call_id]
        if call.queue is not None and call.answered_at is not None:
            handle = self._now - call.answered_at + self._wrap_s(call)
            old = self._aht[call.queue.name]
            self._aht[call.queue.name] = old + _AHT_SMOOTHING * (handle - old)
        self._out.append(
            CallFinished(
                call_id=call.call_id,
                hotline=call.hotline.name,
                outcome=outcome,
                offered_at=call.offered_at,
                ended_at=self._now,
                answered_at=call.answered_at,
                agent_id=call.last_agent,
                queue=call.queue.name if call.queue is not None else "",
                hold_s=call.hold_s,
                found_free_agent=bool(call.found_free),
                timeline=tuple(call.timeline),
            )
        )

    def _is_open(self, hotline: Hotline) -> bool:
        if not self._overrides and hotline.name in self._always_open:
            return True
        override = self._overrides.get(hotline.name)
        if override is not None:
            return override
        return check_open(hotline.hours, self._now)

    # event handlers ---------------------------------------------------------------------

    def _reject(self, event: Event, reason: str) -> None:
        self._out.append(Rejected(type(event).__name__, reason))

    def _on_tick(self, event: Tick) -> None:
        return None

    def _on_override(self, event: HotlineOverride) -> None:
        if event.hotline not in self._hotlines:
            self._reject(event, f"unknown hotline {event.hotline}")
        elif event.open is None:
            self._overrides.pop(event.hotline, None)
        else:
            self._overrides[event.hotline] = event.open

    def _on_configured(self, event: AgentConfigured) -> None:
        agent = self._agents.get(event.agent_id)
        if agent is not None and agent.state is not AgentState.OFFLINE:
            self._reject(event, "skills change only while the agent is offline")
            return
        self._configure(event.agent_id, event.skills, event.name)

    def _on_state_requested(self, event: AgentStateRequested) -> None:
        agent = self._agents.get(event.agent_id)
        if agent is None:
            self._reject(event, f"unknown agent {event.agent_id}")
            return
        target = event.target
        if agent.state in (TALKING, ON_HOLD) and event.when_free:
            refusal = check_transition(WRAP_UP, target, event.reason)
            if refusal is None:
                agent.pending = (target, event.reason)
            else:
                self._reject(event, refusal)
            return
        refusal = check_request(agent.state, target, event.reason)
        if refusal is not None:
            self._reject(event, refusal)
            return
        if agent.state is WRAP_UP:
            agent.wrap_gen += 1
        agent.pending = None
        if target is READY:
            self._make_ready(agent, self._now)
        else:
            self._set_state(agent, target, event.reason)

    def _on_offered(self, event: CallOffered) -> None:
        hotline = self._hotlines.get(event.hotline)
        if hotline is None:
            self._reject(event, f"unknown hotline {event.hotline}")
            return
        if event.call_id in self._calls:
            self._reject(event, f"call {event.call_id} is already live")
            return
        self._call_seq += 1
        call = _Call(event, hotline, self._call_seq)
        self._calls[event.call_id] = call
        if not self._is_open(hotline):
            self._note(call, "offered", "", "closed")
            self._no_agent(call, hotline.closed_message)
            return
        call.rule, call.steps = self._steps_for(hotline, event.caller)
        self._note(call, "offered", "", f"rule {call.rule}")
        self._route(call)

    def _call_and_agent(
        self, event: Event, call_id: str, agent_id: str
    ) -> tuple[_Call, _Agent] | None:
        call = self._calls.get(call_id)
        agent = self._agents.get(agent_id)
        if call is None:
            self._reject(event, f"unknown or finished call {call_id}")
            return None
        if agent is None:
            self._reject(event, f"unknown agent {agent_id}")
            return None
        return call, agent

    def _on_answered(self, event: AgentAnswered) -> None:
        found = self._call_and_agent(event, event.call_id, event.agent_id)
        if found is None:
            return
        call, agent = found
        if agent.state is not RESERVED or agent.call_id != call.call_id:
            self._reject(event, f"{agent.agent_id} is not ringing for {call.call_id}")
            return
        if call.consult is agent:
            call.consult_connected = True
            call.consult_gen += 1
            self._set_state(agent, TALKING)
            self._out.append(ConnectCall(call.call_id, agent.agent_id, "consult"))
            self._note(call, "consult_connected", agent.agent_id)
            return
        call.ring_gen += 1
        call.ring_agent = None
        call.phase = CONNECTED
        call.agents = [agent]
        call.last_agent = agent.agent_id
        if call.answered_at is None:
            call.answered_at = self._now
        self._set_state(agent, TALKING)
        if call.callback:
            self._out.append(DialCallback(call.call_id, agent.agent_id, call.callback_number))
            self._note(call, "callback_dialled", agent.agent_id, call.callback_number)
        else:
            self._out.append(ConnectCall(call.call_id, agent.agent_id))
            self._note(call, "answered", agent.agent_id)

    def _on_declined(self, event: AgentDeclined) -> None:
        found = self._call_and_agent(event, event.call_id, event.agent_id)
        if found is None:
            return
        call, agent = found
        if agent.state is not RESERVED or agent.call_id != call.call_id:
            self._reject(event, f"{agent.agent_id} is not ringing for {call.call_id}")
            return
        self._ring_failed(call, agent, "declined")

    def _on_ended(self, event: CallEnded) -> None:
        call = self._calls.get(event.call_id)
        if call is None:
            self._reject(event, f"unknown or finished call {event.call_id}")
            return
        phase = call.phase
        if call.callback and phase != CONNECTED:
            # The caller's leg ends after asking for a callback; the place stays queued.
            return
        if phase == MESSAGE or phase == WAITING:
            self._finish(call, Outcome.ABANDONED)
        elif phase == RINGING:
            agent = call.ring_agent
            assert agent is not None
            call.ring_gen += 1
            agent.call_id = None
            self._out.append(StopRinging(call.call_id, agent.agent_id, "caller hung up"))
            self._finish(call, Outcome.ABANDONED)
            self._make_ready(agent, agent.idle_since)
        else:
            outcome = Outcome.CALLBACK if call.callback else Outcome.ANSWERED
            agents = list(call.agents)
            consult = call.consult
            call.consult = None
            self._finish(call, outcome)
            wrap = self._wrap_s(call)
            for agent in agents:
                agent.calls_handled += 1
                self._release(agent, wrap)
            if consult is not None:
                self._release_consultee(consult, connected=call.consult_connected)

    def _release_consultee(self, agent: _Agent, connected: bool) -> None:
        agent.call_id = None
        if connected:
            self._release(agent, 0.0)
        else:
            self._make_ready(agent, agent.idle_since)

    def _on_choice(self, event: CallerChose) -> None:
        call = self._calls.get(event.call_id)
        if call is None or call.phase != MESSAGE:
            self._reject(event, f"call {event.call_id} is not at the message")
            return
        if event.choice not in call.hotline.options:
            self._reject(event, f"choice {event.choice!r} not offered; use {call.hotline.options}")
            return
        self._note(call, "chose", "", event.choice)
        self._apply_choice(call, event.choice, event.number or call.caller.number)

    def _on_callback_requested(self, event: CallbackRequested) -> None:
        call = self._calls.get(event.call_id)
        if call is None or call.phase not in (WAITING, RINGING) or call.callback:
            self._reject(event, f"call {event.call_id} is not waiting")
            return
        number = event.number or call.caller.number
        if not number:
            self._reject(event, "no number to call back")
            return
        call.callback = True
        call.callback_number = number
        self._out.append(RegisterCallback(call.call_id, number, True))
        self._note(call, "callback_requested", "", number)

    def _connected_agent(self, event: Event, call_id: str, agent_id: str) -> tuple[_Call, _Agent] | None:
        found = self._call_and_agent(event, call_id, agent_id)
        if found is None:
            return None
        call, agent = found
        if call.phase != CONNECTED or agent not in call.agents:
            self._reject(event, f"{agent_id} is not connected to {call_id}")
            return None
        return found

    def _on_held(self, event: CallHeld) -> None:
        found = self._connected_agent(event, event.call_id, event.agent_id)
        if found is None:
            return
        call, agent = found
        if agent.state is not TALKING:
            self._reject(event, f"{agent.agent_id} is {agent.state.value}")
            return
        self._set_state(agent, ON_HOLD)
        if call.hold_since is None:
            call.hold_since = self._now
        self._note(call, "hold", agent.agent_id)

    def _on_resumed(self, event: CallResumed) -> None:
        found = self._connected_agent(event, event.call_id, event.agent_id)
        if found is None:
            return
        call, agent = found
        if agent.state is not ON_HOLD:
            self._reject(event, f"{agent.agent_id} is {agent.state.value}")
            return
        self._set_state(agent, TALKING)
        if call.hold_since is not None and all(a.state is not ON_HOLD for a in call.agents):
            call.hold_s += self._now - call.hold_since
            call.hold_since = None
        self._note(call, "resume", agent.agent_id)

    def _end_hold(self, call: _Call) -> None:
        if call.hold_since is not None:
            call.hold_s += self._now - call.hold_since
            call.hold_since = None

    def _on_blind_transfer(self, event: BlindTransferred) -> None:
        found = self._connected_agent(event, event.call_id, event.agent_id)
        if found is None:
            return
        call, agent = found
        if call.consult is not None:
            self._reject(event, "end the consultation first")
            return
        target = event.target
        if target.kind == "queue" and target.value not in self._queues:
            self._reject(event, f"unknown queue {target.value}")
            return
        self._note(call, "blind_transfer", agent.agent_id, f"{target.kind} {target.value}")
        call.agents.remove(agent)
        wrap = self._wrap_s(call)
        agent.calls_handled += 1
        if not call.agents:
            # Route while the transferring agent is still busy, so it cannot ring them back.
            self._end_hold(call)
            wait: float | None = None if target.kind == "queue" else 0.0
            call.steps = (RouteStep(target, wait_s=wait),) + self._default_steps[call.hotline.name]
            call.step_index = 0
            call.phase = WAITING
            call.avoid = (agent.agent_id,)
            self._route(call)
        self._release(agent, wrap)

    def _on_consult_started(self, event: ConsultStarted) -> None:
        found = self._connected_agent(event, event.call_id, event.agent_id)
        if found is None:
            return
        call, agent = found
        colleague = self._agents.get(event.target_agent)
        if call.consult is not None:
            self._reject(event, "a consultation is already running")
            return
        if colleague is None or colleague.state is not READY or colleague is agent:
            self._reject(event, f"{event.target_agent} is not ready")
            return
        colleague.call_id = call.call_id
        self._set_state(colleague, RESERVED)
        call.consult = colleague
        call.consult_connected = False
        call.consult_gen += 1
        timeout = call.hotline.ring_timeout_s
        self._push(self._now + timeout, _CONSULT, call.call_id, call.consult_gen)
        self._out.append(RingAgent(call.call_id, colleague.agent_id, timeout, "consult"))
        self._note(call, "consult_started", agent.agent_id, colleague.agent_id)

    def _consulting(self, event: Event, call_id: str, agent_id: str) -> tuple[_Call, _Agent, _Agent] | None:
        found = self._connected_agent(event, call_id, agent_id)
        if found is None:
            return None
        call, agent = found
        if call.consult is None:
            self._reject(event, "no consultation is running")
            return None
        return call, agent, call.consult

    def _on_consult_ended(self, event: ConsultEnded) -> None:
        found = self._consulting(event, event.call_id, event.agent_id)
        if found is None:
            return
        call, agent, colleague = found
        connected = call.consult_connected
        call.consult = None
        call.consult_gen += 1
        if not connected:
            self._out.append(StopRinging(call.call_id, colleague.agent_id, "consultation ended"))
        self._note(call, "consult_ended", agent.agent_id, colleague.agent_id)
        self._release_consultee(colleague, connected)

    def _answered_consultation(
        self, event: TransferCompleted | ConferenceStarted
    ) -> tuple[_Call, _Agent, _Agent] | None:
        """The call, the consulting agent and the colleague, once the colleague has answered."""
        found = self._consulting(event, event.call_id, event.agent_id)
        if found is None:
            return None
        call, _, colleague = found
        if not call.consult_connected:
            self._reject(event, f"{colleague.agent_id} has not answered yet")
            return None
        return found

    def _on_transfer_completed(self, event: TransferCompleted) -> None:
        found = self._answered_consultation(event)
        if found is None:
            return
        call, agent, colleague = found
        call.consult = None
        call.agents.remove(agent)
        call.agents.append(colleague)
        call.last_agent = colleague.agent_id
        self._note(call, "attended_transfer", agent.agent_id, colleague.agent_id)
        self._out.append(ConnectCall(call.call_id, colleague.agent_id, "caller"))
        agent.calls_handled += 1
        self._release(agent, self._wrap_s(call))

    def _on_conference_started(self, event: ConferenceStarted) -> None:
        found = self._answered_consultation(event)
        if found is None:
            return
        call, agent, colleague = found
        call.consult = None
        call.agents.append(colleague)
        ids = tuple(a.agent_id for a in call.agents)
        self._out.append(StartConference(call.call_id, ids))
        self._note(call, "conference_started", agent.agent_id, ",".join(ids))

    def _on_participant_left(self, event: ParticipantLeft) -> None:
        found = self._connected_agent(event, event.call_id, event.agent_id)
        if found is None:
            return
        call, agent = found
        if len(call.agents) < 2:
            self._reject(event, "not a conference; end the call instead")
            return
        call.agents.remove(agent)
        if call.last_agent == agent.agent_id:
            call.last_agent = call.agents[0].agent_id
        self._note(call, "participant_left", agent.agent_id)
        if len(call.agents) == 1:
            self._note(call, "conference_ended", call.agents[0].agent_id)
        agent.calls_handled += 1
        self._release(agent, self._wrap_s(call))

    # views ------------------------------------------------------------------------------

    def _agent_view(self, agent: _Agent) -> AgentView:
        return AgentView(
            agent_id=agent.agent_id,
            state=agent.state,
            since=agent.since,
            reason=agent.reason,
            call_id=agent.call_id,
            idle_since=agent.idle_since,
            calls_handled=agent.calls_handled,
            pending=agent.pending,
            skills=tuple(agent.skills.items()),
        )

    def _call_view(self, call: _Call) -> CallView:
        return CallView(
            call_id=call.call_id,
            hotline=call.hotline.name,
            phase=call.phase,
            rule=call.rule,
            step_index=call.step_index,
            queue=call.queue.name if call.queue is not None else "",
            agents=tuple(a.agent_id for a in call.agents),
            ringing_agent=call.ring_agent.agent_id if call.ring_agent is not None else "",
            consult_agent=call.consult.agent_id if call.consult is not None else "",
            callback=call.callback,
            priority=-call.entry[0],
            timeline=tuple(call.timeline),
        )


def _remove(entries: list[_WaitEntry], entry: _WaitEntry) -> None:
    position = bisect_left(entries, entry)
    if position < len(entries) and entries[position] == entry:
        del entries[position]


def replay(config: RoutingConfig, events: Iterable[Event], start: float = 0.0) -> Router:
    """Rebuild a router from its stored events (the same state a live router reached)."""
    router = Router(config, start)
    for event in events:
        router.handle(event)
    return router
