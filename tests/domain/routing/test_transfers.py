from __future__ import annotations

from calldesk.domain.routing import (
    AgentState,
    BlindTransferred,
    CallHeld,
    CallResumed,
    ConferenceStarted,
    ConnectCall,
    ConsultEnded,
    ConsultStarted,
    Outcome,
    ParticipantLeft,
    RingAgent,
    StartConference,
    Target,
    TransferCompleted,
)

from .helpers import Desk


def _desk() -> Desk:
    desk = Desk({
        "queues": [{"name": "q", "skill": "s", "wrap_up_s": 10},
                   {"name": "billing", "skill": "b"}],
        "agents": [{"id": "a1", "skills": {"s": 1}}, {"id": "a2", "skills": {"s": 1}},
                   {"id": "b1", "skills": {"b": 1}}],
        "hotlines": [{"name": "main", "default_queue": "q"}],
    })
    desk.login("a1", at=0)
    desk.login("a2", "b1", at=1)
    desk.offer("c1", at=5)
    desk.answer("c1", "a1", at=6)
    return desk


def _kinds(desk: Desk, call: str) -> list[tuple[str, str, str]]:
    return [(e.kind, e.agent_id, e.detail) for e in desk.finished(call).timeline]


# R-OPS-2: blind transfer to another queue is on the timeline
def test_blind_transfer_to_a_queue() -> None:
    desk = _desk()
    out = desk.send(BlindTransferred(20, "c1", "a1", Target("queue", "billing")))
    assert ("c1", "b1") in desk.rung(out)
    assert desk.state("a1") is AgentState.WRAP_UP
    desk.answer("c1", "b1", at=22)
    desk.end("c1", at=80)
    done = desk.finished("c1")
    assert done.outcome is Outcome.ANSWERED and done.agent_id == "b1"
    assert done.answered_at == 6  # the caller was answered once, at the first agent
    assert ("blind_transfer", "a1", "queue billing") in _kinds(desk, "c1")


# R-OPS-2: a blind transfer never rings the agent who transferred
def test_blind_transfer_does_not_come_back_to_the_transferring_agent() -> None:
    desk = _desk()
    desk.offer("c2", at=7)
    desk.answer("c2", "a2", at=7)
    out = desk.send(BlindTransferred(20, "c1", "a1", Target("queue", "q")))
    assert desk.rung(out) == []
    out = desk.tick(31)  # a1's wrap-up is over; the call still waits for someone else
    assert desk.state("a1") is AgentState.READY
    assert desk.rung(out) == []
    desk.end("c2", at=40)
    assert desk.rung(desk.tick(50)) == [("c1", "a2")]


# R-OPS-2: attended transfer = consultation, then hand-over
def test_attended_transfer() -> None:
    desk = _desk()
    out = desk.send(ConsultStarted(10, "c1", "a1", "a2"))
    assert RingAgent("c1", "a2", 20.0, "consult") in out
    out = desk.answer("c1", "a2", at=12)
    assert ConnectCall("c1", "a2", "consult") in out
    out = desk.send(TransferCompleted(30, "c1", "a1"))
    assert ConnectCall("c1", "a2", "caller") in out
    assert desk.state("a1") is AgentState.WRAP_UP
    desk.end("c1", at=90)
    kinds = [k for k, _, _ in _kinds(desk, "c1")]
    assert kinds[kinds.index("answered"):] == [
        "answered", "consult_started", "consult_connected", "attended_transfer", "finished"
    ]
    assert desk.finished("c1").agent_id == "a2"


# R-OPS-2: three-way conference
def test_three_way_conference() -> None:
    desk = _desk()
    desk.send(ConsultStarted(10, "c1", "a1", "b1"))
    desk.answer("c1", "b1", at=11)
    out = desk.send(ConferenceStarted(15, "c1", "a1"))
    assert StartConference("c1", ("a1", "b1")) in out
    desk.send(ParticipantLeft(40, "c1", "a1"))
    assert desk.state("a1") is AgentState.WRAP_UP
    assert desk.state("b1") is AgentState.TALKING
    desk.end("c1", at=60)
    kinds = [k for k, _, _ in _kinds(desk, "c1")]
    assert kinds[-4:] == ["conference_started", "participant_left", "conference_ended",
                          "finished"]


# R-OPS-2: consultation dropped, the colleague is free again at once
def test_consultation_can_be_dropped() -> None:
    desk = _desk()
    desk.send(ConsultStarted(10, "c1", "a1", "a2"))
    desk.answer("c1", "a2", at=11)
    desk.send(ConsultEnded(20, "c1", "a1"))
    assert desk.state("a2") is AgentState.READY
    assert desk.state("a1") is AgentState.TALKING


# R-OPS-2: an unanswered consultation does not leave the colleague ringing
def test_unanswered_consultation_times_out() -> None:
    desk = _desk()
    desk.send(ConsultStarted(10, "c1", "a1", "a2"))
    desk.tick(30)
    assert desk.state("a2") is AgentState.NOT_READY
    desk.end("c1", at=40)
    assert ("consult_failed", "a2", "no answer") in _kinds(desk, "c1")


# R-OPS-2: consulting a busy colleague is refused
def test_consulting_a_busy_colleague_is_refused() -> None:
    desk = _desk()
    desk.request("a2", AgentState.BREAK, "coffee", at=7)
    out = desk.send(ConsultStarted(10, "c1", "a1", "a2"))
    assert "not ready" in desk.rejected(out)[0]


# R-OPS-2: hold time is measured and recorded
def test_hold_time_is_recorded() -> None:
    desk = _desk()
    desk.send(CallHeld(10, "c1", "a1"))
    assert desk.state("a1") is AgentState.ON_HOLD
    desk.send(CallResumed(25, "c1", "a1"))
    desk.end("c1", at=50)
    assert desk.finished("c1").hold_s == 15
    assert [k for k, _, _ in _kinds(desk, "c1")][-3:] == ["hold", "resume", "finished"]
