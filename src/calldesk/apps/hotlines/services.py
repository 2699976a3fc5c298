"""Use cases of hotline specs: drafts, approval, launch, knowledge base, call forms, testing.

Each function loads, asks the pure core (`calldesk.domain.hotlines`) and saves inside one
transaction; the audit record lands in the same transaction. Refusals raise `HotlineError`
with a translated `detail` and a list of `errors` (path + message) for forms and the API.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from calldesk.apps.audit.services import record
from calldesk.apps.calls.models import Call
from calldesk.domain.hotlines import (
    HotlineSpec,
    Message,
    MessageKind,
    SpecError,
    SpecFormatError,
    VersionRefused,
    WorkingHours,
    build_test_sheet,
    calculate_approval,
    calculate_edit,
    calculate_launch_checklist,
    calculate_new_draft,
    calculate_proposal,
    calculate_rejection,
    check_spec,
    choose_effective_version,
    score_test,
    spec_from_dict,
    spec_to_dict,
    validate_form,
)
from calldesk.domain.hotlines import SpecVersion as DomainVersion
from calldesk.domain.hotlines import VersionStatus as DomainStatus

from . import audio, knowledge
from .messages import checklist_params, translate
from .models import (
    Hotline,
    KnowledgeEntry,
    MessageAudio,
    OperatorQualification,
    OperatorTest,
    SpecVersion,
    TrainingAssignment,
)


@dataclass
class HotlineError(Exception):
    """A refused request; `errors` are dicts with `path` (or `key`), `code` and `message`."""

    detail: str
    errors: list[dict[str, Any]] = field(default_factory=list)
    status: int = 400

    def __str__(self) -> str:
        return self.detail


def spec_errors(errors: list[SpecError] | tuple[SpecError, ...]) -> list[dict[str, Any]]:
    return [{"path": e.path, "code": e.code, "message": translate(e.code, e.params)} for e in errors]


def _refused(exc: VersionRefused, status: int = 400) -> HotlineError:
    return HotlineError(translate(exc.code, exc.params), spec_errors(list(exc.errors)), status=status)


# -- conversions -----------------------------------------------------------------------------


def empty_spec(hotline: Hotline) -> HotlineSpec:
    return HotlineSpec(hours=WorkingHours(time_zone=hotline.time_zone), planned_operators=hotline.planned_operators)


def to_domain(version: SpecVersion) -> DomainVersion:
    return DomainVersion(
        number=version.number,
        spec=spec_from_dict(version.spec),
        status=DomainStatus(version.status),
        proposed_at=version.proposed_at,
        decided_at=version.decided_at,
        comment=version.comment,
        effective_from=version.effective_from,
    )


def _store(model: SpecVersion, version: DomainVersion) -> None:
    model.spec = spec_to_dict(version.spec)
    model.status = version.status.value
    model.proposed_at = version.proposed_at
    model.decided_at = version.decided_at
    model.comment = version.comment
    model.effective_from = version.effective_from


def get_versions(hotline_id: int) -> list[SpecVersion]:
    return list(SpecVersion.objects.filter(hotline_id=hotline_id).order_by("number"))


def get_effective_version(hotline_id: int, at: dt.datetime | None = None) -> SpecVersion | None:
    """The one version the running hotline uses at `at` (R-HL-2)."""
    versions = get_versions(hotline_id)
    chosen = choose_effective_version([to_domain(v) for v in versions], at or timezone.now())
    return next((v for v in versions if chosen and v.number == chosen.number), None)


def parse_spec_json(data: Any) -> HotlineSpec:
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except ValueError as exc:
            raise HotlineError(_("The spec is not valid JSON: %(error)s") % {"error": exc}) from None
    try:
        return spec_from_dict(data)
    except SpecFormatError as exc:
        raise HotlineError(
            _("The spec has the wrong shape at %(path)s: %(detail)s") % {"path": exc.path or "/", "detail": exc.detail},
            [{"path": exc.path, "code": "FORMAT", "message": exc.detail}],
        ) from None


# -- versions (R-HL-2) -----------------------------------------------------------------------


@transaction.atomic
def save_draft(*, hotline_id: int, spec: HotlineSpec, user: Any) -> SpecVersion:
    """Store `spec` as the hotline's draft (creating the draft when there is none).

    A spec with problems is refused whole: nothing is saved.
    """
    hotline = Hotline.objects.select_for_update().get(pk=hotline_id)
    errors = check_spec(spec)
    if errors:
        raise HotlineError(_("The spec has %(count)d problem(s); nothing was saved.") % {"count": len(errors)}, spec_errors(errors))
    versions = get_versions(hotline.pk)
    draft = next((v for v in versions if v.status == SpecVersion.Status.DRAFT), None)
    if draft is None:
        new = calculate_new_draft([to_domain(v) for v in versions], spec)
        draft = SpecVersion(hotline=hotline, number=new.number, created_by=user if getattr(user, "pk", None) else None)
        _store(draft, new)
        draft.save()
        record(action="hotline.draft_created", actor=user, target=hotline, data={"version": draft.number})
    else:
        try:
            edited = calculate_edit(to_domain(draft), spec)
        except VersionRefused as exc:
            raise _refused(exc) from None
        _store(draft, edited)
        draft.save()
    return draft


def get_draft_or_base_spec(hotline: Hotline, at: dt.datetime | None = None) -> tuple[SpecVersion | None, HotlineSpec]:
    """What the editor opens: the draft, else a copy of the effective (or latest) version."""
    versions = get_versions(hotline.pk)
    draft = next((v for v in versions if v.status == SpecVersion.Status.DRAFT), None)
    if draft is not None:
        return draft, spec_from_dict(draft.spec)
    effective = get_effective_version(hotline.pk, at)
    base = effective or (versions[-1] if versions else None)
    return None, spec_from_dict(base.spec) if base else empty_spec(hotline)


@transaction.atomic
def propose_version(*, hotline_id: int, number: int, user: Any, at: dt.datetime | None = None) -> SpecVersion:
    at = at or timezone.now()
    Hotline.objects.select_for_update().get(pk=hotline_id)
    version = SpecVersion.objects.get(hotline_id=hotline_id, number=number)
    try:
        proposed = calculate_proposal(to_domain(version), at=at)
    except VersionRefused as exc:
        raise _refused(exc) from None
    _store(version, proposed)
    version.save()
    record(action="hotline.version_proposed", actor=user, target=version.hotline, data={"version": number})
    return version


@transaction.atomic
def approve_version(
    *, hotline_id: int, number: int, user: Any, at: dt.datetime | None = None,
    effective_from: dt.datetime | None = None, comment: str = "",
) -> SpecVersion:
    """The client approves a proposal. The hotline row is locked so two racing approvals are
    decided one after the other: the second sees the first and is refused."""
    at = at or timezone.now()
    hotline = Hotline.objects.select_for_update().get(pk=hotline_id)
    versions = get_versions(hotline_id)
    version = next((v for v in versions if v.number == number), None)
    if version is None:
        raise HotlineError(_("There is no such version."), status=404)
    try:
        approved = calculate_approval(
            to_domain(version), [to_domain(v) for v in versions], at=at, effective_from=effective_from, comment=comment,
        )
    except VersionRefused as exc:
        raise _refused(exc, status=409) from None
    _store(version, approved)
    version.decided_by = user if getattr(user, "pk", None) else None
    version.save()
    if hotline.status == Hotline.Status.DRAFT:
        # An approved spec is what starts the launch: the head now works the checklist.
        hotline.status = Hotline.Status.LAUNCHING
        hotline.save(update_fields=["status"])
    record(
        action="hotline.version_approved", actor=user, target=hotline,
        data={"version": number, "effective_from": approved.effective_from.isoformat() if approved.effective_from else None},
    )
    return version


@transaction.atomic
def reject_version(*, hotline_id: int, number: int, user: Any, comment: str, at: dt.datetime | None = None) -> SpecVersion:
    at = at or timezone.now()
    hotline = Hotline.objects.select_for_update().get(pk=hotline_id)
    version = SpecVersion.objects.filter(hotline_id=hotline_id, number=number).first()
    if version is None:
        raise HotlineError(_("There is no such version."), status=404)
    try:
        rejected = calculate_rejection(to_domain(version), at=at, comment=comment)
    except VersionRefused as exc:
        raise _refused(exc, status=409) from None
    _store(version, rejected)
    version.decided_by = user if getattr(user, "pk", None) else None
    version.save()
    record(action="hotline.version_rejected", actor=user, target=hotline, data={"version": number, "comment": rejected.comment})
    return version


# -- launch (R-HL-3) -------------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistRow:
    code: str
    done: bool
    detail: str


@dataclass(frozen=True)
class LaunchStatus:
    items: list[ChecklistRow]
    ready: bool
    late: bool

    @property
    def missing(self) -> list[ChecklistRow]:
        return [i for i in self.items if not i.done]


def _choose_plan_version(domain: list[DomainVersion], at: dt.datetime) -> DomainVersion | None:
    """The version the launch is planned by: the effective one, else the latest approved
    (approved but not yet in effect), else none."""
    approved = [v for v in domain if v.status is DomainStatus.APPROVED]
    return choose_effective_version(domain, at) or (max(approved, key=lambda v: v.number) if approved else None)


def get_planned_operators(hotline: Hotline, at: dt.datetime | None = None) -> int:
    """How many operators the hotline is planned for at `at` (R-HL-1, R-HL-3).

    The approved spec is the agreement with the client, so its count wins: the effective
    version's, else the latest approved one's (a launch planned by a version that takes
    effect later). `Hotline.planned_operators` is only the first estimate, used until a spec is
    approved. Every reader (launch checklist, pages, other apps) goes through here, so the
    number cannot disagree between screens; nothing is copied, so a version scheduled for
    later needs no job to take over at its time.
    """
    chosen = _choose_plan_version([to_domain(v) for v in get_versions(hotline.pk)], at or timezone.now())
    return chosen.spec.planned_operators if chosen else hotline.planned_operators


def get_launch_status(hotline: Hotline, today: dt.date | None = None, at: dt.datetime | None = None) -> LaunchStatus:
    at = at or timezone.now()
    today = today or timezone.localdate()
    versions = get_versions(hotline.pk)
    domain = [to_domain(v) for v in versions]
    approved = [v for v in domain if v.status is DomainStatus.APPROVED]
    chosen = _choose_plan_version(domain, at)
    spec = chosen.spec if chosen else None
    checklist = calculate_launch_checklist(
        has_approved_version=bool(approved),
        numbers_attached=hotline.numbers.count(),
        messages=spec.messages if spec else (),
        languages=(),
        knowledge_base_entries=KnowledgeEntry.objects.filter(hotline=hotline).count(),
        operators_passed=OperatorQualification.objects.filter(hotline=hotline).count(),
        planned_operators=spec.planned_operators if spec else hotline.planned_operators,
        planned_launch=hotline.planned_launch,
        today=today,
        is_live=hotline.status == Hotline.Status.LIVE,
    )
    rows = [ChecklistRow(i.code, i.done, translate(i.code, checklist_params(i.code, i.params))) for i in checklist.items]
    return LaunchStatus(rows, checklist.ready, checklist.late)


@transaction.atomic
def go_live(*, hotline_id: int, user: Any, today: dt.date | None = None, at: dt.datetime | None = None) -> Hotline:
    """Put a hotline live; refused with the checklist items still missing (R-HL-3)."""
    hotline = Hotline.objects.select_for_update().get(pk=hotline_id)
    if hotline.status == Hotline.Status.LIVE:
        raise HotlineError(_("The hotline is already live."), status=409)
    status = get_launch_status(hotline, today, at)
    if not status.ready:
        raise HotlineError(
            _("The hotline cannot go live yet: %(count)d item(s) of the launch checklist are missing.") % {"count": len(status.missing)},
            [{"code": i.code, "message": i.detail} for i in status.missing],
            status=409,
        )
    hotline.status = Hotline.Status.LIVE
    hotline.save(update_fields=["status"])
    record(action="hotline.went_live", actor=user, target=hotline)
    return hotline


# -- knowledge base (R-HL-1) ------------------------------------------------------------------


@transaction.atomic
def save_knowledge_entry(*, hotline_id: int, question: str, answer: str, user: Any, entry_id: int | None = None) -> KnowledgeEntry:
    question, answer = question.strip(), answer.strip()
    errors = []
    if not question:
        errors.append({"path": "question", "code": "REQUIRED", "message": _("Enter the question.")})
    if not answer:
        errors.append({"path": "answer", "code": "REQUIRED", "message": _("Enter the answer.")})
    if errors:
        raise HotlineError(_("The entry is incomplete."), errors)
    if entry_id is None:
        entry = KnowledgeEntry.objects.create(hotline_id=hotline_id, question=question, answer=answer)
    else:
        entry = KnowledgeEntry.objects.get(pk=entry_id, hotline_id=hotline_id)
        entry.question, entry.answer = question, answer
        entry.save()
    knowledge.index_entry(entry)
    return entry


@transaction.atomic
def delete_knowledge_entry(*, hotline_id: int, entry_id: int, user: Any) -> None:
    entry = KnowledgeEntry.objects.get(pk=entry_id, hotline_id=hotline_id)
    knowledge.unindex_entry(entry.pk)
    entry.delete()


# -- the call form (R-HL-1, R-HL-2) -----------------------------------------------------------


def get_call_spec(call: Call) -> SpecVersion | None:
    """The version that serves a call: the one it already recorded, else the one effective
    when the call was offered."""
    if call.spec_version is not None:
        found = SpecVersion.objects.filter(hotline_id=call.hotline_id, number=call.spec_version).first()
        if found is not None:
            return found
    return get_effective_version(call.hotline_id, call.offered_at)


def _jsonable(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


@transaction.atomic
def save_call_form(*, call_id: Any, values: dict[str, object], topic: str, user: Any) -> Call:
    """Validate the operator's form by the spec that serves the call and store it on the call
    with that version's number; a form with errors is refused whole."""
    call = Call.objects.select_for_update().get(pk=call_id)
    version = get_call_spec(call)
    if version is None:
        raise HotlineError(_("This hotline has no effective spec version, so there is no form to fill."), status=409)
    spec = spec_from_dict(version.spec)
    cleaned, form_errors = validate_form(spec.fields, values)
    errors = [{"key": e.key, "code": e.code, "message": translate(e.code, e.params)} for e in form_errors]
    topics = {t.code for t in spec.topics}
    if topic and topic not in topics:
        errors.append({"key": "topic", "code": "INVALID_CHOICE", "message": _("Choose a topic from the list.")})
    if errors:
        raise HotlineError(_("The form has %(count)d error(s); nothing was saved.") % {"count": len(errors)}, errors)
    call.form_data = {k: _jsonable(v) for k, v in cleaned.items()}
    call.topic = topic
    call.spec_version = version.number
    call.save(update_fields=["form_data", "topic", "spec_version"])
    return call


