"""XLSX exports (openpyxl): the week's plan (forecast, staffing, schedule) and man-hours."""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from .services import ManHoursReport, WeekPlan


def _sheet(book: Workbook, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]], widths: Sequence[int] = ()) -> Worksheet:
    sheet = book.create_sheet(title)
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    sheet.freeze_panes = "A2"
    for i, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + i)].width = width
    return sheet


def _finite(value: float, digits: int = 4) -> float | None:
    return round(float(value), digits) if math.isfinite(value) else None


def _local(moment: Any, plan: WeekPlan) -> Any:
    # Excel has no time zones: write the hotline's wall-clock time, as the page shows it.
    return moment.astimezone(plan.tz).replace(tzinfo=None) if moment is not None else None


def plan_workbook(plan: WeekPlan) -> bytes:
    book = Workbook()
    book.remove(book.active)
    p = plan.parameters
    has_plan = plan.plan is not None
    _sheet(book, _("Forecast"), [_("Interval start"), _("Forecast calls"), _("Actual calls")], (
        (_local(plan.starts[i], plan), round(float(plan.calls[i]), 2),
         None if plan.actual is None or not math.isfinite(plan.actual[i]) else float(plan.actual[i]))
        for i in range(len(plan.starts))
    ), (18, 16, 14))
    m = plan.staffing.metrics
    _sheet(book, _("Staffing"), [
        _("Interval start"), _("Calls"), _("AHT, s"), _("Agents (%(model)s)") % {"model": p.model_name},
        _("With shrinkage"), _("Scheduled"), _("Gap"), _("Service level"), _("ASA, s"), _("Abandoned"), _("Occupancy"),
    ], (
        (_local(plan.starts[i], plan), round(float(plan.calls[i]), 2), p.aht_s, int(plan.staffing.agents[i]),
         int(plan.need[i]), round(float(plan.scheduled[i]), 2) if has_plan else None,
         round(float(plan.gap[i]), 2) if has_plan else None, _finite(m.service_level[i]), _finite(m.asa_s[i], 1),
         _finite(m.abandon_rate[i]), _finite(m.occupancy[i]))
        for i in range(len(plan.starts))
    ), (18, 10, 8, 14, 14, 11, 8, 13, 9, 11, 11))
    _sheet(book, _("Schedule"), [
        _("Operator"), _("Template"), _("Start"), _("End"), _("Break from"), _("Break to"), _("Paid hours"),
    ], (
        (str(s.operator), s.template, _local(s.starts_at, plan), _local(s.ends_at, plan), _local(s.break_start, plan),
         _local(s.break_end, plan), float(s.paid_hours))
        for s in plan.shifts
    ), (24, 14, 18, 18, 18, 18, 11))
    _sheet(book, _("Parameters"), [_("Parameter"), _("Value")], [
        (_("Hotline"), str(plan.hotline)), (_("Week"), plan.week_start), (_("Time zone"), str(plan.tz)),
        (_("Forecast model"), plan.forecast_model), (_("Queue model"), p.model_name), (_("AHT, s"), p.aht_s),
        (_("Volume, %"), p.volume_pct), (_("Service level"), p.service_level), (_("answered within, s"), p.sl_seconds),
        (_("Patience, s"), p.patience_s), (_("Shrinkage"), p.shrinkage), (_("Maximum occupancy"), p.max_occupancy),
    ], (22, 30))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def man_hours_workbook(report: ManHoursReport) -> bytes:
    book = Workbook()
    book.remove(book.active)
    _sheet(book, _("Operators"), [_("Operator"), _("Hotline"), _("Productive hours"), _("Logged-in hours")], (
        (report.names.get(r.agent_id, r.agent_id), report.hotline_names.get(r.hotline_id, ""),
         float(r.productive_hours), float(r.logged_in_hours))
        for r in report.rows
    ), (28, 32, 16, 16))
    _sheet(book, _("Hotlines"), [_("Client"), _("Hotline"), _("Operators"), _("Productive hours"), _("Logged-in hours")], (
        (h["client"], h["hotline"], h["agents"], float(h["productive_hours"]), float(h["logged_in_hours"]))
        for h in report.hotlines
    ), (24, 32, 10, 16, 16))
    _sheet(book, _("Clients"), [_("Client"), _("Productive hours"), _("Logged-in hours")], (
        (c["client"], float(c["productive_hours"]), float(c["logged_in_hours"])) for c in report.clients
    ), (28, 16, 16))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
