"""Benchmark: day-ahead call-volume forecast vs the same-weekday-mean baseline.

Reads a CSV with columns ``DateTime`` (ISO 8601, timezone-aware) and ``Calls`` (e.g. the
5-minute arrivals of a bank, columns rownames,DateTime,Calls), aggregates to 30-minute
intervals and backtests both models with a rolling origin over the last 20 open days.

Holidays are taken from the data itself: open weekdays (weekdays that occur in the
file) between the first and the last day that have no rows at all.

Run: .venv/bin/python bench/forecast.py PATH
"""

from __future__ import annotations

import argparse
import csv
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from calldesk.domain.staffing import (
    IntervalHistory,
    LevelProfileModel,
    SameWeekdayMeanModel,
    calculate_backtest,
    calculate_interval_history,
)

INTERVAL_MINUTES = 30
BACKTEST_DAYS = 20


def _read(path: Path) -> IntervalHistory:
    timestamps: list[datetime] = []
    calls: list[float] = []
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            timestamps.append(datetime.fromisoformat(row["DateTime"]))
            calls.append(float(row["Calls"]))
    return calculate_interval_history(timestamps, calls, INTERVAL_MINUTES)


def _closed_open_weekdays(history: IntervalHistory) -> frozenset[date]:
    present = set(history.days)
    open_weekdays = {d.weekday() for d in present}
    day, last = history.days[0], history.days[-1]
    missing = set()
    while day <= last:
        if day.weekday() in open_weekdays and day not in present:
            missing.add(day)
        day += timedelta(days=1)
    return frozenset(missing)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="CSV with DateTime and Calls columns")
    args = parser.parse_args()

    history = _read(args.path)
    holidays = _closed_open_weekdays(history)
    print(
        f"{len(history.days)} days {history.days[0]}..{history.days[-1]}, "
        f"{history.intervals_per_day} intervals of {INTERVAL_MINUTES} min; "
        f"holidays (no data on an open weekday): {', '.join(str(d) for d in sorted(holidays))}"
    )
    results = {}
    for model in (SameWeekdayMeanModel(), LevelProfileModel()):
        start = time.perf_counter()
        results[model.name] = calculate_backtest(history, model, days=BACKTEST_DAYS, holidays=holidays)
        elapsed = time.perf_counter() - start
        r = results[model.name]
        print(
            f"{model.name:>18}: WAPE {r.wape * 100:.2f}%  MAPE {r.mape * 100:.2f}%  "
            f"({r.days[0]}..{r.days[-1]}, {elapsed * 1e3:.0f} ms)"
        )
    ours = results["level_profile"]
    baseline = results["same_weekday_mean"]
    assert ours.wape < baseline.wape, "the model must beat the baseline"
    print(f"forecast wape={ours.wape * 100:.2f} baseline_wape={baseline.wape * 100:.2f}")


if __name__ == "__main__":
    main()