# -- training and testing (R-HL-4) --------------------------------------------------------------


@transaction.atomic
def assign_training(*, hotline_id: int, operator_ids: list[int], user: Any) -> int:
    created = 0
    for operator_id in operator_ids:
        _, made = TrainingAssignment.objects.get_or_create(
            hotline_id=hotline_id, operator_id=operator_id, defaults={"assigned_by": user}
        )
        created += made
    if created:
        record(action="hotline.training_assigned", actor=user, target=Hotline.objects.get(pk=hotline_id), data={"operators": operator_ids})
    return created


@transaction.atomic
def mark_training_done(*, assignment_id: int, user: Any, at: dt.datetime | None = None) -> TrainingAssignment:
    assignment = TrainingAssignment.objects.select_for_update().get(pk=assignment_id, operator=user)
    if assignment.done_at is None:
        assignment.done_at = at or timezone.now()
        assignment.save(update_fields=["done_at"])
    return assignment


def get_test_sheet(hotline: Hotline, at: dt.datetime | None = None):  # type: ignore[no-untyped-def]
    version = get_effective_version(hotline.pk, at)
    if version is None:
        approved = SpecVersion.objects.filter(hotline=hotline, status=SpecVersion.Status.APPROVED).order_by("-number").first()
        version = approved
    if version is None:
        raise HotlineError(_("The hotline has no approved spec to test against."), status=409)
    return version, build_test_sheet(spec_from_dict(version.spec))


