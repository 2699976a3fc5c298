from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "calldesk.apps.accounts"
    label = "accounts"
    verbose_name = _("People and access")

    def ready(self) -> None:
        from . import signals  # noqa: F401
