"""One planned operator count for every reader: the approved spec's (R-HL-1, R-HL-3)."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from calldesk.apps.accounts.roles import Role
from calldesk.apps.hotlines import selectors, services

from .factories import good_spec, make_version


def test_before_any_approved_spec_the_hotlines_own_estimate_is_used(hotline_a):
    # R-HL-1: Hotline.planned_operators is the first estimate, used until a spec is approved.
    hotline_a.planned_operators = 3
    hotline_a.save()
    make_version(hotline_a, status="proposed", spec=good_spec(planned_operators=8))
    assert selectors.get_planned_operators(hotline_a) == 3


def test_the_effective_spec_decides_and_a_scheduled_one_takes_over_at_its_time(users, hotline_a):
    # R-HL-1, R-HL-2: nothing is copied, so a version approved for later needs no job to switch.
    now = timezone.now()
    hotline_a.planned_operators = 3
    hotline_a.save()
    make_version(hotline_a, status="approved", spec=good_spec(planned_operators=7), effective_from=now - timedelta(days=1))
    make_version(hotline_a, status="proposed", spec=good_spec(planned_operators=9))
    later = now + timedelta(days=3)
    services.approve_version(hotline_id=hotline_a.pk, number=2, user=users[Role.CLIENT], effective_from=later)
    assert selectors.get_planned_operators(hotline_a, now) == 7
    assert selectors.get_planned_operators(hotline_a, later + timedelta(minutes=1)) == 9


def test_a_launch_planned_by_a_version_not_yet_in_effect_counts_its_operators(hotline_a):
    # R-HL-3: the launch checklist and the pages read the same number.
    make_version(hotline_a, status="approved", spec=good_spec(planned_operators=4), effective_from=timezone.now() + timedelta(days=5))
    assert selectors.get_planned_operators(hotline_a) == 4
    checklist = {i.code: i.detail for i in services.get_launch_status(hotline_a).items}
    assert checklist["OPERATORS_TRAINED"] == "Operators trained and passed: 0 of 4 planned."


def test_the_hotline_page_shows_the_specs_count(users, hotline_a):
    # R-HL-1
    make_version(hotline_a, status="approved", spec=good_spec(planned_operators=12))
    c = Client(headers={"accept-language": "en"})
    c.force_login(users[Role.CC_HEAD])
    assert "Planned operators: 12" in c.get(reverse("hotlines:detail", args=[hotline_a.pk])).content.decode()
