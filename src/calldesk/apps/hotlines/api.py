"""JSON API of hotline specs for heads (CC_HEAD, ADMIN) and the call form for operators.

Refusals are 4xx JSON: {"detail": "...", "errors": [{"path"|"key", "code", "message"}]}.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest, JsonResponse
from ninja import Router

from calldesk.apps.accounts.roles import Role
from calldesk.apps.calls.models import Call

from . import knowledge, services
from .models import Hotline, SpecVersion
from .selectors import get_qualified_operator_ids

router = Router()
MANAGERS = {Role.CC_HEAD, Role.ADMIN}
CALL_TAKERS = {Role.OPERATOR, Role.ACCOUNT_MANAGER, Role.WHOLESALE_HEAD, Role.CC_HEAD, Role.ADMIN}


def refuse(status: int, detail: str, errors: list[dict[str, Any]] | None = None) -> JsonResponse:
    return JsonResponse({"detail": detail, "errors": errors or []}, status=status)


def _denied(request: HttpRequest, roles: set[Role]) -> JsonResponse | None:
    if request.user.role not in roles:  # type: ignore[union-attr]
        return refuse(403, "You do not have permission to do this.")
    return None


def version_json(v: SpecVersion, state: str | None = None) -> dict[str, Any]:
    return {
        "number": v.number, "status": v.status, "state": state, "spec": v.spec,
        "proposed_at": v.proposed_at, "decided_at": v.decided_at, "comment": v.comment,
        "effective_from": v.effective_from,
    }


def _error(exc: services.HotlineError) -> JsonResponse:
    return refuse(exc.status, exc.detail, exc.errors)


@router.get("/")
def list_hotlines(request: HttpRequest) -> Any:
    if denied := _denied(request, MANAGERS):
        return denied
    result = []
    for h in Hotline.objects.select_related("client"):
        launch = services.get_launch_status(h)
        result.append({"id": h.pk, "code": h.code, "name": h.name, "client": h.client.name, "status": h.status,
                       "late": launch.late, "missing": [{"code": i.code, "message": i.detail} for i in launch.missing]})
    return result


@router.get("/{hotline_id}/versions")
def list_versions(request: HttpRequest, hotline_id: int) -> Any:
    if denied := _denied(request, MANAGERS):
        return denied
    versions = services.get_versions(hotline_id)
    return [version_json(r.version, r.state) for r in services.get_version_rows(versions)]


@router.put("/{hotline_id}/draft")
def save_draft(request: HttpRequest, hotline_id: int) -> Any:
    """Body: the spec as JSON (the `spec_to_dict` shape)."""
    if denied := _denied(request, MANAGERS):
        return denied
    if not Hotline.objects.filter(pk=hotline_id).exists():
        return refuse(404, "Not found.")
    try:
        spec = services.parse_spec_json(request.body)
        draft = services.save_draft(hotline_id=hotline_id, spec=spec, user=request.user)
    except services.HotlineError as exc:
        return _error(exc)
    return version_json(draft, "draft")


@router.post("/{hotline_id}/versions/{number}/propose")
def propose(request: HttpRequest, hotline_id: int, number: int) -> Any:
    if denied := _denied(request, MANAGERS):
        return denied
    if not SpecVersion.objects.filter(hotline_id=hotline_id, number=number).exists():
        return refuse(404, "Not found.")
    try:
        version = services.propose_version(hotline_id=hotline_id, number=number, user=request.user)
    except services.HotlineError as exc:
        return _error(exc)
    return version_json(version, "proposed")


@router.get("/{hotline_id}/checklist")
def checklist(request: HttpRequest, hotline_id: int) -> Any:
    if denied := _denied(request, MANAGERS):
        return denied
    hotline = Hotline.objects.filter(pk=hotline_id).first()
    if hotline is None:
        return refuse(404, "Not found.")
    launch = services.get_launch_status(hotline)
    return {"ready": launch.ready, "late": launch.late,
            "items": [{"code": i.code, "done": i.done, "message": i.detail} for i in launch.items]}


@router.post("/{hotline_id}/go-live")
def go_live(request: HttpRequest, hotline_id: int) -> Any:
    if denied := _denied(request, MANAGERS):
        return denied
    if not Hotline.objects.filter(pk=hotline_id).exists():
        return refuse(404, "Not found.")
    try:
        hotline = services.go_live(hotline_id=hotline_id, user=request.user)
    except services.HotlineError as exc:
        return _error(exc)
    return {"id": hotline.pk, "status": hotline.status}


@router.get("/{hotline_id}/kb/search")
def kb_search(request: HttpRequest, hotline_id: int, q: str = "") -> Any:
    if denied := _denied(request, CALL_TAKERS):
        return denied
    return [{"id": e.pk, "question": e.question, "answer": e.answer} for e in knowledge.search(hotline_id, q[:200])]


@router.get("/{hotline_id}/qualified-operators")
def qualified(request: HttpRequest, hotline_id: int) -> Any:
    if denied := _denied(request, MANAGERS):
        return denied
    return sorted(get_qualified_operator_ids(hotline_id))


@router.post("/calls/{call_id}/form")
def save_call_form(request: HttpRequest, call_id: UUID) -> Any:
    """Body: {"topic": "...", "values": {"key": value, ...}}."""
    import json

    if denied := _denied(request, CALL_TAKERS):
        return denied
    call = Call.objects.filter(pk=call_id).first()
    if call is None:
        return refuse(404, "Not found.")
    if call.operator_id and call.operator_id != request.user.pk and request.user.role not in MANAGERS:  # type: ignore[union-attr]
        return refuse(403, "This is another operator's call.")
    try:
        body = json.loads(request.body or b"{}")
        values, topic = body.get("values", {}), body.get("topic", "")
        if not isinstance(values, dict) or not isinstance(topic, str):
            raise ValueError
    except (ValueError, AttributeError):
        return refuse(400, "Send {\"topic\": str, \"values\": {key: value}} as JSON.")
    try:
        saved = services.save_call_form(call_id=call.pk, values=values, topic=topic, user=request.user)
    except services.HotlineError as exc:
        return _error(exc)
    return {"id": str(saved.pk), "topic": saved.topic, "form_data": saved.form_data, "spec_version": saved.spec_version}


