"""The client portal's JSON API: a client user's own hotlines and spec versions only; another
company's ids answer 404, exactly like ids that do not exist."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.http import Http404, HttpRequest, JsonResponse
from django.utils import timezone
from ninja import Router

from calldesk.apps.accounts.roles import Role
from calldesk.apps.hotlines import services
from calldesk.apps.hotlines.api import refuse, version_json

from .selectors import (
    get_client_hotline,
    get_client_hotlines,
    get_client_version,
    get_client_versions,
)

router = Router()


def _check(request: HttpRequest) -> JsonResponse | None:
    if request.user.role != Role.CLIENT:  # type: ignore[union-attr]
        return refuse(403, "Only client users use the portal API.")
    return None


@router.get("/hotlines")
def hotlines(request: HttpRequest) -> Any:
    if denied := _check(request):
        return denied
    return [{"id": h.pk, "code": h.code, "name": h.name, "status": h.status} for h in get_client_hotlines(request.user)]


@router.get("/hotlines/{hotline_id}/versions")
def versions(request: HttpRequest, hotline_id: int) -> Any:
    if denied := _check(request):
        return denied
    try:
        get_client_hotline(request.user, hotline_id)
    except Http404:
        return refuse(404, "Not found.")
    rows = list(reversed(get_client_versions(request.user, hotline_id)))
    return [version_json(r.version, r.state) for r in services.get_version_rows(rows)]


@router.get("/hotlines/{hotline_id}/diff")
def diff(request: HttpRequest, hotline_id: int, a: int, b: int) -> Any:
    if denied := _check(request):
        return denied
    try:
        old = get_client_version(request.user, hotline_id, a) if a else None
        new = get_client_version(request.user, hotline_id, b)
    except Http404:
        return refuse(404, "Not found.")
    return [{"kind": c.kind.value, "path": c.path, "before": c.before, "after": c.after} for c in services.get_diff(old, new)]


def _decide(request: HttpRequest, hotline_id: int, number: int, approve: bool) -> Any:
    if denied := _check(request):
        return denied
    try:
        get_client_version(request.user, hotline_id, number)
    except Http404:
        return refuse(404, "Not found.")
    try:
        body = json.loads(request.body or b"{}")
        comment = str(body.get("comment", ""))
        effective = body.get("effective_from")
        effective_from = dt.datetime.fromisoformat(effective) if effective else None
        if effective_from is not None and timezone.is_naive(effective_from):
            raise ValueError
    except (ValueError, AttributeError, TypeError):
        return refuse(400, "Send {\"comment\": str, \"effective_from\": ISO datetime with offset} as JSON.",
                      [{"path": "effective_from", "code": "INVALID", "message": "Expected an ISO 8601 datetime with a UTC offset."}])
    try:
        if approve:
            version = services.approve_version(hotline_id=hotline_id, number=number, user=request.user,
                                               effective_from=effective_from, comment=comment)
        else:
            version = services.reject_version(hotline_id=hotline_id, number=number, user=request.user, comment=comment)
    except services.HotlineError as exc:
        return refuse(exc.status, exc.detail, exc.errors)
    return version_json(version, None)


@router.post("/hotlines/{hotline_id}/versions/{number}/approve")
def approve(request: HttpRequest, hotline_id: int, number: int) -> Any:
    return _decide(request, hotline_id, number, approve=True)


@router.post("/hotlines/{hotline_id}/versions/{number}/reject")
def reject(request: HttpRequest, hotline_id: int, number: int) -> Any:
    return _decide(request, hotline_id, number, approve=False)
