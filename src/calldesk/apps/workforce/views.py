"""Pages of workforce planning: the staffing plan with its what-if, schedule and plan check,
the history import, XLSX exports and man-hours (R-WFM-1, R-REP-2).

The what-if form re-renders only the plan body (htmx): history and forecast come from the
database once per request and the staffing is one vectorised call, so it answers at once.
Building the schedule (a MILP, seconds) is an explicit POST that saves a ShiftPlan.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

import numpy as np
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from calldesk.apps.accounts.permissions import role_required
from calldesk.apps.accounts.roles import Role
from calldesk.apps.hotlines.models import Hotline

from . import charts, exports, selectors, services
from .forms import VolumeImportForm, WhatIfForm, parse_month
from .selectors import INTERVALS_PER_DAY

PLANNERS = (Role.CC_HEAD, Role.ADMIN)
EDITORS = (Role.CC_HEAD,)
MAN_HOURS_READERS = (Role.CC_HEAD, Role.FINANCE, Role.ADMIN)
WHAT_IF_FIELDS = ("aht", "volume", "sl", "sl_seconds", "patience", "shrinkage")


def _week(value: str | None, hotline: Hotline) -> date:
    if value:
        try:
            return services.week_monday(date.fromisoformat(value))
        except ValueError:
            pass
    return services.get_next_week_start(hotline)


def _day(value: str | None) -> int:
    try:
        day = int(value or 0)
    except ValueError:
        return 0
    return day if 0 <= day < 7 else 0


def _pick_hotline(request: HttpRequest, hotlines: list[Hotline]) -> Hotline | None:
    wanted = request.GET.get("hotline")
    if wanted and wanted.isdigit():
        for h in hotlines:
            if h.pk == int(wanted):
                return h
    live = [h for h in hotlines if h.status == Hotline.Status.LIVE]
    return (live or hotlines or [None])[0]


def _plan_for(hotline: Hotline, week: date, data: QueryDict) -> tuple[services.WeekPlan, WhatIfForm]:
    """The week's plan for the what-if values in ``data`` (the defaults when there are none)."""
    plan = services.get_week_plan(hotline, week)
    initial = WhatIfForm.initial_from(plan.parameters)
    if not any(k in data for k in WHAT_IF_FIELDS):
        return plan, WhatIfForm(initial={**initial, "day": _day(data.get("day"))})
    # A field left out keeps its default; a field sent empty is empty (no patience: Erlang C).
    form = WhatIfForm({**initial, **{k: data[k] for k in (*WHAT_IF_FIELDS, "day") if k in data}})
    if form.is_valid():
        try:
            plan = services.replan(plan, form.parameters(plan.parameters))
        except ValidationError as error:
            form.add_error(None, error)
    return plan, form


def _query(hotline: Hotline, week: date, form: WhatIfForm, day: int | None = None) -> str:
    params: dict[str, Any] = {"hotline": hotline.pk, "week": week.isoformat()}
    source = form.data if form.is_bound else form.initial
    for key in WHAT_IF_FIELDS:
        value = source.get(key)
        if value not in (None, ""):
            params[key] = value
    if day is not None:
        params["day"] = day
    return urlencode(params)


def _chart_labels() -> dict[str, dict[str, str]]:
    return {
        "forecast": {
            "title": _("Calls per 30 minutes: history and forecast"), "y": _("calls per 30 min"), "x": _("day"),
            "history": _("History"), "forecast": _("Forecast"), "actual": _("Actual in the week"),
            "forecast_week": _("Forecast week"),
        },
        "staffing": {
            "title": _("Agents per 30 minutes"), "y": _("agents"), "x": _("day"),
            "need": _("Needed with shrinkage"), "agents": _("On the phones (Erlang)"),
            "scheduled": _("Scheduled"), "short": _("Understaffed"),
        },
        "check": {
            "title": _("Service level per interval: Erlang and simulation"), "y": _("service level, %"), "x": _("interval"),
            "erlang": _("Erlang estimate"), "simulated": _("Simulated"), "target": _("Target"),
        },
    }


