from django.contrib import admin

from .models import Escalation, InboundEmail, Order, OrderLine, UpsellOffer


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


@admin.register(Escalation)
class EscalationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "customer", "order", "head", "status")
    list_filter = ("status",)
    raw_id_fields = ("customer", "order")


@admin.register(InboundEmail)
class InboundEmailAdmin(admin.ModelAdmin):
    list_display = ("received_at", "sender", "subject", "status", "order")
    list_filter = ("status",)
    search_fields = ("sender", "subject", "message_id")
    raw_id_fields = ("customer", "order")
