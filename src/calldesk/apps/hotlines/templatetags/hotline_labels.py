"""Filters naming hotline codes in the active language: `{{ row.state|version_state }}`."""

import re

from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from calldesk.apps.hotlines.forms import DAY_LABELS
from calldesk.apps.hotlines.messages import (
    FIELD_TYPES,
    LANGUAGES,
    MESSAGE_KINDS,
    REPORT_FREQUENCIES,
    VERSION_STATES,
    label,
)

register = template.Library()


@register.filter
def version_state(value: object) -> str:
    return label(VERSION_STATES, value)


@register.filter
def message_kind(value: object) -> str:
    return label(MESSAGE_KINDS, value)


@register.filter
def field_type(value: object) -> str:
    return label(FIELD_TYPES, value)


@register.filter
def report_frequency(value: object) -> str:
    return label(REPORT_FREQUENCIES, value)


@register.filter
def language_name(value: object) -> str:
    return label(LANGUAGES, value)


# The diff's paths and values are built by the core from English words; people read them in
# their own language. Quoted texts (the client's own words) are left as they are.
_WORDS = {
    **DAY_LABELS, **MESSAGE_KINDS, **FIELD_TYPES, **REPORT_FREQUENCIES,
    "topics": _("Topics"), "fields": _("Call-form fields"), "messages": _("Announcements"),
    "hours": _("Working hours"), "time_zone": _("Time zone"), "holidays": _("Holidays"),
    "exceptions": _("Exceptions"), "options": "", "voicemail": _("Voicemail"), "callback": _("Callback"),
    "planned_operators": _("Planned operators"), "reports": _("Reports to the client"),
    "label": _("Label"), "type": _("Type"), "required": _("Required"), "order": pgettext_lazy("position in a list", "Order"),
    "choices": _("Choices"), "name": _("Topic"), "text": _("Text"), "audio": _("Audio file"),
    "recipients": _("Addresses (comma-separated)"), "rules": "", "min_value": _("Min"), "max_value": _("Max"),
    "regex": _("Pattern"), "max_length": _("Max length"), "closed": _("closed"), "none": _("none"),
    "True": _("yes"), "False": _("no"), "to": "→",
}
# In a path, "weekly" is the week's hours; in a value it is a report's frequency.
_PATH_WORDS = {**_WORDS, "weekly": ""}
_VALUE_WORDS = {**_WORDS, **REPORT_FREQUENCIES}
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[A-Za-z_]+')


def _words(text: object, words: dict) -> str:
    def one(m: re.Match[str]) -> str:
        word = m.group(0)
        return word if word.startswith('"') else str(words.get(word, word))

    return _TOKEN.sub(one, str(text))


@register.filter
def change_path(value: object) -> str:
    # "options.voicemail" has an untranslated part ("options" -> ""): drop the empty steps.
    return " · ".join(part for part in _words(value, _PATH_WORDS).split(".") if part)


@register.filter
def change_value(value: object) -> str:
    return "" if value is None else _words(value, _VALUE_WORDS)
