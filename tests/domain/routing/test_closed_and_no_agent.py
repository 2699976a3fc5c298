from __future__ import annotations

from datetime import UTC, datetime

from calldesk.domain.routing import (
    AgentState,
    CallerChose,
    HotlineOverride,
    OpeningHours,
    Outcome,
    PlayMessage,
    RegisterCallback,
    SendToVoicemail,
    check_open,
)

from .helpers import Desk, one_queue

HOURS = {
    "timezone": "Europe/Berlin",
    "weekly": [[day, "08:00", "18:00"] for day in range(5)],
    "holidays": ["2025-12-25"],
}


def _ts(text: str) -> float:
    return datetime.fromisoformat(text).astimezone(UTC).timestamp()


def _hotline_desk(options: list[str] | None = None) -> Desk:
    cfg = one_queue(agents={"a1": {"s": 1}})
    hotline = cfg["hotlines"][0]
    hotline.update(hours=HOURS, closed_message="closed-msg", no_agent_message="busy-msg",
                   voicemail_box="box-main")
    if options is not None:
        hotline["options"] = options
    return Desk(cfg, start=_ts("2025-12-01T00:00:00+01:00"))


# R-HL-5
def test_opening_hours_follow_local_time_weekdays_and_holidays() -> None:
    hours = OpeningHours("Europe/Berlin", tuple((d, 480, 1080) for d in range(5)), ("2025-12-25",))
    assert check_open(hours, _ts("2025-12-01T08:00:00+01:00"))  # Monday 08:00
    assert not check_open(hours, _ts("2025-12-01T07:59:00+01:00"))
    assert not check_open(hours, _ts("2025-12-01T18:00:00+01:00"))
    assert not check_open(hours, _ts("2025-12-06T10:00:00+01:00"))  # Saturday
    assert not check_open(hours, _ts("2025-12-25T10:00:00+01:00"))  # holiday, Thursday
    assert check_open(OpeningHours(), 0.0)


# R-HL-5: outside working hours the caller hears the message and leaves a voicemail
def test_closed_hotline_plays_message_then_voicemail() -> None:
    desk = _hotline_desk()
    desk.login("a1", at=_ts("2025-12-01T19:00:00+01:00"))  # an agent is even logged in
    at = _ts("2025-12-01T19:30:00+01:00")
    out = desk.offer("c1", at=at, number="+49301")
    assert desk.rung(out) == []
    assert PlayMessage("c1", "closed-msg", ("voicemail", "callback")) in out
    out = desk.send(CallerChose(at + 20, "c1", "voicemail"))
    assert SendToVoicemail("c1", "box-main") in out
    assert desk.finished("c1").outcome is Outcome.VOICEMAIL


# R-HL-5: ... or asks for a callback
def test_closed_hotline_on_a_holiday_takes_a_callback_request() -> None:
    desk = _hotline_desk()
    at = _ts("2025-12-25T10:00:00+01:00")
    desk.offer("c1", at=at, number="+49301")
    out = desk.send(CallerChose(at + 15, "c1", "callback"))
    assert RegisterCallback("c1", "+49301", keeps_place=False) in out
    assert desk.finished("c1").outcome is Outcome.CALLBACK


# R-HL-5: with a single option nothing needs to be chosen
def test_single_option_is_applied_without_asking() -> None:
    desk = _hotline_desk(options=["voicemail"])
    out = desk.offer("c1", at=_ts("2025-12-06T10:00:00+01:00"))
    assert SendToVoicemail("c1", "box-main") in out
    assert desk.finished("c1").outcome is Outcome.VOICEMAIL


# R-HL-5: open but no operator -> the no-agent message, nothing lost
def test_open_hotline_without_operators_plays_the_no_agent_message() -> None:
    desk = _hotline_desk()
    out = desk.offer("c1", at=_ts("2025-12-01T10:00:00+01:00"))
    assert PlayMessage("c1", "busy-msg", ("voicemail", "callback")) in out
    desk.end("c1", at=_ts("2025-12-01T10:00:30+01:00"))
    finished = desk.finished("c1")
    assert finished.outcome is Outcome.ABANDONED
    assert [e.kind for e in finished.timeline][-2:] == ["message", "finished"]


# R-HL-5: operators who all leave do not strand waiting callers
def test_waiting_callers_get_the_message_when_the_last_operator_leaves() -> None:
    desk = _hotline_desk()
    start = _ts("2025-12-01T10:00:00+01:00")
    desk.login("a1", at=start)
    desk.offer("busy", at=start + 1)
    desk.answer("busy", "a1", at=start + 1)
    desk.offer("c1", at=start + 2)
    desk.request("a1", AgentState.OFFLINE, at=start + 3, when_free=True)
    out = desk.end("busy", at=start + 60)
    assert PlayMessage("c1", "busy-msg", ("voicemail", "callback")) in out
    assert desk.state("a1") is AgentState.OFFLINE


# R-HL-5: a supervisor can close a hotline by hand
def test_override_closes_an_open_hotline() -> None:
    desk = _hotline_desk()
    at = _ts("2025-12-01T10:00:00+01:00")
    desk.login("a1", at=at)
    desk.send(HotlineOverride(at, "main", False))
    out = desk.offer("c1", at=at + 1)
    assert PlayMessage("c1", "closed-msg", ("voicemail", "callback")) in out
    desk.send(HotlineOverride(at + 2, "main", None))
    assert desk.rung(desk.offer("c2", at=at + 3)) == [("c2", "a1")]


# R-HL-5: a choice that was not offered is refused
def test_unknown_choice_is_refused() -> None:
    desk = _hotline_desk(options=["voicemail", "callback"])
    at = _ts("2025-12-06T10:00:00+01:00")
    desk.offer("c1", at=at)
    out = desk.send(CallerChose(at + 1, "c1", "fax"))
    assert "not offered" in desk.rejected(out)[0]
