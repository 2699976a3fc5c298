"""Checking and cleaning what an operator entered into a hotline's call form (R-HL-1)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from ._validators import compile_regex, is_valid_email
from .codes import FormError
from .spec import FieldType, FormField, sorted_fields

__all__ = ["validate_form"]

_PHONE_SEPARATORS = re.compile(r"[\s\-().]")
_PHONE = re.compile(r"\+?[0-9]{5,15}\Z")
_YES = frozenset({"yes", "y", "true", "1", "on", "да", "д"})
_NO = frozenset({"no", "n", "false", "0", "off", "нет", "н"})


class _Invalid(Exception):
    def __init__(self, code: str, **params: str | int) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def validate_form(
    fields: Sequence[FormField], values: Mapping[str, object]
) -> tuple[dict[str, object], list[FormError]]:
    """Parse ``values`` by the spec's fields.

    Returns the cleaned values of every declared field (``None`` / ``()`` when left empty;
    keys the spec does not declare are dropped) and the errors in display order. Cleaned types:
    text/phone/email/choice ``str`` (phone as ``+``/digits only), number ``Decimal``,
    date ``date``, multichoice ``tuple[str, ...]`` in the spec's choice order, yesno ``bool``.
    """
    cleaned: dict[str, object] = {}
    errors: list[FormError] = []
    for f in sorted_fields(fields):
        if f.key in cleaned:
            continue  # a duplicate key is a spec error (check_spec); the first one wins
        label = f.label or f.key
        raw = values.get(f.key)
        if _is_blank(raw):
            cleaned[f.key] = () if f.type is FieldType.MULTICHOICE else None
            if f.required:
                errors.append(FormError(f.key, "REQUIRED", {"label": label}))
            continue
        try:
            value = _PARSERS[f.type](f, raw)
        except _Invalid as bad:
            cleaned[f.key] = None
            errors.append(FormError(f.key, bad.code, {"label": label, **bad.params}))
            continue
        cleaned[f.key] = value
        errors.extend(
            FormError(f.key, code, {"label": label, **params})
            for code, params in _rule_violations(f, value)
        )
    return cleaned, errors


def _is_blank(raw: object) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, list | tuple | set | frozenset):
        return len(raw) == 0
    return False


def _text(f: FormField, raw: object) -> str:
    if not isinstance(raw, str):
        raise _Invalid("INVALID_TEXT")
    return raw.strip()


def _number(f: FormField, raw: object) -> Decimal:
    if isinstance(raw, bool):
        raise _Invalid("INVALID_NUMBER")
    try:
        if isinstance(raw, Decimal):
            number = raw
        elif isinstance(raw, int):
            number = Decimal(raw)
        elif isinstance(raw, float):
            number = Decimal(repr(raw))  # the digits the user typed, not the binary expansion
        elif isinstance(raw, str):
            text = raw.strip()
            if "," in text and "." not in text:
                text = text.replace(",", ".")  # decimal comma, as typed in Russian locales
            number = Decimal(text)
        else:
            raise _Invalid("INVALID_NUMBER")
    except InvalidOperation:
        raise _Invalid("INVALID_NUMBER") from None
    if not number.is_finite():
        raise _Invalid("INVALID_NUMBER")
    return number


def _date(f: FormField, raw: object) -> date:
    if isinstance(raw, datetime):
        raise _Invalid("INVALID_DATE")
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        if len(text) == 10:  # only YYYY-MM-DD; fromisoformat also takes week dates and such
            try:
                return date.fromisoformat(text)
            except ValueError:
                pass
    raise _Invalid("INVALID_DATE")


def _phone(f: FormField, raw: object) -> str:
    if not isinstance(raw, str):
        raise _Invalid("INVALID_PHONE")
    compact = _PHONE_SEPARATORS.sub("", raw)
    if not _PHONE.match(compact):
        raise _Invalid("INVALID_PHONE")
    return compact


def _email(f: FormField, raw: object) -> str:
    if not isinstance(raw, str) or not is_valid_email(raw.strip()):
        raise _Invalid("INVALID_EMAIL")
    return raw.strip()


def _choice(f: FormField, raw: object) -> str:
    if not isinstance(raw, str) or raw not in f.choices:
        raise _Invalid("INVALID_CHOICE", value=str(raw))
    return raw


def _multichoice(f: FormField, raw: object) -> tuple[str, ...]:
    if isinstance(raw, str):
        picked: list[object] = [raw]
    elif isinstance(raw, list | tuple | set | frozenset):
        picked = list(raw)
    else:
        raise _Invalid("INVALID_CHOICES", invalid=str(raw))
    invalid = [str(p) for p in picked if not isinstance(p, str) or p not in f.choices]
    if invalid:
        raise _Invalid("INVALID_CHOICES", invalid=", ".join(invalid))
    chosen = set(picked)
    return tuple(c for c in dict.fromkeys(f.choices) if c in chosen)


def _yesno(f: FormField, raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str):
        word = raw.strip().lower()
        if word in _YES:
            return True
        if word in _NO:
            return False
    raise _Invalid("INVALID_YESNO")


_PARSERS: dict[FieldType, Callable[[FormField, object], object]] = {
    FieldType.TEXT: _text,
    FieldType.NUMBER: _number,
    FieldType.DATE: _date,
    FieldType.PHONE: _phone,
    FieldType.EMAIL: _email,
    FieldType.CHOICE: _choice,
    FieldType.MULTICHOICE: _multichoice,
    FieldType.YESNO: _yesno,
}


def _rule_violations(f: FormField, value: object) -> list[tuple[str, dict[str, str | int]]]:
    rules = f.rules
    found: list[tuple[str, dict[str, str | int]]] = []
    if isinstance(value, Decimal):
        low, high = rules.min_value, rules.max_value
        if low is not None and low.is_finite() and value < low:
            found.append(("BELOW_MIN", {"min": str(low)}))
        if high is not None and high.is_finite() and value > high:
            found.append(("ABOVE_MAX", {"max": str(high)}))
    if isinstance(value, str) and f.type in (FieldType.TEXT, FieldType.PHONE, FieldType.EMAIL):
        if rules.max_length is not None and len(value) > rules.max_length:
            found.append(("TOO_LONG", {"max_length": rules.max_length, "length": len(value)}))
        if rules.regex is not None:
            pattern = compile_regex(rules.regex)
            if isinstance(pattern, str):
                # Reported rather than skipped: silently accepting unchecked input is worse.
                found.append(("MISCONFIGURED_FIELD", {}))
            elif pattern.fullmatch(value) is None:
                found.append(("PATTERN_MISMATCH", {}))
    return found
