"""Phone numbers are normalised to E.164 at the edge, so lookups are exact index hits."""

import phonenumbers
from django.conf import settings

DEFAULT_REGION = getattr(settings, "CALLDESK_PHONE_REGION", "RU")


class InvalidPhone(ValueError):
    pass


def normalize_phone(raw: str, region: str = DEFAULT_REGION) -> str:
    """Return the E.164 form of a number as people type it (8 (495) 123-45-67, +7 495 ...)."""
    text = (raw or "").strip()
    if not text:
        raise InvalidPhone("empty")
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(str(exc)) from exc
    if not phonenumbers.is_possible_number(parsed):
        raise InvalidPhone("not a possible number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return e164
