"""Workforce planning core (R-WFM-1).

* Erlang B, C and A queue measures (:mod:`.erlang`), stable for thousands of erlangs
  and for patience/AHT ratios far outside 1e-4..1e4.
* Staffing per interval for a service-level, ASA or abandonment target, vectorised over
  a period (:mod:`.requirement`).
* Call-volume forecast per interval with holidays and a rolling-origin backtest
  (:mod:`.forecast`).
* Shift scheduling with labour rules, skills and availability (:mod:`.scheduling`).
* Plan check: Erlang estimate per planned interval (:mod:`.plan_check`).
* Man-hours per operator / hotline / month, actual and planned (:mod:`.man_hours`).
"""

from calldesk.domain.staffing.erlang import (
    QueueMetrics,
    QueueMetricsArrays,
    QueueModel,
    ServiceLevelDefinition,
    calculate_erlang_b,
    calculate_erlang_c,
    calculate_offered_load,
    calculate_queue_metrics,
    calculate_queue_metrics_array,
)
from calldesk.domain.staffing.forecast import (
    BacktestResult,
    Forecast,
    ForecastModel,
    IntervalHistory,
    LevelProfileModel,
    SameWeekdayMeanModel,
    calculate_after_holiday,
    calculate_backtest,
    calculate_forecast,
    calculate_interval_history,
)
from calldesk.domain.staffing.man_hours import (
    AgentStateInterval,
    HotlineManHours,
    ManHours,
    PlannedManHours,
    calculate_hotline_man_hours,
    calculate_man_hours,
    calculate_planned_man_hours,
)
from calldesk.domain.staffing.plan_check import IntervalPlanEstimate, calculate_plan_check
from calldesk.domain.staffing.requirement import (
    AbandonmentTarget,
    AsaTarget,
    ServiceLevelTarget,
    StaffingRequirement,
    StaffingResult,
    StaffingTarget,
    calculate_agents_with_shrinkage,
    calculate_required_agents,
    calculate_staffing,
)
from calldesk.domain.staffing.scheduling import (
    IntervalCoverage,
    LabourRules,
    Operator,
    Schedule,
    ScheduleStatus,
    SchedulingProblem,
    ShiftAssignment,
    ShiftTemplate,
    calculate_schedule,
)

__all__ = [
    "AbandonmentTarget",
    "AgentStateInterval",
    "AsaTarget",
    "BacktestResult",
    "Forecast",
    "ForecastModel",
    "HotlineManHours",
    "IntervalCoverage",
    "IntervalHistory",
    "IntervalPlanEstimate",
    "LabourRules",
    "LevelProfileModel",
    "ManHours",
    "Operator",
    "PlannedManHours",
    "QueueMetrics",
    "QueueMetricsArrays",
    "QueueModel",
    "SameWeekdayMeanModel",
    "Schedule",
    "ScheduleStatus",
    "SchedulingProblem",
    "ServiceLevelDefinition",
    "ServiceLevelTarget",
    "ShiftAssignment",
    "ShiftTemplate",
    "StaffingRequirement",
    "StaffingResult",
    "StaffingTarget",
    "calculate_after_holiday",
    "calculate_agents_with_shrinkage",
    "calculate_backtest",
    "calculate_erlang_b",
    "calculate_erlang_c",
    "calculate_forecast",
    "calculate_hotline_man_hours",
    "calculate_interval_history",
    "calculate_man_hours",
    "calculate_offered_load",
    "calculate_plan_check",
    "calculate_planned_man_hours",
    "calculate_queue_metrics",
    "calculate_queue_metrics_array",
    "calculate_required_agents",
    "calculate_schedule",
    "calculate_staffing",
]