@transaction.atomic
def record_operator_test(
    *, hotline_id: int, operator_id: int, marks: dict[str, Decimal], tester: Any, at: dt.datetime | None = None,
) -> OperatorTest:
    """Score a test call; a pass grants (or refreshes) the qualification, a fail removes it."""
    at = at or timezone.now()
    hotline = Hotline.objects.select_for_update().get(pk=hotline_id)
    version, sheet = get_test_sheet(hotline, at)
    try:
        result = score_test(sheet, marks)
    except ValueError as exc:
        raise HotlineError(_("The marks are invalid: %(error)s") % {"error": exc}) from None
    test = OperatorTest.objects.create(
        hotline=hotline, operator_id=operator_id, tester=tester, spec_version=version.number,
        marks={k: str(v) for k, v in marks.items()}, score=result.score, passed=result.passed, tested_at=at,
    )
    if result.passed:
        OperatorQualification.objects.update_or_create(
            operator_id=operator_id, hotline=hotline, defaults={"passed_at": at, "score": result.score}
        )
    else:
        OperatorQualification.objects.filter(operator_id=operator_id, hotline=hotline).delete()
    record(action="hotline.operator_tested", actor=tester, target=hotline,
           data={"operator": operator_id, "score": str(result.score), "passed": result.passed})
    return test


