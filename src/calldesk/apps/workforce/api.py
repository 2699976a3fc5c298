"""JSON API of workforce planning (R-WFM-1, R-REP-2, R-REP-5). Refusals are 4xx JSON with `detail`.

* GET /api/workforce/staffing: agents per interval for given calls, AHT and target (any staff);
* GET /api/workforce/forecast: a hotline's forecast per interval for a week;
* GET /api/workforce/man-hours: man-hours of a month per operator, hotline and client;
* GET /api/workforce/planned-man-hours: paid hours a hotline needs in a month.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import numpy as np
from django.http import HttpRequest, JsonResponse
from ninja import Query, Router, Schema

from calldesk.apps.accounts.roles import STAFF_ROLES, Role
from calldesk.apps.hotlines.models import Hotline
from calldesk.domain.staffing import calculate_required_agents

from . import services
from .forms import parse_month
from .selectors import INTERVAL_S

router = Router()
PLANNERS = {Role.CC_HEAD, Role.ADMIN}
MAN_HOURS_READERS = {Role.CC_HEAD, Role.FINANCE, Role.ADMIN}
MAX_INTERVALS = 10_000
ERRORS = {400: dict[str, Any], 403: dict[str, Any], 404: dict[str, Any]}


def _refuse(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def _number(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


class StaffingQuery(Schema):
    calls: str  # comma-separated calls per interval
    aht: float
    interval: float = float(INTERVAL_S)
    sl: float = 0.8
    sl_seconds: float = 20.0
    patience: float | None = None
    shrinkage: float = 0.0
    max_occupancy: float = 1.0


@router.get("/staffing", response={200: dict[str, Any], **ERRORS})
def staffing(request: HttpRequest, query: Query[StaffingQuery]) -> Any:
    """Agents per interval (Erlang C, or Erlang A when `patience` is given) for a service level."""
    if request.user.role not in STAFF_ROLES:  # type: ignore[union-attr]
        return _refuse(403, "Staff only.")
    try:
        calls = [float(c) for c in query.calls.split(",") if c.strip()]
    except ValueError:
        return _refuse(400, "calls must be comma-separated numbers, e.g. calls=12,30,45.")
    if not calls or len(calls) > MAX_INTERVALS:
        return _refuse(400, f"calls must list 1 to {MAX_INTERVALS} intervals.")
    if any(not math.isfinite(c) or c < 0 for c in calls):
        return _refuse(400, "calls must be finite and non-negative.")
    if not (math.isfinite(query.interval) and 60 <= query.interval <= 86_400):
        return _refuse(400, "interval must be between 60 and 86400 seconds.")
    try:
        params = services.PlanParameters(
            aht_s=query.aht, service_level=query.sl, sl_seconds=query.sl_seconds, patience_s=query.patience,
            shrinkage=query.shrinkage, max_occupancy=query.max_occupancy,
        )
        result = calculate_required_agents(
            calls=np.asarray(calls), aht_s=params.aht_s, interval_s=query.interval, target=params.target,
            patience_s=params.patience_s, max_occupancy=params.max_occupancy, shrinkage=params.shrinkage,
        )
    except ValueError as error:  # WorkforceError included
        return _refuse(400, getattr(error, "detail", str(error)))
    m = result.metrics
    return {
        "model": m.model.value,
        "interval_s": query.interval,
        "aht_s": query.aht,
        "target": {"service_level": query.sl, "seconds": query.sl_seconds},
        "agents": result.agents.tolist(),
        "agents_with_shrinkage": result.agents_with_shrinkage.tolist(),
        "service_level": [_number(v) for v in m.service_level],
        "asa_s": [_number(v) for v in m.asa_s],
        "abandon_rate": [_number(v) for v in m.abandon_rate],
        "occupancy": [_number(v) for v in m.occupancy],
    }


def _hotline(code: str) -> Hotline | None:
    return Hotline.objects.filter(code=code).first()


@router.get("/forecast", response={200: dict[str, Any], **ERRORS})
def forecast(request: HttpRequest, hotline: str, week: date | None = None) -> Any:
    """Forecast calls per 30-minute interval of a hotline for the week containing `week`."""
    if request.user.role not in PLANNERS:  # type: ignore[union-attr]
        return _refuse(403, "Only the head of the contact center and administrators plan staffing.")
    line = _hotline(hotline)
    if line is None:
        return _refuse(404, f"Unknown hotline {hotline!r}.")
    try:
        plan = services.get_week_plan(line, week or services.get_next_week_start(line))
    except services.WorkforceError as error:
        return _refuse(400, error.detail)
    return {
        "hotline": line.code,
        "week_start": plan.week_start.isoformat(),
        "time_zone": plan.tz.key,
        "interval_minutes": INTERVAL_S // 60,
        "model": plan.forecast_model,
        "backtest_wape": {b.model: _number(b.wape) for b in plan.backtests},
        "aht_s": plan.parameters.aht_s,
        "intervals": [
            {"start": plan.starts[i].isoformat(), "calls": round(float(plan.calls[i]), 3),
             "agents": int(plan.staffing.agents[i]), "agents_with_shrinkage": int(plan.need[i])}
            for i in range(len(plan.starts))
        ],
    }


@router.get("/man-hours", response={200: dict[str, Any], **ERRORS})
def man_hours(request: HttpRequest, month: str) -> Any:
    """Productive and logged-in hours per operator, hotline and client in a UTC month (YYYY-MM)."""
    if request.user.role not in MAN_HOURS_READERS:  # type: ignore[union-attr]
        return _refuse(403, "Man-hours are for heads, finance and administrators.")
    try:
        first = parse_month(month, date.today())
    except ValueError:
        return _refuse(400, "month must be YYYY-MM.")
    report = services.get_man_hours(first)
    return {
        "month": f"{first:%Y-%m}",
        "operators": [
            {"operator_id": int(r.agent_id), "operator": report.names.get(r.agent_id, ""),
             "hotline_id": int(r.hotline_id) if r.hotline_id else None,
             "productive_hours": str(r.productive_hours), "logged_in_hours": str(r.logged_in_hours)}
            for r in report.rows
        ],
        "hotlines": [
            {"hotline_id": int(h["hotline_id"]) if h["hotline_id"] else None, "hotline": h["hotline"], "client": h["client"],
             "operators": h["agents"], "productive_hours": str(h["productive_hours"]), "logged_in_hours": str(h["logged_in_hours"])}
            for h in report.hotlines
        ],
        "clients": [
            {"client": c["client"], "productive_hours": str(c["productive_hours"]), "logged_in_hours": str(c["logged_in_hours"])}
            for c in report.clients
        ],
    }


@router.get("/planned-man-hours", response={200: dict[str, Any], **ERRORS})
def planned_man_hours(request: HttpRequest, hotline: str, month: str) -> Any:
    """Paid man-hours a hotline needs in a month (YYYY-MM), from forecast and staffing (R-REP-5)."""
    if request.user.role not in MAN_HOURS_READERS:  # type: ignore[union-attr]
        return _refuse(403, "Planned man-hours are for heads, finance and administrators.")
    line = _hotline(hotline)
    if line is None:
        return _refuse(404, f"Unknown hotline {hotline!r}.")
    try:
        first = parse_month(month, date.today())
        hours = services.get_planned_man_hours(line, first)
    except ValueError as error:
        return _refuse(400, getattr(error, "detail", "month must be YYYY-MM."))
    return {"hotline": line.code, "month": f"{first:%Y-%m}", "paid_hours": str(hours)}
