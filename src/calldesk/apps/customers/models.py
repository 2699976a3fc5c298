"""The distributor's customers, their people and their receivables."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    class Kind(models.TextChoices):
        SALES = "sales", _("Sales")
        WHOLESALE = "wholesale", _("Wholesale")
        FINANCE = "finance", _("Finance")
        CONTACT_CENTER = "contact_center", _("Contact center")
        OTHER = "other", _("Other")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SALES)
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("head"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="headed_departments",
    )
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CustomerType(models.Model):
    """Customer types are data (R-ORD-2): the distributor adds its own."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    is_key_account = models.BooleanField(_("key account"), default=False)
    is_regional = models.BooleanField(_("regional (needs payment form and shipping)"), default=False)
    is_new = models.BooleanField(_("new customer"), default=False)
    # Dormant-customer lists watch these types (R-OUT-1).
    watch_dormancy = models.BooleanField(_("call when dormant"), default=False)

    class Meta:
        verbose_name = _("customer type")
        verbose_name_plural = _("customer types")
        ordering = ["code"]

    @property
    def name(self) -> str:
        return self.name_ru if (get_language() or "").startswith("ru") else self.name_en

    def __str__(self) -> str:
        return self.name


class Customer(models.Model):
    code = models.CharField(_("accounting code"), max_length=40, unique=True)
    legal_name = models.CharField(_("legal name"), max_length=300)
    tax_id = models.CharField(_("tax id"), max_length=20, blank=True, db_index=True)
    type = models.ForeignKey(CustomerType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="customers")
    region = models.CharField(_("region"), max_length=100, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Moscow")
    address = models.CharField(_("address"), max_length=300, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("manager"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="managed_customers",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="customers",
    )
    credit_limit = models.DecimalField(_("credit limit"), max_digits=14, decimal_places=2, default=Decimal("0"))
    payment_terms_days = models.PositiveIntegerField(_("payment terms, days"), default=14)
    grace_days = models.PositiveIntegerField(_("grace days"), default=0)
    # False for prepayment / cash-on-delivery terms: new orders then add nothing to the credit
    # exposure (existing debt still counts and still blocks, R-ORD-4).
    on_credit = models.BooleanField(_("orders on deferred payment"), default=True)
    # Part of the signed web-order link; raising it revokes every link handed out (R-ORD-13).
    web_link_version = models.PositiveIntegerField(_("web order link version"), default=1)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_order_at = models.DateTimeField(_("last order"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["legal_name"]

    def __str__(self) -> str:
        return self.legal_name


class CustomerPhone(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="phones")
    # E.164, normalised at the edge; the caller lookup is an index hit on this column.
    number = models.CharField(_("number"), max_length=20, db_index=True)
    label = models.CharField(_("label"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("phone")
        verbose_name_plural = _("phones")
        constraints = [models.UniqueConstraint(fields=["customer", "number"], name="uniq_customer_phone")]

    def __str__(self) -> str:
        return self.number


class CustomerContact(models.Model):
    """A person at the customer; R-ORD-7 needs who may accept goods and who may pay."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    may_accept_goods = models.BooleanField(_("may accept goods"), default=False)
    may_pay = models.BooleanField(_("may pay"), default=False)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self) -> str:
        return self.name


class Invoice(models.Model):
    """A receivable: what the customer owes for a shipment, and by when."""

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="invoices")
    number = models.CharField(_("number"), max_length=40)
    issued_on = models.DateField(_("issued"))
    due_on = models.DateField(_("due"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    paid = models.DecimalField(_("paid"), max_digits=14, decimal_places=2, default=Decimal("0"))
    # Kept in step with amount/paid so the credit check reads only open rows.
    is_open = models.BooleanField(_("open"), default=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.UniqueConstraint(fields=["customer", "number"], name="uniq_customer_invoice"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="invoice_amount_non_negative"),
            models.CheckConstraint(condition=Q(paid__gte=0), name="invoice_paid_non_negative"),
        ]
        indexes = [
            models.Index(fields=["customer", "due_on"], condition=Q(is_open=True), name="open_invoice_due"),
        ]

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.paid

    def save(self, *args: object, **kwargs: object) -> None:
        self.is_open = self.paid < self.amount
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def __str__(self) -> str:
        return self.number


class Payment(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="payments")
    invoice = models.ForeignKey(Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    reference = models.CharField(_("reference"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        indexes = [models.Index(fields=["customer", "paid_on"])]

    def __str__(self) -> str:
        return f"{self.paid_on} {self.amount}"


class Remark(models.Model):
    """A customer's remark or wish, routed to the department that should act on it (R-ORD-11)."""

    class Kind(models.TextChoices):
        REMARK = "remark", _("Remark")
        WISH = "wish", _("Wish")
        COMPLAINT = "complaint", _("Complaint")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        DONE = "done", _("Handled")

    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="remarks")
    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="remarks")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REMARK)
    text = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("taken by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    response = models.TextField(_("response"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("handled by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)

    class Meta:
        verbose_name = _("remark")
        verbose_name_plural = _("remarks")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["department", "status", "-created_at"]),
            models.Index(fields=["customer", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"
