"""Announcement audio (R-HL-1, R-HL-5): checking uploaded recordings, and speaking an
announcement's text with an offline text-to-speech engine (espeak-ng) when it has none.

Uploads are recognised by their first bytes, never by the name or the browser's content type.
Speech is cached under MEDIA_ROOT/hotlines/tts/, one WAV per hash of (voice, language, text),
so the same text is synthesised once and a changed text gets a new file.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DEFAULT_MAX_AUDIO_BYTES = 10 * 1024 * 1024
# The engine speaks these; another language of a message is refused rather than read out
# with the wrong phonetics.
VOICES = {"ru": "ru", "en": "en"}
EXTENSIONS = {"audio/wav": ".wav", "audio/mpeg": ".mp3", "audio/ogg": ".ogg"}
SYNTHESIS_TIMEOUT_SECONDS = 30


class AudioRejected(Exception):
    """An upload that is not a WAV, MP3 or OGG file, or is too large; `str()` says which."""


class SpeechUnavailable(Exception):
    """Text cannot be spoken here: no engine installed, or the engine failed; `str()` says why."""


def get_max_audio_bytes() -> int:
    return int(getattr(settings, "CALLDESK_MAX_AUDIO_BYTES", DEFAULT_MAX_AUDIO_BYTES))


def get_content_type(head: bytes) -> str | None:
    """The audio type the first bytes of a file announce, or None if they are not audio."""
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio/wav"
    if head[:4] == b"OggS":
        return "audio/ogg"
    if head[:3] == b"ID3":
        return "audio/mpeg"
    # An MPEG audio frame without an ID3 tag starts with 11 set sync bits (0xFFEx / 0xFFFx).
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:
        return "audio/mpeg"
    return None


def check_upload(upload: UploadedFile) -> str:
    """The content type of an acceptable recording; raises `AudioRejected` otherwise."""
    limit = get_max_audio_bytes()
    if upload.size is None or upload.size > limit:
        raise AudioRejected(
            _("The file is %(size)s; a recording may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size or 0), "limit": filesizeformat(limit)}
        )
    upload.seek(0)
    head = upload.read(12)
    upload.seek(0)
    content_type = get_content_type(head)
    if content_type is None:
        raise AudioRejected(_("The file is not a WAV, MP3 or OGG recording."))
    return content_type


# -- text-to-speech ----------------------------------------------------------------------------


def get_engine() -> str | None:
    """The path of the text-to-speech program, or None when it is not installed."""
    return shutil.which(getattr(settings, "CALLDESK_TTS_COMMAND", "espeak-ng"))


def engine_missing_message() -> str:
    return _("No text-to-speech engine installed (install espeak-ng)")


def get_speech_path(text: str, language: str) -> Path:
    """Where the speech of `text` in `language` is (or will be) cached."""
    voice = VOICES.get(language, language)
    key = hashlib.sha256(f"{voice}\n{language}\n{text}".encode()).hexdigest()
    return Path(settings.MEDIA_ROOT) / "hotlines" / "tts" / f"{key}.wav"


def synthesize_speech(text: str, language: str) -> Path:
    """A WAV file of `text` spoken in `language` (ru, en), made once and then reused.

    Raises `SpeechUnavailable` when the engine is missing or fails, or the language has no voice.
    """
    engine = get_engine()
    if engine is None:
        raise SpeechUnavailable(engine_missing_message())
    voice = VOICES.get(language)
    if voice is None:
        raise SpeechUnavailable(_("There is no text-to-speech voice for the language %(language)s.") % {"language": language})
    if not text.strip():
        raise SpeechUnavailable(_("The announcement has no text to speak."))
    target = get_speech_path(text, language)
    if target.is_file() and target.stat().st_size > 44:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed into place, so a request racing this one never
    # serves a half-written file.
    fd, partial = tempfile.mkstemp(dir=target.parent, suffix=".part")
    os.close(fd)
    try:
        # The text goes through stdin so that a text starting with "-" is never read as an option.
        result = subprocess.run(
            [engine, "-v", voice, "-w", partial, "--stdin"],
            input=text.encode("utf-8"), capture_output=True, timeout=SYNTHESIS_TIMEOUT_SECONDS, check=False,
        )
        with open(partial, "rb") as produced:
            head = produced.read(12)
        if result.returncode != 0 or get_content_type(head) != "audio/wav":
            error = result.stderr.decode("utf-8", "replace").strip()[:200] or f"exit code {result.returncode}"
            raise SpeechUnavailable(_("Text-to-speech failed: %(error)s") % {"error": error})
        os.replace(partial, target)
    except subprocess.TimeoutExpired:
        raise SpeechUnavailable(_("Text-to-speech took too long.")) from None
    except OSError as exc:
        raise SpeechUnavailable(_("Text-to-speech failed: %(error)s") % {"error": exc}) from None
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    return target
