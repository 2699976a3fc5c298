from decimal import Decimal
from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from calldesk.apps.audit.services import record

from .models import (
    Category,
    Certificate,
    Price,
    PriceColumn,
    Product,
    ProgramMembership,
    Promotion,
    SpecialProgram,
    TierRule,
)


class PriceInline(admin.TabularInline):
    model = Price
    extra = 0


class CertificateInline(admin.TabularInline):
    model = Certificate
    extra = 0


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "category", "pack_size", "stock", "is_new", "is_active")
    list_filter = ("is_new", "is_active", "category")
    search_fields = ("code", "name")
    inlines = [PriceInline, CertificateInline]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not Price:
            super().save_formset(request, form, formset, change)
            return
        # Prices are money-related data: every change is audited with before and after (R-OPS-5).
        before = {p.pk: p.price for p in Price.objects.filter(product=form.instance)}
        super().save_formset(request, form, formset, change)
        for price in Price.objects.filter(product=form.instance).select_related("column"):
            old = before.pop(price.pk, None)
            if old is None or Decimal(old) != Decimal(price.price):
                record(action="price.changed", actor=request.user, target=price, request=request, data={
                    "product": form.instance.code, "column": price.column.code,
                    "before": None if old is None else str(old), "after": str(price.price), "source": "admin"})
        for pk, old in before.items():
            record(action="price.deleted", actor=request.user, request=request,
                   data={"product": form.instance.code, "price_id": pk, "before": str(old), "source": "admin"})


admin.site.register(Category)
admin.site.register(PriceColumn)
admin.site.register(SpecialProgram)
admin.site.register(ProgramMembership)
admin.site.register(TierRule)
admin.site.register(Promotion)