def _body_context(request: HttpRequest, hotline: Hotline, week: date, plan: services.WeekPlan, form: WhatIfForm) -> dict[str, Any]:
    day = _day(form.data.get("day") if form.is_bound else str(form.initial.get("day", 0)))
    labels = _chart_labels()
    part = plan.day_slice(day)
    metrics = plan.staffing.metrics
    has_plan = plan.plan is not None
    rows = []
    for i in range(part.start, part.stop):
        if plan.calls[i] < 0.005 and plan.scheduled[i] == 0:
            continue
        rows.append({
            "start": plan.starts[i], "calls": plan.calls[i], "agents": int(plan.staffing.agents[i]),
            "need": int(plan.need[i]), "scheduled": plan.scheduled[i] if has_plan else None,
            "gap": float(plan.gap[i]) if has_plan else None,
            "sl_pct": 100 * metrics.service_level[i], "asa": metrics.asa_s[i],
            "abandon_pct": 100 * metrics.abandon_rate[i], "occupancy_pct": 100 * metrics.occupancy[i],
        })
    summary = []
    for d, day_date in enumerate(plan.days):
        s = plan.day_slice(d)
        short = np.clip(plan.need[s] - plan.scheduled[s], 0, None) if has_plan else np.zeros(INTERVALS_PER_DAY)
        summary.append({
            "index": d, "day": day_date, "calls": float(plan.calls[s].sum()), "peak": int(plan.need[s].max(initial=0)),
            "need_hours": float(plan.need[s].sum()) / 2, "scheduled_hours": float(plan.scheduled[s].sum()) / 2 if has_plan else None,
            "short_intervals": int((short > 1e-9).sum()), "short_hours": float(short.sum()) / 2,
        })
    grid: dict[int, dict[str, Any]] = {}
    for shift in plan.shifts:
        entry = grid.setdefault(shift.operator_id, {"operator": shift.operator, "days": [[] for _ in range(7)], "hours": 0.0})
        local = shift.starts_at.astimezone(plan.tz)
        index = (local.date() - plan.week_start).days
        if 0 <= index < 7:
            entry["days"][index].append({
                "start": local, "end": shift.ends_at.astimezone(plan.tz), "template": shift.template,
                "break": shift.break_start.astimezone(plan.tz) if shift.break_start else None,
            })
        entry["hours"] += float(shift.paid_hours)
    headcount = [sum(1 for e in grid.values() if e["days"][d]) for d in range(7)]
    query = _query(hotline, week, form)
    open_idx = plan.open_intervals()
    total_calls = float(plan.calls.sum())
    weighted_sl = float((metrics.service_level * plan.calls).sum() / total_calls) if total_calls else None
    return {
        "hotline": hotline, "week": week, "plan": plan, "form": form, "day": day, "rows": rows, "summary": summary,
        "schedule_rows": sorted(grid.values(), key=lambda e: e["operator"].username), "headcount": headcount,
        "query": query, "can_edit": request.user.role in EDITORS,  # type: ignore[union-attr]
        "forecast_svg": charts.forecast_chart(
            past_days=plan.past_days, past_counts=plan.past_counts, week_days=plan.days,
            forecast=plan.calls, actual=plan.actual, per_day=INTERVALS_PER_DAY, labels=labels["forecast"],
        ),
        "staffing_svg": charts.staffing_chart(
            days=plan.days, need=plan.need, agents=plan.staffing.agents,
            scheduled=plan.scheduled if has_plan else None, per_day=INTERVALS_PER_DAY, labels=labels["staffing"],
        ),
        "totals": {
            "calls": total_calls,
            "need_hours": float(plan.need.sum()) / 2,
            "scheduled_hours": float(plan.scheduled.sum()) / 2 if has_plan else None,
            "short_intervals": int((plan.gap[open_idx] < -1e-9).sum()) if has_plan else None,
            "over_hours": float(np.clip(plan.gap, 0, None).sum()) / 2 if has_plan else None,
            "short_hours": float(np.clip(-plan.gap, 0, None).sum()) / 2 if has_plan else None,
            "weighted_sl": weighted_sl, "weighted_sl_pct": 100 * weighted_sl if weighted_sl is not None else None,
        },
        "backtests": [(b.model, 100 * b.wape) for b in plan.backtests],
        "day_names": [(d, plan.days[d]) for d in range(7)],
    }


