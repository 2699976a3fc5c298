"""The staffing plan: forecast, agents per interval, schedule, what-if, plan check, XLSX
(R-WFM-1)."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse

from calldesk.apps.workforce import services
from calldesk.apps.workforce.models import PlannedShift, ShiftPlan

from .factories import WEEK, make_history, make_operators, make_template


@pytest.fixture
def planned(hotline_a):
    make_history(hotline_a)
    make_template()
    make_operators(4)
    return hotline_a


def _plan_url(hotline, **params):
    query = "&".join(f"{k}={v}" for k, v in {"hotline": hotline.pk, "week": WEEK.isoformat(), **params}.items())
    return f"{reverse('workforce:plan')}?{query}"


@pytest.mark.django_db
def test_more_aht_needs_more_agents(planned):
    # R-WFM-1: the what-if recomputes the staffing from the same forecast.
    base = services.get_week_plan(planned, WEEK)
    longer = services.replan(base, services.PlanParameters(**{**base.parameters.as_dict(), "aht_s": 400}))
    assert base.parameters.aht_s == 180  # the history's AHT
    assert longer.staffing.agents.sum() > base.staffing.agents.sum()
    assert (longer.staffing.agents >= base.staffing.agents).all()
    assert (longer.calls == base.calls).all()


@pytest.mark.django_db
def test_patience_switches_to_erlang_a_and_shrinkage_adds_paid_agents(planned):
    # R-WFM-1
    base = services.get_week_plan(planned, WEEK)
    p = base.parameters.as_dict()
    erlang_a = services.replan(base, services.PlanParameters(**{**p, "patience_s": 60}))
    assert erlang_a.staffing.metrics.model.value == "erlang_a"
    assert erlang_a.staffing.metrics.abandon_rate.max() > 0
    no_shrink = services.replan(base, services.PlanParameters(**{**p, "shrinkage": 0.0}))
    assert (no_shrink.need == no_shrink.staffing.agents).all()
    assert base.need.sum() > no_shrink.need.sum()


@pytest.mark.django_db
def test_forecast_follows_the_history_on_the_hotlines_local_clock(planned):
    # R-WFM-1: 09:00-13:00 local history gives a forecast in the same intervals.
    plan = services.get_week_plan(planned, WEEK + timedelta(days=3))  # any day of the week
    assert plan.week_start == WEEK
    monday = plan.calls[plan.day_slice(0)]
    assert monday[18] == pytest.approx(6) and monday[20] == pytest.approx(12)
    assert monday[:18].sum() == 0 and monday[26:].sum() == 0
    assert plan.starts[18].hour == 9 and str(plan.starts[18].tzinfo) == "Europe/Moscow"


@pytest.mark.django_db
def test_a_hotline_without_history_gets_a_clear_message(hotline_a, head):
    # R-WFM-1
    with pytest.raises(services.WorkforceError, match="no call history"):
        services.get_week_plan(hotline_a, WEEK)
    page = head.get(_plan_url(hotline_a))
    assert page.status_code == 200
    assert "There is no call history" in page.content.decode()


@pytest.mark.django_db
def test_build_schedule_covers_the_need_and_the_page_shows_it(planned, head):
    # R-WFM-1: forecast chart, staffing table and a schedule grid that covers the need.
    page = head.get(_plan_url(planned))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'aria-label="Calls per 30 minutes: history and forecast"' in body
    assert 'aria-label="Agents per 30 minutes"' in body
    assert "Build schedule" in body and "wf-schedule" not in body

    response = head.post(reverse("workforce:schedule_build"), {"hotline": planned.pk, "week": WEEK.isoformat()})
    assert response.status_code == 302
    plan = ShiftPlan.objects.get(hotline=planned, week_start=WEEK)
    assert plan.status == "optimal"
    assert PlannedShift.objects.filter(plan=plan).exists()
    week = services.get_week_plan(planned, WEEK)
    assert (week.gap >= 0).all()  # no understaffed interval

    body = head.get(_plan_url(planned)).content.decode()
    assert "wf-schedule" in body and "Rebuild schedule" in body
    assert "09:00–13:00" in body


@pytest.mark.django_db
def test_what_if_rerenders_the_plan_body_with_more_agents(planned, head):
    # R-WFM-1: an htmx request gets the plan body only, with the new numbers.
    services.build_schedule(planned, WEEK, None)
    base = head.get(_plan_url(planned), headers={"HX-Request": "true"}).content.decode()
    more = head.get(_plan_url(planned, aht=400, volume=100, sl=80, sl_seconds=20, shrinkage=30),
                    headers={"HX-Request": "true"}).content.decode()
    assert base.startswith('\n<div id="plan-body"') and "<html" not in more
    assert "built for other parameters" in more and "built for other parameters" not in base
    needed = services.replan(services.get_week_plan(planned, WEEK),
                             services.PlanParameters(aht_s=400, shrinkage=0.3, max_occupancy=0.9)).need.sum() / 2
    assert f"<b>{needed:.0f}</b><span>agent-hours needed" in more


@pytest.mark.django_db
def test_what_if_rejects_bad_values_with_a_message(planned, head):
    # R-WFM-1
    page = head.get(_plan_url(planned, aht=-5, volume=100, sl=80, sl_seconds=20, shrinkage=30))
    assert page.status_code == 200
    assert "Ensure this value is greater than or equal to 1" in page.content.decode()


@pytest.mark.django_db
def test_schedule_without_templates_is_refused_with_a_message(hotline_a, head):
    # R-WFM-1
    make_history(hotline_a)
    make_operators(2)
    response = head.post(reverse("workforce:schedule_build"), {"hotline": hotline_a.pk, "week": WEEK.isoformat()}, follow=True)
    assert "no active shift templates" in response.content.decode()
    assert not ShiftPlan.objects.exists()


@pytest.mark.django_db
def test_plan_check_simulates_the_scheduled_day(planned, head):
    # R-WFM-1: simulated service level per interval next to the Erlang estimate.
    services.build_schedule(planned, WEEK, None)
    plan = services.get_week_plan(planned, WEEK)
    check = services.get_plan_check(plan, 0, runs=4)
    assert check.runs == 4 and len(check.rows) == 8
    assert all(r.simulated_sl is not None and 0 <= r.simulated_sl <= 1 for r in check.rows)
    assert check.simulated_sl is not None and check.erlang_sl is not None
    assert services.get_plan_check(plan, 0, runs=4) == check  # fixed seeds
    page = head.get(reverse("workforce:plan_check", args=[planned.pk]) + f"?week={WEEK}&day=0")
    assert "service level, simulated" in page.content.decode()


@pytest.mark.django_db
def test_xlsx_export_has_forecast_staffing_and_schedule_sheets(planned, head):
    # R-WFM-1
    services.build_schedule(planned, WEEK, None)
    response = head.get(reverse("workforce:plan_export", args=[planned.pk]) + f"?week={WEEK}&aht=240")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:3] == ["Forecast", "Staffing", "Schedule"]
    staffing = list(book["Staffing"].iter_rows(values_only=True))
    assert len(staffing) == 1 + 7 * 48
    assert staffing[19][2] == 240  # 09:00 Monday, at the what-if AHT
    assert book["Schedule"].max_row == 1 + PlannedShift.objects.count()
