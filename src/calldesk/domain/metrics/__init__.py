"""Contact-center metrics (service level, ASA, AHT, abandon rate, occupancy) with definitions."""

from calldesk.domain.metrics.calls import (
    ABANDONED,
    ANSWERED,
    CALLBACK,
    OUTCOMES,
    VOICEMAIL,
    CallRecord,
    MetricResult,
    ServiceLevelDefinition,
    calculate_abandon_rate,
    calculate_aht,
    calculate_asa,
    calculate_occupancy,
    calculate_service_level,
    calculate_summary,
)

__all__ = [
    "ABANDONED",
    "ANSWERED",
    "CALLBACK",
    "OUTCOMES",
    "VOICEMAIL",
    "CallRecord",
    "MetricResult",
    "ServiceLevelDefinition",
    "calculate_abandon_rate",
    "calculate_aht",
    "calculate_asa",
    "calculate_occupancy",
    "calculate_service_level",
    "calculate_summary",
]
