"""The runtime on a virtual clock: the same core and telephony adapter, no waiting (tests,
what-if runs). Items are processed in arrival order; router deadlines become Ticks."""

from __future__ import annotations

from calldesk.domain import routing as dom
from calldesk.runtime.core import Item, RoutingCore, Step
from calldesk.telephony.port import IncomingCall, carry_out
from calldesk.telephony.simulator import SimulatorAdapter, SimulatorSettings, VirtualScheduler


class VirtualRuntime:
    def __init__(self, simulator: SimulatorSettings, start: float = 1_700_000_000.0) -> None:
        self.scheduler = VirtualScheduler(start)
        self.core = RoutingCore(clock=self.scheduler.now)
        self.inbox: list[Item] = []
        self.steps: list[Step] = []
        self.simulator = SimulatorAdapter(simulator, self.scheduler, self)

    def offer(self, call: IncomingCall) -> None:
        self.inbox.append(call)

    def emit(self, event: dom.Event) -> None:
        self.inbox.append(event)

    def start(self) -> None:
        self.core.start()
        router = self.core.router
        assert router is not None
        snap = router.snapshot()
        self.simulator.start(snap.agents, snap.calls, dict(self.core.calls))
        self.drain()

    def submit(self, item: Item) -> None:
        self.inbox.append(item)
        self.drain()

    def drain(self) -> None:
        while self.inbox:
            step = self.core.process(self.inbox.pop(0))
            self.steps.append(step)
            if step.event is not None:
                carry_out(self.simulator, step.event, step.commands)

    def run_until(self, until: float) -> None:
        """Advance the virtual clock to `until`, firing simulator timers and router deadlines."""
        self.drain()
        while True:
            sim_at = self.scheduler.next_at()
            deadline = self.core.next_deadline()
            due = [t for t in (sim_at, deadline) if t is not None and t <= until]
            if not due:
                break
            at = min(due)
            if sim_at is not None and sim_at == at:
                self.scheduler.step()
            else:
                self.scheduler.advance(at)
                self.inbox.append(dom.Tick(at))
            self.drain()
        self.scheduler.advance(until)