@role_required(*PLANNERS)
def plan_page(request: HttpRequest) -> HttpResponse:
    hotlines = selectors.get_planning_hotlines()
    hotline = _pick_hotline(request, hotlines)
    context: dict[str, Any] = {
        "hotlines": hotlines, "hotline": hotline, "import_form": VolumeImportForm(),
        "can_edit": request.user.role in EDITORS,  # type: ignore[union-attr]
    }
    if hotline is None:
        return render(request, "workforce/plan.html", context)
    week = _week(request.GET.get("week"), hotline)
    context.update(week=week, prev_week=week - timedelta(days=7), next_week=week + timedelta(days=7))
    try:
        plan, form = _plan_for(hotline, week, request.GET)
    except services.WorkforceError as error:
        context["error"] = error.detail
        return render(request, "workforce/plan.html", context)
    context.update(_body_context(request, hotline, week, plan, form))
    template = "workforce/_plan_body.html" if request.htmx else "workforce/plan.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def _posted_hotline(request: HttpRequest) -> Hotline | None:
    value = request.POST.get("hotline", "")
    hotline = Hotline.objects.filter(pk=int(value)).first() if value.isdigit() else None
    if hotline is None:
        messages.error(request, _("Choose a hotline."))
    return hotline


@role_required(*EDITORS)
@require_POST
def schedule_build(request: HttpRequest) -> HttpResponse:
    hotline = _posted_hotline(request)
    if hotline is None:
        return redirect("workforce:plan")
    week = _week(request.POST.get("week"), hotline)
    try:
        plan, form = _plan_for(hotline, week, request.POST)
        if form.errors:
            raise services.WorkforceError(_("Correct the parameters first."))
        services.build_schedule(hotline, week, plan.parameters, request.user)
        plan, form = _plan_for(hotline, week, request.POST)
    except services.WorkforceError as error:
        if request.htmx:  # type: ignore[attr-defined]
            # Into the schedule's status line (the button's target); htmx swaps 2xx only.
            return HttpResponse(format_html('<p class="error" role="alert">{}</p>', error.detail))
        messages.error(request, error.detail)
        return redirect(f"{reverse('workforce:plan')}?hotline={hotline.pk}&week={week.isoformat()}")
    if request.htmx:  # type: ignore[attr-defined]
        response = render(request, "workforce/_plan_body.html", _body_context(request, hotline, week, plan, form))
        response["HX-Retarget"] = "#plan-body"
        response["HX-Reswap"] = "outerHTML"
        return response
    messages.success(request, _("The schedule is built."))
    return redirect(f"{reverse('workforce:plan')}?{_query(hotline, week, form)}")


