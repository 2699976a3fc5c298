"""Small shared validators (no I/O beyond zoneinfo's bundled database)."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
# Pragmatic, not RFC 5322: what a person types into a form. ``\Z`` because ``$`` would
# accept a trailing newline.
_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    rf"@{_LABEL}(?:\.{_LABEL})*\.[A-Za-z]{{2,63}}\Z",
    re.ASCII,
)


def is_valid_email(value: str) -> bool:
    return len(value) <= 254 and _EMAIL.match(value) is not None


def compile_regex(pattern: str) -> re.Pattern[str] | str:
    """The compiled pattern (``re`` caches it), or the compiler's error text."""
    try:
        return re.compile(pattern)
    except re.error as exc:
        return str(exc)
    except (OverflowError, RecursionError) as exc:  # absurd repeat counts or nesting
        return str(exc) or type(exc).__name__


_HOST_DEPENDENT = frozenset({"localtime", "posixrules"})


def load_zone(name: str) -> ZoneInfo | None:
    # Only IANA-style keys: ZoneInfo would also accept odd relative paths, and "localtime"
    # names whatever the host is set to.
    if not name or name.startswith(("/", ".")) or ".." in name or "\x00" in name:
        return None
    if name in _HOST_DEPENDENT:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None
