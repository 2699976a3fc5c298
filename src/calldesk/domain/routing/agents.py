"""Agent state machine (R-OPS-2).

Time is a float of seconds since an epoch chosen by the caller (the runtime uses Unix time,
the simulator uses 0.0 at the start of the run). It is always passed in, never read.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum


class AgentState(StrEnum):
    OFFLINE = "offline"
    READY = "ready"
    RESERVED = "reserved"  # a call is ringing at the agent's phone
    TALKING = "talking"
    ON_HOLD = "on_hold"
    WRAP_UP = "wrap_up"
    BREAK = "break"
    TRAINING = "training"
    OUTBOUND = "outbound"
    NOT_READY = "not_ready"


S = AgentState

# Transitions the router itself may make; agents may request only the subset in
# REQUESTABLE_STATES (ringing, talking, hold and wrap-up follow call events).
_ALLOWED: dict[AgentState, frozenset[AgentState]] = {
    S.OFFLINE: frozenset({S.READY, S.NOT_READY}),
    S.READY: frozenset({S.RESERVED, S.NOT_READY, S.BREAK, S.TRAINING, S.OUTBOUND, S.OFFLINE}),
    S.RESERVED: frozenset({S.TALKING, S.NOT_READY, S.READY, S.OFFLINE}),
    S.TALKING: frozenset({S.ON_HOLD, S.WRAP_UP, S.READY}),
    S.ON_HOLD: frozenset({S.TALKING, S.WRAP_UP, S.READY}),
    S.WRAP_UP: frozenset({S.READY, S.NOT_READY, S.BREAK, S.TRAINING, S.OUTBOUND, S.OFFLINE}),
    S.BREAK: frozenset({S.READY, S.NOT_READY, S.OFFLINE}),
    S.TRAINING: frozenset({S.READY, S.NOT_READY, S.OFFLINE}),
    S.OUTBOUND: frozenset({S.READY, S.NOT_READY, S.BREAK, S.OFFLINE}),
    S.NOT_READY: frozenset(
        {S.READY, S.NOT_READY, S.BREAK, S.TRAINING, S.OUTBOUND, S.OFFLINE}
    ),
}

REQUESTABLE_STATES: frozenset[AgentState] = frozenset(
    {S.READY, S.NOT_READY, S.BREAK, S.TRAINING, S.OUTBOUND, S.OFFLINE}
)
# States in which an agent counts as present for a queue: ready or busy with a call.
PRESENT_STATES: frozenset[AgentState] = frozenset(
    {S.READY, S.RESERVED, S.TALKING, S.ON_HOLD, S.WRAP_UP}
)
BUSY_STATES: frozenset[AgentState] = frozenset({S.RESERVED, S.TALKING, S.ON_HOLD, S.WRAP_UP})
_REASON_REQUIRED: frozenset[AgentState] = frozenset({S.BREAK, S.NOT_READY})


class IllegalTransition(ValueError):
    """An agent state change that the state machine refuses; `reason` says why."""

    def __init__(self, current: AgentState, target: AgentState, reason: str) -> None:
        super().__init__(f"{current.value} -> {target.value} refused: {reason}")
        self.current = current
        self.target = target
        self.reason = reason


@dataclass(frozen=True, slots=True)
class AgentStatus:
    state: AgentState
    since: float
    reason: str = ""


def check_transition(current: AgentState, target: AgentState, reason: str = "") -> str | None:
    """Return why `current -> target` is refused, or None when it is legal."""
    if target not in _ALLOWED[current]:
        if current in (S.TALKING, S.ON_HOLD) and target in REQUESTABLE_STATES:
            return f"agent is {current.value}; request it for when the call ends"
        if current is S.RESERVED:
            return "a call is ringing; answer or let it time out first"
        return f"no transition from {current.value} to {target.value}"
    if target in _REASON_REQUIRED and not reason:
        return f"{target.value} needs a reason"
    return None


def check_request(current: AgentState, target: AgentState, reason: str = "") -> str | None:
    """Like check_transition, for a change the agent asks for (not a call event)."""
    if target not in REQUESTABLE_STATES:
        return f"{target.value} is entered by call events, not on request"
    if current in (S.RESERVED, S.TALKING, S.ON_HOLD):
        return f"agent is {current.value}; request it for when the call ends"
    return check_transition(current, target, reason)


def transition(status: AgentStatus, target: AgentState, at: float, reason: str = "") -> AgentStatus:
    """Apply one transition; raise IllegalTransition when it is refused."""
    refusal = check_transition(status.state, target, reason)
    if refusal is not None:
        raise IllegalTransition(status.state, target, refusal)
    return replace(status, state=target, since=at, reason=reason)
