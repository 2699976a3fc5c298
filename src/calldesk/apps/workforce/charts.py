"""Server-rendered inline SVG charts of the plan page (no JavaScript, no plotting library).

Each function returns safe markup: an ``<svg role="img">`` with a title, axes with ticks and
labels, day separators and a legend. Labels come in already translated.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

HISTORY = "#7a8699"
FORECAST = "#e8590c"
ACTUAL = "#1d2430"
NEED = "#1f6feb"
ERLANG = "#74a7f7"
SCHEDULED = "#2e7d32"
SHORT = "#c62828"
TARGET = "#b26a00"


def _nice_step(span: float, ticks: int) -> float:
    raw = max(span, 1e-9) / ticks
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * power:
            return m * power
    return 10 * power  # pragma: no cover


def _fmt(value: float) -> str:
    return f"{value:.0f}" if abs(value - round(value)) < 1e-9 else f"{value:.1f}"


@dataclass
class _Frame:
    width: int
    height: int
    x_max: float
    y_max: float
    left: int = 52
    right: int = 16
    top: int = 34
    bottom: int = 44

    @property
    def plot_w(self) -> float:
        return self.width - self.left - self.right

    @property
    def plot_h(self) -> float:
        return self.height - self.top - self.bottom

    def x(self, value: float) -> float:
        return round(self.left + value / self.x_max * self.plot_w, 1)

    def y(self, value: float) -> float:
        return round(self.top + self.plot_h - min(value, self.y_max) / self.y_max * self.plot_h, 1)


def _open(frame: _Frame, title: str) -> list[str]:
    return [
        f'<svg class="chart" viewBox="0 0 {frame.width} {frame.height}" role="img" aria-label="{escape(title)}" '
        'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
        f'<rect x="{frame.left}" y="{frame.top}" width="{frame.plot_w}" height="{frame.plot_h}" fill="#fff" stroke="#d9dee6"/>',
    ]


def _y_axis(frame: _Frame, label: str, ticks: int = 5) -> list[str]:
    step = _nice_step(frame.y_max, ticks)
    out = []
    value = 0.0
    while value <= frame.y_max + 1e-9:
        y = frame.y(value)
        out.append(f'<line x1="{frame.left}" x2="{frame.left + frame.plot_w}" y1="{y}" y2="{y}" stroke="#eef1f5"/>')
        out.append(f'<text x="{frame.left - 6}" y="{y + 4}" text-anchor="end" fill="#5d6776">{_fmt(value)}</text>')
        value += step
    mid = frame.top + frame.plot_h / 2
    out.append(
        f'<text transform="translate(14 {mid}) rotate(-90)" text-anchor="middle" fill="#5d6776">{escape(label)}</text>'
    )
    return out


def _day_axis(frame: _Frame, days: Sequence[date], per_day: int, x_label: str) -> list[str]:
    out = []
    bottom = frame.top + frame.plot_h
    label_every = 1 if len(days) <= 10 else 2
    for i, day in enumerate(days):
        x = frame.x(i * per_day)
        if i:
            out.append(f'<line x1="{x}" x2="{x}" y1="{frame.top}" y2="{bottom}" stroke="#d9dee6"/>')
        if i % label_every == 0:
            centre = frame.x((i + 0.5) * per_day)
            text = escape(date_format(day, "D j"))
            out.append(f'<text x="{centre}" y="{bottom + 14}" text-anchor="middle" fill="#5d6776">{text}</text>')
    out.append(
        f'<text x="{frame.left + frame.plot_w / 2}" y="{frame.height - 6}" text-anchor="middle" fill="#5d6776">{escape(x_label)}</text>'
    )
    return out


def _legend(frame: _Frame, items: Sequence[tuple[str, str, str]]) -> list[str]:
    """items: (colour, label, style) with style "line", "dash" or "area"."""
    out = []
    x = float(frame.left)
    for colour, label, style in items:
        if style == "area":
            out.append(f'<rect x="{x}" y="12" width="18" height="10" fill="{colour}" fill-opacity="0.25" stroke="{colour}"/>')
        else:
            dash = ' stroke-dasharray="4 3"' if style == "dash" else ""
            out.append(f'<line x1="{x}" x2="{x + 18}" y1="17" y2="17" stroke="{colour}" stroke-width="2.5"{dash}/>')
        out.append(f'<text x="{x + 24}" y="21" fill="#1d2430">{escape(label)}</text>')
        x += 24 + 6.5 * len(label) + 22
    return out


def _polyline(frame: _Frame, xs: Sequence[float], ys: Sequence[float], colour: str, width: float = 1.6, dash: str = "") -> list[str]:
    """Polylines through the finite points; NaN breaks the line."""
    out, points = [], []
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    for x, y in [*zip(xs, ys, strict=True), (math.nan, math.nan)]:
        if math.isfinite(y):
            points.append(f"{frame.x(x)},{frame.y(y)}")
        elif points:
            out.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="{width}" stroke-linejoin="round"{dash_attr} points="{" ".join(points)}"/>'
            )
            points = []
    return out


def _steps(values: np.ndarray) -> tuple[list[float], list[float]]:
    xs: list[float] = []
    ys: list[float] = []
    for i, v in enumerate(values.tolist()):
        xs += [i, i + 1]
        ys += [v, v]
    return xs, ys


def forecast_chart(
    *,
    past_days: Sequence[date],
    past_counts: np.ndarray | None,
    week_days: Sequence[date],
    forecast: np.ndarray,
    actual: np.ndarray | None,
    per_day: int,
    labels: dict[str, str],
) -> SafeString:
    """Calls per interval: the last weeks of history, then the forecast week (shaded)."""
    first = past_days[0] if past_days else week_days[0]
    days = [date.fromordinal(d) for d in range(first.toordinal(), week_days[-1].toordinal() + 1)]
    total = len(days) * per_day
    history = np.full(total, np.nan)
    if past_counts is not None:
        for row, day in zip(past_counts, past_days, strict=True):
            at = (day - first).days * per_day
            history[at : at + per_day] = row
    offset = (week_days[0] - first).days * per_day
    peak = max(float(np.nanmax(history)) if np.isfinite(history).any() else 0.0, float(forecast.max(initial=0)),
               float(np.nanmax(actual)) if actual is not None and np.isfinite(actual).any() else 0.0, 1.0)
    frame = _Frame(width=1100, height=300, x_max=total, y_max=peak * 1.08)
    parts = _open(frame, labels["title"])
    parts.append(
        f'<rect x="{frame.x(offset)}" y="{frame.top}" width="{round(frame.x(total) - frame.x(offset), 1)}" height="{frame.plot_h}" fill="#fff4e6"/>'
    )
    parts.append(f'<text x="{frame.x(offset) + 6}" y="{frame.top + 14}" fill="{FORECAST}" font-weight="600">{escape(labels["forecast_week"])}</text>')
    parts += _y_axis(frame, labels["y"])
    parts += _day_axis(frame, days, per_day, labels["x"])
    xs = [i + 0.5 for i in range(total)]
    parts += _polyline(frame, xs, history.tolist(), HISTORY, 1.3)
    week_xs = [offset + i + 0.5 for i in range(len(forecast))]
    if actual is not None:
        parts += _polyline(frame, week_xs, actual.tolist(), ACTUAL, 1.3)
    parts += _polyline(frame, week_xs, forecast.tolist(), FORECAST, 2.0)
    legend = [(HISTORY, labels["history"], "line"), (FORECAST, labels["forecast"], "line")]
    if actual is not None:
        legend.append((ACTUAL, labels["actual"], "line"))
    parts += _legend(frame, legend)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label and number above is escaped or numeric


def staffing_chart(
    *,
    days: Sequence[date],
    need: np.ndarray,
    agents: np.ndarray,
    scheduled: np.ndarray | None,
    per_day: int,
    labels: dict[str, str],
) -> SafeString:
    """Agents per interval over the week: needed with shrinkage, on the phones, scheduled."""
    peak = max(float(need.max(initial=0)), float(scheduled.max(initial=0)) if scheduled is not None else 0.0, 1.0)
    frame = _Frame(width=1100, height=280, x_max=len(need), y_max=math.ceil(peak * 1.1))
    parts = _open(frame, labels["title"])
    parts += _y_axis(frame, labels["y"])
    parts += _day_axis(frame, days, per_day, labels["x"])
    legend = [(NEED, labels["need"], "line"), (ERLANG, labels["agents"], "dash")]
    if scheduled is not None:
        # Shade every interval the schedule leaves short.
        bottom = frame.top + frame.plot_h
        for i in np.flatnonzero(scheduled + 1e-9 < need).tolist():
            x0, x1 = frame.x(i), frame.x(i + 1)
            y0 = frame.y(float(need[i]))
            y1 = frame.y(float(scheduled[i]))
            parts.append(f'<rect x="{x0}" y="{y0}" width="{round(x1 - x0, 1)}" height="{round(min(y1, bottom) - y0, 1)}" fill="{SHORT}" fill-opacity="0.3"/>')
        xs, ys = _steps(scheduled)
        parts += _polyline(frame, xs, ys, SCHEDULED, 1.8)
        legend += [(SCHEDULED, labels["scheduled"], "line"), (SHORT, labels["short"], "area")]
    xs, ys = _steps(agents.astype(float))
    parts += _polyline(frame, xs, ys, ERLANG, 1.4, "4 3")
    xs, ys = _steps(need.astype(float))
    parts += _polyline(frame, xs, ys, NEED, 1.8)
    parts += _legend(frame, legend)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - escaped above


def plan_check_chart(
    *,
    starts: Sequence[datetime],
    erlang: Sequence[float],
    simulated: Sequence[float | None],
    target: float,
    labels: dict[str, str],
) -> SafeString:
    """Service level per interval of one day: Erlang estimate, simulation and the target."""
    n = len(starts)
    frame = _Frame(width=1100, height=240, x_max=max(n, 1), y_max=100.0)
    parts = _open(frame, labels["title"])
    parts += _y_axis(frame, labels["y"])
    bottom = frame.top + frame.plot_h
    every = max(1, math.ceil(n / 16))
    for i, start in enumerate(starts):
        if i % every == 0:
            parts.append(f'<text x="{frame.x(i + 0.5)}" y="{bottom + 14}" text-anchor="middle" fill="#5d6776">{start:%H:%M}</text>')
    parts.append(
        f'<text x="{frame.left + frame.plot_w / 2}" y="{frame.height - 6}" text-anchor="middle" fill="#5d6776">{escape(labels["x"])}</text>'
    )
    y = frame.y(target * 100)
    parts.append(f'<line x1="{frame.left}" x2="{frame.left + frame.plot_w}" y1="{y}" y2="{y}" stroke="{TARGET}" stroke-dasharray="6 4"/>')
    xs = [i + 0.5 for i in range(n)]
    parts += _polyline(frame, xs, [v * 100 for v in erlang], NEED, 2.0)
    sim = [math.nan if v is None else v * 100 for v in simulated]
    parts += _polyline(frame, xs, sim, FORECAST, 2.0)
    for x, v in zip(xs, sim, strict=True):
        if math.isfinite(v):
            parts.append(f'<circle cx="{frame.x(x)}" cy="{frame.y(v)}" r="2.5" fill="{FORECAST}"/>')
    parts += _legend(frame, [(NEED, labels["erlang"], "line"), (FORECAST, labels["simulated"], "line"), (TARGET, labels["target"], "dash")])
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - escaped above
