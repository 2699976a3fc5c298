from django.conf import settings
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


class SpecVersion(models.Model):
    """One version of a hotline's spec, stored as JSON (``spec_to_dict``) (R-HL-1, R-HL-2).

    Only the stored status lives here; scheduled/effective/superseded are calculated by the
    domain (``calculate_version_state``) from ``effective_from`` and the moment.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    hotline = models.ForeignKey(Hotline, verbose_name=_("hotline"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("number"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    spec = models.JSONField(_("spec"), default=dict)
    proposed_at = models.DateTimeField(_("proposed"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    comment = models.TextField(_("comment"), blank=True)
    effective_from = models.DateTimeField(_("effective from"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("spec version")
        verbose_name_plural = _("spec versions")
        ordering = ["hotline", "-number"]
        constraints = [models.UniqueConstraint(fields=["hotline", "number"], name="hotlines_specversion_unique_number")]

    def __str__(self) -> str:
        return f"{self.hotline_id} v{self.number}"


class KnowledgeEntry(models.Model):
    """A question and its answer that operators give callers (R-HL-1)."""

    hotline = models.ForeignKey(Hotline, verbose_name=_("hotline"), on_delete=models.CASCADE, related_name="knowledge")
    question = models.CharField(_("question"), max_length=500)
    answer = models.TextField(_("answer"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("knowledge-base entry")
        verbose_name_plural = _("knowledge-base entries")
        ordering = ["hotline", "question"]

    def __str__(self) -> str:
        return self.question


class MessageAudio(models.Model):
    """An audio file for an announcement; the spec's message refers to it by ``file.name``."""

    hotline = models.ForeignKey(Hotline, on_delete=models.CASCADE, related_name="audio_files")
    file = models.FileField(_("file"), upload_to="hotlines/audio/%Y/%m/")
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size, bytes"))
    generated = models.BooleanField(_("text-to-speech"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("announcement audio")
        verbose_name_plural = _("announcement audio")

    def __str__(self) -> str:
        return self.file.name


class TrainingAssignment(models.Model):
    """An operator is to study a hotline's knowledge base (R-HL-4)."""

    hotline = models.ForeignKey(Hotline, verbose_name=_("hotline"), on_delete=models.CASCADE, related_name="trainings")
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("operator"), on_delete=models.CASCADE, related_name="hotline_trainings")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        verbose_name = _("training assignment")
        verbose_name_plural = _("training assignments")
        constraints = [models.UniqueConstraint(fields=["hotline", "operator"], name="hotlines_training_unique")]

    def __str__(self) -> str:
        return f"{self.operator_id} @ {self.hotline_id}"


class OperatorTest(models.Model):
    """A scored test call of an operator on a hotline (R-HL-4)."""

    hotline = models.ForeignKey(Hotline, verbose_name=_("hotline"), on_delete=models.CASCADE, related_name="operator_tests")
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("operator"), on_delete=models.CASCADE, related_name="hotline_tests")
    tester = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("tester"), null=True, on_delete=models.SET_NULL, related_name="+")
    spec_version = models.PositiveIntegerField(_("spec version"))
    marks = models.JSONField(_("marks"), default=dict)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    passed = models.BooleanField(_("passed"))
    tested_at = models.DateTimeField(_("tested"))

    class Meta:
        verbose_name = _("operator test")
        verbose_name_plural = _("operator tests")
        ordering = ["-tested_at"]

    def __str__(self) -> str:
        return f"{self.operator_id} @ {self.hotline_id}: {self.score}"


class OperatorQualification(models.Model):
    """The operator passed the hotline's test and may take its calls (R-HL-4)."""

    operator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("operator"), on_delete=models.CASCADE, related_name="hotline_qualifications")
    hotline = models.ForeignKey(Hotline, verbose_name=_("hotline"), on_delete=models.CASCADE, related_name="qualifications")
    passed_at = models.DateTimeField(_("passed"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("operator qualification")
        verbose_name_plural = _("operator qualifications")
        constraints = [models.UniqueConstraint(fields=["operator", "hotline"], name="hotlines_qualification_unique")]

    def __str__(self) -> str:
        return f"{self.operator_id} @ {self.hotline_id}"
