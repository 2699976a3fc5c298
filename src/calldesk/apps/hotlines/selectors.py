"""Reads of hotline data for other apps (routing, staffing, telephony) and for the staff pages."""

from __future__ import annotations

from .models import OperatorQualification
from .services import get_message_audio, get_planned_operators

__all__ = ["get_message_audio", "get_planned_operators", "get_qualified_operator_ids"]


def get_qualified_operator_ids(hotline_id: int) -> set[int]:
    """Operators who passed the hotline's phone test and may take its calls (R-HL-4)."""
    return set(OperatorQualification.objects.filter(hotline_id=hotline_id).values_list("operator_id", flat=True))
