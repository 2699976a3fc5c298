"""`calldesk router`: the routing runtime as its own process (ADR 0005)."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from pathlib import Path

from django.conf import settings

from calldesk.runtime import service
from calldesk.telephony.simulator import SimulatorSettings


def load_simulator_json(path: str) -> SimulatorSettings:
    data = json.loads(Path(path).read_text())
    data["agents"] = tuple(str(a) for a in data.get("agents", ()))
    data["intents"] = tuple((str(n), float(w)) for n, w in data.get("intents", (("order", 1.0),)))
    return SimulatorSettings(**data)


async def run_router(*, simulate_json: str | None = None, until_idle: bool = False) -> int:
    redis_url = settings.REDIS_URL if settings.CALLDESK_ROUTING_INBOX == "redis" else ""
    sim = load_simulator_json(simulate_json) if simulate_json else service.simulator_settings_from_env()
    runtime = service.RoutingService(simulator=sim, redis_url=redis_url)
    service.install(runtime)
    task = runtime.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await runtime.ready.wait()
    print(f"routing runtime ready: run {runtime.recovery.run_id}, replayed {runtime.recovery.replayed}, "
          f"re-applied {runtime.recovery.reapplied}, inbox {'redis' if redis_url else 'local'}", flush=True)
    while not stop.is_set() and not task.done():
        await asyncio.sleep(0.1)
        if until_idle and _idle(runtime):
            break
    await runtime.stop()
    if task.done() and not task.cancelled() and task.exception() is not None:
        print(f"routing runtime failed: {task.exception()!r}", file=sys.stderr)
        return 1
    return 0


def _idle(runtime: service.RoutingService) -> bool:
    sim = runtime.simulator
    limit = sim.settings.max_calls if sim is not None else None
    router = runtime.core.router
    return (
        sim is not None and limit is not None and sim.offered >= limit
        and router is not None and not router.live_call_ids() and runtime._queue.empty()
    )
