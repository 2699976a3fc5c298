from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, F, Q
from django.utils import timezone

from .models import Call


@dataclass(frozen=True, slots=True)
class DayStats:
    offered: int
    answered: int
    abandoned: int
    answered_in_20s: int
    avg_answer_seconds: float | None

    @property
    def service_level(self) -> float | None:
        # Answered within 20 s over offered; the wallboard prints this definition beside it.
        return self.answered_in_20s / self.offered if self.offered else None


def local_day_start(now: datetime | None = None) -> datetime:
    now = timezone.localtime(now or timezone.now())
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def get_hotline_day_stats(hotline_ids: list[int], since: datetime | None = None) -> dict[int, DayStats]:
    since = since or local_day_start()
    until = datetime.combine(since.date(), time.max, since.tzinfo) if since.tzinfo else since + timedelta(days=1)
    rows = (
        Call.objects.filter(hotline_id__in=hotline_ids, offered_at__gte=since, offered_at__lte=until)
        .values("hotline_id")
        .annotate(
            offered=Count("id"),
            answered=Count("id", filter=Q(answered_at__isnull=False)),
            abandoned=Count("id", filter=Q(outcome=Call.Outcome.ABANDONED)),
            answered_in_20s=Count(
                "id", filter=Q(answered_at__isnull=False, answered_at__lte=F("offered_at") + timedelta(seconds=20))
            ),
            avg_answer=Avg(F("answered_at") - F("offered_at"), filter=Q(answered_at__isnull=False)),
        )
    )
    result: dict[int, DayStats] = {}
    for row in rows:
        avg = row["avg_answer"]
        result[row["hotline_id"]] = DayStats(
            offered=row["offered"],
            answered=row["answered"],
            abandoned=row["abandoned"],
            answered_in_20s=row["answered_in_20s"],
            avg_answer_seconds=avg.total_seconds() if avg is not None else None,
        )
    return result


# --- routing runtime reads (R-ORD-3, R-ORD-4, R-ORD-10, R-HL-5) ------------------------------

AGENT_ROLES = ("operator", "account_manager", "sales_head", "wholesale_head", "finance")


def agent_id_of(user_id: int) -> str:
    """Router agent ids are user primary keys as text."""
    return str(user_id)


def get_routing_config_data() -> dict[str, Any]:
    """The whole routing configuration: every hotline's stored part, agents and directories."""
    from calldesk.apps.customers.models import Department

    from .models import HotlineRouting

    hotlines: list[dict[str, Any]] = []
    queues: dict[str, dict[str, Any]] = {}
    routed: list[int] = []
    for routing in HotlineRouting.objects.select_related("hotline").order_by("hotline_id"):
        if routing.hotline.status not in ("live", "launching") or not routing.config.get("hotline"):
            continue
        routed.append(routing.hotline_id)
        hotlines.append(dict(routing.config["hotline"], name=routing.hotline.code))
        for queue in routing.config.get("queues", ()):
            queues.setdefault(str(queue["name"]), queue)
    users = list(
        get_user_model().objects.filter(role__in=AGENT_ROLES, is_active=True)
        .select_related("department").order_by("pk")
    )
    operators = [u.pk for u in users if u.role == "operator"]
    qualified = {h: _qualified(h, operators) for h in routed}
    codes = dict(HotlineRouting.objects.filter(hotline_id__in=routed).values_list("hotline_id", "hotline__code"))
    agents = []
    for user in users:
        skills: dict[str, int] = {}
        if user.role == "operator":
            skills["orders"] = 1
            for hotline_id, allowed in qualified.items():
                if user.pk in allowed:
                    skills[f"hl-{codes[hotline_id]}"] = 1
        if user.role == "account_manager" and user.department and user.department.kind == "wholesale":
            skills["key_accounts"] = 1
        agents.append({"id": agent_id_of(user.pk), "name": str(user), "skills": skills})
    heads: dict[str, str] = {}
    department_heads: dict[str, str] = {}
    for dept in Department.objects.filter(head__isnull=False).order_by("pk"):
        department_heads[dept.code] = agent_id_of(dept.head_id)  # type: ignore[arg-type]
        heads.setdefault(dept.kind, agent_id_of(dept.head_id))  # type: ignore[arg-type]
    if "finance" not in heads:
        finance = next((u for u in users if u.role == "finance"), None)
        if finance is not None:
            heads["finance"] = agent_id_of(finance.pk)
    return {
        "hotlines": hotlines,
        "queues": [queues[name] for name in sorted(queues)],
        "agents": agents,
        "directories": {"heads": heads, "department_heads": department_heads},
    }


