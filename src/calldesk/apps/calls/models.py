"""Calls and the agents' logged states: what reports, man-hours and billing are built from."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Call(models.Model):
    class Direction(models.TextChoices):
        INBOUND = "in", _("Inbound")
        OUTBOUND = "out", _("Outbound")

    class Outcome(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        ANSWERED = "answered", _("Answered")
        ABANDONED = "abandoned", _("Abandoned")
        VOICEMAIL = "voicemail", _("Voicemail")
        CALLBACK = "callback", _("Callback requested")
        TRANSFERRED = "transferred", _("Transferred")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    hotline = models.ForeignKey("hotlines.Hotline", verbose_name=_("hotline"), on_delete=models.PROTECT, related_name="calls")
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices, default=Direction.INBOUND)
    number = models.CharField(_("caller number"), max_length=20, db_index=True)
    customer = models.ForeignKey("customers.Customer", verbose_name=_("customer"), null=True, blank=True, on_delete=models.SET_NULL, related_name="calls")
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("operator"), null=True, blank=True, on_delete=models.SET_NULL, related_name="calls")
    offered_at = models.DateTimeField(_("offered"), db_index=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.IN_PROGRESS)
    topic = models.CharField(_("topic"), max_length=60, blank=True)
    form_data = models.JSONField(_("form"), default=dict, blank=True)
    # Which version of the hotline's spec served this call (R-HL-2).
    spec_version = models.PositiveIntegerField(_("spec version"), null=True, blank=True)
    talk_seconds = models.PositiveIntegerField(_("talk, s"), default=0)
    hold_seconds = models.PositiveIntegerField(_("hold, s"), default=0)
    wrap_seconds = models.PositiveIntegerField(_("wrap-up, s"), default=0)
    recording = models.FileField(_("recording"), upload_to="recordings/%Y/%m/", blank=True)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-offered_at"]
        indexes = [models.Index(fields=["hotline", "offered_at"])]

    def __str__(self) -> str:
        return f"{self.number} {self.offered_at:%Y-%m-%d %H:%M}"


class AgentStateLog(models.Model):
    """One stretch of time an agent spent in one state (man-hours come from these)."""

    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="state_log")
    state = models.CharField(_("state"), max_length=20)
    reason = models.CharField(_("reason"), max_length=60, blank=True)
    hotline = models.ForeignKey("hotlines.Hotline", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("agent state")
        verbose_name_plural = _("agent states")
        indexes = [models.Index(fields=["agent", "started_at"]), models.Index(fields=["started_at"])]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.state} {self.started_at:%Y-%m-%d %H:%M}"
