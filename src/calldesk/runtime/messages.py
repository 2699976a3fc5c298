"""Inbox items as JSON, for the Redis stream between web processes and `calldesk router`."""

from __future__ import annotations

import json
from typing import Any

from calldesk.domain import routing as dom
from calldesk.runtime.core import Control, Item
from calldesk.telephony.port import IncomingCall


def inbox_stream() -> str:
    from django.conf import settings

    return str(getattr(settings, "CALLDESK_ROUTING_STREAM", "calldesk:routing:inbox"))


def item_to_json(item: Item) -> str:
    data: dict[str, Any]
    if isinstance(item, Control):
        data = {"control": item.kind, "agent_id": item.agent_id}
    elif isinstance(item, IncomingCall):
        data = {"incoming": {"call_id": item.call_id, "hotline": item.hotline, "number": item.number,
                             "intent": item.intent, "priority": item.priority}}
    else:
        data = {"event": dom.event_to_dict(item)}
    return json.dumps(data)


def item_from_json(raw: str | bytes) -> Item:
    """Raise ValueError for anything that is not an inbox item."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ValueError(str(error)) from error
    if not isinstance(data, dict):
        raise ValueError("inbox item must be an object")
    if "control" in data:
        return Control(str(data["control"]), str(data.get("agent_id", "")))
    if "incoming" in data:
        values = data["incoming"]
        return IncomingCall(str(values["call_id"]), str(values["hotline"]), str(values.get("number", "")),
                            str(values.get("intent", "")), int(values.get("priority", 0)))
    if "event" in data:
        return dom.event_from_dict(data["event"])
    raise ValueError("inbox item has no control, incoming or event")
