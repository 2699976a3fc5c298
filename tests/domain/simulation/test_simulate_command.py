"""The `calldesk simulate` contract (R-OPS-2)."""

from __future__ import annotations

import argparse
import json

import pytest

from calldesk.commands import simulate as command


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="calldesk")
    command.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["simulate", *argv])
    code = args.func(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


ARGS = ["--agents", "100", "--erlangs", "95", "--aht", "180", "--calls", "20000",
        "--sl-seconds", "20", "--seed", "7", "--json"]


# R-OPS-2
def test_json_output_has_the_promised_fields(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run([*ARGS, "--patience", "180"], capsys)
    assert code == 0
    data = json.loads(out)
    for key in ("offered", "answered", "abandoned", "p_wait", "mean_wait_s",
                "service_level", "abandon_rate"):
        assert key in data
    assert data["offered"] == 20_000
    assert data["offered"] == data["answered"] + data["abandoned"]
    assert data["abandon_rate"] == pytest.approx(data["abandoned"] / data["offered"])
    assert "offered calls" in data["service_level_definition"]
    assert data["engine"].startswith("fast")


# R-OPS-2: without --patience nobody abandons; same seed, same answer
def test_without_patience_nobody_abandons(capsys: pytest.CaptureFixture[str]) -> None:
    first = json.loads(_run(ARGS, capsys)[1])
    second = json.loads(_run(ARGS, capsys)[1])
    assert first["abandoned"] == 0 and first["abandon_rate"] == 0
    assert first == second


# R-OPS-2: the router engine gives the same figures as the fast path
def test_router_engine_gives_the_same_figures(capsys: pytest.CaptureFixture[str]) -> None:
    small = ["--agents", "10", "--erlangs", "9", "--aht", "180", "--patience", "60",
             "--calls", "2000", "--seed", "1", "--json"]
    fast = json.loads(_run(small, capsys)[1])
    routed = json.loads(_run([*small, "--engine", "router"], capsys)[1])
    for key in ("offered", "answered", "abandoned", "p_wait", "service_level"):
        assert fast[key] == routed[key]


# R-OPS-2: bad input -> a message on stderr and exit code 2
@pytest.mark.parametrize(
    "argv",
    [
        ["--agents", "0", "--erlangs", "5", "--aht", "180"],
        ["--agents", "5", "--erlangs", "-1", "--aht", "180"],
        ["--agents", "5", "--erlangs", "4", "--aht", "0"],
        ["--agents", "5", "--erlangs", "4", "--aht", "180", "--patience", "0"],
        ["--agents", "5", "--erlangs", "6", "--aht", "180"],
        ["--agents", "5", "--erlangs", "4", "--aht", "180", "--calls", "0"],
        ["--agents", "5", "--erlangs", "4", "--aht", "nan"],
    ],
)
def test_bad_input_exits_with_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(argv, capsys)
    assert code == 2
    assert out == ""
    assert err.startswith("calldesk simulate:")


# R-OPS-2: unparseable numbers are argparse's job, which also exits with 2
def test_unparseable_number_exits_with_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        _run(["--agents", "many", "--erlangs", "4", "--aht", "180"], capsys)
    assert stopped.value.code == 2