# -- announcement audio (R-HL-1, R-HL-5) ----------------------------------------------------------


@dataclass
class AudioUnavailable(HotlineError):
    """An announcement that exists but cannot be played here (no text-to-speech engine, the
    engine failed, or its recording is gone); `detail` says why."""

    status: int = 503


def _find_message(spec: HotlineSpec, kind: MessageKind, language: str) -> Message | None:
    return next((m for m in spec.messages if m.kind == kind and m.language == language), None)


def get_recording(hotline_id: int, name: str | None) -> MessageAudio | None:
    """The stored upload a spec message names, if it belongs to the hotline and is on disk.

    The name comes from the spec, which staff can edit, so it is only ever looked up among the
    hotline's own uploads and never opened as a path.
    """
    if not name:
        return None
    stored = MessageAudio.objects.filter(hotline_id=hotline_id, file=name).first()
    if stored is None or not stored.file.storage.exists(stored.file.name):
        return None
    return stored


def get_version_message_audio(version: SpecVersion, kind: MessageKind | str, language: str) -> Path | None:
    """The file to play for the (kind, language) announcement of one spec version.

    None when the version has no such announcement; its recording when one is uploaded;
    otherwise its text spoken by the text-to-speech engine (cached). Raises `AudioUnavailable`
    (status 503) when the text cannot be spoken here.
    """
    try:
        kind = MessageKind(kind)
    except ValueError:
        return None
    message = _find_message(spec_from_dict(version.spec), kind, language)
    if message is None:
        return None
    stored = get_recording(version.hotline_id, message.audio)
    if stored is not None:
        return Path(stored.file.path)
    if message.audio and not message.text.strip():
        raise AudioUnavailable(_("The recording %(name)s of this announcement is missing.") % {"name": message.audio})
    try:
        return audio.synthesize_speech(message.text, language)
    except audio.SpeechUnavailable as exc:
        raise AudioUnavailable(str(exc)) from None


