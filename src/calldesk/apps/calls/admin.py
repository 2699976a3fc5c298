from django.contrib import admin

from .models import AgentStateLog, Call


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ("offered_at", "hotline", "number", "customer", "operator", "outcome", "topic")
    list_filter = ("outcome", "hotline")
    raw_id_fields = ("customer", "operator")


@admin.register(AgentStateLog)
class AgentStateLogAdmin(admin.ModelAdmin):
    list_display = ("agent", "state", "reason", "started_at", "ended_at")
    list_filter = ("state",)
