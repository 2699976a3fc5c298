"""Use cases of the routing runtime: hotline routing data, the event store and call effects.

The runtime (calldesk.runtime) calls these from its one worker thread: store the event
(`append_event`, its own commit), let the Router decide, then `apply_effects` saves what the
decision means for call records and the agents' state log, together with the run's
`applied_seq`, in one transaction (R-OPS-2, R-HL-5).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from django.db import transaction

from calldesk.apps.hotlines.models import Hotline
from calldesk.domain import routing as dom

from .models import AgentStateLog, Call, HotlineRouting, RoutingEvent, RoutingRun

RING_TIMEOUT_S = 20.0


def to_datetime(at: float) -> datetime:
    return datetime.fromtimestamp(at, UTC)


# --- routing configuration per hotline (R-ORD-3, R-ORD-4, R-ORD-10, R-HL-5) ----------------


def build_default_routing(hotline: Hotline) -> dict[str, Any]:
    """The routing a hotline gets when nobody configured one.

    The order desk routes by who calls: blocked customers to their manager or finance and
    never to order-taking operators (R-ORD-4); key accounts to their own manager, any other
    key-account manager, then the head of wholesale (R-ORD-3); new customers to the sales
    department head; anything but an order or information to the manager or the department
    head (R-ORD-10); everyone else to the operators' queue. Information lines queue for the
    operators qualified on them.
    """
    wrap = float(hotline.wrap_up_seconds)
    if hotline.kind == Hotline.Kind.ORDER_DESK:
        ring = {"ring_timeout_s": 15}
        return {
            "hotline": {
                "default_queue": "orders",
                "ring_timeout_s": RING_TIMEOUT_S,
                "wrap_up_s": wrap,
                "rules": [
                    {"name": "credit_blocked", "when": {"blocked": "true"}, "fallback_to_default_queue": False,
                     "steps": [{"agent_attr": "manager", **ring}, {"directory": "heads", "key": "finance", **ring}]},
                    {"name": "key_account", "when": {"key": "true"},
                     "steps": [{"agent_attr": "manager", **ring},
                               {"skill": "key_accounts", "exclude_attr": "manager", **ring},
                               {"directory": "heads", "key": "wholesale", **ring}]},
                    {"name": "new_customer", "when": {"new": "true"},
                     "steps": [{"directory": "heads", "key": "sales", **ring}]},
                    {"name": "not_an_order", "when": {"intent": {"not_in": ["order", "information"]}},
                     "steps": [{"agent_attr": "manager", **ring},
                               {"directory": "department_heads", "key_attr": "department", **ring}]},
                ],
            },
            "queues": [{"name": "orders", "skill": "orders", "wrap_up_s": wrap, "aht_estimate_s": 180}],
        }
    queue = f"hl-{hotline.code}"
    return {
        "hotline": {"default_queue": queue, "ring_timeout_s": RING_TIMEOUT_S, "wrap_up_s": wrap},
        "queues": [{"name": queue, "skill": queue, "wrap_up_s": wrap, "aht_estimate_s": 120}],
    }


def ensure_hotline_routing() -> int:
    """Give every live or launching hotline without routing the default one; returns how many."""
    created = 0
    for hotline in Hotline.objects.filter(status__in=(Hotline.Status.LIVE, Hotline.Status.LAUNCHING), routing__isnull=True):
        HotlineRouting.objects.create(hotline=hotline, config=build_default_routing(hotline))
        created += 1
    return created


def set_hotline_routing(hotline: Hotline, config: dict[str, Any]) -> HotlineRouting:
    """Store a hotline's routing after checking it parses (a bad one never reaches the router)."""
    dom.parse_routing_config({"hotlines": [dict(config.get("hotline", {}), name=hotline.code)],
                              "queues": config.get("queues", [])})
    routing, _ = HotlineRouting.objects.update_or_create(hotline=hotline, defaults={"config": config})
    return routing


