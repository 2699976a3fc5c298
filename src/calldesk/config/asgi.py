"""ASGI entry point: HTTP through Django, WebSockets through Channels."""

import os
import warnings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "calldesk.config.settings.base")

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.core.asgi import get_asgi_application  # noqa: E402

# WhiteNoise hands static files to Django as a sync iterator; under ASGI that is correct,
# only slower, and static files are a small share of the traffic.
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous iterators")

django_asgi_app = get_asgi_application()

from calldesk.config.routing import websocket_urlpatterns  # noqa: E402


async def lifespan(scope: dict, receive: object, send: object) -> None:
    """Starts the embedded routing runtime with the server (not when routing is scaled out)."""
    from calldesk.runtime import client, service

    while True:
        message = await receive()  # type: ignore[operator]
        if message["type"] == "lifespan.startup":
            if not client.uses_redis():
                await service.ensure_embedded()
            await send({"type": "lifespan.startup.complete"})  # type: ignore[operator]
        elif message["type"] == "lifespan.shutdown":
            runtime = service.get_embedded()
            if runtime is not None:
                await runtime.stop()
            await send({"type": "lifespan.shutdown.complete"})  # type: ignore[operator]
            return


application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "lifespan": lifespan,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
