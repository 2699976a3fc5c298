"""JSON API of workforce planning: staffing, forecast, man-hours (R-WFM-1, R-REP-2, R-REP-5).
Bad input is a 4xx with `detail`."""

from __future__ import annotations

import pytest
from django.test import Client

from calldesk.apps.accounts.roles import Role

from .factories import WEEK, make_history


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_staffing_returns_agents_per_interval(users):
    # R-WFM-1
    response = _client(users[Role.OPERATOR]).get("/api/workforce/staffing", {"calls": "0,20,60", "aht": 180})
    body = response.json()
    assert response.status_code == 200 and body["model"] == "erlang_c"
    assert body["agents"][0] == 0 and body["agents"][1] < body["agents"][2]
    patient = _client(users[Role.OPERATOR]).get("/api/workforce/staffing", {"calls": "60", "aht": 180, "patience": 60}).json()
    assert patient["model"] == "erlang_a" and patient["abandon_rate"][0] > 0


@pytest.mark.django_db
@pytest.mark.parametrize("params", [
    {"calls": "10,x", "aht": 180},
    {"calls": "10", "aht": 0},
    {"calls": "-1", "aht": 180},
    {"calls": "", "aht": 180},
    {"calls": "10", "aht": 180, "sl": 1.5},
    {"calls": "10", "aht": 180, "shrinkage": 1},
    {"calls": "10", "aht": 180, "interval": 0},
    {"calls": "10", "aht": "slow"},
    {"aht": 180},
])
def test_staffing_bad_input_is_a_4xx_with_detail(users, params):
    # R-WFM-1
    response = _client(users[Role.CC_HEAD]).get("/api/workforce/staffing", params)
    assert 400 <= response.status_code < 500
    assert response.json()["detail"]


@pytest.mark.django_db
def test_forecast_for_a_hotline_and_week(users, hotline_a):
    # R-WFM-1
    make_history(hotline_a)
    client = _client(users[Role.CC_HEAD])
    body = client.get("/api/workforce/forecast", {"hotline": hotline_a.code, "week": WEEK.isoformat()}).json()
    assert body["week_start"] == "2025-03-03" and len(body["intervals"]) == 7 * 48
    assert body["intervals"][20]["calls"] == pytest.approx(12) and body["intervals"][20]["agents"] > 0
    assert client.get("/api/workforce/forecast", {"hotline": "nope"}).status_code == 404
    assert client.get("/api/workforce/forecast", {"hotline": hotline_a.code, "week": "soon"}).status_code == 422
    assert client.get("/api/workforce/forecast", {"hotline": hotline_a.code, "week": "2024-01-01"}).status_code == 400
    assert _client(users[Role.OPERATOR]).get("/api/workforce/forecast", {"hotline": hotline_a.code}).status_code == 403


@pytest.mark.django_db
def test_man_hours_and_planned_man_hours(users, hotline_a):
    # R-REP-2, R-REP-5
    make_history(hotline_a)
    finance = _client(users[Role.FINANCE])
    assert finance.get("/api/workforce/man-hours", {"month": "2025-01"}).json()["operators"] == []
    assert finance.get("/api/workforce/man-hours", {"month": "January"}).status_code == 400
    planned = finance.get("/api/workforce/planned-man-hours", {"hotline": hotline_a.code, "month": "2025-03"})
    assert planned.status_code == 200 and float(planned.json()["paid_hours"]) > 0
    assert finance.get("/api/workforce/planned-man-hours", {"hotline": hotline_a.code, "month": "2020-01"}).status_code == 400
    assert finance.get("/api/workforce/planned-man-hours", {"hotline": hotline_a.code, "month": "13"}).status_code == 400
    assert _client(users[Role.OPERATOR]).get("/api/workforce/man-hours", {"month": "2025-01"}).status_code == 403
