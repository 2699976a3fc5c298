"""The JSON API (django-ninja). /api/docs shows the OpenAPI schema.

Each app that has an `api.py` with a `router` is mounted under /api/<app>/, so adding an
endpoint never means editing this file.
"""

import importlib

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import django_auth

api = NinjaAPI(
    title="Calldesk API",
    version="1",
    auth=django_auth,
    urls_namespace="api",
)

API_APPS = ("customers", "catalog", "orders", "hotlines", "clients", "calls", "workforce")

for _app in API_APPS:
    try:
        _module = importlib.import_module(f"calldesk.apps.{_app}.api")
    except ModuleNotFoundError as exc:
        if exc.name != f"calldesk.apps.{_app}.api":
            raise
        continue
    api.add_router(f"/{_app}/", _module.router, tags=[_app])


@api.get("/health", auth=None, tags=["system"])
def health(request: HttpRequest) -> dict[str, str]:
    return {"status": "ok"}
