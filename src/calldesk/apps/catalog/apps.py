from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "calldesk.apps.catalog"
    label = "catalog"
    verbose_name = _("Catalog and prices")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from calldesk.apps.customers.models import CustomerType

        from . import reference

        # Rules name customer types by code, so a renamed type changes them too.
        for model in (*reference.WATCHED, CustomerType):
            post_save.connect(reference.invalidate, sender=model, dispatch_uid=f"reference-{model.__name__}-save")
            post_delete.connect(reference.invalidate, sender=model, dispatch_uid=f"reference-{model.__name__}-delete")
