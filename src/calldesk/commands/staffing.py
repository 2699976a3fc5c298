"""``calldesk staffing``: agents needed for one interval (R-WFM-1).

Erlang C by default; ``--patience S`` switches to Erlang A (callers abandon after an
exponential patience with mean S seconds).  ``--agents N`` evaluates N agents instead of
searching for the least number meeting the target.

    calldesk staffing --calls 100 --interval 1800 --aht 180 --sl 0.8 --sl-seconds 20 --json
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from typing import Any

from calldesk.domain.staffing import (
    AbandonmentTarget,
    AsaTarget,
    QueueMetrics,
    QueueModel,
    ServiceLevelDefinition,
    ServiceLevelTarget,
    StaffingTarget,
    calculate_agents_with_shrinkage,
    calculate_queue_metrics,
    calculate_staffing,
)

EXIT_BAD_INPUT = 2
DEFAULT_SL = 0.8


class BadInput(ValueError):
    """Input the command refuses; the message is shown to the user."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``staffing`` subcommand to the ``calldesk`` sub-parsers."""
    parser = sub.add_parser(
        "staffing",
        help="agents needed for one interval (Erlang C, or Erlang A with --patience)",
        description=__doc__.split("\n\n")[1] if __doc__ else None,
    )
    parser.add_argument("--calls", type=float, required=True, help="calls offered in the interval")
    parser.add_argument("--interval", type=float, default=1800.0, help="interval length in seconds (default 1800)")
    parser.add_argument("--aht", type=float, required=True, help="average handling time in seconds")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--sl", type=float, help=f"service-level target in (0, 1) (default {DEFAULT_SL})")
    target.add_argument("--asa", type=float, help="target average speed of answer in seconds")
    target.add_argument("--max-abandon", type=float, help="maximum abandonment rate in (0, 1) (needs --patience)")
    parser.add_argument("--sl-seconds", type=float, default=20.0, help="service-level threshold T in seconds (default 20)")
    parser.add_argument(
        "--sl-definition",
        choices=[d.value for d in ServiceLevelDefinition],
        default=ServiceLevelDefinition.ANSWERED_WITHIN_T_OF_OFFERED.value,
        help="how the service level is counted (default answered_within_t/offered)",
    )
    parser.add_argument("--max-occupancy", type=float, default=1.0, help="maximum occupancy in (0, 1] (default 1)")
    parser.add_argument("--shrinkage", type=float, help="share of paid time off the phones in [0, 1)")
    parser.add_argument("--patience", type=float, help="mean caller patience in seconds (switches to Erlang A)")
    parser.add_argument("--agents", type=int, help="evaluate this many agents instead of searching")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Execute ``calldesk staffing``; returns the exit code (2 for bad input)."""
    try:
        report = _report(args)
    except (BadInput, ValueError) as error:
        print(f"calldesk staffing: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps(report, allow_nan=False))
    else:
        print(_table(report))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Stand-alone entry point: ``staffing ...`` arguments in, exit code out."""
    parser = argparse.ArgumentParser(prog="calldesk")
    register(parser.add_subparsers(dest="command", required=True))
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else EXIT_BAD_INPUT
    code: int = args.func(args)
    return code


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise BadInput(message)


def _finite(value: float) -> bool:
    return math.isfinite(value)


def _validate(args: argparse.Namespace) -> None:
    _check(_finite(args.calls) and args.calls >= 0, "--calls must be a non-negative number")
    _check(_finite(args.interval) and args.interval > 0, "--interval must be a positive number of seconds")
    _check(_finite(args.aht) and args.aht > 0, "--aht must be a positive number of seconds")
    _check(_finite(args.sl_seconds) and args.sl_seconds >= 0, "--sl-seconds must be non-negative")
    if args.sl is not None:
        _check(_finite(args.sl) and 0 < args.sl < 1, "--sl must be strictly between 0 and 1")
    if args.asa is not None:
        _check(_finite(args.asa) and args.asa > 0, "--asa must be a positive number of seconds")
    if args.max_abandon is not None:
        _check(_finite(args.max_abandon) and 0 < args.max_abandon < 1, "--max-abandon must be strictly between 0 and 1")
        _check(args.patience is not None, "--max-abandon needs --patience (Erlang A)")
    _check(_finite(args.max_occupancy) and 0 < args.max_occupancy <= 1, "--max-occupancy must be in (0, 1]")
    if args.shrinkage is not None:
        _check(_finite(args.shrinkage) and 0 <= args.shrinkage < 1, "--shrinkage must be in [0, 1)")
    if args.patience is not None:
        _check(args.patience > 0 and not math.isnan(args.patience), "--patience must be a positive number of seconds")
    if args.agents is not None:
        _check(args.agents >= 1, "--agents must be at least 1")


