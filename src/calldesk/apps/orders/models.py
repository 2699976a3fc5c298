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
    shipping_details = models.CharField(_("shipping details"), max_length=300, blank=True)
    comment = models.TextField(_("comment"), blank=True)

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
