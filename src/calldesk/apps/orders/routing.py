"""WebSocket routes of the order desk; config/routing.py adds them to the live screens."""

from django.urls import path

from .consumers import ManagerOrdersConsumer

websocket_urlpatterns = [
    path("ws/orders/manager/", ManagerOrdersConsumer.as_asgi()),
]
