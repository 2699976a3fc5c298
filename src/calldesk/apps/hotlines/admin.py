from django.contrib import admin

from .models import Hotline, HotlineNumber


class NumberInline(admin.TabularInline):
    model = HotlineNumber
    extra = 0


@admin.register(Hotline)
class HotlineAdmin(admin.ModelAdmin):
    list_display = ("name", "client", "kind", "status", "planned_launch", "planned_operators")
    list_filter = ("status", "kind", "client")
    search_fields = ("name", "code")
    inlines = [NumberInline]