def _target(args: argparse.Namespace) -> StaffingTarget:
    if args.asa is not None:
        return AsaTarget(seconds=args.asa, sl_seconds=args.sl_seconds)
    if args.max_abandon is not None:
        return AbandonmentTarget(max_rate=args.max_abandon, sl_seconds=args.sl_seconds)
    return ServiceLevelTarget(
        level=DEFAULT_SL if args.sl is None else args.sl,
        seconds=args.sl_seconds,
        definition=ServiceLevelDefinition(args.sl_definition),
    )


def _number(value: float) -> float | None:
    """JSON has no infinity: an unbounded ASA (unstable queue) is reported as null."""
    return value if math.isfinite(value) else None


def _report(args: argparse.Namespace) -> dict[str, Any]:
    _validate(args)
    model = QueueModel.ERLANG_A if args.patience is not None else QueueModel.ERLANG_C
    target = _target(args)
    metrics: QueueMetrics
    if args.agents is not None:
        metrics = calculate_queue_metrics(
            calls=args.calls,
            interval_s=args.interval,
            aht_s=args.aht,
            agents=args.agents,
            sl_seconds=args.sl_seconds,
            model=model,
            patience_s=args.patience,
            sl_definition=ServiceLevelDefinition(args.sl_definition),
        )
    else:
        metrics = calculate_staffing(
            calls=args.calls,
            aht_s=args.aht,
            interval_s=args.interval,
            target=target,
            model=model,
            patience_s=args.patience,
            max_occupancy=args.max_occupancy,
        ).metrics
    report: dict[str, Any] = {
        "model": metrics.model.value,
        "sl_definition": metrics.service_level_definition.value,
        "sl_seconds": metrics.service_level_seconds,
        "mode": "evaluate" if args.agents is not None else "search",
        "target": _describe_target(target) if args.agents is None else None,
        "calls": args.calls,
        "interval_s": args.interval,
        "aht_s": args.aht,
        "offered_load_erlangs": metrics.offered_load_erlangs,
        "agents": metrics.agents,
        "p_wait": metrics.p_wait,
        "service_level": metrics.service_level,
        "asa_s": _number(metrics.asa_s),
        "occupancy": metrics.occupancy,
    }
    if args.agents is None:
        report["max_occupancy"] = args.max_occupancy
    if args.shrinkage is not None:
        report["shrinkage"] = args.shrinkage
        report["agents_with_shrinkage"] = int(calculate_agents_with_shrinkage(metrics.agents, args.shrinkage))
    if args.patience is not None:
        report["patience_s"] = args.patience
        report["abandon_rate"] = metrics.abandon_rate
    return report


def _describe_target(target: StaffingTarget) -> dict[str, Any]:
    if isinstance(target, ServiceLevelTarget):
        return {"service_level": target.level, "seconds": target.seconds}
    if isinstance(target, AsaTarget):
        return {"asa_s": target.seconds}
    return {"max_abandon_rate": target.max_rate}


def _table(report: dict[str, Any]) -> str:
    asa = report["asa_s"]
    rows = [
        ("model", report["model"]),
        ("offered load", f"{report['offered_load_erlangs']:.3f} erlangs"),
        ("agents", str(report["agents"])),
    ]
    if "agents_with_shrinkage" in report:
        rows.append(("agents with shrinkage", f"{report['agents_with_shrinkage']} (shrinkage {report['shrinkage']:.0%})"))
    rows += [
        ("P(wait)", f"{report['p_wait']:.4f}"),
        (
            "service level",
            f"{report['service_level']:.2%} within {report['sl_seconds']:g} s ({report['sl_definition']})",
        ),
        ("ASA", "unbounded (queue unstable)" if asa is None else f"{asa:.1f} s"),
        ("occupancy", f"{report['occupancy']:.1%}"),
    ]
    if "abandon_rate" in report:
        rows.append(("abandon rate", f"{report['abandon_rate']:.2%} (patience {report['patience_s']:g} s)"))
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
