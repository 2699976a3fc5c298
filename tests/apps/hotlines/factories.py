"""Builders of spec versions for the hotline and portal tests."""

from __future__ import annotations

import io
import wave
from datetime import time

from calldesk.domain.hotlines import (
    FieldType,
    FormField,
    HotlineSpec,
    Message,
    MessageKind,
    Topic,
    WorkingHours,
    spec_to_dict,
    weekly_ranges,
)


def good_spec(**changes) -> HotlineSpec:
    nine_six = [(time(9), time(18))]
    spec = HotlineSpec(
        hours=WorkingHours(time_zone="Europe/Moscow", weekly=weekly_ranges(mon=nine_six, tue=nine_six, wed=nine_six, thu=nine_six, fri=nine_six)),
        topics=(Topic("delivery", "Доставка"), Topic("price", "Цены")),
        fields=(
            FormField("name", "Имя", FieldType.TEXT, required=True, order=1),
            FormField("city", "Город", FieldType.CHOICE, choices=("Москва", "Казань"), order=2),
            FormField("qty", "Количество", FieldType.NUMBER, order=3),
        ),
        messages=tuple(
            Message(kind, "ru", f"Текст {kind.value}") for kind in (MessageKind.GREETING, MessageKind.CLOSED, MessageKind.QUEUE)
        ),
        planned_operators=1,
    )
    from dataclasses import replace

    return replace(spec, **changes)


def make_version(hotline, *, status="draft", spec: HotlineSpec | None = None, number: int | None = None, **extra):
    from django.utils import timezone

    from calldesk.apps.hotlines.models import SpecVersion

    if number is None:
        number = (SpecVersion.objects.filter(hotline=hotline).order_by("-number").values_list("number", flat=True).first() or 0) + 1
    now = timezone.now()
    if status in ("proposed", "approved", "rejected"):
        extra.setdefault("proposed_at", now)
    if status == "approved":
        extra.setdefault("decided_at", now)
        extra.setdefault("effective_from", now)
    return SpecVersion.objects.create(hotline=hotline, number=number, status=status, spec=spec_to_dict(spec or good_spec()), **extra)


def wav_bytes(frames: int = 800, rate: int = 8000) -> bytes:
    """A real (silent) mono 16-bit WAV file, built with the standard `wave` module."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"\x00\x00" * frames)
    return buffer.getvalue()
