"""The JSON API (django-ninja). Each app adds its router here; /api/docs shows the schema."""

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import django_auth

api = NinjaAPI(
    title="Calldesk API",
    version="1",
    auth=django_auth,
    urls_namespace="api",
)


@api.get("/health", auth=None, tags=["system"])
def health(request: HttpRequest) -> dict[str, str]:
    return {"status": "ok"}