def hash_config(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


# --- event store ---------------------------------------------------------------------------


def open_run(config_data: dict[str, Any], epoch: float) -> RoutingRun:
    return RoutingRun.objects.create(
        started_at=to_datetime(epoch), epoch=epoch, config=config_data, config_hash=hash_config(config_data)
    )


def get_latest_run() -> RoutingRun | None:
    return RoutingRun.objects.order_by("-pk").first()


def append_event(run_id: int, seq: int, event: dom.Event) -> None:
    """Store one event in its own commit, before the router acts on it."""
    RoutingEvent.objects.create(
        run_id=run_id, seq=seq, at=to_datetime(event.at), kind=type(event).__name__,
        payload=dom.event_to_dict(event),
    )


def get_run_events(run_id: int) -> Iterator[tuple[int, dom.Event]]:
    rows = RoutingEvent.objects.filter(run_id=run_id).order_by("seq").values_list("seq", "payload")
    for seq, payload in rows.iterator(chunk_size=2000):
        yield seq, dom.event_from_dict(payload)


# --- effects of decisions ------------------------------------------------------------------


def _user_id(agent_id: str) -> int | None:
    return int(agent_id) if agent_id.isdigit() else None


def _call_pk(call_id: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(call_id)
    except ValueError:
        return None


def apply_effects(run_id: int, seq: int, event: dom.Event, commands: Sequence[dom.Command]) -> None:
    """Save what one routing step means for the call records and the agents' state log.

    Runs with the bump of the run's applied_seq in one transaction, so after a crash each
    stored event's effects are saved exactly once (R-HL-5: nothing lost, nothing doubled).
    """
    with transaction.atomic():
        rejected = any(isinstance(c, dom.Rejected) for c in commands)
        if isinstance(event, dom.CallOffered) and not rejected:
            _create_call(event)
        for command in commands:
            _apply(command, event.at)
        RoutingRun.objects.filter(pk=run_id).update(applied_seq=seq)


def _create_call(event: dom.CallOffered) -> None:
    pk = _call_pk(event.call_id)
    hotline_id = Hotline.objects.filter(code=event.hotline).values_list("pk", flat=True).first()
    if pk is None or hotline_id is None:
        return
    customer = event.caller.get("customer")
    Call.objects.get_or_create(
        pk=pk,
        defaults={
            "hotline_id": hotline_id,
            "number": event.caller.number[:20],
            "customer_id": int(customer) if customer and customer.isdigit() else None,
            "offered_at": to_datetime(event.at),
            "topic": (event.caller.get("intent") or "")[:60],
        },
    )


def _apply(command: dom.Command, at: float) -> None:
    if isinstance(command, dom.AgentStateChanged):
        _log_state(command)
    elif isinstance(command, dom.ConnectCall | dom.DialCallback) and getattr(command, "leg", "caller") == "caller":
        pk = _call_pk(command.call_id)
        Call.objects.filter(pk=pk).update(operator_id=_user_id(command.agent_id))
        Call.objects.filter(pk=pk, answered_at__isnull=True).update(answered_at=to_datetime(at))
    elif isinstance(command, dom.RegisterCallback):
        Call.objects.filter(pk=_call_pk(command.call_id)).update(callback_number=command.number[:20])
    elif isinstance(command, dom.CallFinished):
        _finish_call(command)


def _log_state(change: dom.AgentStateChanged) -> None:
    """Agent state stretches for man-hours (state names are the domain's AgentState values)."""
    user_id = _user_id(change.agent_id)
    if user_id is None:
        return
    at = to_datetime(change.at)
    AgentStateLog.objects.filter(agent_id=user_id, ended_at__isnull=True).update(ended_at=at)
    if change.new is not dom.AgentState.OFFLINE:
        AgentStateLog.objects.create(agent_id=user_id, state=change.new.value, reason=change.reason[:60], started_at=at)


def _finish_call(done: dom.CallFinished) -> None:
    pk = _call_pk(done.call_id)
    if pk is None:
        return
    rule = next((e.detail.removeprefix("rule ") for e in done.timeline if e.kind == "offered"), "")
    wrap = 0
    if done.answered_at is not None:
        wrap = int(Hotline.objects.filter(code=done.hotline).values_list("wrap_up_seconds", flat=True).first() or 0)
    talk = max(0.0, done.ended_at - done.answered_at - done.hold_s) if done.answered_at is not None else 0.0
    Call.objects.filter(pk=pk).update(
        outcome=done.outcome.value,
        ended_at=to_datetime(done.ended_at),
        answered_at=to_datetime(done.answered_at) if done.answered_at is not None else None,
        operator_id=_user_id(done.agent_id),
        hold_seconds=round(done.hold_s),
        talk_seconds=round(talk),
        wrap_seconds=wrap,
        queue=done.queue[:60],
        routing_rule=rule[:60],
        timeline=[{"at": e.at, "kind": e.kind, "agent": e.agent_id, "detail": e.detail} for e in done.timeline],
    )


def close_open_state_logs(agent_ids: Iterable[str], at: float) -> None:
    ids = [u for u in (_user_id(a) for a in agent_ids) if u is not None]
    AgentStateLog.objects.filter(agent_id__in=ids, ended_at__isnull=True).update(ended_at=to_datetime(at))
