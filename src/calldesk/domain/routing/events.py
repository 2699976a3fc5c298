"""Events the router consumes. Each carries `at`: float seconds since the runtime's epoch.

Events are stored before the router acts on them; `event_to_dict` / `event_from_dict` give a
JSON-safe form so the stored list can be replayed into an identical router.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from calldesk.domain.routing.agents import AgentState
from calldesk.domain.routing.config import Caller, Target


@dataclass(frozen=True, slots=True)
class AgentConfigured:
    """Registers an agent or changes the skills of an offline one."""

    at: float
    agent_id: str
    skills: tuple[tuple[str, int], ...] = ()
    name: str = ""


@dataclass(frozen=True, slots=True)
class AgentStateRequested:
    """The agent (or a supervisor) asks for a state; `when_free` defers it past the call."""

    at: float
    agent_id: str
    target: AgentState
    reason: str = ""
    when_free: bool = False


@dataclass(frozen=True, slots=True)
class CallOffered:
    at: float
    call_id: str
    hotline: str
    caller: Caller = Caller()
    priority: int = 0


@dataclass(frozen=True, slots=True)
class AgentAnswered:
    at: float
    call_id: str
    agent_id: str


@dataclass(frozen=True, slots=True)
class AgentDeclined:
    at: float
    call_id: str
    agent_id: str


@dataclass(frozen=True, slots=True)
class CallEnded:
    """The caller (or the agent) hung up. Before an answer this is an abandonment."""

    at: float
    call_id: str


@dataclass(frozen=True, slots=True)
class CallerChose:
    """After the closed / no-agent message: choice is "voicemail" or "callback"."""

    at: float
    call_id: str
    choice: str
    number: str = ""


@dataclass(frozen=True, slots=True)
class CallbackRequested:
    """While waiting, the caller asks to be called back and keeps the place in the queue."""

    at: float
    call_id: str
    number: str = ""


@dataclass(frozen=True, slots=True)
class CallHeld:
    at: float
    call_id: str
    agent_id: str


@dataclass(frozen=True, slots=True)
class CallResumed:
    at: float
    call_id: str
    agent_id: str


@dataclass(frozen=True, slots=True)
class BlindTransferred:
    at: float
    call_id: str
    agent_id: str
    target: Target


@dataclass(frozen=True, slots=True)
class ConsultStarted:
    """The agent puts the caller on hold and rings a colleague (attended transfer/conference)."""

    at: float
    call_id: str
    agent_id: str
    target_agent: str


@dataclass(frozen=True, slots=True)
class ConsultEnded:
    """The consultation is dropped; the colleague goes back to ready."""

    at: float
    call_id: str
    agent_id: str


@dataclass(frozen=True, slots=True)
class TransferCompleted:
    """Attended transfer: the consulting agent leaves, the colleague keeps the caller."""

    at: float
    call_id: str
    agent_id: str


@dataclass(frozen=True, slots=True)
class ConferenceStarted:
    """Three-way conference: caller, agent and the consulted colleague."""

    at: float
    call_id: str
    agent_id: str


@dataclass(frozen=True, slots=True)
class ParticipantLeft:
    """An agent leaves a conference; the call continues with the others."""

    at: float
    call_id: str
    agent_id: str


@dataclass(frozen=True, slots=True)
class HotlineOverride:
    """Force a hotline open (True) or closed (False); None returns to its opening hours."""

    at: float
    hotline: str
    open: bool | None


@dataclass(frozen=True, slots=True)
class Tick:
    """Time passed: fires due ring timeouts, wrap-up ends, overflows and announcements."""

    at: float


Event = (
    AgentConfigured
    | AgentStateRequested
    | CallOffered
    | AgentAnswered
    | AgentDeclined
    | CallEnded
    | CallerChose
    | CallbackRequested
    | CallHeld
    | CallResumed
    | BlindTransferred
    | ConsultStarted
    | ConsultEnded
    | TransferCompleted
    | ConferenceStarted
    | ParticipantLeft
    | HotlineOverride
    | Tick
)

EVENT_TYPES: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (
        AgentConfigured,
        AgentStateRequested,
        CallOffered,
        AgentAnswered,
        AgentDeclined,
        CallEnded,
        CallerChose,
        CallbackRequested,
        CallHeld,
        CallResumed,
        BlindTransferred,
        ConsultStarted,
        ConsultEnded,
        TransferCompleted,
        ConferenceStarted,
        ParticipantLeft,
        HotlineOverride,
        Tick,
    )
}


def event_to_dict(event: Event) -> dict[str, Any]:
    """A JSON-safe dict with a "type" key; the inverse of event_from_dict."""
    data: dict[str, Any] = {"type": type(event).__name__}
    for item in dataclasses.fields(event):
        value = getattr(event, item.name)
        if isinstance(value, Caller):
            value = {"number": value.number, "attributes": dict(value.attributes)}
        elif isinstance(value, Target):
            value = dataclasses.asdict(value)
        elif isinstance(value, AgentState):
            value = value.value
        elif item.name == "skills":
            value = [list(pair) for pair in value]
        data[item.name] = value
    return data


def event_from_dict(data: Mapping[str, Any]) -> Event:
    """Rebuild an event stored by event_to_dict; ValueError on unknown types or fields."""
    cls = EVENT_TYPES.get(str(data.get("type")))
    if cls is None:
        raise ValueError(f"unknown event type {data.get('type')!r}")
    values: dict[str, Any] = {}
    for item in dataclasses.fields(cls):
        if item.name not in data:
            continue
        value = data[item.name]
        if item.name == "caller":
            value = Caller(
                number=str(value.get("number", "")),
                attributes=tuple(sorted((str(k), str(v)) for k, v in value["attributes"].items())),
            )
        elif item.name == "target" and cls is BlindTransferred:
            value = Target(**value)
        elif item.name == "target":
            value = AgentState(value)
        elif item.name == "skills":
            value = tuple((str(skill), int(level)) for skill, level in value)
        elif item.name == "at":
            value = float(value)
        values[item.name] = value
    try:
        event: Event = cls(**values)
    except TypeError as error:
        raise ValueError(f"bad {cls.__name__}: {error}") from error
    return event
