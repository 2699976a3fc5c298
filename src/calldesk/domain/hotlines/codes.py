"""Finding codes and their English default texts for the hotline core.

The core reports codes plus params (strings and ints, JSON-ready); adapters translate the
codes and this catalogue is the fallback and the reference for which params each code carries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final

__all__ = [
    "DEFAULT_MESSAGES",
    "FormError",
    "MessageParams",
    "SpecError",
    "default_message",
]

MessageParams = Mapping[str, str | int]

DEFAULT_MESSAGES: Final[Mapping[str, str]] = MappingProxyType(
    {
        # spec checks (R-HL-1)
        "EMPTY_TOPIC_CODE": "Topic {index} has no code.",
        "DUPLICATE_TOPIC_CODE": "Topic code {code} is already used by topic {first_index}.",
        "INVALID_FIELD_KEY": (
            "Field key {key!r} must start with a letter or underscore and contain only "
            "letters, digits and underscores."
        ),
        "DUPLICATE_FIELD_KEY": "Field key {key} is already used by field {first_index}.",
        "MISSING_CHOICES": "Field {key} is a {type} field and needs at least one choice.",
        "DUPLICATE_CHOICE": "Field {key} lists the choice {choice} more than once.",
        "RULE_NOT_APPLICABLE": "Rule {rule} does not apply to {type} field {key}.",
        "INVALID_REGEX": "Field {key} has an invalid regular expression: {error}.",
        "INVALID_MAX_LENGTH": "Field {key}: the maximum length must be at least 1 (got {value}).",
        "INVALID_BOUND": "Field {key}: {rule} must be a finite number (got {value}).",
        "MIN_GREATER_THAN_MAX": "Field {key}: the minimum {min} is greater than the maximum {max}.",
        "INVALID_TIME_ZONE": "{time_zone!r} is not a known IANA time zone.",
        "WRONG_WEEKDAY_COUNT": "Weekly hours must list exactly 7 days (got {count}).",
        "EMPTY_RANGE": "Working hours {start}-{end} end before they start.",
        "OVERLAPPING_RANGES": (
            "Working hours {start}-{end} overlap {other_start}-{other_end} (range {other_index})."
        ),
        "DUPLICATE_EXCEPTION_DATE": "There is more than one exception for {date}.",
        "DUPLICATE_MESSAGE": "There is more than one {kind} message in language {language}.",
        "EMPTY_MESSAGE": "The {kind} message in language {language} has neither text nor audio.",
        "NEGATIVE_OPERATOR_COUNT": "The planned operator count cannot be negative ({count}).",
        "EMPTY_REPORT_KIND": "Report subscription {index} has no report kind.",
        "NO_RECIPIENTS": "Report subscription {report} has no recipients.",
        "INVALID_RECIPIENT": "{email!r} is not a valid e-mail address.",
        "NO_TOPICS": "Add at least one topic before proposing the spec.",
        "NO_WORKING_HOURS": "Add working hours before proposing the spec.",
        # form filling (R-HL-1)
        "REQUIRED": "{label} is required.",
        "INVALID_TEXT": "{label} must be text.",
        "INVALID_NUMBER": "{label} must be a number.",
        "INVALID_DATE": "{label} must be a date (YYYY-MM-DD).",
        "INVALID_PHONE": "{label} must be a phone number (digits, optionally starting with +).",
        "INVALID_EMAIL": "{label} must be a valid e-mail address.",
        "INVALID_CHOICE": "{label}: {value!r} is not one of the choices.",
        "INVALID_CHOICES": "{label}: choose only from the listed choices ({invalid}).",
        "INVALID_YESNO": "{label} must be yes or no.",
        "BELOW_MIN": "{label} must be at least {min}.",
        "ABOVE_MAX": "{label} must be at most {max}.",
        "TOO_LONG": "{label} must be at most {max_length} characters (has {length}).",
        "PATTERN_MISMATCH": "{label} does not have the expected format.",
        "MISCONFIGURED_FIELD": "{label} cannot be checked: its rules in the spec are invalid.",
        # version workflow (R-HL-2)
        "NOT_DRAFT": "Version {number} is {status}; only a draft can be changed.",
        "NOT_PROPOSED": "Version {number} is {status}; only a proposed version can be decided.",
        "NOT_LATEST_PROPOSAL": (
            "Version {number} is no longer the latest proposal; version {latest} was proposed "
            "after it."
        ),
        "SPEC_INVALID": "Version {number} has {count} problem(s) to fix before it can be proposed.",
        "COMMENT_REQUIRED": "Say why version {number} is rejected.",
        "EFFECTIVE_IN_PAST": "The effective time {effective_from} is before now ({now}).",
        "EFFECTIVE_BEFORE_SCHEDULED": (
            "Version {other} is already approved to take effect at {other_effective_from}; "
            "version {number} cannot take effect earlier ({effective_from})."
        ),
        # launch checklist (R-HL-3)
        "APPROVED_VERSION": "An approved spec version: {state}.",
        "NUMBERS_ATTACHED": "Phone numbers attached: {count}.",
        "MESSAGES_PRESENT": "Announcements missing: {missing}.",
        "KNOWLEDGE_BASE": "Knowledge-base entries: {count} of at least {minimum}.",
        "OPERATORS_TRAINED": "Operators trained and passed: {passed} of {planned} planned.",
        "LAUNCH_DATE": "Planned launch date: {date}.",
    }
)


def default_message(code: str, params: MessageParams) -> str:
    """Render the English default text for ``code`` (KeyError for an unknown code)."""
    return DEFAULT_MESSAGES[code].format_map(params)


@dataclass(frozen=True, slots=True)
class SpecError:
    """A problem in a spec; ``path`` points at it, e.g. ``fields[2].rules.regex``."""

    path: str
    code: str
    params: MessageParams = field(default_factory=dict)

    @property
    def message(self) -> str:
        return default_message(self.code, self.params)


@dataclass(frozen=True, slots=True)
class FormError:
    """A problem with one call-form value; ``key`` is the field key."""

    key: str
    code: str
    params: MessageParams = field(default_factory=dict)

    @property
    def message(self) -> str:
        return default_message(self.code, self.params)
