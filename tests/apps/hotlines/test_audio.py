"""Announcement audio: uploads checked by magic bytes and size, serving, text-to-speech
(R-HL-1, R-HL-5)."""

from __future__ import annotations

import io
import shutil
import wave
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from calldesk.apps.accounts.roles import Role
from calldesk.apps.hotlines import audio, services
from calldesk.apps.hotlines.models import MessageAudio, SpecVersion
from calldesk.domain.hotlines import Message, MessageKind

from .factories import good_spec, make_version, wav_bytes

ENGINE_MISSING = "No text-to-speech engine installed (install espeak-ng)"
HAS_ESPEAK = shutil.which("espeak-ng") is not None


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _login(user) -> Client:
    # English pages, so the assertions keep holding once the Russian catalogue has these texts.
    c = Client(headers={"accept-language": "en"})
    c.force_login(user)
    return c


def _upload(c: Client, hotline, content: bytes, name: str = "greeting.wav", kind: str = "greeting", language: str = "ru"):
    return c.post(
        reverse("hotlines:audio_upload", args=[hotline.pk]),
        {"kind": kind, "language": language, "file": SimpleUploadedFile(name, content, content_type="audio/wav")},
    )


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _speaking_version(hotline):
    """An effective version whose greeting has only text, in Russian and in English."""
    messages = (
        Message(MessageKind.GREETING, "ru", "Здравствуйте! Вы позвонили на горячую линию."),
        Message(MessageKind.GREETING, "en", "Hello! You have reached the hotline."),
    )
    return make_version(hotline, status="approved", spec=good_spec(messages=messages))


# -- uploads ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("head", "content_type"), [
    (b"RIFF\x24\x00\x00\x00WAVEfmt ", "audio/wav"),
    (b"ID3\x04\x00\x00\x00\x00\x00\x00", "audio/mpeg"),
    (b"\xff\xfb\x90\x64\x00\x00", "audio/mpeg"),
    (b"\xff\xe3\x18\xc4\x00\x00", "audio/mpeg"),
    (b"OggS\x00\x02\x00\x00", "audio/ogg"),
    (b"RIFF\x24\x00\x00\x00AVI LIST", None),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", None),
    (b"%PDF-1.7\n", None),
    (b"", None),
])
def test_audio_is_recognised_by_its_first_bytes(head, content_type):
    # R-HL-1: WAV "RIFF....WAVE", MP3 "ID3" or frame sync 0xFFEx, OGG "OggS"; nothing else.
    assert audio.get_content_type(head) == content_type


def test_a_file_that_is_not_audio_is_refused_and_nothing_is_saved(users, hotline_a, media):
    # R-HL-1: a clear form error; no record, no draft, no file left on disk.
    response = _upload(_login(users[Role.CC_HEAD]), hotline_a, b"%PDF-1.7 not a recording", name="greeting.wav")
    assert response.status_code == 200
    assert "The file is not a WAV, MP3 or OGG recording." in response.content.decode()
    assert not MessageAudio.objects.exists() and not SpecVersion.objects.exists()
    assert _files(media) == []


def test_a_file_over_the_size_limit_is_refused_and_nothing_is_saved(users, hotline_a, media, settings):
    # R-HL-1: the limit is CALLDESK_MAX_AUDIO_BYTES (10 MB by default).
    settings.CALLDESK_MAX_AUDIO_BYTES = 1000
    response = _upload(_login(users[Role.CC_HEAD]), hotline_a, wav_bytes(frames=2000))
    page = response.content.decode()
    assert response.status_code == 200
    assert "a recording may be at most" in page and "1000" in page
    assert not MessageAudio.objects.exists() and not SpecVersion.objects.exists()
    assert _files(media) == []


def test_the_default_size_limit_is_ten_megabytes(settings):
    # R-HL-1
    del settings.CALLDESK_MAX_AUDIO_BYTES
    assert audio.get_max_audio_bytes() == 10 * 1024 * 1024


