from django.contrib import admin

from .models import Order, OrderLine, UpsellOffer


class LineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    raw_id_fields = ("product",)


class OfferInline(admin.TabularInline):
    model = UpsellOffer
    extra = 0
    raw_id_fields = ("product",)


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ("number", "customer", "channel", "status", "total", "created_at")
    list_filter = ("status", "channel")
    search_fields = ("number", "customer__legal_name")
    raw_id_fields = ("customer", "call")
    inlines = [LineInline, OfferInline]
