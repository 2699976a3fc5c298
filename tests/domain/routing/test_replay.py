from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

from calldesk.domain.routing import event_to_dict, replay

from .test_properties import CONFIG, World


def _scripted_world(seed: int, steps: int = 150) -> World:
    rnd = random.Random(seed)
    world = World()
    for _ in range(steps):
        world.step(rnd.uniform(0, 12), rnd.randint(0, 15), rnd.randint(0, 7),
                   rnd.randint(0, 7), rnd.random() < 0.5)
    return world


# R-OPS-2: the router is a fold over its stored events
def test_replay_equals_live_state_after_a_busy_day() -> None:
    for seed in range(5):
        world = _scripted_world(seed)
        rebuilt = replay(CONFIG, world.events)
        assert rebuilt.snapshot() == world.router.snapshot()
        assert rebuilt.next_deadline() == world.router.next_deadline()


# R-OPS-2: a replayed router keeps deciding exactly like the live one
def test_replayed_router_continues_identically() -> None:
    world = _scripted_world(11, steps=80)
    rebuilt = replay(CONFIG, world.events)
    rnd = random.Random(99)
    for _ in range(80):
        before = len(world.events)
        world.step(rnd.uniform(0, 12), rnd.randint(0, 15), rnd.randint(0, 7),
                   rnd.randint(0, 7), rnd.random() < 0.5)
        for event in world.events[before:]:
            rebuilt.handle(event)
    assert rebuilt.snapshot() == world.router.snapshot()


_REPLAY_SCRIPT = """
import json, sys
from calldesk.domain.routing import event_from_dict, replay
from tests.domain.routing.test_properties import CONFIG
events = [event_from_dict(e) for e in json.load(sys.stdin)]
print(repr(replay(CONFIG, events).snapshot()))
"""


# R-OPS-2: replay in another process (other string hashing) gives the same state
def test_replay_in_a_fresh_process_gives_the_same_state() -> None:
    world = _scripted_world(3)
    stored = json.dumps([event_to_dict(e) for e in world.events])
    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(root)}
    done = subprocess.run(
        [sys.executable, "-c", _REPLAY_SCRIPT], input=stored, capture_output=True, text=True,
        env=env, cwd=root, check=True,
    )
    assert done.stdout.strip() == repr(world.router.snapshot())
