"""Reads for the client portal. Every query is scoped to the user's own company: the scope is
applied here, once, so no portal view can forget it."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from calldesk.apps.hotlines.models import Hotline, SpecVersion


def get_client_hotlines(user: object) -> QuerySet[Hotline]:
    return Hotline.objects.filter(client_id=user.client_id).select_related("client")  # type: ignore[attr-defined]


def get_client_hotline(user: object, hotline_id: int) -> Hotline:
    # Another client's hotline is indistinguishable from one that does not exist: 404.
    return get_object_or_404(get_client_hotlines(user), pk=hotline_id)


def get_client_versions(user: object, hotline_id: int) -> QuerySet[SpecVersion]:
    """A client's versions of one of its hotlines; drafts are the contact center's work in
    progress and stay out of the portal."""
    return (
        SpecVersion.objects.filter(hotline__client_id=user.client_id, hotline_id=hotline_id)  # type: ignore[attr-defined]
        .exclude(status=SpecVersion.Status.DRAFT)
        .order_by("-number")
    )


def get_client_version(user: object, hotline_id: int, number: int) -> SpecVersion:
    return get_object_or_404(get_client_versions(user, hotline_id), number=number)


def get_client_pending_versions(user: object) -> QuerySet[SpecVersion]:
    return (
        SpecVersion.objects.filter(hotline__client_id=user.client_id, status=SpecVersion.Status.PROPOSED)  # type: ignore[attr-defined]
        .select_related("hotline")
        .order_by("hotline__name", "-number")
    )
