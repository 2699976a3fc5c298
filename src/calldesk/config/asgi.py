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

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
