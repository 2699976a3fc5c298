"""The telephony port: what the routing runtime asks of the phones, and what comes back.

An adapter (the `simulator` here; WebRTC and a PBX later) implements `TelephonyPort`. Calls
and answers come back through an `EventSink`: `offer` for a new inbound call (the runtime
identifies the caller before the router sees it), `emit` for everything else (answered,
declined, hung up, the caller's choice after a message).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from calldesk.domain import routing as dom


@dataclass(frozen=True, slots=True)
class IncomingCall:
    """A call arriving on a hotline's number, before the caller is identified."""

    call_id: str
    hotline: str
    number: str
    intent: str = ""
    priority: int = 0


class EventSink(Protocol):
    def offer(self, call: IncomingCall) -> None: ...

    def emit(self, event: dom.Event) -> None: ...


class TelephonyPort(Protocol):
    def ring(self, call_id: str, agent_id: str, timeout_s: float, kind: str) -> None: ...

    def stop_ringing(self, call_id: str, agent_id: str, reason: str) -> None: ...

    def bridge(self, call_id: str, agent_id: str, leg: str) -> None:
        """Connect the agent to the caller (leg "caller") or to a consulting colleague."""

    def dial(self, call_id: str, agent_id: str, number: str) -> None:
        """A callback: dial the customer for the agent."""

    def conference(self, call_id: str, agent_ids: Sequence[str]) -> None: ...

    def hold(self, call_id: str, agent_id: str) -> None: ...

    def resume(self, call_id: str, agent_id: str) -> None: ...

    def announce(self, call_id: str, position: int, expected_wait_s: float) -> None: ...

    def play_message(self, call_id: str, message: str, options: Sequence[str]) -> None: ...

    def record(self, call_id: str, mailbox: str) -> None:
        """Record a voicemail into `mailbox`."""

    def hang_up(self, call_id: str) -> None: ...

    def agent_state(self, agent_id: str, state: dom.AgentState) -> None:
        """The agent's presence changed (a PBX would set do-not-disturb, say)."""


def carry_out(port: TelephonyPort, event: dom.Event, commands: Sequence[dom.Command]) -> None:
    """Hand one routing step's decisions to the adapter, in the router's order."""
    rejected = any(isinstance(c, dom.Rejected) for c in commands)
    if not rejected and isinstance(event, dom.CallHeld):
        port.hold(event.call_id, event.agent_id)
    elif not rejected and isinstance(event, dom.CallResumed):
        port.resume(event.call_id, event.agent_id)
    for command in commands:
        if isinstance(command, dom.RingAgent):
            port.ring(command.call_id, command.agent_id, command.timeout_s, command.kind)
        elif isinstance(command, dom.StopRinging):
            port.stop_ringing(command.call_id, command.agent_id, command.reason)
        elif isinstance(command, dom.ConnectCall):
            port.bridge(command.call_id, command.agent_id, command.leg)
        elif isinstance(command, dom.DialCallback):
            port.dial(command.call_id, command.agent_id, command.number)
        elif isinstance(command, dom.StartConference):
            port.conference(command.call_id, command.agent_ids)
        elif isinstance(command, dom.AnnouncePosition):
            port.announce(command.call_id, command.position, command.expected_wait_s)
        elif isinstance(command, dom.PlayMessage):
            port.play_message(command.call_id, command.message, command.options)
        elif isinstance(command, dom.SendToVoicemail):
            port.record(command.call_id, command.mailbox)
        elif isinstance(command, dom.CallFinished):
            port.hang_up(command.call_id)
        elif isinstance(command, dom.AgentStateChanged):
            port.agent_state(command.agent_id, command.new)
