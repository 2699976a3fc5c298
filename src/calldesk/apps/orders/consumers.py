"""The manager's order list, live (R-ORD-1): each placed order is pushed as a table row that
htmx's ws extension puts at the top of the list."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.template.loader import render_to_string

from calldesk.apps.accounts.roles import Role

from .events import manager_group
from .models import Order


def render_live_row(order_id: int) -> str:
    order = Order.objects.select_related("customer").filter(pk=order_id).first()
    if order is None:
        return ""
    return render_to_string("orders/_live_row.html", {"o": order})


class ManagerOrdersConsumer(AsyncWebsocketConsumer):
    group: str | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or getattr(user, "role", None) != Role.ACCOUNT_MANAGER:
            await self.close(code=4403)
            return
        self.group = manager_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        return None  # the list only listens

    async def order_placed(self, event: dict[str, Any]) -> None:
        html = await database_sync_to_async(render_live_row)(event["order_id"])
        if html:
            await self.send(text_data=html)
