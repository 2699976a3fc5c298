"""Staff pages of hotlines: the list with launch status, the spec editor, versions and diff,
go-live, knowledge base, the operator's call panel, training and testing, document export."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from calldesk.apps.accounts.permissions import role_required
from calldesk.apps.accounts.roles import Role
from calldesk.apps.calls.models import Call
from calldesk.apps.calls.selectors import get_hotline_day_stats
from calldesk.domain.hotlines import FieldType, spec_from_dict

from . import audio, knowledge, services
from .forms import KnowledgeEntryForm, MessageAudioForm, SpecEditor
from .models import (
    Hotline,
    KnowledgeEntry,
    OperatorQualification,
    OperatorTest,
    SpecVersion,
    TrainingAssignment,
)

MANAGERS = (Role.CC_HEAD, Role.ADMIN)
CALL_TAKERS = (Role.OPERATOR, Role.ACCOUNT_MANAGER, Role.WHOLESALE_HEAD, Role.CC_HEAD, Role.ADMIN)


def _error(request: HttpRequest, exc: services.HotlineError) -> None:
    messages.error(request, exc.detail)
    for e in exc.errors:
        messages.error(request, f"{e.get('path') or e.get('key') or ''}: {e['message']}".lstrip(": "))


@role_required(*MANAGERS)
def hotline_list(request: HttpRequest) -> HttpResponse:
    hotlines = list(Hotline.objects.select_related("client").prefetch_related("numbers"))
    stats = get_hotline_day_stats([h.pk for h in hotlines])
    today = timezone.localdate()
    rows = [(h, stats.get(h.pk), services.get_launch_status(h, today)) for h in hotlines]
    return render(request, "hotlines/list.html", {"rows": rows, "late_count": sum(1 for r in rows if r[2].late)})


@role_required(*MANAGERS)
def hotline_detail(request: HttpRequest, hotline_id: int) -> HttpResponse:
    hotline = get_object_or_404(Hotline.objects.select_related("client"), pk=hotline_id)
    versions = services.get_versions(hotline.pk)
    return render(request, "hotlines/detail.html", {
        "hotline": hotline,
        "rows": list(reversed(services.get_version_rows(versions))),
        "launch": services.get_launch_status(hotline),
        "effective": services.get_effective_version(hotline.pk),
        "kb_count": KnowledgeEntry.objects.filter(hotline=hotline).count(),
        "qualified": OperatorQualification.objects.filter(hotline=hotline).select_related("operator"),
        "planned_operators": services.get_planned_operators(hotline),
        "tts_missing": audio.engine_missing_message() if audio.get_engine() is None else "",
    })


def _audio_rows(version: SpecVersion | None) -> list[dict[str, Any]]:
    """The announcements of `version` with where their sound comes from and a play link."""
    if version is None:
        return []
    spec = spec_from_dict(version.spec)
    rows = []
    for m in spec.messages:
        recording = services.get_recording(version.hotline_id, m.audio)
        rows.append({
            "kind": m.kind.value, "language": m.language, "text": m.text, "recording": recording,
            "missing_recording": bool(m.audio) and recording is None,
            "url": reverse("hotlines:message_audio", args=[version.hotline_id, version.number, m.kind.value, m.language]),
        })
    return rows


def _audio_context(version: SpecVersion | None) -> dict[str, Any]:
    rows = _audio_rows(version)
    engine_missing = audio.get_engine() is None
    return {
        "audio_version": version, "audio_rows": rows,
        # Only worth a warning when some announcement has nothing but text to speak.
        "tts_missing": audio.engine_missing_message() if engine_missing and any(not r["recording"] for r in rows) else "",
        "tts_engine_missing": engine_missing,
    }


def _editor_version(hotline: Hotline, draft: SpecVersion | None) -> SpecVersion | None:
    """The version whose announcements the editor shows: the draft, else the one it copies."""
    if draft is not None:
        return draft
    versions = services.get_versions(hotline.pk)
    return services.get_effective_version(hotline.pk) or (versions[-1] if versions else None)


def _render_editor(request: HttpRequest, hotline: Hotline, draft: SpecVersion | None, editor: SpecEditor, *,
                   problems: list[dict[str, Any]] | None = None, audio_form: MessageAudioForm | None = None) -> HttpResponse:
    return render(request, "hotlines/edit.html", {
        "hotline": hotline, "draft": draft, "editor": editor, "problems": problems or [],
        "audio_form": audio_form or MessageAudioForm(), "max_audio_bytes": audio.get_max_audio_bytes(),
        **_audio_context(_editor_version(hotline, draft)),
    })


@role_required(*MANAGERS)
def spec_edit(request: HttpRequest, hotline_id: int) -> HttpResponse:
    hotline = get_object_or_404(Hotline, pk=hotline_id)
    draft, spec = services.get_draft_or_base_spec(hotline)
    problems: list[dict[str, Any]] = []
    if request.method == "POST":
        editor = SpecEditor(request.POST)
        if editor.is_valid():
            try:
                draft = services.save_draft(hotline_id=hotline.pk, spec=editor.spec(), user=request.user)
            except services.HotlineError as exc:
                messages.error(request, exc.detail)
                problems = exc.errors
            else:
                messages.success(request, _("Draft version %(number)d saved.") % {"number": draft.number})
                return redirect("hotlines:version", hotline_id=hotline.pk, number=draft.number)
        else:
            messages.error(request, _("Please correct the errors below; nothing was saved."))
    else:
        editor = SpecEditor(spec=spec)
    return _render_editor(request, hotline, draft, editor, problems=problems)


@role_required(*MANAGERS)
def audio_upload(request: HttpRequest, hotline_id: int) -> HttpResponse:
    """Upload (or remove) the recording of one announcement; it lands in the draft (R-HL-1)."""
    hotline = get_object_or_404(Hotline, pk=hotline_id)
    if request.method != "POST":
        return redirect("hotlines:edit", hotline_id=hotline.pk)
    if request.POST.get("remove"):
        kind, language = request.POST.get("kind", ""), request.POST.get("language", "")
        try:
            draft = services.set_message_audio(hotline_id=hotline.pk, kind=kind, language=language, upload=None, user=request.user)
        except ValueError:
            raise Http404 from None
        except services.HotlineError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Recording removed from draft version %(number)d; the text will be spoken.") % {"number": draft.number})
        return redirect("hotlines:edit", hotline_id=hotline.pk)
    form = MessageAudioForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            draft = services.set_message_audio(
                hotline_id=hotline.pk, kind=form.cleaned_data["kind"], language=form.cleaned_data["language"],
                upload=form.cleaned_data["file"], user=request.user,
            )
        except services.HotlineError as exc:
            form.add_error(None, exc.detail)
            for e in exc.errors:
                if e.get("path") != "file":
                    form.add_error(None, f"{e.get('path') or ''}: {e['message']}".lstrip(": "))
        else:
            messages.success(request, _("Recording saved in draft version %(number)d.") % {"number": draft.number})
            return redirect("hotlines:edit", hotline_id=hotline.pk)
    messages.error(request, _("The recording was not saved."))
    draft, spec = services.get_draft_or_base_spec(hotline)
    return _render_editor(request, hotline, draft, SpecEditor(spec=spec), audio_form=form)


@role_required(*MANAGERS)
def message_audio(request: HttpRequest, hotline_id: int, number: int, kind: str, language: str) -> HttpResponse:
    """Play (or with ?download=1 download) one announcement of a version: its recording, else
    its text spoken by the text-to-speech engine; 503 with the reason when that is missing."""
    version = _version(hotline_id, number)
    try:
        path = services.get_version_message_audio(version, kind, language)
    except services.AudioUnavailable as exc:
        return HttpResponse(exc.detail, status=503, content_type="text/plain; charset=utf-8")
    if path is None:
        raise Http404
    with open(path, "rb") as head:
        content_type = audio.get_content_type(head.read(12)) or "application/octet-stream"
    name = f"{version.hotline.code}-v{version.number}-{kind}-{language}{audio.EXTENSIONS.get(content_type, '')}"
    return FileResponse(open(path, "rb"), content_type=content_type, as_attachment=bool(request.GET.get("download")), filename=name)


def _version(hotline_id: int, number: int) -> SpecVersion:
    return get_object_or_404(SpecVersion.objects.select_related("hotline", "hotline__client"), hotline_id=hotline_id, number=number)


def spec_context(version: SpecVersion) -> dict[str, Any]:
    spec = spec_from_dict(version.spec)
    from calldesk.domain.hotlines import WEEKDAYS

    from .forms import DAY_LABELS, format_ranges

    hours = [(DAY_LABELS[n], format_ranges(day)) for n, day in zip(WEEKDAYS, spec.hours.weekly, strict=False)]
    exceptions = [(e.day, format_ranges(e.ranges)) for e in spec.hours.exceptions]
    return {"spec": spec, "hours": hours, "exceptions": exceptions}


@role_required(*MANAGERS)
def version_detail(request: HttpRequest, hotline_id: int, number: int) -> HttpResponse:
    version = _version(hotline_id, number)
    versions = services.get_versions(hotline_id)
    effective = services.get_effective_version(hotline_id)
    base = effective if effective and effective.number != number else next((v for v in reversed(versions) if v.number < number), None)
    state = next(r.state for r in services.get_version_rows(versions) if r.version.number == number)
    return render(request, "hotlines/version.html", {
        "hotline": version.hotline, "version": version, "state": state, "base": base,
        "changes": services.get_diff(base, version), "versions": versions, **spec_context(version),
        **_audio_context(version),
    })


@role_required(*MANAGERS)
def version_propose(request: HttpRequest, hotline_id: int, number: int) -> HttpResponse:
    _version(hotline_id, number)
    if request.method == "POST":
        try:
            services.propose_version(hotline_id=hotline_id, number=number, user=request.user)
        except services.HotlineError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Version %(number)d was sent to the client for approval.") % {"number": number})
    return redirect("hotlines:version", hotline_id=hotline_id, number=number)


def diff_page(request: HttpRequest, versions: list[SpecVersion], hotline: Hotline, template: str, extra: dict[str, Any]) -> HttpResponse:
    by_number = {v.number: v for v in versions}
    try:
        a = int(request.GET.get("a", "0") or 0)
        b = int(request.GET.get("b", "0") or 0)
    except ValueError:
        a = b = 0
    new = by_number.get(b) or (versions[-1] if versions else None)
    old = by_number.get(a)
    if old is None and new is not None:
        old = next((v for v in reversed(versions) if v.number < new.number), None)
    changes = services.get_diff(old, new, hotline) if new else []
    return render(request, template, {"hotline": hotline, "versions": versions, "old": old, "new": new, "changes": changes, **extra})


@role_required(*MANAGERS)
def version_diff(request: HttpRequest, hotline_id: int) -> HttpResponse:
    hotline = get_object_or_404(Hotline, pk=hotline_id)
    return diff_page(request, services.get_versions(hotline_id), hotline, "hotlines/diff.html", {"base_template": "hotlines/diff.html"})


@role_required(*MANAGERS)
def go_live(request: HttpRequest, hotline_id: int) -> HttpResponse:
    get_object_or_404(Hotline, pk=hotline_id)
    if request.method == "POST":
        try:
            services.go_live(hotline_id=hotline_id, user=request.user)
        except services.HotlineError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("The hotline is live."))
    return redirect("hotlines:detail", hotline_id=hotline_id)


# -- knowledge base ----------------------------------------------------------------------------


@role_required(*MANAGERS)
def kb_list(request: HttpRequest, hotline_id: int) -> HttpResponse:
    hotline = get_object_or_404(Hotline, pk=hotline_id)
    form = KnowledgeEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_knowledge_entry(hotline_id=hotline.pk, user=request.user, **form.cleaned_data)
        except services.HotlineError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Entry added."))
            return redirect("hotlines:kb", hotline_id=hotline.pk)
    entries = KnowledgeEntry.objects.filter(hotline=hotline)
    return render(request, "hotlines/kb.html", {"hotline": hotline, "entries": entries, "form": form})


@role_required(*MANAGERS)
def kb_edit(request: HttpRequest, hotline_id: int, entry_id: int) -> HttpResponse:
    entry = get_object_or_404(KnowledgeEntry.objects.select_related("hotline"), pk=entry_id, hotline_id=hotline_id)
    if request.method == "POST" and request.POST.get("delete"):
        services.delete_knowledge_entry(hotline_id=hotline_id, entry_id=entry.pk, user=request.user)
        messages.success(request, _("Entry deleted."))
        return redirect("hotlines:kb", hotline_id=hotline_id)
    form = KnowledgeEntryForm(request.POST or None, initial={"question": entry.question, "answer": entry.answer})
    if request.method == "POST" and form.is_valid():
        services.save_knowledge_entry(hotline_id=hotline_id, entry_id=entry.pk, user=request.user, **form.cleaned_data)
        messages.success(request, _("Entry saved."))
        return redirect("hotlines:kb", hotline_id=hotline_id)
    return render(request, "hotlines/kb_edit.html", {"hotline": entry.hotline, "entry": entry, "form": form})


@role_required(*CALL_TAKERS)
def kb_search(request: HttpRequest, hotline_id: int) -> HttpResponse:
    hotline = get_object_or_404(Hotline, pk=hotline_id)
    query = request.GET.get("q", "").strip()[:200]
    results = knowledge.search(hotline.pk, query) if query else []
    return render(request, "hotlines/_kb_results.html", {"hotline": hotline, "query": query, "results": results})


# -- the operator's call panel (included by the calls screen) ------------------------------------


def _panel_context(call: Call, values: dict[str, Any] | None = None, errors: list[dict[str, Any]] | None = None,
                   topic: str | None = None, saved: bool = False) -> dict[str, Any]:
    version = services.get_call_spec(call)
    spec = spec_from_dict(version.spec) if version else None
    values = values if values is not None else dict(call.form_data or {})
    error_by_key: dict[str, list[str]] = {}
    for e in errors or []:
        error_by_key.setdefault(e.get("key", ""), []).append(e["message"])
    fields = []
    if spec is not None:
        for f in sorted(spec.fields, key=lambda f: f.order):
            value = values.get(f.key)
            fields.append({
                "key": f.key, "label": f.label or f.key, "type": f.type.value, "required": f.required,
                "choices": f.choices, "errors": error_by_key.get(f.key, []),
                "value": "" if value is None else value,
                "selected": list(value) if isinstance(value, list | tuple) else [value] if value not in (None, "") else [],
                "input_type": {FieldType.NUMBER: "number", FieldType.DATE: "date", FieldType.PHONE: "tel", FieldType.EMAIL: "email"}.get(f.type, "text"),
            })
    return {
        "call": call, "hotline": call.hotline, "version": version, "spec": spec, "fields": fields,
        "topic": call.topic if topic is None else topic, "topic_errors": error_by_key.get("topic", []),
        "saved": saved, "has_errors": bool(errors),
    }


@role_required(*CALL_TAKERS)
def call_panel(request: HttpRequest, call_id: Any) -> HttpResponse:
    call = get_object_or_404(Call.objects.select_related("hotline"), pk=call_id)
    is_manager = request.user.role in MANAGERS  # type: ignore[union-attr]
    if call.operator_id and call.operator_id != request.user.pk and not is_manager:
        raise PermissionDenied
    if request.method == "POST":
        data = request.POST
        version = services.get_call_spec(call)
        spec = spec_from_dict(version.spec) if version else None
        values: dict[str, Any] = {}
        for f in spec.fields if spec else ():
            values[f.key] = data.getlist(f.key) if f.type == FieldType.MULTICHOICE else data.get(f.key, "")
        topic = data.get("topic", "")
        try:
            call = services.save_call_form(call_id=call.pk, values=values, topic=topic, user=request.user)
        except services.HotlineError as exc:
            context = _panel_context(call, values, exc.errors or [{"key": "", "message": exc.detail}], topic)
            # 200 so htmx swaps the panel in with the errors shown next to their fields.
            return render(request, "hotlines/_call_panel.html", {**context, "detail": exc.detail})
        return render(request, "hotlines/_call_panel.html", _panel_context(call, saved=True))
    return render(request, "hotlines/_call_panel.html", _panel_context(call))


# -- training and testing ------------------------------------------------------------------------


@role_required(*MANAGERS)
def training(request: HttpRequest, hotline_id: int) -> HttpResponse:
    hotline = get_object_or_404(Hotline, pk=hotline_id)
    operators = get_user_model().objects.filter(role=Role.OPERATOR, is_active=True).order_by("last_name", "username")
    if request.method == "POST":
        ids = [int(x) for x in request.POST.getlist("operators") if x.isdigit()]
        valid = set(operators.filter(pk__in=ids).values_list("pk", flat=True))
        count = services.assign_training(hotline_id=hotline.pk, operator_ids=sorted(valid), user=request.user)
        messages.success(request, _("%(count)d operator(s) assigned.") % {"count": count})
        return redirect("hotlines:training", hotline_id=hotline.pk)
    return render(request, "hotlines/training.html", {
        "hotline": hotline, "operators": operators,
        "assignments": TrainingAssignment.objects.filter(hotline=hotline).select_related("operator"),
        "tests": OperatorTest.objects.filter(hotline=hotline).select_related("operator")[:50],
        "qualified": OperatorQualification.objects.filter(hotline=hotline).select_related("operator"),
    })


@role_required(*CALL_TAKERS)
def my_training(request: HttpRequest) -> HttpResponse:
    assignments = TrainingAssignment.objects.filter(operator=request.user).select_related("hotline")
    if request.method == "POST":
        try:
            services.mark_training_done(assignment_id=int(request.POST.get("assignment", "0")), user=request.user)
        except (TrainingAssignment.DoesNotExist, ValueError):
            raise Http404 from None
        messages.success(request, _("Marked as done."))
        return redirect("hotlines:my_training")
    materials = {a.hotline_id: KnowledgeEntry.objects.filter(hotline_id=a.hotline_id) for a in assignments}
    return render(request, "hotlines/my_training.html", {"rows": [(a, materials[a.hotline_id]) for a in assignments]})


@role_required(Role.CC_HEAD)
def operator_test(request: HttpRequest, hotline_id: int) -> HttpResponse:
    hotline = get_object_or_404(Hotline, pk=hotline_id)
    operators = get_user_model().objects.filter(role=Role.OPERATOR, is_active=True).order_by("last_name", "username")
    try:
        version, sheet = services.get_test_sheet(hotline)
    except services.HotlineError as exc:
        _error(request, exc)
        return redirect("hotlines:detail", hotline_id=hotline.pk)
    if request.method == "POST":
        try:
            operator_id = int(request.POST.get("operator", ""))
            operators.get(pk=operator_id)
            marks = {c.code: Decimal(request.POST.get(f"mark_{c.code}", "0") or "0") for c in sheet.criteria}
        except (ValueError, InvalidOperation, get_user_model().DoesNotExist):
            messages.error(request, _("Choose an operator and give each criterion a mark from 0 to 1."))
        else:
            try:
                test = services.record_operator_test(hotline_id=hotline.pk, operator_id=operator_id, marks=marks, tester=request.user)
            except services.HotlineError as exc:
                _error(request, exc)
            else:
                if test.passed:
                    messages.success(request, _("Passed with %(score)s%%: the operator is qualified for this hotline.") % {"score": test.score})
                else:
                    messages.warning(request, _("Not passed (%(score)s%%): the operator is not qualified.") % {"score": test.score})
                return redirect("hotlines:training", hotline_id=hotline.pk)
    return render(request, "hotlines/test.html", {"hotline": hotline, "version": version, "sheet": sheet, "operators": operators})
