from django.db import models
from django.utils.translation import gettext_lazy as _


class Hotline(models.Model):
    """An inbound line the contact center runs for a client (or for the order desk)."""

    class Kind(models.TextChoices):
        INFORMATION = "information", _("Information line")
        ORDER_DESK = "order_desk", _("Order desk")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        LAUNCHING = "launching", _("Launching")
        LIVE = "live", _("Live")
        PAUSED = "paused", _("Paused")
        CLOSED = "closed", _("Closed")

    client = models.ForeignKey(
        "clients.ClientCompany", verbose_name=_("client"), on_delete=models.PROTECT, related_name="hotlines"
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INFORMATION)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Moscow")
    planned_launch = models.DateField(_("planned launch"), null=True, blank=True)
    planned_operators = models.PositiveIntegerField(_("planned operators"), default=0)
    wrap_up_seconds = models.PositiveIntegerField(_("wrap-up time, s"), default=30)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("hotline")
        verbose_name_plural = _("hotlines")
        ordering = ["client__name", "name"]

    def __str__(self) -> str:
        return self.name


class HotlineNumber(models.Model):
    """A phone number (E.164) that reaches a hotline."""

    hotline = models.ForeignKey(Hotline, on_delete=models.CASCADE, related_name="numbers")
    number = models.CharField(_("number"), max_length=20, unique=True)

    class Meta:
        verbose_name = _("hotline number")
        verbose_name_plural = _("hotline numbers")

    def __str__(self) -> str:
        return self.number
