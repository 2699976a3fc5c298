"""WebSocket routes of the live call screens."""

from django.urls import path

from .consumers import AgentConsumer, WallboardConsumer

websocket_urlpatterns: list[object] = [
    path("ws/calls/agent/", AgentConsumer.as_asgi()),
    path("ws/calls/wallboard/", WallboardConsumer.as_asgi()),
]
