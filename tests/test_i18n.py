"""The Russian catalog is complete and safe to format (R-OPS-4)."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

from calldesk.i18n import LOCALE_DIR, compile_catalogs

PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%%|\{[^{}]*\}")


def _catalog():
    with (LOCALE_DIR / "ru" / "LC_MESSAGES" / "django.po").open("rb") as f:
        return read_po(f)


def _forms(message) -> list[tuple[str, str]]:
    if isinstance(message.id, str):
        return [(message.id, message.string)]
    singular, plural = message.id
    return [(singular if i == 0 else plural, s) for i, s in enumerate(message.string)]


def test_every_message_has_a_russian_translation():
    untranslated = [m.id for m in _catalog() if m.id and (not all(s for _, s in _forms(m)) or m.fuzzy)]
    assert not untranslated, f"{len(untranslated)} untranslated: {untranslated[:10]}"


def test_translations_keep_the_placeholders():
    broken = []
    for message in _catalog():
        if not message.id:
            continue
        for source, translated in _forms(message):
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translated)) and "%(count)" not in source:
                broken.append((source, translated))
    assert not broken, broken[:5]


def test_catalogs_compile_without_gettext(tmp_path: Path):
    target = tmp_path / "ru" / "LC_MESSAGES"
    target.mkdir(parents=True)
    (target / "django.po").write_bytes((LOCALE_DIR / "ru" / "LC_MESSAGES" / "django.po").read_bytes())
    written = compile_catalogs(tmp_path)
    assert written and written[0].stat().st_size > 1000
