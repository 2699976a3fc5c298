from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "get_full_name", "role", "client", "department", "is_present", "is_active")
    list_filter = ("role", "is_active", "is_present", "client", "department")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Calldesk"), {"fields": ("role", "client", "department", "time_zone", "language", "is_present")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Calldesk"), {"fields": ("role", "client", "department")}),
    )
