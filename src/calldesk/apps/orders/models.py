"""Orders, their lines, the extra positions offered on the call, and escalations."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Order(models.Model):
    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone")
        WEB = "web", _("Web")
        EMAIL = "email", _("E-mail")
        API = "api", _("API")
        IMPORT = "import", _("Import")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PLACED = "placed", _("Placed")
        SHIPPED = "shipped", _("Shipped")
        CANCELLED = "cancelled", _("Cancelled")

    number = models.CharField(_("number"), max_length=30, unique=True)
    customer = models.ForeignKey("customers.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="orders")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.PHONE)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    column = models.ForeignKey("catalog.PriceColumn", verbose_name=_("price column"), on_delete=models.PROTECT)
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2, default=Decimal("0"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    placed_at = models.DateTimeField(_("placed"), null=True, blank=True)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("taken by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    call = models.ForeignKey("calls.Call", verbose_name=_("call"), null=True, blank=True, on_delete=models.SET_NULL, related_name="orders")
    delivery_date = models.DateField(_("delivery date"), null=True, blank=True)
    window_start = models.TimeField(_("window from"), null=True, blank=True)
    window_end = models.TimeField(_("window to"), null=True, blank=True)
    accepting_person = models.CharField(_("accepts goods"), max_length=200, blank=True)
    paying_person = models.CharField(_("pays"), max_length=200, blank=True)
    payment_form = models.CharField(_("payment form"), max_length=40, blank=True)
    pickup_date = models.DateField(_("pick-up date"), null=True, blank=True)
    shipping_carrier = models.CharField(_("carrier"), max_length=100, blank=True)
    # The shipping address (kept under its first name so existing data stays valid).
    shipping_details = models.CharField(_("shipping details"), max_length=300, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    # What the tier rules allowed when the order was priced, and why (R-ORD-6).
    allowed_column = models.ForeignKey(
        "catalog.PriceColumn", verbose_name=_("allowed price column"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    column_reason = models.CharField(_("why this column"), max_length=200, blank=True)
    column_overridden = models.BooleanField(_("column overridden"), default=False)
    bonus_points = models.PositiveIntegerField(_("bonus points"), default=0)
    # How many extra positions could be offered when the call started (caps R-ORD-5's minimum).
    offer_candidates = models.PositiveSmallIntegerField(_("products available to offer"), null=True, blank=True)
    external_ref = models.CharField(_("external reference"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["customer", "-created_at"]),
            # Unshipped orders count towards the credit exposure.
            models.Index(fields=["customer"], condition=Q(status="placed"), name="placed_orders_by_customer"),
        ]

    def __str__(self) -> str:
        return self.number


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = models.DecimalField(_("unit price"), max_digits=12, decimal_places=2)
    line_total = models.DecimalField(_("line total"), max_digits=14, decimal_places=2)
    promotion = models.ForeignKey("catalog.Promotion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    list_price = models.DecimalField(_("list price"), max_digits=12, decimal_places=2, null=True, blank=True)
    # Units given free by a buy-N-get-M program, on top of `quantity` (R-ORD-12).
    free_units = models.PositiveIntegerField(_("free units"), default=0)
    bonus_promotion = models.ForeignKey(
        "catalog.Promotion", verbose_name=_("free units from"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        indexes = [models.Index(fields=["product", "order"])]

    def __str__(self) -> str:
        return f"{self.product_id} × {self.quantity}"


class UpsellOffer(models.Model):
    """An extra position offered on the call and what the customer said (R-ORD-5)."""

    class Reason(models.TextChoices):
        NEW = "new", _("New product")
        PROMOTED = "promoted", _("Promoted by management")
        TRADITIONAL = "traditional", _("Customer's usual product")
        TYPICAL = "typical", _("Typical for the customer's type")

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        NOT_AVAILABLE = "not_available", _("Not available")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="offers")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [models.UniqueConstraint(fields=["order", "product"], name="uniq_offer_per_product")]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.outcome}"


class IdempotencyKey(models.Model):
    """Remembers an API submission so a retry gets the first answer (issue: order API)."""

    key = models.CharField(max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="uniq_idempotency_key")]

    def __str__(self) -> str:
        return self.key


class Escalation(models.Model):
    """A non-standard situation put to the head of the sales department, and the answer (R-ORD-8)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered")

    order = models.ForeignKey(Order, verbose_name=_("order"), null=True, blank=True, on_delete=models.CASCADE, related_name="escalations")
    customer = models.ForeignKey("customers.Customer", verbose_name=_("customer"), on_delete=models.CASCADE, related_name="escalations")
    department = models.ForeignKey("customers.Department", verbose_name=_("department"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    head = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("head"), null=True, blank=True, on_delete=models.SET_NULL, related_name="escalations_to_answer")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("raised by"), null=True, on_delete=models.SET_NULL, related_name="+")
    question = models.TextField(_("situation"))
    created_at = models.DateTimeField(_("raised"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("answered by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "department"]), models.Index(fields=["status", "head"])]

    def __str__(self) -> str:
        return self.question[:60]


class InboundEmail(models.Model):
    """An order e-mail and what became of it: the order, or the reason it was refused (R-ORD-13)."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    message_id = models.CharField(_("message id"), max_length=300, db_index=True)
    sender = models.CharField(_("from"), max_length=300, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    source = models.CharField(_("source"), max_length=40, blank=True)
    customer = models.ForeignKey("customers.Customer", verbose_name=_("customer"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    reason = models.TextField(_("reason"), blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    order = models.ForeignKey(Order, verbose_name=_("order"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("order e-mail")
        verbose_name_plural = _("order e-mails")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.sender}: {self.subject}"
