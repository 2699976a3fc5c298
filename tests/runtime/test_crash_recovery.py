"""Kill -9 the routing runtime mid-traffic, restart it, and account for every call (R-HL-5).

The runtime runs as a real `calldesk router` process with the simulator adapter at high
speed; the test kills it with SIGKILL while calls are live, starts it again, lets the
remaining traffic play out and then checks the stored events and call records.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from calldesk.domain import routing as dom

from .helpers import make_agents, route_hotline

ROOT = Path(__file__).resolve().parents[2]


def _query(db: dict, sql: str) -> list[tuple]:
    if db["sqlite"]:
        with sqlite3.connect(db["path"], timeout=10) as conn:
            return conn.execute(sql).fetchall()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def _database(tmp_path: Path) -> dict:
    """A database the subprocess can open: a file copy of SQLite's in-memory test DB, or PG."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        # The embedded settings' own file (WAL, synchronous=NORMAL) under CALLDESK_VAR_DIR.
        path = tmp_path / "calldesk.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
        target.close()
        return {"sqlite": True, "path": str(path), "url": ""}
    url = f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST']}:{settings['PORT'] or 5432}/{settings['NAME']}"
    return {"sqlite": False, "url": url}


def _start(db: dict, sim: Path, tmp_path: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": db["url"], "REDIS_URL": "", "DJANGO_SETTINGS_MODULE": "calldesk.config.settings.base",
           "CALLDESK_VAR_DIR": str(tmp_path), "CALLDESK_ROUTING_INBOX": "local", "CALLDESK_SIMULATE": "0"}
    return subprocess.Popen([sys.executable, "-m", "calldesk.cli", "router", "--simulate-json", str(sim), *extra],
                            env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


@pytest.mark.django_db(transaction=True)
def test_killed_runtime_restarts_and_every_call_ends_exactly_once(hotline_a, tmp_path):
    # R-HL-5, R-OPS-2: events are stored before they are acted on; replay after SIGKILL.
    agents = make_agents(3)
    route_hotline(hotline_a)
    db = _database(tmp_path)
    settings = {
        "calls_per_minute": {"a-line": 900}, "agents": [str(a.pk) for a in agents],
        "answer_delay_s": 0.05, "talk_mean_s": 0.4, "patience_mean_s": 1.2, "ready_again_s": 0.1,
        "choice_delay_s": 0.1, "callback_share": 0.1, "max_calls": 60, "seed": 3,
    }
    sim = tmp_path / "sim.json"
    sim.write_text(json.dumps(settings))
    first = _start(db, sim, tmp_path)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            offered = _query(db, "select count(*) from calls_routingevent where kind = 'CallOffered'")[0][0]
            live = _query(db, "select count(*) from calls_call where outcome = 'in_progress'")[0][0]
            if offered >= 30 and live >= 2:
                break
            assert first.poll() is None, first.stdout.read() if first.stdout else ""
            time.sleep(0.05)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    in_flight = _query(db, "select count(*) from calls_call where outcome = 'in_progress'")[0][0]
    assert in_flight > 0, "the kill should catch calls in flight"

    sim.write_text(json.dumps({**settings, "max_calls": 20, "seed": 4}))
    second = _start(db, sim, tmp_path, "--until-idle")
    out, _ = second.communicate(timeout=60)
    assert second.returncode == 0, out
    assert "replayed" in out

    runs = _query(db, "select count(*) from calls_routingrun")[0][0]
    assert runs == 1  # the restart continued the same run
    rows = _query(db, "select seq, payload from calls_routingevent order by seq")
    seqs = [seq for seq, _ in rows]
    assert seqs == list(range(1, len(seqs) + 1))  # no gap, no duplicate
    events = [dom.event_from_dict(json.loads(p) if isinstance(p, str) else p) for _, p in rows]
    run_config = _query(db, "select config from calls_routingrun")[0][0]
    run_epoch = _query(db, "select epoch from calls_routingrun")[0][0]
    router = dom.Router(dom.parse_routing_config(json.loads(run_config) if isinstance(run_config, str) else run_config), run_epoch)
    finished: Counter[str] = Counter()
    for event in events:
        for command in router.handle(event):
            if isinstance(command, dom.CallFinished):
                finished[command.call_id] += 1
    offered_ids = {e.call_id for e in events if isinstance(e, dom.CallOffered)}
    assert len(offered_ids) >= 50
    assert router.live_call_ids() == ()
    assert set(finished) == offered_ids and set(finished.values()) == {1}

    calls = dict(_query(db, "select replace(cast(id as text), '-', ''), outcome from calls_call"))
    assert {c.replace("-", "") for c in offered_ids} == set(calls)
    assert "in_progress" not in calls.values()
    outcomes = Counter(calls.values())
    assert outcomes["answered"] > 0
    assert sum(outcomes.values()) == len(offered_ids)
