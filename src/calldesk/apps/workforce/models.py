"""Workforce planning data (R-WFM-1, R-REP-2, R-REP-5).

* ``IntervalVolume``: calls and AHT per 30-minute interval of a hotline, imported from a PBX
  export or written by the demo; history for the forecast next to the calls Calldesk records.
* ``PlanningSettings``: a hotline's service target, shrinkage and labour rules (the what-if
  form starts from them).
* ``ShiftTemplate`` and ``OperatorAvailability``: what the schedule may be made of.
* ``ShiftPlan`` and ``PlannedShift``: the schedule built for a hotline and week.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

INTERVAL_MINUTES = 30


class IntervalVolume(models.Model):
    """Offered calls and their mean handle time in one 30-minute interval (UTC start)."""

    class Source(models.TextChoices):
        IMPORT = "import", _("Imported")
        DEMO = "demo", _("Demo")

    hotline = models.ForeignKey("hotlines.Hotline", verbose_name=_("hotline"), on_delete=models.CASCADE, related_name="interval_volumes")
    interval_start = models.DateTimeField(_("interval start"))
    calls = models.PositiveIntegerField(_("calls"))
    # Talk + hold + wrap-up; 0 means unknown (the interval's calls then carry no AHT weight).
    aht_s = models.FloatField(_("AHT, s"), default=0.0, validators=[MinValueValidator(0.0)])
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.IMPORT)

    class Meta:
        verbose_name = _("interval volume")
        verbose_name_plural = _("interval volumes")
        ordering = ["hotline", "interval_start"]
        constraints = [
            models.UniqueConstraint(fields=["hotline", "interval_start"], name="workforce_volume_unique_interval"),
        ]

    def __str__(self) -> str:
        return f"{self.hotline_id} {self.interval_start:%Y-%m-%d %H:%M} {self.calls}"


class PlanningSettings(models.Model):
    """The planning defaults of one hotline; a hotline without a row uses the field defaults."""

    hotline = models.OneToOneField("hotlines.Hotline", verbose_name=_("hotline"), on_delete=models.CASCADE, related_name="planning_settings")
    service_level = models.DecimalField(
        _("service-level target"), max_digits=4, decimal_places=3, default=Decimal("0.800"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("0.999"))],
    )
    service_level_seconds = models.PositiveIntegerField(_("answered within, s"), default=20)
    patience_s = models.PositiveIntegerField(
        _("mean caller patience, s"), null=True, blank=True,
        help_text=_("Set it to plan with Erlang A (callers hang up); empty means Erlang C."),
    )
    shrinkage = models.DecimalField(
        _("shrinkage"), max_digits=4, decimal_places=3, default=Decimal("0.300"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("0.9"))],
    )
    max_occupancy = models.DecimalField(
        _("maximum occupancy"), max_digits=4, decimal_places=3, default=Decimal("0.900"),
        validators=[MinValueValidator(Decimal("0.3")), MaxValueValidator(Decimal("1"))],
    )
    default_aht_s = models.PositiveIntegerField(_("AHT when history has none, s"), default=180)
    max_hours_per_day = models.DecimalField(_("max paid hours per day"), max_digits=4, decimal_places=1, default=Decimal("10"))
    max_hours_per_week = models.DecimalField(_("max paid hours per week"), max_digits=4, decimal_places=1, default=Decimal("40"))
    min_rest_hours = models.DecimalField(_("min rest between shifts, h"), max_digits=4, decimal_places=1, default=Decimal("11"))

    class Meta:
        verbose_name = _("planning settings")
        verbose_name_plural = _("planning settings")

    def __str__(self) -> str:
        return str(self.hotline)


class ShiftTemplate(models.Model):
    """A kind of shift; a template without a hotline may be used for every hotline."""

    hotline = models.ForeignKey(
        "hotlines.Hotline", verbose_name=_("hotline"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="shift_templates",
    )
    name = models.CharField(_("name"), max_length=60)
    start_times = models.CharField(
        _("start times"), max_length=200, help_text=_("Local times the shift may start, e.g. 08:00 09:00 10:30."),
    )
    length_minutes = models.PositiveIntegerField(_("length, min"))
    break_minutes = models.PositiveIntegerField(_("unpaid break, min"), default=0)
    break_earliest_minutes = models.PositiveIntegerField(_("break earliest after start, min"), default=0)
    break_latest_minutes = models.PositiveIntegerField(_("break latest after start, min"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("shift template")
        verbose_name_plural = _("shift templates")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def start_minutes(self) -> tuple[int, ...]:
        """Start times as minutes after local midnight; raises ValueError for a bad entry."""
        out = []
        for item in self.start_times.replace(",", " ").split():
            hours, _sep, minutes = item.partition(":")
            value = int(hours) * 60 + int(minutes or 0)
            if not 0 <= value < 24 * 60:
                raise ValueError(item)
            out.append(value)
        return tuple(sorted(set(out)))

    def clean(self) -> None:
        super().clean()
        try:
            starts = self.start_minutes()
        except ValueError:
            starts = ()
        if not starts:
            raise ValidationError({"start_times": _("Give start times as HH:MM separated by spaces.")})
        if self.break_minutes and not (
            self.break_earliest_minutes <= self.break_latest_minutes
            and self.break_latest_minutes + self.break_minutes <= self.length_minutes
        ):
            raise ValidationError({"break_latest_minutes": _("The break window must lie inside the shift.")})


class OperatorAvailability(models.Model):
    """A weekly window in which an operator may work (local time of the hotline planned).

    An operator without any window may work at any time; ``end`` at or before ``start`` runs
    past midnight.
    """

    operator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("operator"), on_delete=models.CASCADE, related_name="availability")
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=[(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")),
                               (4, _("Friday")), (5, _("Saturday")), (6, _("Sunday"))],
    )
    start = models.TimeField(_("from"))
    end = models.TimeField(_("to"))

    class Meta:
        verbose_name = _("operator availability")
        verbose_name_plural = _("operator availability")
        ordering = ["operator", "weekday", "start"]

    def __str__(self) -> str:
        return f"{self.operator_id} {self.weekday} {self.start:%H:%M}-{self.end:%H:%M}"


class ShiftPlan(models.Model):
    """The schedule of one hotline for one week (Monday ``week_start``, hotline's local days)."""

    hotline = models.ForeignKey("hotlines.Hotline", verbose_name=_("hotline"), on_delete=models.CASCADE, related_name="shift_plans")
    week_start = models.DateField(_("week"))
    status = models.CharField(_("solver status"), max_length=20)
    message = models.TextField(_("solver message"), blank=True)
    cost = models.DecimalField(_("paid hours x cost"), max_digits=12, decimal_places=2, default=Decimal("0"))
    # The what-if parameters the schedule was built for, so the page can say when they differ.
    parameters = models.JSONField(_("parameters"), default=dict)
    built_at = models.DateTimeField(_("built"))
    built_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    solve_seconds = models.FloatField(_("solve time, s"), default=0.0)

    class Meta:
        verbose_name = _("shift plan")
        verbose_name_plural = _("shift plans")
        ordering = ["hotline", "-week_start"]
        constraints = [models.UniqueConstraint(fields=["hotline", "week_start"], name="workforce_plan_unique_week")]

    def __str__(self) -> str:
        return f"{self.hotline} {self.week_start}"


class PlannedShift(models.Model):
    """One shift of one operator in a plan (times in UTC, shown in the hotline's zone)."""

    plan = models.ForeignKey(ShiftPlan, on_delete=models.CASCADE, related_name="shifts")
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("operator"), on_delete=models.CASCADE, related_name="planned_shifts")
    template = models.CharField(_("template"), max_length=60)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    break_start = models.DateTimeField(_("break from"), null=True, blank=True)
    break_end = models.DateTimeField(_("break to"), null=True, blank=True)
    paid_hours = models.DecimalField(_("paid hours"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("planned shift")
        verbose_name_plural = _("planned shifts")
        ordering = ["plan", "operator", "starts_at"]
        indexes = [models.Index(fields=["operator", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.operator_id} {self.starts_at:%Y-%m-%d %H:%M}"
