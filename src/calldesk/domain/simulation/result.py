"""Per-call simulation results and their summary, with the metric definitions used."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from calldesk.domain.metrics import (
    OUTCOMES,
    CallRecord,
    ServiceLevelDefinition,
    calculate_abandon_rate,
)

ANSWERED_CODE, ABANDONED_CODE, VOICEMAIL_CODE, CALLBACK_CODE = 0, 1, 2, 3

P_WAIT_DEFINITION = "offered calls that found no free agent on arrival / offered calls"
MEAN_WAIT_DEFINITION = (
    "mean time from offer to answer, abandonment or message over all offered calls"
)
ASA_DEFINITION = "mean wait over answered calls"


@dataclass(frozen=True, slots=True, eq=False)
class SimulationResult:
    """Columnar per-call results in arrival order (warm-up calls included).

    outcome codes index calldesk.domain.metrics.OUTCOMES: 0 answered, 1 abandoned,
    2 voicemail, 3 callback. `engine` says which path produced them.
    """

    engine: str
    offered_at: NDArray[np.float64]
    wait_s: NDArray[np.float64]
    talk_s: NDArray[np.float64]
    outcome: NDArray[np.int8]
    found_free: NDArray[np.bool_]
    warmup_calls: int
    wrap_s: float = 0.0
    agent_busy_s: float | None = None
    agent_available_s: float | None = None

    def records(self) -> tuple[CallRecord, ...]:
        """Counted calls (after warm-up) as metrics records."""
        start = self.warmup_calls
        return tuple(
            CallRecord(
                outcome=OUTCOMES[int(code)],
                wait_s=float(wait),
                talk_s=float(talk),
                wrap_s=self.wrap_s if code == ANSWERED_CODE else 0.0,
                offered_at=float(at),
            )
            for at, wait, talk, code in zip(
                self.offered_at[start:],
                self.wait_s[start:],
                self.talk_s[start:],
                self.outcome[start:],
                strict=True,
            )
        )

    def summarize(self, sl_threshold_s: float) -> SimulationSummary:
        start = self.warmup_calls
        outcome = self.outcome[start:]
        wait = self.wait_s[start:]
        offered = int(len(outcome))
        answered_mask = outcome == ANSWERED_CODE
        answered = int(answered_mask.sum())
        abandoned = int((outcome == ABANDONED_CODE).sum())
        definition = ServiceLevelDefinition(sl_threshold_s, "offered")
        within = int((answered_mask & (wait <= sl_threshold_s)).sum())
        occupancy = None
        if self.agent_busy_s is not None and self.agent_available_s:
            occupancy = self.agent_busy_s / self.agent_available_s
        return SimulationSummary(
            engine=self.engine,
            offered=offered,
            answered=answered,
            abandoned=abandoned,
            voicemail=int((outcome == VOICEMAIL_CODE).sum()),
            callback=int((outcome == CALLBACK_CODE).sum()),
            p_wait=_share(int((~self.found_free[start:]).sum()), offered),
            mean_wait_s=float(wait.mean()) if offered else 0.0,
            asa_s=float(wait[answered_mask].mean()) if answered else None,
            service_level=_share(within, offered),
            abandon_rate=_share(abandoned, offered),
            occupancy=occupancy,
            sl_threshold_s=sl_threshold_s,
            warmup_calls=start,
            definitions=(
                ("p_wait", P_WAIT_DEFINITION),
                ("mean_wait_s", MEAN_WAIT_DEFINITION),
                ("asa_s", ASA_DEFINITION),
                ("service_level", definition.describe()),
                ("abandon_rate", calculate_abandon_rate(()).definition),
                ("occupancy", "agent busy time (ringing, talk, hold, wrap-up) / logged-in "
                              "time outside breaks (router engine only)"),
            ),
        )


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


@dataclass(frozen=True, slots=True)
class SimulationSummary:
    engine: str
    offered: int
    answered: int
    abandoned: int
    voicemail: int
    callback: int
    p_wait: float
    mean_wait_s: float
    asa_s: float | None
    service_level: float
    abandon_rate: float
    occupancy: float | None
    sl_threshold_s: float
    warmup_calls: int
    definitions: tuple[tuple[str, str], ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "engine": self.engine,
            "offered": self.offered,
            "answered": self.answered,
            "abandoned": self.abandoned,
            "voicemail": self.voicemail,
            "callback": self.callback,
            "p_wait": self.p_wait,
            "mean_wait_s": self.mean_wait_s,
            "asa_s": self.asa_s,
            "service_level": self.service_level,
            "sl_seconds": self.sl_threshold_s,
            "abandon_rate": self.abandon_rate,
            "occupancy": self.occupancy,
            "warmup_calls": self.warmup_calls,
            "definitions": dict(self.definitions),
        }
