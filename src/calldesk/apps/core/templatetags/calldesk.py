"""Formatting helpers for templates: money and roles in the user's language."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def money(value: Decimal | int | None) -> str:
    if value is None:
        return ""
    return number_format(Decimal(value), decimal_pos=2, use_l10n=True, force_grouping=True)
