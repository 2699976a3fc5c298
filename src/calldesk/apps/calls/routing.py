"""WebSocket routes of the live call screens."""

websocket_urlpatterns: list[object] = []
