"""Products, the price list with its columns, promotions and special programs."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=300, db_index=True)
    category = models.ForeignKey(Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.SET_NULL, related_name="products")
    unit = models.CharField(_("unit"), max_length=20, default="pcs")
    pack_size = models.PositiveIntegerField(_("units per pack"), default=1)
    allow_pieces = models.BooleanField(_("sold by the piece"), default=False)
    stock = models.IntegerField(_("in stock"), default=0)
    is_new = models.BooleanField(_("new"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Certificate(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="certificates")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="certificates/")

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.title


class PriceColumn(models.Model):
    """A column of the price list. A higher rank is a better (lower) price."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    rank = models.PositiveIntegerField(_("rank"), unique=True)

    class Meta:
        verbose_name = _("price column")
        verbose_name_plural = _("price columns")
        ordering = ["rank"]

    def __str__(self) -> str:
        return self.name


class Price(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="prices")
    column = models.ForeignKey(PriceColumn, on_delete=models.PROTECT, related_name="prices")
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("price")
        verbose_name_plural = _("prices")
        constraints = [
            models.UniqueConstraint(fields=["product", "column"], name="uniq_product_column"),
            models.CheckConstraint(condition=Q(price__gte=0), name="price_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}/{self.column_id}: {self.price}"


class SpecialProgram(models.Model):
    """A discount or bonus program defined by management (R-ORD-12)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    column = models.ForeignKey(PriceColumn, verbose_name=_("gives column"), null=True, blank=True, on_delete=models.PROTECT)
    bonus_percent = models.DecimalField(_("bonus, % of sum"), max_digits=5, decimal_places=2, default=Decimal("0"))

    class Meta:
        verbose_name = _("special program")
        verbose_name_plural = _("special programs")

    def __str__(self) -> str:
        return self.name


class ProgramMembership(models.Model):
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="programs")
    program = models.ForeignKey(SpecialProgram, on_delete=models.CASCADE, related_name="members")
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("program membership")
        verbose_name_plural = _("program memberships")

    def __str__(self) -> str:
        return f"{self.customer_id} in {self.program_id}"


class TierRule(models.Model):
    """A rule that allows a price column (R-ORD-6). The best column any rule allows wins."""

    name = models.CharField(_("name"), max_length=200)
    customer_type = models.ForeignKey("customers.CustomerType", null=True, blank=True, on_delete=models.CASCADE)
    min_volume = models.DecimalField(_("min. volume over the window"), max_digits=14, decimal_places=2, default=Decimal("0"))
    volume_days = models.PositiveIntegerField(_("volume window, days"), default=90)
    min_orders = models.PositiveIntegerField(_("min. orders in history"), default=0)
    min_months = models.PositiveIntegerField(_("min. months as a customer"), default=0)
    program = models.ForeignKey(SpecialProgram, null=True, blank=True, on_delete=models.CASCADE)
    column = models.ForeignKey(PriceColumn, on_delete=models.PROTECT)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("price tier rule")
        verbose_name_plural = _("price tier rules")

    def clean(self) -> None:
        # The pricing core ORs rules, each testing one kind of fact; a row mixing kinds would
        # silently mean "either", so it is refused and the admin splits it into two rules.
        kinds = [bool(self.program_id), self.min_volume > 0, bool(self.min_orders or self.min_months)]
        if sum(kinds) > 1:
            raise ValidationError(
                _("A rule tests one thing: a program, a volume, or history (orders and months). "
                  "Create one rule per condition.")
            )

    def __str__(self) -> str:
        return self.name


class Promotion(models.Model):
    class Kind(models.TextChoices):
        PERCENT = "percent", _("Percent off")
        FIXED = "fixed", _("Amount off per unit")
        BUY_GET = "buy_get", _("Buy N get M free")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PERCENT)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2, default=Decimal("0"))
    buy_quantity = models.PositiveIntegerField(_("buy N"), default=0)
    free_quantity = models.PositiveIntegerField(_("get M free"), default=0)
    product = models.ForeignKey(Product, null=True, blank=True, on_delete=models.CASCADE, related_name="promotions")
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.CASCADE, related_name="promotions")
    customer_type = models.ForeignKey("customers.CustomerType", null=True, blank=True, on_delete=models.CASCADE)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    # Management asks operators to offer these on every call (R-ORD-5).
    push_in_calls = models.BooleanField(_("offer on calls"), default=True)

    class Meta:
        verbose_name = _("promotion")
        verbose_name_plural = _("promotions")
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="promotion_dates_ordered")]

    def __str__(self) -> str:
        return self.name
