"""Live events of the order desk, published through the Channels layer after commit."""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

ORDER_PLACED = "order.placed"


def manager_group(user_id: int) -> str:
    return f"manager-{user_id}"


def publish_order_placed(*, manager_id: int | None, order_id: int, number: str, customer: str, total: str, channel: str) -> None:
    """Tell the customer's manager at once (R-ORD-1). A dead channel layer must not undo an
    order that is already committed, so failures are logged, not raised."""
    if manager_id is None:
        return
    layer = get_channel_layer()
    if layer is None:
        return
    message = {
        "type": ORDER_PLACED, "order_id": order_id, "number": number,
        "customer": customer, "total": total, "channel": channel,
    }
    try:
        async_to_sync(layer.group_send)(manager_group(manager_id), message)
    except Exception:  # pragma: no cover - depends on the layer backend being down
        logger.exception("could not publish order.placed for order %s", order_id)