def test_a_good_wav_goes_into_the_draft_and_is_served(users, hotline_a, media):
    # R-HL-1: the recording is part of the spec the client approves, so it lands in a draft
    # made from the effective version; the play URL serves exactly the uploaded bytes.
    make_version(hotline_a, status="approved")
    content = wav_bytes()
    c = _login(users[Role.CC_HEAD])
    response = _upload(c, hotline_a, content)
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = MessageAudio.objects.get()
    assert stored.content_type == "audio/wav" and stored.size == len(content)
    assert stored.file.name.startswith("hotlines/audio/") and stored.file.name.endswith(".wav")
    draft = SpecVersion.objects.get(hotline=hotline_a, status="draft")
    greeting = next(m for m in draft.spec["messages"] if m["kind"] == "greeting" and m["language"] == "ru")
    assert greeting["audio"] == stored.file.name and greeting["text"] == "Текст greeting"

    url = reverse("hotlines:message_audio", args=[hotline_a.pk, draft.number, "greeting", "ru"])
    served = c.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "audio/wav"
    assert b"".join(served.streaming_content) == content
    download = c.get(url + "?download=1")
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == content
    assert "greeting" in c.get(reverse("hotlines:edit", args=[hotline_a.pk])).content.decode()


def test_uploaded_recording_is_what_callers_hear_once_its_version_takes_effect(users, hotline_a, settings):
    # R-HL-5: get_message_audio reads the effective version, so a draft's recording is not
    # played before the client approves it.
    settings.CALLDESK_TTS_COMMAND = "calldesk-no-such-tts-engine"
    make_version(hotline_a, status="approved")
    draft = services.set_message_audio(
        hotline_id=hotline_a.pk, kind="greeting", language="ru",
        upload=SimpleUploadedFile("x.bin", wav_bytes()), user=users[Role.CC_HEAD],
    )
    stored = MessageAudio.objects.get()
    # Before approval the effective version has the text only, which needs the (absent) engine.
    with pytest.raises(services.AudioUnavailable):
        services.get_message_audio(hotline_a, "greeting", "ru")
    services.propose_version(hotline_id=hotline_a.pk, number=draft.number, user=users[Role.CC_HEAD])
    services.approve_version(hotline_id=hotline_a.pk, number=draft.number, user=users[Role.CLIENT])
    assert services.get_message_audio(hotline_a, MessageKind.GREETING, "ru") == Path(stored.file.path)
    assert services.get_message_audio(hotline_a, "voicemail", "ru") is None
    assert services.get_message_audio(hotline_a, "no-such-kind", "ru") is None


def test_removing_a_recording_goes_back_to_speaking_the_text(users, hotline_a):
    # R-HL-1
    make_version(hotline_a, status="approved")
    c = _login(users[Role.CC_HEAD])
    _upload(c, hotline_a, wav_bytes())
    response = c.post(reverse("hotlines:audio_upload", args=[hotline_a.pk]), {"kind": "greeting", "language": "ru", "remove": "1"})
    assert response.status_code == 302
    draft = SpecVersion.objects.get(hotline=hotline_a, status="draft")
    greeting = next(m for m in draft.spec["messages"] if m["kind"] == "greeting")
    assert greeting["audio"] is None


def test_a_recording_can_be_added_for_a_language_the_spec_does_not_have_yet(users, hotline_a):
    # R-HL-1: an English greeting with only a recording is a complete announcement.
    make_version(hotline_a, status="approved")
    _upload(_login(users[Role.CC_HEAD]), hotline_a, b"OggS\x00\x02" + b"\x00" * 64, name="hello.ogg", language="en")
    draft = SpecVersion.objects.get(hotline=hotline_a, status="draft")
    english = [m for m in draft.spec["messages"] if m["language"] == "en"]
    assert len(english) == 1 and english[0]["audio"].endswith(".ogg") and english[0]["text"] == ""


def test_a_spec_cannot_make_the_server_serve_a_file_that_is_not_the_hotlines_upload(users, hotline_a, hotline_b, media):
    # R-HL-1: the spec names recordings and staff can edit it, so the name is only looked up
    # among the hotline's own uploads.
    secret = media / "hotlines" / "audio" / "other.wav"
    secret.parent.mkdir(parents=True)
    secret.write_bytes(wav_bytes())
    MessageAudio.objects.create(hotline=hotline_b, file="hotlines/audio/other.wav", content_type="audio/wav", size=1)
    for name in ("hotlines/audio/other.wav", "../../../etc/passwd"):
        v = make_version(hotline_a, status="approved", spec=good_spec(messages=(Message(MessageKind.GREETING, "ru", "", name),)))
        response = _login(users[Role.CC_HEAD]).get(reverse("hotlines:message_audio", args=[hotline_a.pk, v.number, "greeting", "ru"]))
        assert response.status_code == 503
        assert "is missing" in response.content.decode()


