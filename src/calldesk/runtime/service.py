"""The routing runtime as an asyncio service (R-OPS-2): one authority, one inbox.

Items (events, incoming calls, screen requests) arrive in an in-process asyncio queue: from
the simulator adapter, from WebSocket consumers in the same process (embedded), or from a
Redis stream that web processes write to (scaled out: `calldesk router`). One worker thread
runs the synchronous core (store -> decide -> save effects); the loop then hands the
commands to the telephony adapter and pushes screen updates through the Channels layer.
Between items it waits for the router's next deadline and sends a Tick then.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from channels.layers import get_channel_layer
from django.conf import settings
from django.db import close_old_connections, connections

from calldesk.domain import routing as dom
from calldesk.runtime import messages
from calldesk.runtime.core import Control, Item, RoutingCore, Step
from calldesk.telephony.port import IncomingCall, carry_out
from calldesk.telephony.simulator import LoopScheduler, SimulatorAdapter, SimulatorSettings

log = logging.getLogger(__name__)
T = TypeVar("T")
PUBLISH_EVERY_S = 0.25


def _prefix() -> str:
    return str(getattr(settings, "CALLDESK_ROUTING_GROUP_PREFIX", "calls"))


def wallboard_group() -> str:
    return f"{_prefix()}.wallboard"


def agent_group(agent_id: str) -> str:
    return f"{_prefix()}.agent.{agent_id}"


class RoutingService:
    def __init__(
        self,
        *,
        core: RoutingCore | None = None,
        simulator: SimulatorSettings | Callable[[], SimulatorSettings | None] | None = None,
        redis_url: str = "",
        publish: bool = True,
    ) -> None:
        self.core = core or RoutingCore()
        self._simulator_settings = simulator
        self.simulator: SimulatorAdapter | None = None
        self._redis_url = redis_url
        self._publish = publish
        self._queue: asyncio.Queue[Item] = asyncio.Queue()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="routing")
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: list[asyncio.Task[Any]] = []
        self._wallboard_dirty = False
        self._last_wallboard = 0.0
        self._stats: dict[str, Any] = {}
        self._stats_stale = True
        self.ready = asyncio.Event()
        self.processed = 0
        self.recovery: Any = None

    # feeding ------------------------------------------------------------------------------

    def offer(self, call: IncomingCall) -> None:
        self._queue.put_nowait(call)

    def emit(self, event: dom.Event) -> None:
        self._queue.put_nowait(event)

    def submit(self, item: Item) -> None:
        """From the loop's own thread (consumers, the simulator)."""
        self._queue.put_nowait(item)

    def submit_threadsafe(self, item: Item) -> None:
        assert self._loop is not None
        self._loop.call_soon_threadsafe(self._queue.put_nowait, item)

    # running ------------------------------------------------------------------------------

    async def _sync(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, fn, *args)

    def start(self) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(self.run(), name="routing-runtime")
        self._tasks.append(task)
        return task

    async def run(self) -> None:
        self._loop = asyncio.get_running_loop()
        self.recovery = await self._sync(self.core.start)
        log.warning("routing runtime: run %s, %s events replayed, %s effects re-applied",
                    self.recovery.run_id, self.recovery.replayed, self.recovery.reapplied)
        sim = self._simulator_settings
        if callable(sim):
            sim = await self._sync(sim)
        if sim is not None:
            self.simulator = SimulatorAdapter(sim, LoopScheduler(self._loop), self)
            views = await self._sync(self._views_for_simulator)
            self.simulator.start(*views)
        if self._redis_url:
            self._tasks.append(self._loop.create_task(self._read_redis(), name="routing-redis-inbox"))
        self.ready.set()
        try:
            await self._loop_forever()
        finally:
            await self._sync(connections.close_all)

    def _views_for_simulator(self) -> tuple[Any, ...]:
        router = self.core.router
        assert router is not None and self.core.config is not None
        snap = router.snapshot()
        options = {h.name: h.options for h in self.core.config.hotlines}
        return snap.agents, snap.calls, dict(self.core.calls), options

    async def _loop_forever(self) -> None:
        while True:
            deadline = self.core.next_deadline()
            timeout = None if deadline is None else max(0.0, deadline - time.time())
            try:
                item: Item = await asyncio.wait_for(self._queue.get(), timeout)
            except TimeoutError:
                assert deadline is not None
                item = dom.Tick(deadline)
            await self.handle(item)

    async def handle(self, item: Item) -> Step:
        try:
            step = await self._sync(self._process, item)
        except Exception:  # a bad item must not stop the one router everyone depends on
            log.exception("routing runtime: item %r failed", item)
            return Step(None)
        self.processed += 1
        if step.event is not None:
            if self.simulator is not None:
                carry_out(self.simulator, step.event, step.commands)
            if self._publish:
                await self._publish_step(step)
        elif step.control is not None and self._publish:
            await self._answer_control(step.control)
        return step

    def _process(self, item: Item) -> Step:
        close_old_connections()
        step = self.core.process(item)
        if any(isinstance(c, dom.CallFinished) for c in step.commands):
            self._stats_stale = True
        return step

    async def stop(self) -> None:
        if self.simulator is not None:
            self.simulator.stop()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._executor.shutdown(wait=True)

    # Redis inbox (scaled out) -------------------------------------------------------------

    async def _read_redis(self) -> None:
        import redis.asyncio as aioredis

        client = aioredis.from_url(self._redis_url)
        stream, group = messages.inbox_stream(), "router"
        with contextlib.suppress(Exception):
            await client.xgroup_create(stream, group, id="0", mkstream=True)
        # Pending first: what a crashed router had read but not yet stored.
        last = "0"
        try:
            while True:
                reply = await client.xreadgroup(group, "router-1", {stream: last}, count=100, block=1000)
                entries = reply[0][1] if reply else []
                if last == "0" and not entries:
                    last = ">"
                    continue
                for entry_id, fields in entries:
                    try:
                        item = messages.item_from_json(fields[b"item"])
                    except (KeyError, ValueError) as error:
                        log.warning("routing runtime: bad inbox entry %s: %s", entry_id, error)
                    else:
                        await self.handle(item)
                    await client.xack(stream, group, entry_id)
        finally:
            await client.aclose()

    # screens ------------------------------------------------------------------------------

    async def _send(self, group: str, payload: dict[str, Any]) -> None:
        layer = get_channel_layer()
        if layer is not None:
            await layer.group_send(group, {"type": "routing.message", "payload": payload})

    async def _publish_step(self, step: Step) -> None:
        event = step.event
        core = self.core
        sends: list[Awaitable[None]] = []
        for command in step.commands:
            if isinstance(command, dom.AgentStateChanged):
                sends.append(self._send(agent_group(command.agent_id), {
                    "type": "agent.state", "state": command.new.value, "reason": command.reason, "since": command.at}))
            elif isinstance(command, dom.RingAgent):
                sends.append(self._send(agent_group(command.agent_id), {
                    "type": "call.offer", "kind": command.kind, "timeout_s": command.timeout_s,
                    "call": core.call_info(command.call_id)}))
            elif isinstance(command, dom.StopRinging):
                sends.append(self._send(agent_group(command.agent_id), {
                    "type": "call.stop", "call_id": command.call_id, "reason": command.reason}))
            elif isinstance(command, dom.ConnectCall | dom.DialCallback):
                sends.append(self._send(agent_group(command.agent_id), {
                    "type": "call.connected", "leg": getattr(command, "leg", "caller"),
                    "call": core.call_info(command.call_id)}))
            elif isinstance(command, dom.CallFinished):
                info = core.finished.get(command.call_id, {})
                for agent_id in info.get("agents", ()):
                    sends.append(self._send(agent_group(agent_id), {
                        "type": "call.ended", "call_id": command.call_id, "outcome": command.outcome.value}))
            elif isinstance(command, dom.Rejected):
                agent_id = getattr(event, "agent_id", "")
                if agent_id:
                    sends.append(self._send(agent_group(agent_id), {"type": "agent.error", "reason": command.reason}))
        if isinstance(event, dom.BlindTransferred | dom.TransferCompleted | dom.ParticipantLeft):
            if not any(isinstance(c, dom.Rejected) for c in step.commands):
                sends.append(self._send(agent_group(event.agent_id), {"type": "call.left", "call_id": event.call_id}))
        for send in sends:
            await send
        self._wallboard_dirty = True
        await self._maybe_publish_wallboard()

    async def _maybe_publish_wallboard(self) -> None:
        if not self._wallboard_dirty:
            return
        wait = self._last_wallboard + PUBLISH_EVERY_S - time.time()
        if wait > 0:
            assert self._loop is not None
            self._loop.call_later(wait, lambda: self._loop.create_task(self._maybe_publish_wallboard()))  # type: ignore[union-attr]
            return
        self._wallboard_dirty = False
        self._last_wallboard = time.time()
        await self._send(wallboard_group(), await self._sync(self._wallboard))

    def _wallboard(self) -> dict[str, Any]:
        from calldesk.apps.calls.selectors import get_wallboard_stats

        state = self.core.wallboard_state()
        if self._stats_stale:
            close_old_connections()
            self._stats = get_wallboard_stats([h["code"] for h in state["hotlines"]])
            self._stats_stale = False
        state["type"] = "wallboard"
        state["stats"] = self._stats
        return state

    async def _answer_control(self, control: Control) -> None:
        if control.kind == "sync_agent":
            view = await self._sync(self.core.agent_view, control.agent_id)
            await self._send(agent_group(control.agent_id), {"type": "agent.sync", **view})
        elif control.kind == "sync_wallboard":
            self._wallboard_dirty = True
            self._last_wallboard = 0.0
            await self._maybe_publish_wallboard()


# --- the embedded runtime: one per server process ---------------------------------------------

_embedded: RoutingService | None = None


def get_embedded() -> RoutingService | None:
    return _embedded


def install(service: RoutingService | None) -> None:
    """Make `service` the process's runtime (tests and `calldesk router` install their own)."""
    global _embedded
    _embedded = service


async def ensure_embedded() -> RoutingService:
    """The in-process runtime, started on the current loop at first use (embedded mode)."""
    global _embedded
    if _embedded is None:
        _embedded = RoutingService(simulator=simulator_settings_from_env())
        _embedded.start()
    return _embedded


def simulator_settings_from_env() -> Callable[[], SimulatorSettings | None] | None:
    """The demo's load when CALLDESK_SIMULATE is on; built on the worker thread (it reads the DB)."""
    if not getattr(settings, "CALLDESK_SIMULATE", False):
        return None
    from calldesk.runtime.demo import build_simulator_settings

    return build_simulator_settings
