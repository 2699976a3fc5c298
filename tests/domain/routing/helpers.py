"""A small driver around Router for readable tests: it logs events and commands."""

from __future__ import annotations

from typing import Any

from calldesk.domain.routing import (
    AgentAnswered,
    AgentState,
    AgentStateRequested,
    CallEnded,
    Caller,
    CallFinished,
    CallOffered,
    Command,
    Event,
    Rejected,
    RingAgent,
    Router,
    RoutingConfig,
    Tick,
    parse_routing_config,
)


def config(data: dict[str, Any]) -> RoutingConfig:
    return parse_routing_config(data)


class Desk:
    def __init__(self, cfg: RoutingConfig | dict[str, Any], start: float = 0.0) -> None:
        self.config = cfg if isinstance(cfg, RoutingConfig) else parse_routing_config(cfg)
        self.router = Router(self.config, start)
        self.events: list[Event] = []
        self.commands: list[Command] = []
        self.now = start

    def send(self, event: Event) -> list[Command]:
        self.now = max(self.now, event.at)
        self.events.append(event)
        out = self.router.handle(event)
        self.commands.extend(out)
        return out

    def at(self, t: float) -> float:
        self.now = max(self.now, t)
        return self.now

    def login(self, *agents: str, at: float | None = None) -> None:
        for agent in agents:
            self.send(AgentStateRequested(self.at(at or self.now), agent, AgentState.READY))

    def request(self, agent: str, target: AgentState, reason: str = "", at: float | None = None,
                when_free: bool = False) -> list[Command]:
        return self.send(
            AgentStateRequested(self.at(at or self.now), agent, target, reason, when_free)
        )

    def offer(self, call: str, hotline: str = "main", at: float | None = None,
              priority: int = 0, number: str = "", **attributes: str) -> list[Command]:
        caller = Caller.of(number, **attributes)
        return self.send(CallOffered(self.at(at or self.now), call, hotline, caller, priority))

    def answer(self, call: str, agent: str, at: float | None = None) -> list[Command]:
        return self.send(AgentAnswered(self.at(at or self.now), call, agent))

    def end(self, call: str, at: float | None = None) -> list[Command]:
        return self.send(CallEnded(self.at(at or self.now), call))

    def tick(self, at: float) -> list[Command]:
        return self.send(Tick(self.at(at)))

    def state(self, agent: str) -> AgentState:
        view = self.router.agent(agent)
        assert view is not None
        return view.state

    def rung(self, commands: list[Command] | None = None) -> list[tuple[str, str]]:
        source = self.commands if commands is None else commands
        return [(c.call_id, c.agent_id) for c in source if isinstance(c, RingAgent)]

    def ringing_agent(self, commands: list[Command]) -> str | None:
        rings = [c.agent_id for c in commands if isinstance(c, RingAgent)]
        assert len(rings) <= 1, rings
        return rings[0] if rings else None

    def finished(self, call: str) -> CallFinished:
        found = [c for c in self.commands if isinstance(c, CallFinished) and c.call_id == call]
        assert len(found) == 1, found
        return found[0]

    def rejected(self, commands: list[Command]) -> list[str]:
        return [c.reason for c in commands if isinstance(c, Rejected)]


def one_queue(strategy: str = "longest_idle", agents: dict[str, dict[str, int]] | None = None,
              **queue: Any) -> dict[str, Any]:
    """A hotline "main" whose default queue "q" needs skill "s"."""
    agents = agents or {"a1": {"s": 1}, "a2": {"s": 1}, "a3": {"s": 1}}
    return {
        "queues": [{"name": "q", "skill": "s", "strategy": strategy, **queue}],
        "agents": [{"id": k, "skills": v} for k, v in agents.items()],
        "hotlines": [{"name": "main", "default_queue": "q", "ring_timeout_s": 20}],
    }
