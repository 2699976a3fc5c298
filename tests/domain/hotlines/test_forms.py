"""Filling in a hotline's call form (R-HL-1)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from calldesk.domain.hotlines import FieldRules, FieldType, FormField, validate_form

from .builders import sample_spec


def field(ftype: FieldType, **kwargs: object) -> FormField:
    return FormField("f", "Field", ftype, **kwargs)  # type: ignore[arg-type]


def one(ftype: FieldType, value: object, **kwargs: object) -> tuple[object, list[str]]:
    cleaned, errors = validate_form([field(ftype, **kwargs)], {"f": value})
    return cleaned["f"], [e.code for e in errors]


# R-HL-1: a complete valid form comes back cleaned, in the spec's types.
def test_valid_form_is_cleaned() -> None:
    cleaned, errors = validate_form(
        sample_spec().fields,
        {
            "name": "  Anna ",
            "phone": "+7 (495) 123-45-67",
            "reason": "late",
            "amount": "12,50",
            "extra": 1,
        },
    )
    assert errors == []
    assert cleaned == {
        "name": "Anna",
        "phone": "+74951234567",
        "reason": "late",
        "amount": Decimal("12.50"),
    }


# R-HL-1: required fields must be filled; blank text and empty lists count as missing.
@pytest.mark.parametrize("blank", [None, "", "   ", [], ()])
def test_required_field_must_be_filled(blank: object) -> None:
    cleaned, errors = validate_form([field(FieldType.TEXT, required=True)], {"f": blank})
    assert cleaned == {"f": None}
    assert [(e.key, e.code, e.message) for e in errors] == [("f", "REQUIRED", "Field is required.")]


# R-HL-1: optional fields may stay empty (multichoice cleans to an empty tuple).
def test_optional_empty_fields_clean_to_none() -> None:
    fields = [
        FormField("a", "A", FieldType.NUMBER),
        FormField("b", "B", FieldType.MULTICHOICE, choices=("x",)),
    ]
    assert validate_form(fields, {}) == ({"a": None, "b": ()}, [])


# R-HL-1: errors come in display order (by ``order``), with the label for the message.
def test_errors_follow_display_order() -> None:
    fields = [
        FormField("late", "Late", FieldType.TEXT, required=True, order=2),
        FormField("early", "", FieldType.TEXT, required=True, order=1),
    ]
    _, errors = validate_form(fields, {})
    assert [(e.key, e.params["label"]) for e in errors] == [("early", "early"), ("late", "Late")]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("42", Decimal(42)),
        ("-1.5", Decimal("-1.5")),
        ("3,25", Decimal("3.25")),
        (7, Decimal(7)),
        (Decimal("0.1"), Decimal("0.1")),
        (0.1, Decimal("0.1")),
        (" 1e3 ", Decimal("1e3")),
    ],
)
def test_numbers_parse_to_decimal(value: object, expected: Decimal) -> None:
    # R-HL-1: never float.
    cleaned, codes = one(FieldType.NUMBER, value)
    assert codes == []
    assert cleaned == expected
    assert isinstance(cleaned, Decimal)


@pytest.mark.parametrize(
    "value", ["abc", "1.2.3", "1,2.3", "NaN", "Infinity", True, [1], float("inf")]
)
def test_bad_numbers_are_refused(value: object) -> None:
    # R-HL-1
    assert one(FieldType.NUMBER, value) == (None, ["INVALID_NUMBER"])


# R-HL-1: min/max rules on numbers.
def test_number_bounds() -> None:
    rules = FieldRules(min_value=Decimal(1), max_value=Decimal(10))
    assert one(FieldType.NUMBER, "0.99", rules=rules)[1] == ["BELOW_MIN"]
    assert one(FieldType.NUMBER, "10.01", rules=rules)[1] == ["ABOVE_MAX"]
    assert one(FieldType.NUMBER, "1", rules=rules) == (Decimal(1), [])
    assert one(FieldType.NUMBER, "10", rules=rules) == (Decimal(10), [])
    _, errors = validate_form([field(FieldType.NUMBER, rules=rules)], {"f": "0"})
    assert errors[0].message == "Field must be at least 1."


# R-HL-1: dates are ISO YYYY-MM-DD (or a date).
def test_dates() -> None:
    assert one(FieldType.DATE, "2025-03-08") == (date(2025, 3, 8), [])
    assert one(FieldType.DATE, date(2025, 3, 8)) == (date(2025, 3, 8), [])
    for bad in ["08.03.2025", "2025-02-30", "2025W101", "20250308", datetime(2025, 3, 8), 20250308]:
        assert one(FieldType.DATE, bad) == (None, ["INVALID_DATE"]), bad


# R-HL-1: phones loosely (digits, +, spaces and the usual separators); the adapter makes E.164.
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("+7 495 123 45 67", "+74951234567"),
        ("8 (800) 555-35-35", "88005553535"),
        ("12345", "12345"),
    ],
)
def test_phones_are_loosely_accepted(value: str, expected: str) -> None:
    assert one(FieldType.PHONE, value) == (expected, [])


@pytest.mark.parametrize(
    "value", ["1234", "phone me", "+7 495 12a", "7+4951234567", "+1234567890123456", 74951234567]
)
def test_bad_phones_are_refused(value: object) -> None:
    # R-HL-1
    assert one(FieldType.PHONE, value) == (None, ["INVALID_PHONE"])


# R-HL-1
def test_emails() -> None:
    assert one(FieldType.EMAIL, " anna@example.com ") == ("anna@example.com", [])
    for bad in ["anna", "anna@", "anna@example", "an na@example.com", 5]:
        assert one(FieldType.EMAIL, bad) == (None, ["INVALID_EMAIL"]), bad


# R-HL-1: a choice must be one of the choices.
def test_choice() -> None:
    assert one(FieldType.CHOICE, "b", choices=("a", "b")) == ("b", [])
    assert one(FieldType.CHOICE, "c", choices=("a", "b")) == (None, ["INVALID_CHOICE"])
    assert one(FieldType.CHOICE, ["a"], choices=("a", "b")) == (None, ["INVALID_CHOICE"])


# R-HL-1: multichoice must be a subset; cleaned in the spec's order without repeats.
def test_multichoice() -> None:
    choices = ("a", "b", "c")
    assert one(FieldType.MULTICHOICE, ["c", "a", "c"], choices=choices) == (("a", "c"), [])
    assert one(FieldType.MULTICHOICE, "b", choices=choices) == (("b",), [])
    assert one(FieldType.MULTICHOICE, ["a", "z"], choices=choices) == (None, ["INVALID_CHOICES"])
    assert one(FieldType.MULTICHOICE, 3, choices=choices) == (None, ["INVALID_CHOICES"])


# R-HL-1: yes/no to bool; False is an answer, not a missing value.
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        (False, False),
        ("yes", True),
        ("Нет", False),
        ("1", True),
        (0, False),
        ("да", True),
    ],
)
def test_yesno(value: object, expected: bool) -> None:
    assert one(FieldType.YESNO, value, required=True) == (expected, [])


@pytest.mark.parametrize("value", ["maybe", 2, [True]])
def test_bad_yesno_is_refused(value: object) -> None:
    # R-HL-1
    assert one(FieldType.YESNO, value) == (None, ["INVALID_YESNO"])


# R-HL-1: text must be text.
def test_text_must_be_a_string() -> None:
    assert one(FieldType.TEXT, 12) == (None, ["INVALID_TEXT"])


# R-HL-1: max_length and regex (full match) on text-like fields; all violations are listed.
def test_length_and_pattern_rules() -> None:
    rules = FieldRules(regex=r"[A-Z]{2}\d+", max_length=5)
    assert one(FieldType.TEXT, "AB123", rules=rules) == ("AB123", [])
    assert one(FieldType.TEXT, "AB1234", rules=rules) == ("AB1234", ["TOO_LONG"])
    assert one(FieldType.TEXT, "ab12345", rules=rules) == (
        "ab12345",
        ["TOO_LONG", "PATTERN_MISMATCH"],
    )
    assert one(FieldType.TEXT, "AB12x", rules=rules)[1] == ["PATTERN_MISMATCH"]
    assert one(FieldType.PHONE, "+7 495 123", rules=FieldRules(regex=r"\+7\d{3,}")) == (
        "+7495123",
        [],
    )
    assert one(FieldType.EMAIL, "a@example.com", rules=FieldRules(regex=r".*@corp\.ru"))[1] == [
        "PATTERN_MISMATCH"
    ]


# R-HL-1: a spec rule that cannot be applied is reported, never silently skipped.
def test_uncompilable_regex_is_reported_not_skipped() -> None:
    assert one(FieldType.TEXT, "x", rules=FieldRules(regex="[x"))[1] == ["MISCONFIGURED_FIELD"]


# R-HL-1: with a duplicated key (a spec error) the first field wins instead of crashing.
def test_duplicate_field_keys_use_the_first() -> None:
    fields = [FormField("f", "A", FieldType.NUMBER), FormField("f", "B", FieldType.TEXT)]
    assert validate_form(fields, {"f": "5"}) == ({"f": Decimal(5)}, [])
