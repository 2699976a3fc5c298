"""Routing decisions with 5,000 agents, 300 skills and 2,000 waiting calls.

Our indexed Router against a naive router that scans every agent (for a new call) or every
waiting call (for a freed agent) on the same state, in the same run. Each decision is made
by both; the benchmark stops if they ever choose differently.

    .venv/bin/python bench/routing.py [--decisions 20000] [--seed 1]

Last line: routing decisions_per_s=<n> p99_us=<n> ratio_vs_naive=<r>
"""

from __future__ import annotations

import argparse
import random
import time

from calldesk.domain.routing import (
    AgentAnswered,
    AgentState,
    AgentStateChanged,
    AgentStateRequested,
    CallEnded,
    CallOffered,
    Command,
    Hotline,
    QueueConfig,
    RingAgent,
    Router,
    RoutingConfig,
)
from calldesk.domain.routing.config import AgentProfile

AGENTS = 5_000
SKILLS = 300
WAITING = 2_000
STRATEGIES = ("longest_idle", "fewest_calls", "skill_level")


class Mirror:
    """What the naive router knows: plain lists it scans in full for every decision."""

    def __init__(self, profiles: list[AgentProfile], queues: list[QueueConfig]) -> None:
        self.skills = [dict(p.skills) for p in profiles]
        self.state = [AgentState.OFFLINE] * len(profiles)
        self.idle_since = [0.0] * len(profiles)
        self.calls_handled = [0] * len(profiles)
        self.queues = {q.name: q for q in queues}
        self.waiting: dict[str, tuple[int, int, str]] = {}  # call -> (-priority, seq, queue)

    def choose_agent(self, queue_name: str) -> int | None:
        queue = self.queues[queue_name]
        skill, floor, strategy = queue.skill, queue.min_level, queue.strategy
        best_key: tuple[float, float, int] | None = None
        best = None
        state, skills, idle, handled = self.state, self.skills, self.idle_since, self.calls_handled
        ready = AgentState.READY
        for k in range(len(state)):
            if state[k] is not ready:
                continue
            level = skills[k].get(skill, 0)
            if level < floor:
                continue
            if strategy == "longest_idle":
                key = (idle[k], 0.0, k)
            elif strategy == "fewest_calls":
                key = (float(handled[k]), idle[k], k)
            else:
                key = (-float(level), idle[k], k)
            if best_key is None or key < best_key:
                best_key, best = key, k
        return best

    def choose_call(self, agent: int) -> str | None:
        skills = self.skills[agent]
        best_key: tuple[int, int] | None = None
        best = None
        for call, (priority, seq, queue_name) in self.waiting.items():
            queue = self.queues[queue_name]
            if skills.get(queue.skill, 0) < queue.min_level:
                continue
            key = (priority, seq)
            if best_key is None or key < best_key:
                best_key, best = key, call
        return best


