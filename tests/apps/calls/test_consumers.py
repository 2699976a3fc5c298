"""The live screens over WebSockets, against a running routing runtime (R-OPS-2).

Without REDIS_URL the runtime is in-process (embedded mode); with it, the consumers write to
the Redis stream and the runtime reads it, as `calldesk router` does (scaled-out mode).
Each test asserts which of the two paths it went through.
"""

from __future__ import annotations

import asyncio
import uuid

import pytest
from channels.routing import URLRouter

from calldesk.telephony.port import IncomingCall
from tests.apps.calls.ws import WebsocketCommunicator
from tests.runtime.helpers import route_hotline

CALL = "33333333-3333-4333-8333-333333333333"


@pytest.fixture
def isolated(settings):
    """Own stream and group names, so parallel test workers never see each other's messages."""
    from channels.layers import channel_layers
    from django.db import connections

    from calldesk.runtime import client

    # Threads (the runtime's worker, asgiref's pool) must not keep connections past a call:
    # PostgreSQL cannot drop the test database while they are open.
    database = connections.settings["default"]
    max_age = database.get("CONN_MAX_AGE", 0)
    database["CONN_MAX_AGE"] = 0
    tag = uuid.uuid4().hex[:12]
    settings.CALLDESK_ROUTING_STREAM = f"test:routing:{tag}"
    settings.CALLDESK_ROUTING_GROUP_PREFIX = f"t{tag}"
    channel_layers.backends = {}
    client._redis = None
    yield settings
    database["CONN_MAX_AGE"] = max_age
    if settings.REDIS_URL:
        import redis

        redis.from_url(settings.REDIS_URL).delete(settings.CALLDESK_ROUTING_STREAM)


async def _receive_until(comm, kind, timeout=10.0, **match):
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    seen = []
    while loop.time() < end:
        msg = await comm.receive_json_from(timeout=end - loop.time())
        seen.append(msg.get("type"))
        if msg.get("type") == kind and all(msg.get(k) == v for k, v in match.items()):
            return msg
    raise AssertionError(f"no {kind} {match}; saw {seen}")


async def _runtime(settings):
    from calldesk.runtime import client, service

    redis_url = settings.REDIS_URL if client.uses_redis() else ""
    runtime = service.RoutingService(redis_url=redis_url)
    service.install(runtime)
    runtime.start()
    await runtime.ready.wait()
    return runtime, bool(redis_url)


async def _stop(runtime):
    from calldesk.runtime import service

    await runtime.stop()
    service.install(None)


def _communicator(path, user):
    from calldesk.apps.calls.routing import websocket_urlpatterns

    comm = WebsocketCommunicator(URLRouter(websocket_urlpatterns), path)
    comm.scope["user"] = user
    return comm


@pytest.mark.django_db(transaction=True)
def test_operator_gets_the_call_with_the_card_before_answering(isolated, users, customer, hotline_a):
    # R-OPS-2: the caller's card pops as the call rings; answer, hold and end from the desk.
    from calldesk.apps.accounts.roles import Role
    from calldesk.apps.calls.models import AgentStateLog, Call
    from calldesk.runtime import client

    route_hotline(hotline_a)
    operator = users[Role.OPERATOR]

    async def scenario():
        runtime, via_redis = await _runtime(isolated)
        assert via_redis == bool(isolated.REDIS_URL) == client.uses_redis()
        desk = _communicator("/ws/calls/agent/", operator)
        try:
            assert (await desk.connect())[0]
            sync = await _receive_until(desk, "agent.sync")
            assert sync["state"] == "offline"
            await desk.send_json_to({"action": "ready"})
            await _receive_until(desk, "agent.state", state="ready")
            runtime.submit(IncomingCall(CALL, "a-line", "8 (495) 123-45-67", "order"))
            offer = await _receive_until(desk, "call.offer")
            assert offer["call"]["call_id"] == CALL and customer.legal_name in offer["card_html"]
            await desk.send_json_to({"action": "answer"})
            await _receive_until(desk, "agent.state", state="talking")
            await desk.send_json_to({"action": "hold"})
            await _receive_until(desk, "agent.state", state="on_hold")
            await desk.send_json_to({"action": "break"})
            error = await _receive_until(desk, "agent.error")
            assert "reason" in error["reason"]
            await desk.send_json_to({"action": "end"})
            ended = await _receive_until(desk, "call.ended")
            assert ended["outcome"] == "answered"
        finally:
            await desk.disconnect()
            await _stop(runtime)

    asyncio.run(scenario())
    call = Call.objects.get(pk=CALL)
    assert call.customer == customer and call.operator == operator and call.outcome == "answered"
    assert [e["kind"] for e in call.timeline][:4] == ["offered", "ringing", "answered", "hold"]
    assert set(AgentStateLog.objects.filter(agent=operator).values_list("state", flat=True)) >= {
        "ready", "reserved", "talking", "on_hold"}


@pytest.mark.django_db(transaction=True)
def test_wallboard_shows_queue_and_agent_states_live(isolated, users, customer, hotline_a):
    # R-OPS-2: heads see queues and agents by state as events happen, with the SL definition.
    from calldesk.apps.accounts.roles import Role

    route_hotline(hotline_a)
    operator = users[Role.OPERATOR]

    async def scenario():
        runtime, _ = await _runtime(isolated)
        board = _communicator("/ws/calls/wallboard/", users[Role.CC_HEAD])
        refused = _communicator("/ws/calls/wallboard/", operator)
        try:
            assert (await board.connect())[0]
            assert not (await refused.connect())[0]
            first = await _receive_until(board, "wallboard")
            assert [h["code"] for h in first["hotlines"]] == ["a-line"]
            assert "answered within 20 s" in first["stats"]["a-line"]["service_level_definition"]
            from calldesk.domain import routing as dom

            runtime.submit(dom.AgentStateRequested(0, str(operator.pk), dom.AgentState.BREAK, "lunch"))
            runtime.submit(dom.AgentStateRequested(0, str(operator.pk), dom.AgentState.READY))
            runtime.submit(IncomingCall(CALL, "a-line", "+74951234567", "order"))
            runtime.submit(IncomingCall(CALL.replace("3", "4"), "a-line", "+74951234567", "order"))
            while True:  # pushes coalesce; wait for the one that shows both calls
                state = await _receive_until(board, "wallboard")
                agents = {a["id"]: a for a in state["agents"]}
                if state["hotlines"][0]["waiting"] == 1 and state["hotlines"][0]["ringing"] == 1:
                    break
            assert agents[str(operator.pk)]["state"] == "reserved"
            assert state["hotlines"][0]["queues"][0]["agents"] == {"reserved": 1}
            assert state["hotlines"][0]["queues"][0]["waiting"] == 1
        finally:
            await board.disconnect()
            await _stop(runtime)

    asyncio.run(scenario())
