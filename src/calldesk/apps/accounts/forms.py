from zoneinfo import available_timezones

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import User

_ZONES = sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("time zone"), choices=[("", _("Default"))] + [(z, z) for z in _ZONES], required=False
    )
    language = forms.ChoiceField(
        label=_("language"), choices=[("", _("Browser default")), *settings.LANGUAGES], required=False
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "time_zone", "language"]
