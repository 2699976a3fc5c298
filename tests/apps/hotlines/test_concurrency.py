"""Two client decisions racing on one hotline, in real threads with their own database
connections (R-HL-2). Runs on SQLite and, with DATABASE_URL set, on PostgreSQL.

On SQLite the race runs in an on-disk copy of the test database opened with the embedded
settings (WAL, BEGIN IMMEDIATE, busy timeout): the test database itself is a shared-cache
in-memory one, whose table locks fail at once ("database table is locked") instead of waiting
the way the real file does, so racing there would test the test set-up, not the service.
Everything after the copy runs in worker threads, which open the copy.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import timezone

from calldesk.apps.accounts.roles import Role
from calldesk.apps.audit.models import AuditEvent
from calldesk.apps.hotlines import services
from calldesk.apps.hotlines.models import SpecVersion

from .factories import make_version

ROUNDS = 3


@contextmanager
def _real_database(tmp_path: Path) -> Iterator[None]:
    """New connections (the worker threads') open a database that behaves like production."""
    if connection.vendor != "sqlite":
        yield
        return
    path = tmp_path / "race.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.execute("PRAGMA journal_mode=WAL")
    copy.close()
    shared = connections.settings["default"]  # the dict every new connection is made from
    name = shared["NAME"]
    shared["NAME"] = str(path)
    try:
        yield
    finally:
        shared["NAME"] = name


def _race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released together; each result is a value or the exception."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each side got
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a racing decision never finished"
    return results


def _in_thread(call: Callable[[], Any]) -> Any:
    """Run one call on a worker connection (so on SQLite it sees the on-disk copy)."""
    (result,) = _race(call)
    if isinstance(result, Exception):
        raise result
    return result


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
    with _real_database(tmp_path):
        for _round in range(ROUNDS):
            version = _in_thread(lambda: make_version(hotline_a, status="proposed"))
            results = _race(*[
                lambda v=version, who=who: services.approve_version(hotline_id=hotline_a.pk, number=v.number, user=who, comment=who.username)
                for who in deciders
            ])
            won, lost = _winner_and_loser(results)
            assert lost.status == 409 and "only a proposed version can be decided" in lost.detail
            stored = _in_thread(lambda v=version: SpecVersion.objects.get(pk=v.pk))
            assert stored.status == "approved" and stored.comment == won.comment
            approvals = _in_thread(lambda v=version: AuditEvent.objects.filter(action="hotline.version_approved", data__version=v.number).count())
            assert approvals == 1


@pytest.mark.django_db(transaction=True)
def test_two_racing_approvals_of_two_proposals_exactly_one_takes_effect(users, hotline_a, tmp_path):
    # R-HL-2: the client approves the older proposal in one tab and the newer in another; the
    # older is outdated whatever the order, the newer wins, the timeline stays single.
    now = timezone.now()
    with _real_database(tmp_path):
        for _round in range(ROUNDS):
            older = _in_thread(lambda: make_version(hotline_a, status="proposed", proposed_at=now - timedelta(minutes=5)))
            newer = _in_thread(lambda: make_version(hotline_a, status="proposed", proposed_at=now))
            results = _race(*[
                lambda v=v: services.approve_version(hotline_id=hotline_a.pk, number=v.number, user=users[Role.CLIENT])
                for v in (older, newer)
            ])
            won, lost = _winner_and_loser(results)
            assert won.number == newer.number and lost.status == 409
            assert _in_thread(lambda o=older: SpecVersion.objects.get(pk=o.pk).status) == "proposed"
            assert _in_thread(lambda: services.get_effective_version(hotline_a.pk).number) == newer.number


@pytest.mark.django_db(transaction=True)
def test_an_approval_racing_a_rejection_of_one_proposal_exactly_one_wins(users, hotline_a, tmp_path):
    # R-HL-2: approve and reject at once; the stored decision is the winner's, audited once.
    client_user = users[Role.CLIENT]
    with _real_database(tmp_path):
        for _round in range(ROUNDS):
            version = _in_thread(lambda: make_version(hotline_a, status="proposed"))
            results = _race(
                lambda v=version: services.approve_version(hotline_id=hotline_a.pk, number=v.number, user=client_user),
                lambda v=version: services.reject_version(hotline_id=hotline_a.pk, number=v.number, user=client_user, comment="Нет"),
            )
            won, lost = _winner_and_loser(results)
            assert lost.status == 409
            assert _in_thread(lambda v=version: SpecVersion.objects.get(pk=v.pk).status) == won.status
            decided = _in_thread(lambda v=version: AuditEvent.objects.filter(
                action__in=("hotline.version_approved", "hotline.version_rejected"), data__version=v.number,
            ).count())
            assert decided == 1
