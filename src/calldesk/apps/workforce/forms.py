"""Forms of the plan page (what-if parameters, history import) and the man-hours month."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import PlanParameters, WorkforceError

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class WhatIfForm(forms.Form):
    """The staffing parameters in the units a head thinks in (seconds and percent)."""

    aht = forms.FloatField(label=_("AHT, s"), min_value=1, max_value=36000)
    volume = forms.FloatField(label=_("Volume, %"), min_value=0, max_value=1000)
    sl = forms.FloatField(label=_("Service level, %"), min_value=1, max_value=99)
    sl_seconds = forms.FloatField(label=_("answered within, s"), min_value=0, max_value=3600)
    patience = forms.FloatField(
        label=_("Patience, s"), min_value=1, max_value=36000, required=False,
        help_text=_("Empty: Erlang C; a value: Erlang A with abandonment."),
    )
    shrinkage = forms.FloatField(label=_("Shrinkage, %"), min_value=0, max_value=90)
    day = forms.IntegerField(min_value=0, max_value=6, required=False, widget=forms.HiddenInput)

    @classmethod
    def initial_from(cls, params: PlanParameters) -> dict[str, object]:
        return {
            "aht": round(params.aht_s),
            "volume": round(params.volume_pct, 1),
            "sl": round(params.service_level * 100, 1),
            "sl_seconds": round(params.sl_seconds),
            "patience": round(params.patience_s) if params.patience_s else None,
            "shrinkage": round(params.shrinkage * 100, 1),
            "day": 0,
        }

    def parameters(self, defaults: PlanParameters) -> PlanParameters:
        data = self.cleaned_data
        try:
            return PlanParameters(
                aht_s=data["aht"],
                volume_pct=data["volume"],
                service_level=data["sl"] / 100.0,
                sl_seconds=data["sl_seconds"],
                patience_s=data.get("patience"),
                shrinkage=data["shrinkage"] / 100.0,
                max_occupancy=defaults.max_occupancy,
            )
        except WorkforceError as error:
            raise forms.ValidationError(error.detail) from error


class VolumeImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV with interval_start,calls,aht_s"),
        help_text=_("One line per 30-minute interval; times without an offset are the hotline's local time."),
    )

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


def parse_month(value: str | None, default: date) -> date:
    """``YYYY-MM`` to the month's first day; ValueError for anything else."""
    if not value:
        return default.replace(day=1)
    year, _sep, month = value.partition("-")
    if len(year) != 4 or not month.isdigit():
        raise ValueError(value)
    return date(int(year), int(month), 1)
