"""Man-hours from logged agent states (R-REP-2) and planned man-hours for next month (R-REP-5)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import numpy as np
import openpyxl
import pytest
from django.urls import reverse

from calldesk.apps.accounts.roles import Role
from calldesk.apps.calls.models import AgentStateLog
from calldesk.apps.workforce import services
from calldesk.domain.staffing import ServiceLevelTarget, calculate_required_agents

from .factories import WEEK, make_history


def _log(agent, hotline, state, start, end):
    return AgentStateLog.objects.create(agent=agent, hotline=hotline, state=state, started_at=start, ended_at=end)


def at(day, hour, minute=0):
    return datetime(2025, 1, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def state_log(users, hotline_a, hotline_b):
    op = users[Role.OPERATOR]
    _log(op, hotline_a, "ready", at(10, 22), at(11, 2))  # spans midnight: 4 h in January
    _log(op, hotline_a, "talking", at(11, 2), at(11, 2, 30))
    _log(op, hotline_a, "break", at(11, 2, 30), at(11, 3))  # logged in, not productive
    _log(op, hotline_a, "offline", at(11, 3), at(11, 9))  # neither
    _log(op, hotline_b, "wrap_up", datetime(2025, 1, 31, 23, tzinfo=UTC), datetime(2025, 2, 1, 1, tzinfo=UTC))
    _log(op, None, "ready", at(12, 8), at(12, 9))
    return op


@pytest.mark.django_db
def test_man_hours_per_operator_hotline_and_client_from_the_state_log(state_log, hotline_a, hotline_b):
    # R-REP-2: a state spanning midnight counts whole; one spanning the month end is split.
    report = services.get_man_hours(date(2025, 1, 1), now=at(31, 12))
    by_hotline = {r.hotline_id: r for r in report.rows}
    a = by_hotline[str(hotline_a.pk)]
    assert (a.productive_hours, a.logged_in_hours) == (Decimal("4.5000"), Decimal("5.0000"))
    b = by_hotline[str(hotline_b.pk)]
    assert (b.productive_hours, b.logged_in_hours) == (Decimal("1.0000"), Decimal("1.0000"))
    assert by_hotline[""].productive_hours == Decimal("1.0000")
    clients = {c["client"]: c["productive_hours"] for c in report.clients}
    assert clients == {"Client A": Decimal("4.5000"), "Client B": Decimal("1.0000"), "": Decimal("1.0000")}
    february = services.get_man_hours(date(2025, 2, 1), now=datetime(2025, 2, 10, tzinfo=UTC))
    assert [(r.hotline_id, r.productive_hours) for r in february.rows] == [(str(hotline_b.pk), Decimal("1.0000"))]


@pytest.mark.django_db
def test_an_open_state_counts_up_to_now(users, hotline_a):
    # R-REP-2
    _log(users[Role.OPERATOR], hotline_a, "ready", at(20, 8), None)
    report = services.get_man_hours(date(2025, 1, 1), now=at(20, 10, 30))
    assert report.rows[0].productive_hours == Decimal("2.5000")


@pytest.mark.django_db
def test_man_hours_page_and_xlsx(state_log, users):
    # R-REP-2
    from django.test import Client

    client = Client(headers={"accept-language": "en"})
    client.force_login(users[Role.FINANCE])
    page = client.get(reverse("workforce:man_hours") + "?month=2025-01").content.decode()
    assert "Man-hours, January 2025" in page and "Client A" in page
    assert "Give the month as YYYY-MM." in client.get(reverse("workforce:man_hours") + "?month=jan").content.decode()
    export = client.get(reverse("workforce:man_hours_export") + "?month=2025-01")
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    assert book.sheetnames == ["Operators", "Hotlines", "Clients"]
    assert book["Operators"].max_row == 1 + 3


@pytest.mark.django_db
def test_planned_man_hours_are_the_staffing_of_the_months_forecast(hotline_a):
    # R-REP-5: the contract the cost estimate relies on.
    march = date(2025, 3, 1)
    make_history(hotline_a, weeks=4, until=march)
    hours = services.get_planned_man_hours(hotline_a, date(2025, 3, 17))  # any day of the month
    # Every day forecasts the same 09:00-13:00 profile (flat history), 31 days of March.
    calls = np.zeros(48)
    calls[18:26] = [6, 10, 12, 12, 10, 8, 6, 4]
    need = calculate_required_agents(
        calls=calls, aht_s=180.0, interval_s=1800, target=ServiceLevelTarget(0.8, 20), max_occupancy=0.9, shrinkage=0.3,
    ).agents_with_shrinkage
    assert isinstance(hours, Decimal) and hours == Decimal(int(need.sum()) * 31) / 2
    assert hours.as_tuple().exponent == -2


@pytest.mark.django_db
def test_planned_man_hours_need_history(hotline_a):
    # R-REP-5
    make_history(hotline_a, weeks=1, until=WEEK)
    with pytest.raises(services.WorkforceError, match="no call history"):
        services.get_planned_man_hours(hotline_a, WEEK - timedelta(days=60))
