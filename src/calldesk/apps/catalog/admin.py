from django.contrib import admin

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


admin.site.register(Category)
admin.site.register(PriceColumn)
admin.site.register(SpecialProgram)
admin.site.register(ProgramMembership)
admin.site.register(TierRule)
admin.site.register(Promotion)
