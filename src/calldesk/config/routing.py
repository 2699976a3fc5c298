"""WebSocket routes of the live screens."""

from calldesk.apps.calls.routing import websocket_urlpatterns as calls_ws

websocket_urlpatterns = [*calls_ws]
