"""Writing the audit log. Call `record` inside the transaction of the change it describes,
so the change and its audit record land or fail together."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .middleware import current_request
from .models import AuditEvent


def _client_address(request: HttpRequest) -> str | None:
    # Behind a proxy the production settings trust X-Forwarded-For's first hop only.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    address = forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR")
    return address or None


def record(
    *,
    action: str,
    actor: Any = None,
    target: Any = None,
    data: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    request = request or current_request.get()
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    event = AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=str(getattr(actor, "username", "") or (actor or "system"))[:150],
        action=action,
        data=data or {},
    )
    if target is not None:
        event.target_type = target._meta.label_lower if hasattr(target, "_meta") else type(target).__name__
        event.target_id = str(getattr(target, "pk", "") or "")
        event.target_repr = str(target)[:200]
    if request is not None:
        event.ip_address = _client_address(request)
        event.user_agent = request.META.get("HTTP_USER_AGENT", "")[:200]
    event.save()
    return event