def _qualified(hotline_id: int, operators: list[int]) -> set[int]:
    """Operators who passed the hotline's test (R-HL-4).

    A hotline nobody has passed a test for yet (the demo's) is open to every operator, so
    its calls are answered rather than all sent to the message.
    """
    try:
        from calldesk.apps.hotlines.selectors import get_qualified_operator_ids
    except ImportError:  # the hotlines app has no qualification yet
        return set(operators)
    return get_qualified_operator_ids(hotline_id) or set(operators)


def get_caller_attributes(number: str, *, intent: str = "", now: datetime | None = None) -> dict[str, str]:
    """Who is calling, as routing attributes (R-ORD-3, R-ORD-4, R-ORD-10).

    type, key, new, manager, department, blocked, intent and customer (the customer's pk).
    """
    from calldesk.apps.customers.selectors import find_customer_by_phone

    now = now or timezone.now()
    attributes = {"intent": intent} if intent else {}
    customer = find_customer_by_phone(number) if number else None
    if customer is None:
        attributes["new"] = "true"
        return attributes
    attributes.update(
        customer=str(customer.pk),
        type=customer.type.code,
        key="true" if customer.type.is_key_account else "false",
        new="true" if customer.type.is_new else "false",
        blocked="true" if _blocked(customer, now) else "false",
    )
    if customer.manager_id is not None:
        attributes["manager"] = agent_id_of(customer.manager_id)
    if customer.department is not None:
        attributes["department"] = customer.department.code
    return attributes


def _blocked(customer: Any, now: datetime) -> bool:
    """Overdue or over the limit (R-ORD-4): the order desk's own check when it is there."""
    try:
        from calldesk.apps.orders.selectors import get_credit_status
    except ImportError:
        get_credit_status = None
    if get_credit_status is not None:
        return not get_credit_status(customer, now).ok
    from calldesk.apps.customers.selectors import get_receivables

    receivables = get_receivables(customer.pk, timezone.localdate(now), customer.grace_days)
    return receivables.overdue > 0 or receivables.outstanding > customer.credit_limit


def get_wallboard_stats(hotline_codes: list[str], since: datetime | None = None) -> dict[str, dict[str, Any]]:
    """Today's service level, ASA and abandonment per hotline, with their definitions (R-OPS-2)."""
    from django.conf import settings

    from calldesk.domain import metrics

    since = since or local_day_start()
    definition = metrics.ServiceLevelDefinition(threshold_s=float(settings.CALLDESK_SERVICE_LEVEL_SECONDS))
    rows = (
        Call.objects.filter(hotline__code__in=hotline_codes, offered_at__gte=since)
        .exclude(outcome__in=(Call.Outcome.IN_PROGRESS, Call.Outcome.TRANSFERRED))
        .values_list("hotline__code", "outcome", "offered_at", "answered_at", "ended_at")
    )
    records: dict[str, list[metrics.CallRecord]] = {code: [] for code in hotline_codes}
    for code, outcome, offered, answered, ended in rows:
        until = answered or ended or offered
        records[code].append(metrics.CallRecord(outcome=outcome, wait_s=max(0.0, (until - offered).total_seconds())))
    result: dict[str, dict[str, Any]] = {}
    for code, items in records.items():
        sl = metrics.calculate_service_level(items, definition)
        asa = metrics.calculate_asa(items)
        abandon = metrics.calculate_abandon_rate(items)
        result[code] = {
            "offered": len(items),
            "service_level": sl.value, "service_level_definition": sl.definition,
            "asa_s": asa.value, "asa_definition": asa.definition,
            "abandon_rate": abandon.value, "abandon_definition": abandon.definition,
        }
    return result
