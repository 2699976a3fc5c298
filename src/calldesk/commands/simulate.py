"""`calldesk simulate`: simulate an M/M/n (+M with --patience) contact center.

Example: calldesk simulate --agents 100 --erlangs 95 --aht 180 --patience 180 \
             --calls 200000 --sl-seconds 20 --seed 7 --json
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any

import numpy as np

from calldesk.domain.simulation import (
    Exponential,
    ModelError,
    PoissonArrivals,
    SimulationModel,
    Staffing,
    simulate,
)


def register(sub: Any) -> None:
    """Add the `simulate` subcommand to an argparse subparsers object."""
    parser = sub.add_parser(
        "simulate",
        help="simulate a contact center queue (Erlang C / Erlang A model)",
        description=(
            "Simulate Poisson arrivals, exponential handle times and (with --patience) "
            "exponential caller patience on N agents. The fast FCFS engine is used when "
            "possible; --engine router drives the production routing core instead."
        ),
    )
    parser.add_argument("--agents", type=int, required=True, help="agents logged in")
    parser.add_argument("--erlangs", type=float, required=True, help="offered load (erlangs)")
    parser.add_argument("--aht", type=float, required=True, help="mean handle time, seconds")
    parser.add_argument(
        "--patience", type=float, default=None,
        help="mean caller patience, seconds (exponential); without it nobody abandons",
    )
    parser.add_argument("--calls", type=int, default=100_000, help="calls counted")
    parser.add_argument(
        "--warmup-calls", type=int, default=None,
        help="calls simulated first and not counted (default: calls/10, 1,000..50,000)",
    )
    parser.add_argument("--sl-seconds", type=float, default=20.0, help="service level threshold")
    parser.add_argument("--seed", type=int, default=0, help="random seed")
    parser.add_argument("--engine", choices=("auto", "fast", "router"), default="auto")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


def _check(args: argparse.Namespace) -> str | None:
    if args.agents < 1:
        return "--agents must be at least 1"
    if not (math.isfinite(args.erlangs) and args.erlangs > 0):
        return "--erlangs must be a positive number"
    if not (math.isfinite(args.aht) and args.aht > 0):
        return "--aht must be a positive number of seconds"
    if args.patience is not None and not (math.isfinite(args.patience) and args.patience > 0):
        return "--patience must be a positive number of seconds"
    if args.calls < 1:
        return "--calls must be at least 1"
    if args.warmup_calls is not None and args.warmup_calls < 0:
        return "--warmup-calls must be >= 0"
    if not (math.isfinite(args.sl_seconds) and args.sl_seconds >= 0):
        return "--sl-seconds must be >= 0"
    if args.patience is None and args.erlangs >= args.agents:
        return (
            f"without --patience the load ({args.erlangs:g} erlangs) must be below the number "
            f"of agents ({args.agents}): the queue would grow without bound"
        )
    return None


def run(args: argparse.Namespace) -> int:
    problem = _check(args)
    if problem is not None:
        print(f"calldesk simulate: {problem}", file=sys.stderr)
        return 2
    warmup = args.warmup_calls
    if warmup is None:
        warmup = min(max(args.calls // 10, 1_000), 50_000)
    model = SimulationModel(
        arrivals=PoissonArrivals(args.erlangs / args.aht, args.calls + warmup),
        handle_time=Exponential(args.aht),
        staffing=Staffing.constant(args.agents),
        patience=Exponential(args.patience) if args.patience is not None else None,
        warmup_calls=warmup,
    )
    try:
        result = simulate(model, np.random.default_rng(args.seed), args.engine)
    except ModelError as error:
        print(f"calldesk simulate: {error}", file=sys.stderr)
        return 2
    summary = result.summarize(args.sl_seconds)
    data: dict[str, Any] = {
        "model": "M/M/n+M (Erlang A)" if args.patience is not None else "M/M/n (Erlang C)",
        "agents": args.agents,
        "erlangs": args.erlangs,
        "aht_s": args.aht,
        "patience_s": args.patience,
        "seed": args.seed,
        **summary.as_dict(),
    }
    data["service_level_definition"] = data["definitions"]["service_level"]
    if args.json:
        print(json.dumps(data))
        return 0
    print(f"{data['model']}: {args.agents} agents, {args.erlangs:g} erlangs, AHT {args.aht:g} s")
    print(f"engine: {summary.engine}")
    print(f"offered {summary.offered}, answered {summary.answered}, "
          f"abandoned {summary.abandoned} (after {summary.warmup_calls} warm-up calls)")
    definitions = dict(summary.definitions)
    print(f"p_wait        {summary.p_wait:8.4f}  {definitions['p_wait']}")
    print(f"mean_wait_s   {summary.mean_wait_s:8.2f}  {definitions['mean_wait_s']}")
    print(f"service_level {summary.service_level:8.4f}  {definitions['service_level']}")
    print(f"abandon_rate  {summary.abandon_rate:8.4f}  {definitions['abandon_rate']}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="calldesk")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
