"""Interval history for the forecast: recorded calls and imported volumes, bucketed on the
hotline's local clock (R-WFM-1)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from calldesk.apps.calls.models import Call
from calldesk.apps.workforce import selectors, services
from calldesk.apps.workforce.models import IntervalVolume

SINCE = datetime(2025, 3, 1, tzinfo=UTC)
UNTIL = datetime(2025, 3, 10, tzinfo=UTC)


def _call(hotline, at: datetime, talk: int = 100, hold: int = 20, wrap: int = 30) -> Call:
    return Call.objects.create(hotline=hotline, number="+79030000000", offered_at=at, talk_seconds=talk,
                               hold_seconds=hold, wrap_seconds=wrap, outcome=Call.Outcome.ANSWERED)


@pytest.mark.django_db
def test_calls_are_bucketed_by_half_hour_of_the_hotlines_local_day(hotline_a):
    # R-WFM-1: a call at 18:40 UTC is 00:10 next day in Kolkata (+05:30), interval 0.
    hotline_a.time_zone = "Asia/Kolkata"
    hotline_a.save()
    _call(hotline_a, datetime(2025, 3, 3, 18, 40, tzinfo=UTC))
    _call(hotline_a, datetime(2025, 3, 3, 18, 59, tzinfo=UTC), talk=200, hold=0, wrap=0)
    _call(hotline_a, datetime(2025, 3, 3, 18, 29, tzinfo=UTC))  # 23:59 local, the day before
    history = selectors.get_hotline_history(hotline_a, SINCE, UNTIL)
    grid = history.history
    assert grid.days == (date(2025, 3, 3), date(2025, 3, 4))
    assert grid.counts.shape == (2, 48)
    assert grid.counts[1, 0] == 2 and grid.counts[1].sum() == 2
    assert grid.counts[0, 47] == 1 and grid.counts[0].sum() == 1
    # AHT is talk + hold + wrap-up of handled calls: (150 + 200 + 150) / 3.
    assert history.aht_s == pytest.approx(500 / 3)


@pytest.mark.django_db
def test_abandoned_calls_count_as_offered_but_not_in_the_aht(hotline_a):
    # R-WFM-1
    _call(hotline_a, datetime(2025, 3, 3, 7, 0, tzinfo=UTC))
    _call(hotline_a, datetime(2025, 3, 3, 7, 10, tzinfo=UTC), talk=0, hold=0, wrap=0)
    history = selectors.get_hotline_history(hotline_a, SINCE, UNTIL)
    assert history.history.counts.sum() == 2
    assert history.aht_s == 150


@pytest.mark.django_db
def test_an_imported_day_replaces_the_calls_recorded_that_day(hotline_a):
    # R-WFM-1: an export overlapping recorded calls must not count them twice.
    _call(hotline_a, datetime(2025, 3, 3, 7, 0, tzinfo=UTC))  # 10:00 Moscow, day with import
    _call(hotline_a, datetime(2025, 3, 4, 7, 0, tzinfo=UTC))  # 10:00 Moscow, no import that day
    IntervalVolume.objects.create(hotline=hotline_a, interval_start=datetime(2025, 3, 3, 7, 0, tzinfo=UTC), calls=9, aht_s=200)
    grid = selectors.get_hotline_history(hotline_a, SINCE, UNTIL).history
    assert grid.days == (date(2025, 3, 3), date(2025, 3, 4))
    assert grid.counts[0, 20] == 9 and grid.counts[0].sum() == 9
    assert grid.counts[1, 20] == 1


@pytest.mark.django_db
def test_csv_import_reads_local_times_and_replaces_stored_intervals(hotline_a):
    # R-WFM-1: history exported from a PBX; times without an offset are the hotline's.
    data = b"interval_start,calls,aht_s\n2025-03-03T10:00,12,185\n2025-03-03T10:30+03:00,7,\n"
    assert services.import_interval_volumes(hotline_a, data) == 2
    assert services.import_interval_volumes(hotline_a, b"2025-03-03T10:00;14;190\n") == 1
    stored = dict(IntervalVolume.objects.values_list("interval_start", "calls"))
    assert stored == {datetime(2025, 3, 3, 7, 0, tzinfo=UTC): 14, datetime(2025, 3, 3, 7, 30, tzinfo=UTC): 7}


@pytest.mark.django_db
@pytest.mark.parametrize("data, message", [
    (b"2025-03-03T10:15,3\n", "half hour"),
    (b"2025-03-03T10:00,-3\n", "negative"),
    (b"yesterday,3\n2025-03-03T10:00,x\n", "Line 2"),
    (b"", "no intervals"),
])
def test_csv_import_refuses_bad_lines_and_saves_nothing(hotline_a, data, message):
    # R-WFM-1
    with pytest.raises(services.WorkforceError, match=message):
        services.import_interval_volumes(hotline_a, b"2025-03-03T09:00,1\n" + data if data else data)
    assert not IntervalVolume.objects.exists()
