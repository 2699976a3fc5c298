from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import get_payment_forms

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")

# Field paths of the ordering core -> form fields that show the message.
FIELD_MAP = {
    "delivery_date": "delivery_date",
    "delivery_window": "window_start",
    "delivery_window.start": "window_start",
    "delivery_window.end": "window_end",
    "accepting_person": "accepting_person",
    "paying_person": "paying_person",
    "payment_form": "payment_form",
    "pickup_date": "pickup_date",
    "shipping": "shipping_carrier",
    "shipping.carrier": "shipping_carrier",
    "shipping.address": "shipping_address",
    "comment": "comment",
}


class DeliveryForm(forms.Form):
    """R-ORD-7: delivery date and window, the customer's people; regional extras."""

    delivery_date = forms.DateField(label=_("Delivery date"), required=False, widget=DATE)
    window_start = forms.TimeField(label=_("From"), required=False, widget=TIME)
    window_end = forms.TimeField(label=_("To"), required=False, widget=TIME)
    accepting_person = forms.CharField(label=_("Accepts the goods"), required=False, max_length=200)
    paying_person = forms.CharField(label=_("Pays"), required=False, max_length=200)
    payment_form = forms.ChoiceField(label=_("Payment form"), required=False)
    pickup_date = forms.DateField(label=_("Pick-up date"), required=False, widget=DATE)
    shipping_carrier = forms.CharField(label=_("Carrier"), required=False, max_length=100)
    shipping_address = forms.CharField(label=_("Shipping address"), required=False, max_length=300)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    REGIONAL = ("payment_form", "pickup_date", "shipping_carrier", "shipping_address")

    def __init__(self, *args: Any, regional: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.regional = regional
        self.fields["payment_form"].choices = [("", "—"), *[(code, label) for code, label in get_payment_forms()]]
        if not regional:
            for name in self.REGIONAL:
                del self.fields[name]
        self.fields["delivery_date"].widget.attrs["accesskey"] = "d"
        self.fields["accepting_person"].widget.attrs["list"] = "accept-names"
        self.fields["paying_person"].widget.attrs["list"] = "pay-names"

    def add_problems(self, problems: list[Any]) -> None:
        for problem in problems:
            name = FIELD_MAP.get(problem.field)
            if name in self.fields:
                self.add_error(name, problem.message)
            else:
                self.add_error(None, problem.message)


class LineForm(forms.Form):
    product = forms.CharField(label=_("Product"), max_length=60)
    quantity = forms.IntegerField(label=_("Quantity"))


class EscalationForm(forms.Form):
    question = forms.CharField(label=_("What is non-standard?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class WebOrderForm(DeliveryForm):
    lines = forms.CharField(
        label=_("Products"),
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": "P00012 x 24\nP00045 x 6"}),
        help_text=_("One product per line: code, then the quantity in units (e.g. P00012 x 24)."),
    )

    field_order = ["lines"]

    def __init__(self, *args: Any, contacts: tuple[list[str], list[str]] = ([], []), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        accept, pay = contacts
        if accept:
            self.fields["accepting_person"] = forms.ChoiceField(label=_("Accepts the goods"), choices=[(n, n) for n in accept])
        if pay:
            self.fields["paying_person"] = forms.ChoiceField(
                label=_("Pays"), required=False, choices=[("", "—"), *[(n, n) for n in pay]]
            )
