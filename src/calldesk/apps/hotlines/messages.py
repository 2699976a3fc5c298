"""Translatable texts for the codes the hotline core reports (its English defaults are the
source strings), so staff and clients read spec problems in their own language."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

MESSAGES = {
    'EMPTY_TOPIC_CODE': _('Topic {index} has no code.'),
    'DUPLICATE_TOPIC_CODE': _('Topic code {code} is already used by topic {first_index}.'),
    'INVALID_FIELD_KEY': _('Field key {key!r} must start with a letter or underscore and contain only letters, digits and underscores.'),
    'DUPLICATE_FIELD_KEY': _('Field key {key} is already used by field {first_index}.'),
    'MISSING_CHOICES': _('Field {key} is a {type} field and needs at least one choice.'),
    'DUPLICATE_CHOICE': _('Field {key} lists the choice {choice} more than once.'),
    'RULE_NOT_APPLICABLE': _('Rule {rule} does not apply to {type} field {key}.'),
    'INVALID_REGEX': _('Field {key} has an invalid regular expression: {error}.'),
    'INVALID_MAX_LENGTH': _('Field {key}: the maximum length must be at least 1 (got {value}).'),
    'INVALID_BOUND': _('Field {key}: {rule} must be a finite number (got {value}).'),
    'MIN_GREATER_THAN_MAX': _('Field {key}: the minimum {min} is greater than the maximum {max}.'),
    'INVALID_TIME_ZONE': _('{time_zone!r} is not a known IANA time zone.'),
    'WRONG_WEEKDAY_COUNT': _('Weekly hours must list exactly 7 days (got {count}).'),
    'EMPTY_RANGE': _('Working hours {start}-{end} end before they start.'),
    'OVERLAPPING_RANGES': _('Working hours {start}-{end} overlap {other_start}-{other_end} (range {other_index}).'),
    'DUPLICATE_EXCEPTION_DATE': _('There is more than one exception for {date}.'),
    'DUPLICATE_MESSAGE': _('There is more than one {kind} message in language {language}.'),
    'EMPTY_MESSAGE': _('The {kind} message in language {language} has neither text nor audio.'),
    'NEGATIVE_OPERATOR_COUNT': _('The planned operator count cannot be negative ({count}).'),
    'EMPTY_REPORT_KIND': _('Report subscription {index} has no report kind.'),
    'NO_RECIPIENTS': _('Report subscription {report} has no recipients.'),
    'INVALID_RECIPIENT': _('{email!r} is not a valid e-mail address.'),
    'NO_TOPICS': _('Add at least one topic before proposing the spec.'),
    'NO_WORKING_HOURS': _('Add working hours before proposing the spec.'),
    'REQUIRED': _('{label} is required.'),
    'INVALID_TEXT': _('{label} must be text.'),
    'INVALID_NUMBER': _('{label} must be a number.'),
    'INVALID_DATE': _('{label} must be a date (YYYY-MM-DD).'),
    'INVALID_PHONE': _('{label} must be a phone number (digits, optionally starting with +).'),
    'INVALID_EMAIL': _('{label} must be a valid e-mail address.'),
    'INVALID_CHOICE': _('{label}: {value!r} is not one of the choices.'),
    'INVALID_CHOICES': _('{label}: choose only from the listed choices ({invalid}).'),
    'INVALID_YESNO': _('{label} must be yes or no.'),
    'BELOW_MIN': _('{label} must be at least {min}.'),
    'ABOVE_MAX': _('{label} must be at most {max}.'),
    'TOO_LONG': _('{label} must be at most {max_length} characters (has {length}).'),
    'PATTERN_MISMATCH': _('{label} does not have the expected format.'),
    'MISCONFIGURED_FIELD': _('{label} cannot be checked: its rules in the spec are invalid.'),
    'NOT_DRAFT': _('Version {number} is {status}; only a draft can be changed.'),
    'NOT_PROPOSED': _('Version {number} is {status}; only a proposed version can be decided.'),
    'NOT_LATEST_PROPOSAL': _('Version {number} is no longer the latest proposal; version {latest} was proposed after it.'),
    'SPEC_INVALID': _('Version {number} has {count} problem(s) to fix before it can be proposed.'),
    'COMMENT_REQUIRED': _('Say why version {number} is rejected.'),
    'EFFECTIVE_IN_PAST': _('The effective time {effective_from} is before now ({now}).'),
    'EFFECTIVE_BEFORE_SCHEDULED': _('Version {other} is already approved to take effect at {other_effective_from}; version {number} cannot take effect earlier ({effective_from}).'),
    'APPROVED_VERSION': _('An approved spec version: {state}.'),
    'NUMBERS_ATTACHED': _('Phone numbers attached: {count}.'),
    'MESSAGES_PRESENT': _('Announcements missing: {missing}.'),
    'KNOWLEDGE_BASE': _('Knowledge-base entries: {count} of at least {minimum}.'),
    'OPERATORS_TRAINED': _('Operators trained and passed: {passed} of {planned} planned.'),
    'LAUNCH_DATE': _('Planned launch date: {date}.'),
}


def translate(code: str, params) -> str:
    """The message of ``code`` in the active language (the domain default if unknown)."""
    from calldesk.domain.hotlines import default_message

    text = MESSAGES.get(code)
    if text is None:
        return default_message(code, params)
    try:
        return str(text).format_map(params)
    except (KeyError, IndexError, ValueError):
        return default_message(code, params)


# Names people read for the core's codes and values (templates use the `hotline_labels` filters).
VERSION_STATES = {
    "draft": pgettext_lazy("spec version state", "draft"),
    "proposed": pgettext_lazy("spec version state", "proposed"),
    "outdated": pgettext_lazy("spec version state", "outdated"),
    "rejected": pgettext_lazy("spec version state", "rejected"),
    "scheduled": pgettext_lazy("spec version state", "scheduled"),
    "effective": pgettext_lazy("spec version state", "effective"),
    "superseded": pgettext_lazy("spec version state", "superseded"),
}
MESSAGE_KINDS = {"greeting": _("Greeting"), "closed": _("Closed hours"), "queue": _("Queue waiting"), "voicemail": _("Voicemail")}
FIELD_TYPES = {
    "text": _("Text"), "number": _("Number"), "date": _("Date"), "phone": _("Phone"), "email": _("E-mail"),
    "choice": _("Choice"), "multichoice": _("Multiple choice"), "yesno": _("Yes/no"),
}
REPORT_FREQUENCIES = {"daily": _("Daily"), "weekly": _("Weekly"), "monthly": _("Monthly")}
LANGUAGES = {"ru": _("Russian"), "en": _("English")}


def label(table: dict, value: object) -> str:
    """The translated name of `value` (an enum or its string) in `table`, else the value."""
    key = str(getattr(value, "value", value))
    return str(table.get(key, key))


def checklist_params(code: str, params: dict) -> dict:
    """The checklist's parameters in the active language: its words and announcement names."""
    out = dict(params)
    if code == "APPROVED_VERSION":
        out["state"] = _("yes") if params.get("state") == "yes" else _("no")
    elif code == "MESSAGES_PRESENT":
        names = []
        for item in filter(None, str(params.get("missing", "")).split(", ")):
            if item == "none":
                continue
            kind, _sep, language = item.partition("/")
            names.append(f"{label(MESSAGE_KINDS, kind)} ({'*' if language == '*' else label(LANGUAGES, language)})")
        out["missing"] = ", ".join(names) or _("none")
    elif code == "LAUNCH_DATE" and params.get("date") == "not set":
        out["date"] = _("not set")
    return out
