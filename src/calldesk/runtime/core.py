"""The routing runtime's synchronous core: store, decide, save effects (R-OPS-2, R-HL-5).

One `RoutingCore` owns the Router. `process(item)` turns an incoming call into a CallOffered
(identifying the caller), stamps the event with the runtime clock, stores it in its own
commit, lets the router decide and saves the effects. `start()` rebuilds the router from the
latest run's stored events and carries out the effects of events stored but not yet applied.
Everything here runs on one thread; the async service (service.py) feeds it.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from calldesk.apps.calls import selectors, services
from calldesk.domain import routing as dom
from calldesk.telephony.port import IncomingCall

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Control:
    """Not a routing event: a screen asks for the current state ("sync_agent", "sync_wallboard")."""

    kind: str
    agent_id: str = ""


Item = dom.Event | IncomingCall | Control


@dataclass(slots=True)
class Step:
    """One processed item: the stored event (None for controls) and the router's commands."""

    event: dom.Event | None
    commands: list[dom.Command] = field(default_factory=list)
    control: Control | None = None


@dataclass(slots=True)
class Recovery:
    """What start() found: events replayed and effects it had to carry out again."""

    run_id: int
    replayed: int
    reapplied: int
    new_run: bool


class RoutingCore:
    def __init__(
        self,
        clock: Callable[[], float] = time.time,
        config_loader: Callable[[], dict[str, Any]] = selectors.get_routing_config_data,
    ) -> None:
        self._clock = clock
        self._load_config = config_loader
        self.router: dom.Router | None = None
        self.config: dom.RoutingConfig | None = None
        self.run_id = 0
        self.seq = 0
        # call id -> {"hotline", "number", "customer", "intent", "agents"}: what screens show.
        self.calls: dict[str, dict[str, Any]] = {}
        self.names: dict[str, str] = {}
        # Calls finished by the last processed item, for the screens that showed them.
        self.finished: dict[str, dict[str, Any]] = {}

    # start and recovery ------------------------------------------------------------------

    def start(self) -> Recovery:
        services.ensure_hotline_routing()
        data = self._load_config()
        run = services.get_latest_run()
        replayed = reapplied = 0
        if run is not None:
            self._open(run.pk, run.config, run.epoch)
            assert self.router is not None
            for seq, event in services.get_run_events(run.pk):
                commands = self.router.handle(event)
                self._remember(event, commands)
                replayed += 1
                self.seq = seq
                if seq > run.applied_seq:
                    services.apply_effects(run.pk, seq, event, commands)
                    reapplied += 1
            if run.config_hash == services.hash_config(data) or self.router.live_call_ids():
                if run.config_hash != services.hash_config(data):
                    log.warning("routing configuration changed; it applies once no call is live")
                return Recovery(run.pk, replayed, reapplied, new_run=False)
        self._new_run(data)
        return Recovery(self.run_id, replayed, reapplied, new_run=True)

    def _open(self, run_id: int, data: dict[str, Any], epoch: float) -> None:
        self.config = dom.parse_routing_config(data)
        self.router = dom.Router(self.config, epoch)
        self.run_id = run_id
        self.seq = 0
        self.calls = {}
        self.names = {a.agent_id: a.name for a in self.config.agents}

    def _new_run(self, data: dict[str, Any]) -> None:
        """A fresh run on the current configuration; present agents keep their state."""
        old = self.router
        now = self._clock()
        run = services.open_run(data, now)
        self._open(run.pk, data, now)
        if old is None:
            return
        known = {a.agent_id for a in self.config.agents} if self.config else set()
        carried: list[dom.Event] = []
        for view in old.snapshot().agents:
            if view.agent_id not in known or view.state is dom.AgentState.OFFLINE:
                continue
            target = view.state if view.state in dom.REQUESTABLE_STATES else dom.AgentState.READY
            reason = view.reason if target is not dom.AgentState.READY else ""
            carried.append(dom.AgentStateRequested(now, view.agent_id, target, reason or "carried over"))
        services.close_open_state_logs([e.agent_id for e in carried], now)  # type: ignore[union-attr]
        for event in carried:
            self.process(event)

    # processing --------------------------------------------------------------------------

    def now(self) -> float:
        return max(self._clock(), self.router.now if self.router else 0.0)

    def next_deadline(self) -> float | None:
        return self.router.next_deadline() if self.router else None

    def process(self, item: Item) -> Step:
        if isinstance(item, Control):
            return Step(None, control=item)
        assert self.router is not None
        self.finished = {}
        event = self._to_event(item)
        self.seq += 1
        services.append_event(self.run_id, self.seq, event)
        commands = self.router.handle(event)
        self._remember(event, commands)
        services.apply_effects(self.run_id, self.seq, event, commands)
        return Step(event, commands)

    def _to_event(self, item: dom.Event | IncomingCall) -> dom.Event:
        now = self.now()
        if isinstance(item, IncomingCall):
            attributes = selectors.get_caller_attributes(item.number, intent=item.intent)
            caller = dom.Caller.of(item.number, **attributes)
            return dom.CallOffered(now, item.call_id, item.hotline, caller, item.priority)
        if isinstance(item, dom.Tick):
            # A tick is for its deadline, never later than now and never before the router.
            return dom.Tick(max(min(item.at, now), self.router.now if self.router else 0.0))
        return dataclasses.replace(item, at=now)

    def _remember(self, event: dom.Event, commands: list[dom.Command]) -> None:
        if isinstance(event, dom.CallOffered):
            self.calls[event.call_id] = {
                "hotline": event.hotline, "number": event.caller.number,
                "customer": event.caller.get("customer") or "", "intent": event.caller.get("intent") or "",
                "rule": "", "offered_at": event.at, "agents": [],
            }
        for command in commands:
            if isinstance(command, dom.ConnectCall | dom.RingAgent):
                info = self.calls.get(command.call_id)
                if info is not None and command.agent_id not in info["agents"]:
                    info["agents"].append(command.agent_id)
            elif isinstance(command, dom.CallFinished):
                info = self.calls.pop(command.call_id, None)
                if info is not None:
                    self.finished[command.call_id] = info

    # views for the screens ---------------------------------------------------------------

    def agent_view(self, agent_id: str) -> dict[str, Any]:
        assert self.router is not None
        view = self.router.agent(agent_id)
        if view is None:
            return {"known": False}
        call = None
        if view.call_id is not None:
            call = self.call_info(view.call_id)
        else:
            for call_id in self.router.live_call_ids():
                cview = self.router.call(call_id)
                if cview is not None and agent_id in cview.agents:
                    call = self.call_info(call_id)
        return {
            "known": True, "state": view.state.value, "reason": view.reason, "since": view.since,
            "pending": view.pending[0].value if view.pending else "", "call": call,
        }

    def call_info(self, call_id: str) -> dict[str, Any] | None:
        assert self.router is not None
        view = self.router.call(call_id)
        info = self.calls.get(call_id)
        if view is None or info is None:
            return None
        return {
            "call_id": call_id, "hotline": info["hotline"], "number": info["number"],
            "customer": info["customer"], "intent": info["intent"], "phase": view.phase,
            "rule": view.rule, "agents": list(view.agents), "ringing": view.ringing_agent,
            "offered_at": info["offered_at"],
        }

    def wallboard_state(self) -> dict[str, Any]:
        """Queues and agents right now, per hotline and queue (R-OPS-2)."""
        assert self.router is not None and self.config is not None
        now = self.now()
        snap = self.router.snapshot()
        skills_of = {a.agent_id: dict(a.skills) for a in snap.agents}
        agents = [
            {"id": a.agent_id, "name": self.names.get(a.agent_id, a.agent_id), "state": a.state.value,
             "reason": a.reason, "since": a.since}
            for a in snap.agents if a.state is not dom.AgentState.OFFLINE
        ]
        hotlines = []
        for hotline in self.config.hotlines:
            calls = [c for c in snap.calls if c.hotline == hotline.name]
            waiting = [c for c in calls if c.phase == "waiting" and not c.callback]
            queues = []
            queue_names = {hotline.default_queue} | {c.queue for c in calls if c.queue}
            for name in sorted(q for q in queue_names if q):
                queue = self.config.queue(name)
                in_queue = [c for c in waiting if c.queue == name]
                by_state: dict[str, int] = {}
                for agent in snap.agents:
                    if queue is not None and skills_of[agent.agent_id].get(queue.skill, 0) >= queue.min_level:
                        if agent.state is not dom.AgentState.OFFLINE:
                            by_state[agent.state.value] = by_state.get(agent.state.value, 0) + 1
                queues.append({"name": name, "waiting": len(in_queue),
                               "longest_wait_s": self._longest(in_queue, now), "agents": by_state})
            hotlines.append({
                "code": hotline.name, "waiting": len(waiting), "longest_wait_s": self._longest(waiting, now),
                "ringing": sum(1 for c in calls if c.phase == "ringing"),
                "talking": sum(1 for c in calls if c.phase == "connected"),
                "callbacks": sum(1 for c in calls if c.callback), "queues": queues,
            })
        return {"now": now, "hotlines": hotlines, "agents": agents}

    def _longest(self, calls: list[dom.CallView], now: float) -> float:
        starts = [self.calls[c.call_id]["offered_at"] for c in calls if c.call_id in self.calls]
        return max((now - s for s in starts), default=0.0)
