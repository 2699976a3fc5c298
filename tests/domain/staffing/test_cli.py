"""`calldesk staffing` command (R-WFM-1)."""

from __future__ import annotations

import argparse
import json

import pytest

from calldesk.commands.staffing import main, register, run

EXAMPLE = ["staffing", "--calls", "100", "--interval", "1800", "--aht", "180", "--sl", "0.8", "--sl-seconds", "20"]


def _json(capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, object]:
    assert main([*EXAMPLE, "--json", *extra]) == 0
    out = capsys.readouterr().out
    assert len(out.strip().splitlines()) == 1
    return json.loads(out)


def test_worked_example_as_json(capsys):
    # R-WFM-1: 14 agents, P(wait) 0.1741319, SL 0.88835, ASA 7.8359 s.
    data = _json(capsys)
    assert data["agents"] == 14
    assert data["p_wait"] == pytest.approx(0.1741319, abs=5e-8)
    assert data["service_level"] == pytest.approx(0.88835, abs=5e-6)
    assert data["asa_s"] == pytest.approx(7.8359, abs=5e-5)
    assert data["occupancy"] == pytest.approx(10 / 14)
    assert data["model"] == "erlang_c"
    assert data["sl_definition"] == "answered_within_t/offered"
    assert "agents_with_shrinkage" not in data and "abandon_rate" not in data


def test_shrinkage_adds_agents_with_shrinkage(capsys):
    # R-WFM-1: 30% shrinkage -> 20 agents.
    data = _json(capsys, "--shrinkage", "0.3")
    assert data["agents"] == 14 and data["agents_with_shrinkage"] == 20


def test_given_agents_are_evaluated_instead_of_searched(capsys):
    # R-WFM-1: 11 agents -> P(wait) 0.6821182, SL 0.3896138.
    data = _json(capsys, "--agents", "11")
    assert data["agents"] == 11
    assert data["p_wait"] == pytest.approx(0.6821182, abs=5e-8)
    assert data["service_level"] == pytest.approx(0.3896138, abs=5e-8)


def test_patience_switches_to_erlang_a_and_reports_abandonment(capsys):
    # R-WFM-1
    data = _json(capsys, "--patience", "120")
    assert data["model"] == "erlang_a"
    assert 0 < data["abandon_rate"] < 0.1 and data["agents"] <= 14
    evaluated = _json(capsys, "--patience", "120", "--agents", str(data["agents"] - 1))
    assert evaluated["service_level"] < 0.8 <= data["service_level"]
    assert evaluated["abandon_rate"] > data["abandon_rate"]


def test_unstable_queue_reports_null_asa(capsys):
    # R-WFM-1: JSON has no infinity.
    data = _json(capsys, "--agents", "10")
    assert data["asa_s"] is None and data["p_wait"] == 1.0


def test_human_table_without_json(capsys):
    # R-WFM-1
    assert main([*EXAMPLE, "--shrinkage", "0.3"]) == 0
    out = capsys.readouterr().out
    assert "agents                 14" in out
    assert "agents with shrinkage  20" in out
    assert "88.84% within 20 s" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--calls", "-1", "--aht", "180"], "--calls"),
        (["--calls", "100", "--aht", "180", "--sl", "1.5"], "--sl"),
        (["--calls", "100", "--aht", "180", "--sl", "0"], "--sl"),
        (["--calls", "100", "--aht", "0"], "--aht"),
        (["--calls", "100", "--aht", "180", "--shrinkage", "1"], "--shrinkage"),
        (["--calls", "100", "--aht", "180", "--interval", "0"], "--interval"),
        (["--calls", "100", "--aht", "180", "--max-abandon", "0.05"], "--patience"),
        (["--calls", "100", "--aht", "180", "--patience", "-3"], "--patience"),
        (["--calls", "100", "--aht", "180", "--agents", "0"], "--agents"),
        (["--calls", "nan", "--aht", "180"], "--calls"),
        (["--calls", "many", "--aht", "180"], "invalid float"),
        (["--calls", "100", "--aht", "180", "--sl", "0.8", "--asa", "20"], "not allowed"),
        (
            ["--calls", "100", "--aht", "180", "--patience", "60", "--sl-definition", "answered_within_t/answered"],
            "only defined for Erlang C",
        ),
    ],
)
def test_bad_input_exits_2_with_a_message_on_stderr(capsys, argv, message):
    # R-WFM-1
    assert main(["staffing", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err


def test_register_wires_run_into_a_parser():
    # R-WFM-1: the main `calldesk` CLI calls register(sub) and then args.func(args).
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args([*EXAMPLE, "--json"])
    assert args.func is run
