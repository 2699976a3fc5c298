from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Department, Remark

IMPORT_KINDS = (
    ("customers", _("Customers")),
    ("products", _("Products")),
    ("prices", _("Prices")),
    ("ledger", _("Receivables ledger (invoices and payments)")),
    ("orders", _("Orders")),
)


class RemarkForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Remark.Kind.choices)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    text = forms.CharField(label=_("What the customer said"), widget=forms.Textarea(attrs={"rows": 4, "autofocus": True}), max_length=4000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.order_by("name")


class HandleRemarkForm(forms.Form):
    response = forms.CharField(label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class ReferenceMailForm(forms.Form):
    to = forms.EmailField(label=_("Send to"), widget=forms.EmailInput(attrs={"autofocus": True, "list": "customer-emails"}))
    assortment = forms.BooleanField(label=_("Assortment"), required=False, initial=True)
    prices = forms.BooleanField(label=_("Prices (the customer's column)"), required=False, initial=True)
    delivery_terms = forms.BooleanField(label=_("Delivery terms"), required=False, initial=True)
    certificates = forms.BooleanField(label=_("Certificates of the products discussed"), required=False, initial=True)
    products = forms.CharField(label=_("Products discussed (codes)"), required=False,
                               help_text=_("Certificates of these products are attached; separate codes with spaces."))


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What to import"), choices=IMPORT_KINDS)
    file = forms.FileField(label=_("File (CSV or XLSX)"))
    dry_run = forms.BooleanField(label=_("Only check, change nothing"), required=False)

    def __init__(self, *args: Any, kinds: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [(k, label) for k, label in IMPORT_KINDS if k in kinds]
