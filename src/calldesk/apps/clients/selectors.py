"""Reads for the client portal. Every query is scoped to the user's own company: the scope is
applied here, once, so no portal view can forget it."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from calldesk.apps.hotlines.models import Hotline


def get_client_hotlines(user: object) -> QuerySet[Hotline]:
    return Hotline.objects.filter(client_id=user.client_id).select_related("client")  # type: ignore[attr-defined]


def get_client_hotline(user: object, hotline_id: int) -> Hotline:
    # Another client's hotline is indistinguishable from one that does not exist: 404.
    return get_object_or_404(get_client_hotlines(user), pk=hotline_id)
