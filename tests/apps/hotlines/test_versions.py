"""Spec versions, approval in the portal, the diff and the audit trail (R-HL-1, R-HL-2)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from calldesk.apps.accounts.roles import Role
from calldesk.apps.audit.models import AuditEvent
from calldesk.apps.hotlines import services
from calldesk.apps.hotlines.models import SpecVersion
from calldesk.domain.hotlines import Topic

from .factories import good_spec, make_version


def _login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_draft_proposal_approval_makes_the_version_effective_and_audited(users, hotline_a):
    # R-HL-2: draft -> proposed -> approved by the client -> effective; each step audited.
    head, client_user = users[Role.CC_HEAD], users[Role.CLIENT]
    draft = services.save_draft(hotline_id=hotline_a.pk, spec=good_spec(), user=head)
    assert draft.number == 1 and draft.status == "draft"
    services.propose_version(hotline_id=hotline_a.pk, number=1, user=head)
    assert services.get_effective_version(hotline_a.pk) is None
    services.approve_version(hotline_id=hotline_a.pk, number=1, user=client_user, comment="ok")
    effective = services.get_effective_version(hotline_a.pk)
    assert effective.number == 1 and effective.decided_by == client_user
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"hotline.version_proposed", "hotline.version_approved"} <= actions


def test_approval_takes_effect_at_the_set_time(users, hotline_a):
    # R-HL-2: an approved version takes effect at a set time; until then the old one runs.
    make_version(hotline_a, status="approved", effective_from=timezone.now() - timedelta(days=1))
    make_version(hotline_a, status="proposed")
    later = timezone.now() + timedelta(days=2)
    services.approve_version(hotline_id=hotline_a.pk, number=2, user=users[Role.CLIENT], effective_from=later)
    assert services.get_effective_version(hotline_a.pk).number == 1
    assert services.get_effective_version(hotline_a.pk, later + timedelta(minutes=1)).number == 2


def test_approving_an_outdated_proposal_is_refused_with_the_reason(users, hotline_a):
    # R-HL-2: only the latest proposal can be approved.
    now = timezone.now()
    make_version(hotline_a, status="proposed", proposed_at=now - timedelta(hours=1))
    make_version(hotline_a, status="proposed", proposed_at=now)
    with pytest.raises(services.HotlineError) as refused:
        services.approve_version(hotline_id=hotline_a.pk, number=1, user=users[Role.CLIENT])
    assert "no longer the latest proposal" in refused.value.detail and refused.value.status == 409
    assert SpecVersion.objects.get(hotline=hotline_a, number=1).status == "proposed"


def test_second_of_two_racing_approvals_is_refused(users, hotline_a):
    # R-HL-2: two approvals of the same proposal: one wins, the other sees it and is refused.
    make_version(hotline_a, status="proposed")
    services.approve_version(hotline_id=hotline_a.pk, number=1, user=users[Role.CLIENT])
    with pytest.raises(services.HotlineError) as refused:
        services.approve_version(hotline_id=hotline_a.pk, number=1, user=users[Role.CLIENT])
    assert refused.value.status == 409
    assert AuditEvent.objects.filter(action="hotline.version_approved").count() == 1


def test_rejection_needs_a_comment(users, hotline_a):
    # R-HL-2: rejected with a comment.
    make_version(hotline_a, status="proposed")
    with pytest.raises(services.HotlineError):
        services.reject_version(hotline_id=hotline_a.pk, number=1, user=users[Role.CLIENT], comment="  ")
    services.reject_version(hotline_id=hotline_a.pk, number=1, user=users[Role.CLIENT], comment="Мало тем")
    version = SpecVersion.objects.get(hotline=hotline_a, number=1)
    assert version.status == "rejected" and version.comment == "Мало тем"
    assert AuditEvent.objects.filter(action="hotline.version_rejected").exists()


def test_a_spec_with_no_topics_cannot_be_proposed(users, hotline_a):
    # R-HL-2: a spec with no topics is refused with a clear message; the draft stays a draft.
    services.save_draft(hotline_id=hotline_a.pk, spec=good_spec(topics=()), user=users[Role.CC_HEAD])
    with pytest.raises(services.HotlineError) as refused:
        services.propose_version(hotline_id=hotline_a.pk, number=1, user=users[Role.CC_HEAD])
    assert any(e["code"] == "NO_TOPICS" for e in refused.value.errors)
    assert SpecVersion.objects.get(hotline=hotline_a).status == "draft"


def test_an_inconsistent_spec_is_not_saved_at_all(users, hotline_a):
    # R-HL-1: duplicate topic codes are refused and nothing is half-saved.
    bad = good_spec(topics=(Topic("a", "A"), Topic("a", "B")))
    with pytest.raises(services.HotlineError) as refused:
        services.save_draft(hotline_id=hotline_a.pk, spec=bad, user=users[Role.CC_HEAD])
    assert refused.value.errors[0]["code"] == "DUPLICATE_TOPIC_CODE"
    assert not SpecVersion.objects.exists()


def test_client_approves_in_the_portal_and_sees_the_diff(users, hotline_a):
    # R-HL-2: the client reads the changes and approves in the portal.
    make_version(hotline_a, status="approved", effective_from=timezone.now() - timedelta(days=1))
    make_version(hotline_a, status="proposed", spec=good_spec(topics=(Topic("delivery", "Доставка"), Topic("returns", "Возвраты"))))
    c = _login(users[Role.CLIENT])
    page = c.get(reverse("clients:version", args=[hotline_a.pk, 2])).content.decode()
    assert "Возвраты" in page and "topics" in page
    assert "Возвраты" in c.get(reverse("clients:diff", args=[hotline_a.pk]) + "?a=1&b=2").content.decode()
    response = c.post(reverse("clients:approve", args=[hotline_a.pk, 2]), {"comment": "Согласовано"})
    assert response.status_code == 302
    assert SpecVersion.objects.get(hotline=hotline_a, number=2).status == "approved"


def test_portal_does_not_show_drafts(users, hotline_a):
    # R-HL-2: drafts are the contact center's work in progress.
    make_version(hotline_a, status="draft")
    c = _login(users[Role.CLIENT])
    assert c.get(reverse("clients:version", args=[hotline_a.pk, 1])).status_code == 404


def test_staff_editor_saves_a_draft_from_formsets(users, hotline_a):
    # R-HL-1: the structured editor (formsets for topics and fields, per-day hour ranges).
    c = _login(users[Role.CC_HEAD])
    assert c.get(reverse("hotlines:edit", args=[hotline_a.pk])).status_code == 200
    response = c.post(reverse("hotlines:edit", args=[hotline_a.pk]), _editor_post())
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = SpecVersion.objects.get(hotline=hotline_a)
    assert draft.spec["hours"]["weekly"]["mon"] == [["09:00", "13:00"], ["14:00", "18:00"]]
    assert [t["code"] for t in draft.spec["topics"]] == ["delivery"]
    assert draft.spec["fields"][0]["choices"] == ["Москва", "Казань"]


@pytest.mark.parametrize(("change", "message"), [
    ({"g-mon": "09:00-13:00, 12:00-18:00"}, "overlap"),
    ({"g-tue": "18:00-09:00"}, "end before they start"),
    ({"g-wed": "nine to five"}, "is not a time range"),
    ({"fields-1-key": "city", "fields-1-label": "Again", "fields-1-type": "text"}, "already used"),
    ({"fields-0-choices": ""}, "needs at least one choice"),
])
def test_staff_editor_rejects_bad_input_with_a_clear_message(users, hotline_a, change, message):
    # R-HL-1: overlapping/empty hours, duplicate keys, a choice field without choices.
    c = _login(users[Role.CC_HEAD])
    response = c.post(reverse("hotlines:edit", args=[hotline_a.pk]), {**_editor_post(), **change})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SpecVersion.objects.exists()


def _editor_post() -> dict[str, str]:
    data = {
        "g-time_zone": "Europe/Moscow", "g-planned_operators": "2", "g-holidays": "2026-01-01", "g-exceptions": "2026-12-31: 10:00-15:00",
        "g-mon": "09:00-13:00, 14:00-18:00", "g-tue": "09:00-18:00", "g-wed": "", "g-thu": "", "g-fri": "", "g-sat": "", "g-sun": "",
        "topics-TOTAL_FORMS": "2", "topics-INITIAL_FORMS": "0", "topics-0-code": "delivery", "topics-0-name": "Доставка",
        "fields-TOTAL_FORMS": "2", "fields-INITIAL_FORMS": "0",
        "fields-0-key": "city", "fields-0-label": "Город", "fields-0-type": "choice", "fields-0-choices": "Москва\nКазань", "fields-0-required": "on",
        "messages-TOTAL_FORMS": "1", "messages-INITIAL_FORMS": "0", "messages-0-kind": "greeting", "messages-0-language": "ru", "messages-0-text": "Здравствуйте",
        "reports-TOTAL_FORMS": "1", "reports-INITIAL_FORMS": "0",
    }
    return data


def test_client_approval_moves_a_new_hotline_into_launch(users, hotline_a):
    # R-HL-3: a draft hotline whose spec the client approved is launching (checklist next).
    from calldesk.apps.hotlines.models import Hotline

    hotline_a.status = Hotline.Status.DRAFT
    hotline_a.save()
    services.save_draft(hotline_id=hotline_a.pk, spec=good_spec(), user=users[Role.CC_HEAD])
    services.propose_version(hotline_id=hotline_a.pk, number=1, user=users[Role.CC_HEAD])
    hotline_a.refresh_from_db()
    assert hotline_a.status == Hotline.Status.DRAFT
    services.approve_version(hotline_id=hotline_a.pk, number=1, user=users[Role.CLIENT])
    hotline_a.refresh_from_db()
    assert hotline_a.status == Hotline.Status.LAUNCHING
