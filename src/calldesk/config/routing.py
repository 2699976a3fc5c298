"""WebSocket routes of the live screens."""

from calldesk.apps.calls.routing import websocket_urlpatterns as calls_ws
from calldesk.apps.orders.routing import websocket_urlpatterns as orders_ws

websocket_urlpatterns = [*calls_ws, *orders_ws]
