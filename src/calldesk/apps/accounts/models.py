from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import HEADS, STAFF_ROLES, Role


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.OPERATOR)
    # A client user sees its own company only (R-OPS-1).
    client = models.ForeignKey(
        "clients.ClientCompany",
        verbose_name=_("client company"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    department = models.ForeignKey(
        "customers.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
    )
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True, default="")
    language = models.CharField(_("language"), max_length=8, blank=True, default="")
    # Whether an account manager is at work today; routing and transfers skip absent managers.
    is_present = models.BooleanField(_("present at work"), default=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean(self) -> None:
        super().clean()
        if self.role == Role.CLIENT and self.client_id is None:
            raise ValidationError({"client": _("A client user must belong to a client company.")})
        if self.role != Role.CLIENT and self.client_id is not None:
            raise ValidationError({"client": _("Only client users belong to a client company.")})

    @property
    def is_client_user(self) -> bool:
        return self.role == Role.CLIENT

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_head(self) -> bool:
        return self.role in HEADS

    def __str__(self) -> str:
        return self.get_full_name() or self.username