@role_required(*PLANNERS)
def plan_check(request: HttpRequest, hotline_id: int) -> HttpResponse:
    hotline = get_object_or_404(Hotline, pk=hotline_id)
    week = _week(request.GET.get("week"), hotline)
    try:
        plan, _form = _plan_for(hotline, week, request.GET)
        check = services.get_plan_check(plan, _day(request.GET.get("day")))
    except services.WorkforceError as error:
        return render(request, "workforce/_check.html", {"error": error.detail})
    svg = None
    if check.rows:
        svg = charts.plan_check_chart(
            starts=[r.start for r in check.rows], erlang=[r.erlang_sl for r in check.rows],
            simulated=[r.simulated_sl for r in check.rows], target=plan.parameters.service_level,
            labels=_chart_labels()["check"],
        )
    rows = [
        {"start": r.start, "calls": r.calls, "on_phones": r.on_phones, "required": r.required,
         "erlang_sl": 100 * r.erlang_sl, "simulated_sl": None if r.simulated_sl is None else 100 * r.simulated_sl,
         "erlang_abandon": 100 * r.erlang_abandon,
         "simulated_abandon": None if r.simulated_abandon is None else 100 * r.simulated_abandon}
        for r in check.rows
    ]
    return render(request, "workforce/_check.html", {
        "check": check, "svg": svg, "plan": plan, "rows": rows,
        "erlang_sl_pct": None if check.erlang_sl is None else 100 * check.erlang_sl,
        "simulated_sl_pct": None if check.simulated_sl is None else 100 * check.simulated_sl,
        "target_pct": 100 * plan.parameters.service_level,
    })


@role_required(*PLANNERS)
def plan_export(request: HttpRequest, hotline_id: int) -> HttpResponse:
    hotline = get_object_or_404(Hotline, pk=hotline_id)
    week = _week(request.GET.get("week"), hotline)
    try:
        plan, _form = _plan_for(hotline, week, request.GET)
    except services.WorkforceError as error:
        messages.error(request, error.detail)
        return redirect(f"{reverse('workforce:plan')}?hotline={hotline.pk}&week={week.isoformat()}")
    response = HttpResponse(
        exports.plan_workbook(plan), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="staffing-{hotline.code}-{week.isoformat()}.xlsx"'
    return response


@role_required(*EDITORS)
@require_POST
def history_import(request: HttpRequest) -> HttpResponse:
    hotline = _posted_hotline(request)
    if hotline is None:
        return redirect("workforce:plan")
    week = _week(request.POST.get("week"), hotline)
    form = VolumeImportForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        try:
            count = services.import_interval_volumes(hotline, form.cleaned_data["file"].read())
        except services.WorkforceError as error:
            messages.error(request, error.detail)
        else:
            messages.success(request, _("%(count)d intervals imported.") % {"count": count})
    return redirect(f"{reverse('workforce:plan')}?hotline={hotline.pk}&week={week.isoformat()}")


def _month(request: HttpRequest) -> tuple[date, str]:
    today = timezone.now().date()
    try:
        return parse_month(request.GET.get("month"), today), ""
    except ValueError:
        return today.replace(day=1), _("Give the month as YYYY-MM.")


@role_required(*MAN_HOURS_READERS)
def man_hours(request: HttpRequest) -> HttpResponse:
    month, error = _month(request)
    report = services.get_man_hours(month)
    next_month = (month + timedelta(days=32)).replace(day=1)
    planned = []
    for hotline in selectors.get_planning_hotlines():
        try:
            hours = services.get_planned_man_hours(hotline, next_month)
        except services.WorkforceError:
            hours = None
        planned.append((hotline, hours))
    rows = [
        {"operator": report.names.get(r.agent_id, r.agent_id), "hotline": report.hotline_names.get(r.hotline_id, ""),
         "productive": r.productive_hours, "logged_in": r.logged_in_hours}
        for r in report.rows
    ]
    return render(request, "workforce/man_hours.html", {
        "month": month, "report": report, "rows": rows, "error": error, "planned": planned, "next_month": next_month,
        "prev_month": (month - timedelta(days=1)).replace(day=1),
    })


@role_required(*MAN_HOURS_READERS)
def man_hours_export(request: HttpRequest) -> HttpResponse:
    month, _error = _month(request)
    response = HttpResponse(
        exports.man_hours_workbook(services.get_man_hours(month)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="man-hours-{month:%Y-%m}.xlsx"'
    return response
