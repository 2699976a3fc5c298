from django.contrib import admin

from .models import (
    Customer,
    CustomerContact,
    CustomerPhone,
    CustomerType,
    Department,
    Invoice,
    Payment,
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
