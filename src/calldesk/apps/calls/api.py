"""JSON API of the routing runtime: offer a test call (demos, drills) and read the live state.

Refusals are 4xx JSON with `detail`.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest, JsonResponse
from ninja import Router, Schema

from calldesk.apps.accounts.roles import Role
from calldesk.apps.hotlines.models import Hotline
from calldesk.runtime import client
from calldesk.telephony.port import IncomingCall

router = Router()
HEADS = {Role.CC_HEAD, Role.ADMIN}


class OfferIn(Schema):
    hotline: str
    number: str = ""
    intent: str = "order"


@router.post("/offer", response={202: dict[str, Any], 400: dict[str, Any], 403: dict[str, Any], 503: dict[str, Any]})
def offer_call(request: HttpRequest, payload: OfferIn) -> Any:
    """Ring a test call into a hotline, as if a caller dialled it from `number`."""
    if request.user.role not in HEADS:  # type: ignore[union-attr]
        return JsonResponse({"detail": "Only the head of the contact center may offer test calls."}, status=403)
    if not Hotline.objects.filter(code=payload.hotline).exists():
        return JsonResponse({"detail": f"Unknown hotline {payload.hotline!r}."}, status=400)
    call_id = str(uuid.uuid4())
    try:
        client.submit(IncomingCall(call_id, payload.hotline, payload.number[:20], payload.intent[:40]))
    except RuntimeError as error:
        return JsonResponse({"detail": str(error)}, status=503)
    return 202, {"call_id": call_id}
