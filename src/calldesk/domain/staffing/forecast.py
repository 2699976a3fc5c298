"""Call-volume forecast per interval (15 or 30 minutes) from history.

History is a daily grid: one row per day with data, one column per interval of the
opening hours.  Days are the centre's local days: aggregate timestamps that are already
in the centre's time zone.

Holidays are passed in as a set of dates.  They are left out of every fit (their volume
says nothing about normal days), they are not scored in backtests, and a forecast for a
holiday is the normal forecast times ``holiday_factor`` (0 = closed).  The first open
day after one or more holidays (e.g. the Tuesday after a Monday holiday) often carries
catch-up volume; :class:`LevelProfileModel` learns that uplift from earlier holidays in
the history and leaves those days out of its other estimates.

Models
------
* :class:`SameWeekdayMeanModel` (the baseline): mean of the last 4 same-weekday values
  of the interval.
* :class:`LevelProfileModel`: exponential smoothing of weekday-adjusted daily totals,
  times the weekday factor, times the mean intraday profile of recent same weekdays,
  times the post-holiday uplift.  It averages over more days than the baseline for the
  shape (less noise) and follows level changes faster than a 4-week mean.

Errors: WAPE is ``sum |forecast - actual| / sum actual`` over all scored intervals;
MAPE is the mean of ``|forecast - actual| / actual`` over scored intervals with a
non-zero actual (intervals without calls have no percentage error).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol

import numpy as np

from calldesk.domain.staffing._special import FloatArray

MINUTES_PER_DAY = 24 * 60


def _read_only(array: FloatArray) -> FloatArray:
    out = np.array(array, dtype=np.float64, copy=True)
    out.flags.writeable = False
    return out


@dataclass(frozen=True, slots=True)
class IntervalHistory:
    """Calls per interval: ``counts[d, i]`` for ``days[d]`` and interval ``i`` of the day.

    Interval ``i`` starts at minute ``first_interval_minute + i * interval_minutes`` of
    the local day.
    """

    days: tuple[date, ...]
    counts: FloatArray
    interval_minutes: int
    first_interval_minute: int = 0

    def __post_init__(self) -> None:
        if self.interval_minutes <= 0 or MINUTES_PER_DAY % self.interval_minutes:
            raise ValueError("interval length must divide the day (e.g. 15 or 30 minutes)")
        counts = np.asarray(self.counts, dtype=np.float64)
        if counts.ndim != 2 or counts.shape[0] != len(self.days):
            raise ValueError("counts must have one row per day")
        if counts.shape[1] * self.interval_minutes + self.first_interval_minute > MINUTES_PER_DAY:
            raise ValueError("intervals run past the end of the day")
        if not np.all(np.isfinite(counts)) or np.any(counts < 0):
            raise ValueError("counts must be finite and non-negative")
        if any(b <= a for a, b in zip(self.days, self.days[1:], strict=False)):
            raise ValueError("days must be strictly increasing")
        object.__setattr__(self, "counts", _read_only(counts))

    @property
    def intervals_per_day(self) -> int:
        return int(self.counts.shape[1])

    def before(self, day: date) -> IntervalHistory:
        """The history strictly before ``day`` (the forecast origin for ``day``)."""
        keep = sum(1 for d in self.days if d < day)
        return IntervalHistory(self.days[:keep], self.counts[:keep], self.interval_minutes, self.first_interval_minute)


def calculate_interval_history(
    timestamps: Sequence[datetime], calls: Sequence[float], interval_minutes: int
) -> IntervalHistory:
    """Aggregate timestamped counts into a daily grid of ``interval_minutes`` intervals.

    Each count goes to the interval containing its timestamp, read on the timestamp's
    own wall clock (timestamps must be timezone-aware; convert them to the centre's
    zone first).  Columns run from the earliest to the latest interval seen on any day;
    intervals without data on a day that has data count as zero calls.
    """
    if len(timestamps) != len(calls):
        raise ValueError("timestamps and calls must have the same length")
    if not timestamps:
        raise ValueError("history is empty")
    if interval_minutes <= 0 or MINUTES_PER_DAY % interval_minutes:
        raise ValueError("interval length must divide the day (e.g. 15 or 30 minutes)")
    slots: dict[tuple[date, int], float] = {}
    for ts, value in zip(timestamps, calls, strict=True):
        if ts.tzinfo is None or ts.utcoffset() is None:
            raise ValueError("timestamps must be timezone-aware")
        slot = (ts.hour * 60 + ts.minute) // interval_minutes
        key = (ts.date(), slot)
        slots[key] = slots.get(key, 0.0) + float(value)
    days = sorted({d for d, _ in slots})
    first = min(s for _, s in slots)
    last = max(s for _, s in slots)
    counts = np.zeros((len(days), last - first + 1))
    row = {d: i for i, d in enumerate(days)}
    for (d, s), value in slots.items():
        counts[row[d], s - first] = value
    return IntervalHistory(tuple(days), counts, interval_minutes, first * interval_minutes)


def calculate_after_holiday(day: date, holidays: frozenset[date], open_weekdays: frozenset[int]) -> bool:
    """Whether ``day`` is the first open day after one or more holidays.

    Walks back over closed weekdays (e.g. the weekend of a Monday-to-Friday centre);
    meeting a holiday before an ordinary open day means catch-up volume.
    """
    probe = day - timedelta(days=1)
    for _ in range(14):
        if probe in holidays:
            return True
        if probe.weekday() in open_weekdays:
            return False
        probe -= timedelta(days=1)
    return False


class ForecastModel(Protocol):
    """A day-ahead model: expected calls per interval of ``day`` from ``history``."""

    @property
    def name(self) -> str: ...

    def forecast_day(self, history: IntervalHistory, day: date, holidays: frozenset[date]) -> FloatArray: ...


def _regular_rows(history: IntervalHistory, holidays: frozenset[date]) -> list[int]:
    return [i for i, d in enumerate(history.days) if d not in holidays]


def _require_history(rows: Sequence[int]) -> None:
    if not rows:
        raise ValueError("no usable history before the forecast day (all days missing or holidays)")


@dataclass(frozen=True, slots=True)
class SameWeekdayMeanModel:
    """Baseline: mean of the last ``weeks`` same-weekday values of each interval."""

    weeks: int = 4
    name: str = field(default="same_weekday_mean", init=False)

    def forecast_day(self, history: IntervalHistory, day: date, holidays: frozenset[date]) -> FloatArray:
        rows = _regular_rows(history.before(day), holidays)
        _require_history(rows)
        same = [i for i in rows if history.days[i].weekday() == day.weekday()][-self.weeks :]
        chosen = same or rows[-self.weeks :]
        return np.asarray(history.counts[chosen].mean(axis=0), dtype=np.float64)


@dataclass(frozen=True, slots=True)
class LevelProfileModel:
    """Smoothed daily level x weekday factor x intraday profile x post-holiday uplift.

    * ``alpha``: smoothing weight of the newest weekday-adjusted daily total.
    * ``factor_weeks``: weeks of recent days used for the weekday factors.
    * ``profile_weeks``: recent same-weekday days averaged for the intraday profile.
    * ``post_holiday_uplift``: scale the first open day after holidays by the mean
      ratio observed after earlier holidays in the history.
    """

    alpha: float = 0.2
    factor_weeks: int = 8
    profile_weeks: int = 10
    post_holiday_uplift: bool = True
    name: str = field(default="level_profile", init=False)

    def __post_init__(self) -> None:
        if not 0.0 < self.alpha <= 1.0:
            raise ValueError("alpha must be in (0, 1]")
        if self.factor_weeks < 1 or self.profile_weeks < 1:
            raise ValueError("factor_weeks and profile_weeks must be at least 1")

    def forecast_day(self, history: IntervalHistory, day: date, holidays: frozenset[date]) -> FloatArray:
        past = history.before(day)
        open_weekdays = frozenset(d.weekday() for d in past.days)
        after = [calculate_after_holiday(d, holidays, open_weekdays) for d in past.days]
        rows = [i for i in _regular_rows(past, holidays) if not after[i]]
        if not rows:
            rows = _regular_rows(past, holidays)
        _require_history(rows)
        totals = past.counts.sum(axis=1)
        weekday = [d.weekday() for d in past.days]

        factors = self._weekday_factors(rows, totals, weekday, len(open_weekdays))
        level = totals[rows[0]] / factors.get(weekday[rows[0]], 1.0)
        for i in rows[1:]:
            level += self.alpha * (totals[i] / factors.get(weekday[i], 1.0) - level)
        expected_total = level * factors.get(day.weekday(), 1.0)

        if self.post_holiday_uplift and calculate_after_holiday(day, holidays, open_weekdays):
            expected_total *= self._uplift(past, holidays, after, rows, totals, weekday)

        same = [i for i in rows if weekday[i] == day.weekday()][-self.profile_weeks :]
        chosen = [i for i in (same or rows[-self.profile_weeks * 5 :]) if totals[i] > 0]
        if not chosen:
            return np.zeros(past.intervals_per_day)
        profiles = past.counts[chosen] / totals[chosen, None]
        return np.asarray(expected_total * profiles.mean(axis=0), dtype=np.float64)

    def _weekday_factors(
        self, rows: list[int], totals: FloatArray, weekday: list[int], open_days_per_week: int
    ) -> dict[int, float]:
        recent = rows[-self.factor_weeks * max(open_days_per_week, 1) :]
        mean_total = float(np.mean(totals[recent]))
        if mean_total <= 0:
            return {}
        factors: dict[int, float] = {}
        for w in sorted({weekday[i] for i in recent}):
            values = [totals[i] for i in recent if weekday[i] == w]
            factors[w] = float(np.mean(values)) / mean_total
        return {w: f for w, f in factors.items() if f > 0}

    def _uplift(
        self,
        past: IntervalHistory,
        holidays: frozenset[date],
        after: list[bool],
        rows: list[int],
        totals: FloatArray,
        weekday: list[int],
    ) -> float:
        ratios = []
        for i, is_after in enumerate(after):
            if not is_after or past.days[i] in holidays:
                continue
            previous = [j for j in rows if j < i and weekday[j] == weekday[i]][-4:]
            reference = float(np.mean(totals[previous])) if previous else 0.0
            if reference > 0:
                ratios.append(totals[i] / reference)
        return float(np.mean(ratios)) if ratios else 1.0


@dataclass(frozen=True, slots=True)
class Forecast:
    """Expected calls per interval for each of ``days`` (same grid as the history)."""

    model: str
    days: tuple[date, ...]
    counts: FloatArray
    interval_minutes: int
    first_interval_minute: int

    def day(self, day: date) -> FloatArray:
        return np.asarray(self.counts[self.days.index(day)], dtype=np.float64)


def calculate_forecast(
    history: IntervalHistory,
    days: Sequence[date],
    model: ForecastModel,
    *,
    holidays: frozenset[date] = frozenset(),
    holiday_factor: float = 0.0,
) -> Forecast:
    """Forecast each of ``days`` from the history before it (all of it for future days)."""
    if holiday_factor < 0:
        raise ValueError("holiday factor must be non-negative")
    rows = []
    for day in days:
        values = model.forecast_day(history, day, holidays)
        rows.append(values * holiday_factor if day in holidays else values)
    counts = np.array(rows, dtype=np.float64).reshape(len(rows), history.intervals_per_day)
    return Forecast(model.name, tuple(days), _read_only(counts), history.interval_minutes, history.first_interval_minute)


@dataclass(frozen=True, slots=True)
class BacktestResult:
    """Rolling-origin, day-ahead errors of a model over ``days`` (fractions, not %)."""

    model: str
    days: tuple[date, ...]
    wape: float
    mape: float
    day_wape: tuple[float, ...]


def calculate_backtest(
    history: IntervalHistory,
    model: ForecastModel,
    *,
    days: int = 20,
    holidays: frozenset[date] = frozenset(),
) -> BacktestResult:
    """Forecast each of the last ``days`` non-holiday days from the history before it."""
    if days < 1:
        raise ValueError("backtest needs at least one day")
    scored = [i for i, d in enumerate(history.days) if d not in holidays][-days:]
    if len(scored) < days:
        raise ValueError(f"history has only {len(scored)} non-holiday days; {days} requested")
    absolute_error = 0.0
    actual_total = 0.0
    percentage_errors: list[FloatArray] = []
    day_wape = []
    for i in scored:
        actual = history.counts[i]
        predicted = model.forecast_day(history, history.days[i], holidays)
        error = np.abs(predicted - actual)
        absolute_error += float(error.sum())
        actual_total += float(actual.sum())
        nonzero = actual > 0
        percentage_errors.append(error[nonzero] / actual[nonzero])
        day_wape.append(float(error.sum() / actual.sum()) if actual.sum() > 0 else float("nan"))
    all_pe = np.concatenate(percentage_errors)
    return BacktestResult(
        model=model.name,
        days=tuple(history.days[i] for i in scored),
        wape=absolute_error / actual_total if actual_total > 0 else float("nan"),
        mape=float(all_pe.mean()) if all_pe.size else float("nan"),
        day_wape=tuple(day_wape),
    )
