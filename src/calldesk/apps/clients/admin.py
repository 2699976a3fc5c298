from django.contrib import admin

from .models import ClientCompany


@admin.register(ClientCompany)
class ClientCompanyAdmin(admin.ModelAdmin):
    list_display = ("name", "legal_name", "tax_id", "email", "is_active")
    search_fields = ("name", "legal_name", "tax_id")
