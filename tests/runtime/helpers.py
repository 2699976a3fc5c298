"""Shared set-up for routing runtime tests: a hotline with fast routing and some agents."""

from __future__ import annotations

from typing import Any

FAST_HOTLINE: dict[str, Any] = {
    "hotline": {"default_queue": "q", "ring_timeout_s": 0.5, "wrap_up_s": 0.1, "options": ["voicemail", "callback"]},
    "queues": [{"name": "q", "skill": "hl-a-line", "wrap_up_s": 0.1, "max_wait_s": 1.5}],
}


def make_agents(n: int, prefix: str = "agent") -> list[Any]:
    from calldesk.apps.accounts.roles import Role
    from tests.conftest import make_user

    return [make_user(f"{prefix}{i}", Role.OPERATOR) for i in range(1, n + 1)]


def route_hotline(hotline: Any, config: dict[str, Any] | None = None) -> None:
    from calldesk.apps.calls.services import set_hotline_routing

    set_hotline_routing(hotline, config or FAST_HOTLINE)
