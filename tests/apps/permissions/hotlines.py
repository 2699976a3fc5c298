"""Pages of hotline specs (staff) and of the client portal (R-HL-1..6, R-OPS-1).

POST actions answer GET with a redirect, so they are checked here with GET; their CSRF and
POST behaviour are tested in tests/apps/hotlines and tests/apps/clients.
"""

from .common import R

MANAGERS = {R.CC_HEAD, R.ADMIN}
CALL_TAKERS = {R.OPERATOR, R.ACCOUNT_MANAGER, R.WHOLESALE_HEAD, R.CC_HEAD, R.ADMIN}


def _version(f):
    from tests.apps.hotlines.factories import make_version

    v = make_version(f["hotline_a"], status="proposed")
    return {"hotline_id": f["hotline_a"].pk, "number": v.number}


def _entry(f):
    from calldesk.apps.hotlines.models import KnowledgeEntry

    e = KnowledgeEntry.objects.create(hotline=f["hotline_a"], question="Q", answer="A")
    return {"hotline_id": f["hotline_a"].pk, "entry_id": e.pk}


def _call(f):
    from django.utils import timezone

    from calldesk.apps.calls.models import Call

    return {"call_id": Call.objects.create(hotline=f["hotline_a"], number="+79030000000", offered_at=timezone.now()).pk}


def _hotline(f):
    return {"hotline_id": f["hotline_a"].pk}


def _export(f):
    return {**_version(f), "fmt": "docx"}


def _audio(f):
    # An uploaded recording, so the page answers 200 whether or not espeak-ng is installed.
    # The file has a fixed name under MEDIA_ROOT (var/media, git-ignored), written once.
    from pathlib import Path

    from django.conf import settings

    from calldesk.apps.hotlines.models import MessageAudio
    from calldesk.domain.hotlines import Message, MessageKind
    from tests.apps.hotlines.factories import good_spec, make_version, wav_bytes

    name = "hotlines/audio/permission-check.wav"
    path = Path(settings.MEDIA_ROOT) / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(wav_bytes())
    MessageAudio.objects.create(hotline=f["hotline_a"], file=name, content_type="audio/wav", size=path.stat().st_size)
    spec = good_spec(messages=(Message(MessageKind.GREETING, "ru", "", name),))
    v = make_version(f["hotline_a"], status="approved", spec=spec)
    return {"hotline_id": f["hotline_a"].pk, "number": v.number, "kind": "greeting", "language": "ru"}


RULES = {
    "hotlines:detail": (MANAGERS, _hotline),
    "hotlines:edit": (MANAGERS, _hotline),
    "hotlines:version": (MANAGERS, _version),
    "hotlines:propose": (MANAGERS, _version),
    "hotlines:export": (MANAGERS, _export),
    "hotlines:message_audio": (MANAGERS, _audio),
    "hotlines:audio_upload": (MANAGERS, _hotline),
    "hotlines:diff": (MANAGERS, _hotline),
    "hotlines:go_live": (MANAGERS, _hotline),
    "hotlines:kb": (MANAGERS, _hotline),
    "hotlines:kb_edit": (MANAGERS, _entry),
    "hotlines:kb_search": (CALL_TAKERS, _hotline),
    "hotlines:training": (MANAGERS, _hotline),
    "hotlines:test": ({R.CC_HEAD}, _hotline),
    "hotlines:my_training": (CALL_TAKERS, None),
    "hotlines:call_panel": (CALL_TAKERS, _call),
    "clients:version": ({R.CLIENT}, _version),
    "clients:approve": ({R.CLIENT}, _version),
    "clients:reject": ({R.CLIENT}, _version),
    "clients:export": ({R.CLIENT}, _export),
    "clients:diff": ({R.CLIENT}, _hotline),
}
