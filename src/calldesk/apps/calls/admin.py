from django import forms
from django.contrib import admin

from calldesk.domain import routing as dom

from .models import AgentStateLog, Call, HotlineRouting


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ("offered_at", "hotline", "number", "customer", "operator", "outcome", "topic")
    list_filter = ("outcome", "hotline")
    raw_id_fields = ("customer", "operator")


@admin.register(AgentStateLog)
class AgentStateLogAdmin(admin.ModelAdmin):
    list_display = ("agent", "state", "reason", "started_at", "ended_at")
    list_filter = ("state",)


class HotlineRoutingForm(forms.ModelForm):
    class Meta:
        model = HotlineRouting
        fields = ["hotline", "config"]

    def clean(self):  # type: ignore[no-untyped-def]
        cleaned = super().clean()
        hotline, config = cleaned.get("hotline"), cleaned.get("config")
        if hotline is not None and isinstance(config, dict):
            # The same check the service runs: a configuration the router cannot read is
            # refused here with its reason, never stored.
            try:
                dom.parse_routing_config({"hotlines": [dict(config.get("hotline", {}), name=hotline.code)],
                                          "queues": config.get("queues", [])})
            except (dom.ConfigError, TypeError, ValueError, KeyError) as exc:
                raise forms.ValidationError({"config": str(exc)}) from exc
        return cleaned


@admin.register(HotlineRouting)
class HotlineRoutingAdmin(admin.ModelAdmin):
    form = HotlineRoutingForm
    list_display = ("hotline", "updated_at")
