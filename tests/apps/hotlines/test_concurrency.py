"""Two client decisions racing on one hotline, in real threads with their own database
connections (R-HL-2). Runs on SQLite and, with DATABASE_URL set, on PostgreSQL.

The threads and their database come from tests/concurrency.py.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from calldesk.apps.accounts.roles import Role
from calldesk.apps.audit.models import AuditEvent
from calldesk.apps.hotlines import services
from calldesk.apps.hotlines.models import SpecVersion

from ...concurrency import in_thread, race, real_database
from .factories import make_version

ROUNDS = 3


def _winner_and_loser(results: list[Any]) -> tuple[Any, services.HotlineError]:
    unexpected = [r for r in results if isinstance(r, Exception) and not isinstance(r, services.HotlineError)]
    assert not unexpected, f"a racing request failed instead of being refused: {unexpected!r}"
    won = [r for r in results if isinstance(r, SpecVersion)]
    lost = [r for r in results if isinstance(r, services.HotlineError)]
    assert len(won) == 1 and len(lost) == 1, results
    return won[0], lost[0]


@pytest.mark.django_db(transaction=True)
def test_two_racing_approvals_of_one_proposal_exactly_one_wins(users, hotline_a, tmp_path):
    # R-HL-2: the hotline row lock orders the two; the second sees the first and gets a 409.
    deciders = (users[Role.CLIENT], users[Role.ADMIN])
    with real_database(tmp_path):
        for _round in range(ROUNDS):
            version = in_thread(lambda: make_version(hotline_a, status="proposed"))
            results = race(*[
                lambda v=version, who=who: services.approve_version(hotline_id=hotline_a.pk, number=v.number, user=who, comment=who.username)
                for who in deciders
            ])
            won, lost = _winner_and_loser(results)
            assert lost.status == 409 and "only a proposed version can be decided" in lost.detail
            stored = in_thread(lambda v=version: SpecVersion.objects.get(pk=v.pk))
            assert stored.status == "approved" and stored.comment == won.comment
            approvals = in_thread(lambda v=version: AuditEvent.objects.filter(action="hotline.version_approved", data__version=v.number).count())
            assert approvals == 1


@pytest.mark.django_db(transaction=True)
def test_two_racing_approvals_of_two_proposals_exactly_one_takes_effect(users, hotline_a, tmp_path):
    # R-HL-2: the client approves the older proposal in one tab and the newer in another; the
    # older is outdated whatever the order, the newer wins, the timeline stays single.
    now = timezone.now()
    with real_database(tmp_path):
        for _round in range(ROUNDS):
            older = in_thread(lambda: make_version(hotline_a, status="proposed", proposed_at=now - timedelta(minutes=5)))
            newer = in_thread(lambda: make_version(hotline_a, status="proposed", proposed_at=now))
            results = race(*[
                lambda v=v: services.approve_version(hotline_id=hotline_a.pk, number=v.number, user=users[Role.CLIENT])
                for v in (older, newer)
            ])
            won, lost = _winner_and_loser(results)
            assert won.number == newer.number and lost.status == 409
            assert in_thread(lambda o=older: SpecVersion.objects.get(pk=o.pk).status) == "proposed"
            assert in_thread(lambda: services.get_effective_version(hotline_a.pk).number) == newer.number


@pytest.mark.django_db(transaction=True)
def test_an_approval_racing_a_rejection_of_one_proposal_exactly_one_wins(users, hotline_a, tmp_path):
    # R-HL-2: approve and reject at once; the stored decision is the winner's, audited once.
    client_user = users[Role.CLIENT]
    with real_database(tmp_path):
        for _round in range(ROUNDS):
            version = in_thread(lambda: make_version(hotline_a, status="proposed"))
            results = race(
                lambda v=version: services.approve_version(hotline_id=hotline_a.pk, number=v.number, user=client_user),
                lambda v=version: services.reject_version(hotline_id=hotline_a.pk, number=v.number, user=client_user, comment="Нет"),
            )
            won, lost = _winner_and_loser(results)
            assert lost.status == 409
            assert in_thread(lambda v=version: SpecVersion.objects.get(pk=v.pk).status) == won.status
            decided = in_thread(lambda v=version: AuditEvent.objects.filter(
                action__in=("hotline.version_approved", "hotline.version_rejected"), data__version=v.number,
            ).count())
            assert decided == 1
