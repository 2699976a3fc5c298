from django.db import models
from django.utils.translation import gettext_lazy as _


class ClientCompany(models.Model):
    """A business that buys hotlines and telemarketing from the contact center."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    legal_name = models.CharField(_("legal name"), max_length=300, blank=True)
    tax_id = models.CharField(_("tax id"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("client company")
        verbose_name_plural = _("client companies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
