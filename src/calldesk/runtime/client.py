"""How web processes reach the one routing runtime (R-OPS-2).

Embedded (no CALLDESK_ROUTING_INBOX=redis): the runtime lives in this process; items go to
its queue, and it starts at first use. Scaled out: items go into a Redis stream that
`calldesk router` reads; web processes never route.
"""

from __future__ import annotations

from django.conf import settings

from calldesk.runtime import messages, service
from calldesk.runtime.core import Item

_redis = None


def uses_redis() -> bool:
    return getattr(settings, "CALLDESK_ROUTING_INBOX", "local") == "redis"


async def asubmit(item: Item) -> None:
    if uses_redis():
        global _redis
        import redis.asyncio as aioredis

        if _redis is None:
            _redis = aioredis.from_url(settings.REDIS_URL)
        try:
            await _redis.xadd(messages.inbox_stream(), {"item": messages.item_to_json(item)})
        except RuntimeError:  # the client was bound to a loop that has closed
            _redis = aioredis.from_url(settings.REDIS_URL)
            await _redis.xadd(messages.inbox_stream(), {"item": messages.item_to_json(item)})
        return
    runtime = await service.ensure_embedded()
    runtime.submit(item)


def submit(item: Item) -> None:
    """From synchronous code (views, the API)."""
    if uses_redis():
        import redis

        redis.from_url(settings.REDIS_URL).xadd(messages.inbox_stream(), {"item": messages.item_to_json(item)})
        return
    runtime = service.get_embedded()
    if runtime is None:
        raise RuntimeError("the routing runtime is not running in this process")
    runtime.submit_threadsafe(item)