def get_message_audio(
    hotline: Hotline, kind: MessageKind | str, language: str, *, at: dt.datetime | None = None,
) -> Path | None:
    """What a caller of `hotline` hears for the (kind, language) announcement at `at` (now).

    Reads the spec version effective at `at`. Returns the path of a local WAV, MP3 or OGG file:
    the uploaded recording, else the text spoken by espeak-ng (a WAV cached under MEDIA_ROOT;
    the first call synthesises it and may take a second). Returns None when no version is in
    effect or it has no such announcement (pick another language, or play nothing). Raises
    `AudioUnavailable` (a `HotlineError`, status 503, `detail` = the reason) when the
    announcement exists but cannot be played here, e.g. espeak-ng is not installed.
    """
    version = get_effective_version(hotline.pk, at)
    if version is None:
        return None
    return get_version_message_audio(version, kind, language)


@transaction.atomic
def set_message_audio(
    *, hotline_id: int, kind: MessageKind | str, language: str, upload: Any | None, user: Any,
) -> SpecVersion:
    """Attach an uploaded recording to the (kind, language) announcement of the draft, or with
    `upload` None take the recording off (the text is spoken again).

    The recording is part of the spec the client approves, so it goes into the draft (made from
    the current spec if there is none) like any other edit. A file that is not audio or is too
    large is refused; on any refusal nothing is saved, the file included.
    """
    hotline = Hotline.objects.select_for_update().get(pk=hotline_id)
    kind = MessageKind(kind)
    _draft, spec = get_draft_or_base_spec(hotline)
    current = _find_message(spec, kind, language)
    stored: MessageAudio | None = None
    if upload is None:
        if current is None or not current.audio:
            raise HotlineError(_("This announcement has no recording to remove."))
        message = replace(current, audio=None)
    else:
        try:
            content_type = audio.check_upload(upload)
        except audio.AudioRejected as exc:
            raise HotlineError(str(exc), [{"path": "file", "code": "INVALID_AUDIO", "message": str(exc)}]) from None
        stored = MessageAudio(hotline=hotline, content_type=content_type, size=upload.size, generated=False)
        stored.file.save(f"{hotline.code}-{kind.value}-{language}{audio.EXTENSIONS[content_type]}", upload, save=False)
        message = replace(current, audio=stored.file.name) if current else Message(kind, language, "", stored.file.name)
    try:
        if stored is not None:
            stored.save()
        messages = [message if m is current else m for m in spec.messages] if current else [*spec.messages, message]
        draft = save_draft(hotline_id=hotline.pk, spec=replace(spec, messages=tuple(messages)), user=user)
        record(
            action="hotline.message_audio_set" if stored else "hotline.message_audio_removed", actor=user, target=hotline,
            data={"version": draft.number, "kind": kind.value, "language": language, "file": stored.file.name if stored else None},
        )
    except BaseException:
        # The database rolls back by itself; the file on disk does not.
        if stored is not None:
            stored.file.storage.delete(stored.file.name)
        raise
    return draft


# -- reads for the version pages ---------------------------------------------------------------


@dataclass(frozen=True)
class VersionRow:
    version: SpecVersion
    state: str


def get_version_rows(versions: list[SpecVersion], at: dt.datetime | None = None) -> list[VersionRow]:
    """Each version with its state at `at` (draft, proposed, outdated, scheduled, effective…)."""
    from calldesk.domain.hotlines import calculate_version_state

    at = at or timezone.now()
    domain = [to_domain(v) for v in versions]
    return [VersionRow(v, calculate_version_state(d, domain, at).value) for v, d in zip(versions, domain, strict=True)]


def get_diff(old: SpecVersion | None, new: SpecVersion, hotline: Hotline | None = None) -> list[Any]:
    """The changes from `old` (none: an empty spec) to `new`, for people to read (R-HL-2)."""
    from calldesk.domain.hotlines import diff_specs

    before = spec_from_dict(old.spec) if old is not None else empty_spec(hotline or new.hotline)
    return list(diff_specs(before, spec_from_dict(new.spec)).changes)
