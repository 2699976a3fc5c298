from decimal import Decimal
from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from calldesk.apps.audit.services import record

from .models import (
    Customer,
    CustomerContact,
    CustomerPhone,
    CustomerType,
    Department,
    Invoice,
    Payment,
    Remark,
)


class PhoneInline(admin.TabularInline):
    model = CustomerPhone
    extra = 0


class ContactInline(admin.TabularInline):
    model = CustomerContact
    extra = 0


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("code", "legal_name", "type", "manager", "department", "credit_limit")
    list_filter = ("type", "department")
    search_fields = ("code", "legal_name", "tax_id", "phones__number")
    autocomplete_fields = ("manager",)
    inlines = [PhoneInline, ContactInline]

    def save_model(self, request: HttpRequest, obj: Customer, form: Any, change: bool) -> None:
        # Credit limits are money-related data: every change is audited (R-OPS-5).
        before = Customer.objects.filter(pk=obj.pk).values_list("credit_limit", flat=True).first() if change else None
        super().save_model(request, obj, form, change)
        if before is None or Decimal(before) != Decimal(obj.credit_limit):
            record(action="customer.credit_limit", actor=request.user, target=obj, request=request, data={
                "before": None if before is None else str(before), "after": str(obj.credit_limit), "source": "admin"})


@admin.register(CustomerType)
class CustomerTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name_ru", "name_en", "is_key_account", "is_regional", "is_new", "watch_dormancy")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "head")


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = ("number", "customer", "issued_on", "due_on", "amount", "paid", "is_open")
    list_filter = ("is_open",)
    search_fields = ("number", "customer__legal_name")
    raw_id_fields = ("customer",)


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ("paid_on", "customer", "amount", "reference")
    raw_id_fields = ("customer", "invoice")


@admin.register(Remark)
class RemarkAdmin(admin.ModelAdmin):
    list_display = ("created_at", "customer", "kind", "department", "status")
    list_filter = ("status", "kind", "department")
    raw_id_fields = ("customer",)