def test_an_unknown_announcement_is_not_found(users, hotline_a):
    v = make_version(hotline_a, status="approved")
    c = _login(users[Role.CC_HEAD])
    assert c.get(reverse("hotlines:message_audio", args=[hotline_a.pk, v.number, "voicemail", "ru"])).status_code == 404
    assert c.get(reverse("hotlines:message_audio", args=[hotline_a.pk, v.number, "nonsense", "ru"])).status_code == 404


# -- text-to-speech ---------------------------------------------------------------------------------
# Exactly one of the next two applies on a given machine: it has espeak-ng or it has not.


def test_text_is_spoken_by_espeak_ng_in_russian_and_english(users, hotline_a, media):
    # R-HL-1, R-HL-5: a real WAV comes out for both languages and is cached under MEDIA_ROOT.
    if not HAS_ESPEAK:
        pytest.skip("espeak-ng is not installed here; test_without_espeak_ng_the_url_answers_503_with_the_reason covers this machine")
    v = _speaking_version(hotline_a)
    c = _login(users[Role.CC_HEAD])
    for language in ("ru", "en"):
        response = c.get(reverse("hotlines:message_audio", args=[hotline_a.pk, v.number, "greeting", language]))
        assert response.status_code == 200 and response["Content-Type"] == "audio/wav"
        body = b"".join(response.streaming_content)
        assert body[:4] == b"RIFF" and body[8:12] == b"WAVE"
        with wave.open(io.BytesIO(body)) as spoken:
            assert spoken.getnframes() > 0 and spoken.getnchannels() == 1
    first = services.get_message_audio(hotline_a, "greeting", "ru")
    assert first is not None and first.is_relative_to(media / "hotlines" / "tts")
    assert services.get_message_audio(hotline_a, "greeting", "ru") == first  # cached, not made again
    assert services.get_message_audio(hotline_a, "greeting", "en") != first
    assert ENGINE_MISSING not in c.get(reverse("hotlines:version", args=[hotline_a.pk, v.number])).content.decode()


def test_without_espeak_ng_the_url_answers_503_with_the_reason(users, hotline_a):
    # R-HL-1, R-HL-5: never a 500; the pages say what to install.
    if HAS_ESPEAK:
        pytest.skip("espeak-ng is installed here; test_text_is_spoken_by_espeak_ng_in_russian_and_english covers this machine")
    _assert_engine_missing_is_reported(users, hotline_a)


def test_a_missing_engine_is_reported_even_where_espeak_ng_is_installed(users, hotline_a, settings):
    # R-HL-5: the same 503 path on every machine, by pointing the engine at a program that
    # does not exist (CALLDESK_TTS_COMMAND, default "espeak-ng").
    settings.CALLDESK_TTS_COMMAND = "calldesk-no-such-tts-engine"
    _assert_engine_missing_is_reported(users, hotline_a)


def _assert_engine_missing_is_reported(users, hotline_a) -> None:
    v = _speaking_version(hotline_a)
    c = _login(users[Role.CC_HEAD])
    for language in ("ru", "en"):
        response = c.get(reverse("hotlines:message_audio", args=[hotline_a.pk, v.number, "greeting", language]))
        assert response.status_code == 503
        assert response.content.decode() == ENGINE_MISSING
    for page in ("hotlines:detail", "hotlines:edit"):
        assert ENGINE_MISSING in c.get(reverse(page, args=[hotline_a.pk])).content.decode()
    assert ENGINE_MISSING in c.get(reverse("hotlines:version", args=[hotline_a.pk, v.number])).content.decode()
    with translation.override("en"), pytest.raises(services.AudioUnavailable) as unavailable:
        services.get_message_audio(hotline_a, "greeting", "ru")
    assert unavailable.value.status == 503 and unavailable.value.detail == ENGINE_MISSING


def test_an_upload_without_the_csrf_token_is_refused(users, hotline_a):
    # R-OPS-1: the upload changes the draft, so it needs the form's token.
    c = Client(enforce_csrf_checks=True)
    c.force_login(users[Role.CC_HEAD])
    response = c.post(reverse("hotlines:audio_upload", args=[hotline_a.pk]),
                      {"kind": "greeting", "language": "ru", "file": SimpleUploadedFile("a.wav", wav_bytes())})
    assert response.status_code == 403 and not MessageAudio.objects.exists()
