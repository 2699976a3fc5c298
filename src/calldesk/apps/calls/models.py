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
    # Routing facts (R-ORD-3, R-OPS-2): which rule and queue served the call, and its whole
    # timeline as the router recorded it (queued, rung, answered, held, transferred, ...).
    routing_rule = models.CharField(_("routing rule"), max_length=60, blank=True)
    queue = models.CharField(_("queue"), max_length=60, blank=True)
    callback_number = models.CharField(_("callback number"), max_length=20, blank=True)
    timeline = models.JSONField(_("timeline"), default=list, blank=True)

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


class HotlineRouting(models.Model):
    """The routing configuration of one hotline, as data (R-ORD-3, R-ORD-10, R-HL-5).

    `config` holds {"hotline": {...}, "queues": [...]} in the shape parse_routing_config
    reads; the runtime merges every hotline's part with the agents and directories it builds
    from the staff records.
    """

    hotline = models.OneToOneField("hotlines.Hotline", on_delete=models.CASCADE, related_name="routing")
    config = models.JSONField(_("routing configuration"), default=dict)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("hotline routing")
        verbose_name_plural = _("hotline routing")

    def __str__(self) -> str:
        return str(self.hotline)


class RoutingRun(models.Model):
    """One life of the router: the configuration it started with and how far effects got.

    Replaying a run's events into a Router built from `config` rebuilds the state exactly;
    `applied_seq` is the last event whose effects (call records, state log) are saved, so a
    restart carries out the effects of events stored but not yet acted on - once.
    """

    started_at = models.DateTimeField(_("started"))
    epoch = models.FloatField(_("router start, Unix seconds"))
    config = models.JSONField(_("configuration"))
    config_hash = models.CharField(max_length=64)
    applied_seq = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("routing run")
        verbose_name_plural = _("routing runs")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"run {self.pk} {self.started_at:%Y-%m-%d %H:%M}"


class AppendOnly(Exception):
    """Stored routing events are never changed or removed."""


class RoutingEventQuerySet(models.QuerySet["RoutingEvent"]):
    def update(self, **kwargs: object) -> int:
        raise AppendOnly("routing events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly("routing events are append-only")


class RoutingEvent(models.Model):
    """One event the router consumed, stored before it was acted on (append-only)."""

    run = models.ForeignKey(RoutingRun, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveBigIntegerField()
    at = models.DateTimeField()
    kind = models.CharField(max_length=40)
    payload = models.JSONField()

    objects = RoutingEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("routing event")
        verbose_name_plural = _("routing events")
        ordering = ["run", "seq"]
        constraints = [models.UniqueConstraint(fields=["run", "seq"], name="uniq_routing_event_seq")]

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise AppendOnly("routing events are append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnly("routing events are append-only")

    def __str__(self) -> str:
        return f"{self.run_id}#{self.seq} {self.kind}"
