"""Commands the router emits for the telephony adapter, the UI and the call log."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from calldesk.domain.routing.agents import AgentState


class Outcome(StrEnum):
    """Every offered call ends in exactly one of these (R-HL-5: nothing is lost)."""

    ANSWERED = "answered"
    ABANDONED = "abandoned"
    VOICEMAIL = "voicemail"
    CALLBACK = "callback"


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    at: float
    kind: str
    agent_id: str = ""
    detail: str = ""


@dataclass(frozen=True, slots=True)
class RingAgent:
    """Ring `agent_id` for `call_id`; kind is "call", "callback" or "consult"."""

    call_id: str
    agent_id: str
    timeout_s: float
    kind: str = "call"


@dataclass(frozen=True, slots=True)
class StopRinging:
    call_id: str
    agent_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class ConnectCall:
    """Bridge the agent to the call; leg is "caller" or "consult"."""

    call_id: str
    agent_id: str
    leg: str = "caller"


@dataclass(frozen=True, slots=True)
class DialCallback:
    """The agent accepted a queued callback: dial the customer for them."""

    call_id: str
    agent_id: str
    number: str


@dataclass(frozen=True, slots=True)
class StartConference:
    call_id: str
    agent_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AnnouncePosition:
    """Tell the waiting caller the position (1 = next) and an expected wait estimate."""

    call_id: str
    queue: str
    position: int
    expected_wait_s: float


@dataclass(frozen=True, slots=True)
class PlayMessage:
    """Play the hotline's message (closed / no agent) and offer `options` to the caller."""

    call_id: str
    message: str
    options: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SendToVoicemail:
    call_id: str
    mailbox: str


@dataclass(frozen=True, slots=True)
class RegisterCallback:
    """Store a callback request. keeps_place: it stays in the queue at the caller's place."""

    call_id: str
    number: str
    keeps_place: bool


@dataclass(frozen=True, slots=True)
class AgentStateChanged:
    agent_id: str
    old: AgentState
    new: AgentState
    reason: str
    at: float


@dataclass(frozen=True, slots=True)
class CallFinished:
    """The call's final record, emitted once per offered call."""

    call_id: str
    hotline: str
    outcome: Outcome
    offered_at: float
    ended_at: float
    answered_at: float | None
    agent_id: str
    queue: str
    hold_s: float
    found_free_agent: bool
    timeline: tuple[TimelineEntry, ...]


@dataclass(frozen=True, slots=True)
class Rejected:
    """The event was refused and changed nothing; `reason` says why."""

    event_type: str
    reason: str


Command = (
    RingAgent
    | StopRinging
    | ConnectCall
    | DialCallback
    | StartConference
    | AnnouncePosition
    | PlayMessage
    | SendToVoicemail
    | RegisterCallback
    | AgentStateChanged
    | CallFinished
    | Rejected
)
