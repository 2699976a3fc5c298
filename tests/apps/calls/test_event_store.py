"""The routing event store: append-only, and a replay rebuilds the router (R-HL-5)."""

from __future__ import annotations

import pytest

from calldesk.domain import routing as dom
from tests.runtime.helpers import make_agents, route_hotline


@pytest.mark.django_db
def test_stored_events_cannot_be_changed_or_removed(hotline_a):
    # R-HL-5: what was stored is what happened; nothing rewrites it.
    from calldesk.apps.calls import services
    from calldesk.apps.calls.models import AppendOnly, RoutingEvent

    run = services.open_run({"hotlines": []}, 100.0)
    services.append_event(run.pk, 1, dom.Tick(100.0))
    event = RoutingEvent.objects.get()
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
    with pytest.raises(AppendOnly):
        RoutingEvent.objects.all().delete()
    with pytest.raises(AppendOnly):
        RoutingEvent.objects.update(kind="x")
    assert RoutingEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_restarted_core_rebuilds_queues_and_agents_from_storage(hotline_a):
    # R-HL-5, R-OPS-2: after a restart the replayed router equals the one that was running.
    from calldesk.apps.calls.models import Call
    from calldesk.runtime.core import RoutingCore
    from calldesk.telephony.port import IncomingCall

    agents = make_agents(2)
    route_hotline(hotline_a)
    clock = [1_700_000_000.0]
    core = RoutingCore(clock=lambda: clock[0])
    assert core.start().new_run
    core.process(dom.AgentStateRequested(0, str(agents[0].pk), dom.AgentState.READY))
    ids = [f"00000000-0000-4000-8000-00000000000{i}" for i in range(3)]
    for call_id in ids:
        clock[0] += 1
        core.process(IncomingCall(call_id, "a-line", "+74951112233"))
    before = core.router.snapshot()

    again = RoutingCore(clock=lambda: clock[0])
    recovery = again.start()
    assert not recovery.new_run and recovery.replayed == 4 and recovery.reapplied == 0
    assert again.router.snapshot() == before
    assert set(again.router.live_call_ids()) == set(ids)
    assert Call.objects.filter(outcome="in_progress").count() == 3


@pytest.mark.django_db(transaction=True)
def test_effects_of_a_stored_but_unapplied_event_are_carried_out_once(hotline_a):
    # R-HL-5: a crash between storing an event and saving its effects loses nothing.
    from calldesk.apps.calls import services
    from calldesk.apps.calls.models import Call, RoutingRun
    from calldesk.runtime.core import RoutingCore

    make_agents(1)
    route_hotline(hotline_a)
    core = RoutingCore(clock=lambda: 1_700_000_000.0)
    core.start()
    offered = dom.CallOffered(1_700_000_000.0, "00000000-0000-4000-8000-000000000009", "a-line", dom.Caller.of("+7495"))
    services.append_event(core.run_id, core.seq + 1, offered)  # stored, then the process died
    again = RoutingCore(clock=lambda: 1_700_000_001.0)
    assert again.start().reapplied == 1
    RoutingCore(clock=lambda: 1_700_000_002.0).start()
    assert Call.objects.filter(pk=offered.call_id).count() == 1
    assert RoutingRun.objects.get().applied_seq == again.seq