def build(seed: int) -> tuple[RoutingConfig, list[AgentProfile], list[QueueConfig]]:
    rnd = random.Random(seed)
    queues = [
        QueueConfig(name=f"q{s}", skill=f"s{s}", strategy=STRATEGIES[s % 3],  # type: ignore[arg-type]
                    min_level=1 + (s % 4 == 0))
        for s in range(SKILLS)
    ]
    # Half the skills are in demand (their calls queue up), half are quiet (their agents
    # wait for calls), so both kinds of decision have real choices to make.
    half = SKILLS // 2
    profiles = []
    for k in range(AGENTS):
        pool = range(half) if k % 5 < 3 else range(half, SKILLS)
        chosen = rnd.sample(pool, rnd.randint(3, 8))
        profiles.append(AgentProfile(f"a{k}", tuple((f"s{s}", rnd.randint(1, 5)) for s in chosen)))
    hotlines = tuple(Hotline(name=q.name, default_queue=q.name) for q in queues)
    return RoutingConfig(hotlines=hotlines, queues=tuple(queues), agents=tuple(profiles)), profiles, queues


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--decisions", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rnd = random.Random(args.seed)
    config, profiles, queues = build(args.seed)
    router = Router(config)
    mirror = Mirror(profiles, queues)
    clock = [0.0]
    seq = [0]
    connected: dict[str, int] = {}  # call -> agent
    connected_list: list[str] = []

    def now() -> float:
        clock[0] += 0.001
        return clock[0]

    def apply(out: list[Command]) -> list[tuple[str, int]]:
        rings = []
        for command in out:
            if isinstance(command, AgentStateChanged):
                k = int(command.agent_id[1:])
                mirror.state[k] = command.new
                if command.new is AgentState.READY:
                    mirror.idle_since[k] = command.at
            elif isinstance(command, RingAgent):
                rings.append((command.call_id, int(command.agent_id[1:])))
                mirror.waiting.pop(command.call_id, None)
        return rings

    def answer(rings: list[tuple[str, int]]) -> None:
        for call, k in rings:
            apply(router.handle(AgentAnswered(now(), call, f"a{k}")))
            connected[call] = k
            connected_list.append(call)

    def offer(busy: bool = True) -> CallOffered:
        seq[0] += 1
        half = SKILLS // 2
        queue = f"q{rnd.randrange(half) if busy else rnd.randrange(half, SKILLS)}"
        return CallOffered(now(), f"c{seq[0]}", queue, priority=rnd.choice((0, 0, 0, 1, 2)))

    def after_offer(event: CallOffered, rings: list[tuple[str, int]]) -> None:
        if not rings:
            mirror.waiting[event.call_id] = (-event.priority, seq[0], event.hotline)
        answer(rings)

    for k in range(AGENTS):
        apply(router.handle(AgentStateRequested(now(), f"a{k}", AgentState.READY)))
    while len(mirror.waiting) < WAITING:
        event = offer()
        after_offer(event, apply(router.handle(event)))
    for _ in range(AGENTS // 5):  # keep some quiet-skill agents busy too
        event = offer(busy=False)
        after_offer(event, apply(router.handle(event)))
    print(f"state: {AGENTS} agents, {SKILLS} skills, {len(mirror.waiting)} waiting calls, "
          f"{sum(s is AgentState.READY for s in mirror.state)} agents free")

    ours: list[float] = []
    naive_total = 0.0
    choice_total = 0.0
    perf = time.perf_counter
    for i in range(args.decisions):
        if i % 2 == 0:
            # A call ends: the freed agent chooses among the waiting calls.
            position = rnd.randrange(len(connected_list))
            connected_list[position], connected_list[-1] = connected_list[-1], connected_list[position]
            call = connected_list.pop()
            k = connected.pop(call)
            mirror.calls_handled[k] += 1
            event: CallEnded | CallOffered = CallEnded(now(), call)
            # The naive router sees the agent already free (as ours will).
            mirror.state[k] = AgentState.READY
            mirror.idle_since[k] = event.at
            start = perf()
            expected_call = mirror.choose_call(k)
            naive_total += perf() - start
            start = perf()
            chosen_call = router.choose_call(f"a{k}")
            choice_total += perf() - start
            if chosen_call != expected_call:
                raise SystemExit(f"decision {i}: router chooses {chosen_call}, naive {expected_call}")
            start = perf()
            out = router.handle(event)
            ours.append(perf() - start)
            rings = apply(out)
            got = rings[0][0] if rings else None
            if got != expected_call:
                raise SystemExit(f"decision {i}: router chose {got}, naive {expected_call}")
            answer(rings)
        else:
            # A call arrives: choose among the free agents of its queue (or queue it).
            event = offer(busy=rnd.random() < 0.75)
            start = perf()
            expected_agent = mirror.choose_agent(event.hotline)
            naive_total += perf() - start
            start = perf()
            chosen = router.choose_agent(event.hotline)
            choice_total += perf() - start
            if (int(chosen[1:]) if chosen else None) != expected_agent:
                raise SystemExit(f"decision {i}: router chooses {chosen}, naive {expected_agent}")
            start = perf()
            out = router.handle(event)
            ours.append(perf() - start)
            rings = apply(out)
            got_agent = rings[0][1] if rings else None
            if got_agent != expected_agent:
                raise SystemExit(f"decision {i}: router chose {got_agent}, naive {expected_agent}")
            after_offer(event, rings)
    ours.sort()
    total = sum(ours)
    rate = len(ours) / total
    p99 = ours[int(0.99 * (len(ours) - 1))] * 1e6
    ratio = naive_total / choice_total
    count = len(ours)
    print(f"whole events (choice + state changes + commands), indexed router: {count} in "
          f"{total:.3f} s, median {ours[count // 2] * 1e6:.1f} us, p99 {p99:.1f} us")
    print(f"choice only, indexed (Router.choose_agent / choose_call): "
          f"{choice_total / count * 1e6:.2f} us each")
    print(f"choice only, naive scan of all agents / waiting calls:      "
          f"{naive_total / count * 1e6:.2f} us each")
    print(f"all {count} choices identical (indexed choice = naive choice = agent rung); "
          f"whole-event ratio naive/indexed ~ "
          f"{(naive_total + total - choice_total) / total:.1f}")
    print(f"waiting calls at the end: {len(mirror.waiting)}")
    print("decisions_per_s and p99_us: whole events; ratio_vs_naive: choice only")
    print(f"routing decisions_per_s={rate:.0f} p99_us={p99:.1f} ratio_vs_naive={ratio:.1f}")


if __name__ == "__main__":
    main()
