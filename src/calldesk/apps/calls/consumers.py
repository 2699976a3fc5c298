"""Live call screens over WebSockets (R-OPS-2): the agent's desk and the wallboard.

The routing runtime pushes to the groups `calls.agent.<id>` and `calls.wallboard`; the
consumers add the caller's card (rendered here, before the call is answered) and forward
JSON to the browser. What an agent does (ready, break, answer, hold, transfer, end) goes to
the runtime as routing events; the runtime is the only one that decides.
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.template.loader import render_to_string
from django.utils import timezone, translation

from calldesk.domain import routing as dom
from calldesk.runtime import client
from calldesk.runtime.core import Control
from calldesk.runtime.service import agent_group, wallboard_group

from .access import DESK_ROLES, WALLBOARD_ROLES
from .selectors import agent_id_of

REQUESTS = {
    "ready": dom.AgentState.READY,
    "break": dom.AgentState.BREAK,
    "not_ready": dom.AgentState.NOT_READY,
    "offline": dom.AgentState.OFFLINE,
}


class _Live(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    roles: tuple[str, ...] = ()

    def allowed(self) -> bool:
        user = self.scope.get("user")
        return bool(user and user.is_authenticated and user.role in self.roles)

    def activate_language(self) -> None:
        language = getattr(self.scope.get("user"), "language", "") or ""
        cookies = self.scope.get("cookies", {})
        translation.activate(cookies.get("django_language") or language or "ru")


class AgentConsumer(_Live):
    """One agent's desk: offers with the caller's card, state and call controls."""

    roles = tuple(DESK_ROLES)

    async def connect(self) -> None:
        if not self.allowed():
            await self.close(code=4403)
            return
        self.agent_id = agent_id_of(self.scope["user"].pk)
        self.group = agent_group(self.agent_id)
        self.call: dict[str, Any] | None = None
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await client.asubmit(Control("sync_agent", self.agent_id))

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        event = self._event(content if isinstance(content, dict) else {})
        if isinstance(event, str):
            await self.send_json({"type": "agent.error", "reason": event})
            return
        await client.asubmit(event)

    def _event(self, data: dict[str, Any]) -> dom.Event | str:
        """The routing event for a browser action, or why there is none."""
        action = str(data.get("action", ""))
        now = timezone.now().timestamp()
        agent = self.agent_id
        call_id = str(data.get("call_id", "")) or (self.call or {}).get("call_id", "")
        if action in REQUESTS:
            reason = str(data.get("reason", "")).strip()[:60]
            if REQUESTS[action] in (dom.AgentState.BREAK, dom.AgentState.NOT_READY) and not reason:
                return "a break needs a reason"
            return dom.AgentStateRequested(now, agent, REQUESTS[action], reason, when_free=bool(data.get("when_free")))
        if not call_id:
            return "no call"
        if action == "answer":
            return dom.AgentAnswered(now, call_id, agent)
        if action == "decline":
            return dom.AgentDeclined(now, call_id, agent)
        if action == "hold":
            return dom.CallHeld(now, call_id, agent)
        if action == "resume":
            return dom.CallResumed(now, call_id, agent)
        if action == "end":
            return dom.CallEnded(now, call_id)
        if action == "transfer":
            to = str(data.get("to", ""))
            value = str(data.get("value", ""))
            if to == "manager":
                target = dom.Target("agent_attr", "manager")
            elif to == "queue" and value:
                target = dom.Target("queue", value)
            elif to == "agent" and value:
                target = dom.Target("agent", value)
            else:
                return "choose whom to transfer to"
            return dom.BlindTransferred(now, call_id, agent, target)
        return f"unknown action {action!r}"

    async def routing_message(self, message: dict[str, Any]) -> None:
        payload = dict(message["payload"])
        kind = payload.get("type")
        if kind in ("call.offer", "call.connected") or (kind == "agent.sync" and payload.get("call")):
            call = payload.get("call") or {}
            self.call = call
            payload["card_html"] = await self._card(call)
        elif kind in ("call.ended", "call.left", "call.stop") and (self.call or {}).get("call_id") == payload.get("call_id"):
            self.call = None
        await self.send_json(payload)

    @database_sync_to_async
    def _card(self, call: dict[str, Any]) -> str:
        from calldesk.apps.customers.models import Customer
        from calldesk.apps.customers.selectors import get_receivables

        self.activate_language()
        customer_id = str(call.get("customer", ""))
        customer = (
            Customer.objects.select_related("type", "manager", "department").filter(pk=int(customer_id)).first()
            if customer_id.isdigit() else None
        )
        receivables = get_receivables(customer.pk, timezone.localdate(), customer.grace_days) if customer else None
        return render_to_string("calls/_offer_card.html", {
            "customer": customer, "receivables": receivables, "call": call, "searched": True,
        })


class WallboardConsumer(_Live):
    """Queues, agents and today's figures, pushed by the runtime within a second (R-OPS-2)."""

    roles = tuple(WALLBOARD_ROLES)

    async def connect(self) -> None:
        if not self.allowed():
            await self.close(code=4403)
            return
        await self.channel_layer.group_add(wallboard_group(), self.channel_name)
        await self.accept()
        await client.asubmit(Control("sync_wallboard"))

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(wallboard_group(), self.channel_name)

    async def routing_message(self, message: dict[str, Any]) -> None:
        await self.send_json(message["payload"])
