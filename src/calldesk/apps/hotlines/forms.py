"""The structured spec editor (R-HL-1): one general form and formsets for topics, fields,
messages and reports. `SpecEditor` turns a POST into a `HotlineSpec` or form errors; the
consistency rules themselves stay in the domain (`check_spec`)."""

from __future__ import annotations

import re
from datetime import date, time
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import pgettext_lazy

from calldesk.domain.hotlines import (
    WEEKDAYS,
    CallOptions,
    DayException,
    FieldRules,
    FieldType,
    FormField,
    HotlineSpec,
    Message,
    MessageKind,
    ReportFrequency,
    ReportSubscription,
    TimeRange,
    Topic,
    WorkingHours,
)

DAY_LABELS = {
    "mon": _l("Monday"), "tue": _l("Tuesday"), "wed": _l("Wednesday"), "thu": _l("Thursday"),
    "fri": _l("Friday"), "sat": _l("Saturday"), "sun": _l("Sunday"),
}
_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def parse_ranges(text: str) -> tuple[TimeRange, ...]:
    """ "09:00-13:00, 14:00-18:00" -> ranges; an end of 24:00 means midnight."""
    ranges = []
    for part in filter(None, (p.strip() for p in re.split(r"[,;]", text or ""))):
        m = _RANGE.match(part)
        if not m:
            raise forms.ValidationError(_("%(part)s is not a time range like 09:00-18:00.") % {"part": part})
        h1, m1, h2, m2 = (int(x) for x in m.groups())
        if h2 == 24 and m2 == 0:
            h2 = 0
        if not (h1 < 24 and h2 < 24 and m1 < 60 and m2 < 60):
            raise forms.ValidationError(_("%(part)s is not a valid time of day.") % {"part": part})
        ranges.append(TimeRange(time(h1, m1), time(h2, m2)))
    return tuple(ranges)


def format_ranges(ranges: tuple[TimeRange, ...]) -> str:
    def show(t: time, end: bool) -> str:
        return "24:00" if end and t == time(0) else t.strftime("%H:%M")

    return ", ".join(f"{show(r.start, False)}-{show(r.end, True)}" for r in ranges)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class GeneralForm(forms.Form):
    time_zone = forms.CharField(label=_l("Time zone"), max_length=64)
    planned_operators = forms.IntegerField(label=_l("Planned operators"), min_value=0)
    voicemail = forms.BooleanField(label=_l("Offer voicemail"), required=False)
    callback = forms.BooleanField(label=_l("Offer a callback"), required=False)
    holidays = forms.CharField(label=_l("Holidays (one date a line, YYYY-MM-DD)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    exceptions = forms.CharField(
        label=_l("Exceptions (one a line: YYYY-MM-DD: 10:00-15:00, or YYYY-MM-DD: closed)"),
        required=False, widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in WEEKDAYS:
            self.fields[name] = forms.CharField(
                label=DAY_LABELS[name], required=False, help_text=_l("e.g. 09:00-13:00, 14:00-18:00; empty = closed")
            )

    def clean_holidays(self) -> tuple[date, ...]:
        try:
            return tuple(date.fromisoformat(line) for line in _lines(self.cleaned_data["holidays"]))
        except ValueError:
            raise forms.ValidationError(_("Write each holiday as YYYY-MM-DD.")) from None

    def clean_exceptions(self) -> tuple[DayException, ...]:
        result = []
        for line in _lines(self.cleaned_data["exceptions"]):
            day_text, _sep, rest = line.partition(":")
            try:
                day = date.fromisoformat(day_text.strip())
            except ValueError:
                raise forms.ValidationError(_("%(line)s does not start with a date YYYY-MM-DD.") % {"line": line}) from None
            rest = rest.strip()
            closed = rest.lower() in {"", "closed", "закрыто", "выходной"}
            result.append(DayException(day=day, ranges=() if closed else parse_ranges(rest)))
        return tuple(result)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in WEEKDAYS:
            if name in data:
                try:
                    data[name] = parse_ranges(data[name])
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
        return data


class RowForm(forms.Form):
    """A formset row that counts as filled in only when something was typed into it: its
    selects always send their shown value, so an untouched extra row stays an empty row."""

    def has_changed(self) -> bool:
        return any(not isinstance(self.fields[name], forms.ChoiceField) for name in self.changed_data)


class TopicForm(RowForm):
    code = forms.SlugField(label=_l("Code"), max_length=40)
    name = forms.CharField(label=_l("Topic"), max_length=200)


# Number boxes of the field rows stay narrow so the label and type columns stay readable.
_NARROW = {"style": "width: 5em"}


class FieldForm(RowForm):
    key = forms.CharField(label=_l("Key"), max_length=40)
    label = forms.CharField(label=_l("Label"), max_length=200)
    type = forms.ChoiceField(label=_l("Type"), choices=[
        (FieldType.TEXT, _l("Text")), (FieldType.NUMBER, _l("Number")), (FieldType.DATE, _l("Date")),
        (FieldType.PHONE, _l("Phone")), (FieldType.EMAIL, _l("E-mail")), (FieldType.CHOICE, _l("Choice")),
        (FieldType.MULTICHOICE, _l("Multiple choice")), (FieldType.YESNO, _l("Yes/no")),
    ], initial=FieldType.TEXT.value)
    required = forms.BooleanField(label=_l("Required"), required=False)
    choices = forms.CharField(label=_l("Choices (one a line)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    min_value = forms.DecimalField(label=_l("Min"), required=False, widget=forms.NumberInput(attrs=_NARROW))
    max_value = forms.DecimalField(label=_l("Max"), required=False, widget=forms.NumberInput(attrs=_NARROW))
    regex = forms.CharField(label=_l("Pattern"), required=False, max_length=200)
    max_length = forms.IntegerField(label=_l("Max length"), required=False, widget=forms.NumberInput(attrs=_NARROW))
    order = forms.IntegerField(label=pgettext_lazy("position in a list", "Order"), required=False, widget=forms.NumberInput(attrs=_NARROW))


class MessageForm(RowForm):
    kind = forms.ChoiceField(label=_l("Announcement"), choices=[
        (MessageKind.GREETING, _l("Greeting")), (MessageKind.CLOSED, _l("Closed hours")),
        (MessageKind.QUEUE, _l("Queue waiting")), (MessageKind.VOICEMAIL, _l("Voicemail")),
    ], initial=MessageKind.GREETING.value)
    language = forms.ChoiceField(label=_l("Language"), choices=[("ru", _l("Russian")), ("en", _l("English"))], initial="ru")
    text = forms.CharField(label=_l("Text"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    audio = forms.CharField(label=_l("Audio file"), required=False, widget=forms.HiddenInput)


class MessageAudioForm(forms.Form):
    """A recording for one announcement (R-HL-1); checked by its first bytes and its size."""

    kind = forms.ChoiceField(label=_l("Announcement"), choices=MessageForm.base_fields["kind"].choices)
    language = forms.ChoiceField(label=_l("Language"), choices=MessageForm.base_fields["language"].choices)
    file = forms.FileField(
        label=_l("Recording (WAV, MP3 or OGG)"),
        widget=forms.FileInput(attrs={"accept": "audio/wav,audio/x-wav,audio/mpeg,audio/ogg,.wav,.mp3,.ogg"}),
    )

    def clean_file(self) -> Any:
        from .audio import AudioRejected, check_upload

        upload = self.cleaned_data["file"]
        try:
            check_upload(upload)
        except AudioRejected as exc:
            raise forms.ValidationError(str(exc)) from None
        return upload


class ReportForm(RowForm):
    report = forms.CharField(label=_l("Report"), max_length=60)
    frequency = forms.ChoiceField(label=_l("How often"), choices=[
        (ReportFrequency.DAILY, _l("Daily")), (ReportFrequency.WEEKLY, _l("Weekly")), (ReportFrequency.MONTHLY, _l("Monthly")),
    ], initial=ReportFrequency.DAILY.value)
    recipients = forms.CharField(label=_l("Addresses (comma-separated)"))


TopicFormSet = forms.formset_factory(TopicForm, extra=2, can_delete=True)
FieldFormSet = forms.formset_factory(FieldForm, extra=2, can_delete=True)
# Three empty rows: a new hotline needs a greeting, a closed-hours and a queue announcement.
MessageFormSet = forms.formset_factory(MessageForm, extra=3, can_delete=True)
ReportFormSet = forms.formset_factory(ReportForm, extra=1, can_delete=True)


def spec_initial(spec: HotlineSpec) -> dict[str, Any]:
    general = {
        "time_zone": spec.hours.time_zone, "planned_operators": spec.planned_operators,
        "voicemail": spec.options.voicemail, "callback": spec.options.callback,
        "holidays": "\n".join(d.isoformat() for d in spec.hours.holidays),
        "exceptions": "\n".join(f"{e.day.isoformat()}: {format_ranges(e.ranges) or 'closed'}" for e in spec.hours.exceptions),
    }
    for name, day in zip(WEEKDAYS, spec.hours.weekly, strict=False):
        general[name] = format_ranges(day)
    return {
        "general": general,
        "topics": [{"code": t.code, "name": t.name} for t in spec.topics],
        "fields": [{
            "key": f.key, "label": f.label, "type": f.type.value, "required": f.required,
            "choices": "\n".join(f.choices), "min_value": f.rules.min_value, "max_value": f.rules.max_value,
            "regex": f.rules.regex or "", "max_length": f.rules.max_length, "order": f.order,
        } for f in spec.fields],
        "messages": [{"kind": m.kind.value, "language": m.language, "text": m.text, "audio": m.audio or ""} for m in spec.messages],
        "reports": [{"report": r.report, "frequency": r.frequency.value, "recipients": ", ".join(r.recipients)} for r in spec.reports],
    }


def _kept(formset: forms.BaseFormSet) -> list[dict[str, Any]]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


class SpecEditor:
    """All the editor's forms together; `spec()` after `is_valid()`."""

    def __init__(self, data: Any = None, *, spec: HotlineSpec | None = None) -> None:
        initial = spec_initial(spec) if spec is not None and data is None else {}
        self.general = GeneralForm(data, prefix="g", initial=initial.get("general"))
        self.topics = TopicFormSet(data, prefix="topics", initial=initial.get("topics"))
        self.fields = FieldFormSet(data, prefix="fields", initial=initial.get("fields"))
        self.messages = MessageFormSet(data, prefix="messages", initial=initial.get("messages"))
        self.reports = ReportFormSet(data, prefix="reports", initial=initial.get("reports"))

    @property
    def parts(self) -> list[Any]:
        return [self.general, self.topics, self.fields, self.messages, self.reports]

    def is_valid(self) -> bool:
        return all([p.is_valid() for p in self.parts])

    def spec(self) -> HotlineSpec:
        g = self.general.cleaned_data
        return HotlineSpec(
            hours=WorkingHours(
                time_zone=g["time_zone"].strip(),
                weekly=tuple(g[name] for name in WEEKDAYS),
                holidays=g["holidays"],
                exceptions=g["exceptions"],
            ),
            topics=tuple(Topic(code=t["code"], name=t["name"]) for t in _kept(self.topics)),
            fields=tuple(
                FormField(
                    key=f["key"].strip(), label=f["label"].strip(), type=FieldType(f["type"]), required=f["required"],
                    rules=FieldRules(
                        min_value=Decimal(f["min_value"]) if f["min_value"] is not None else None,
                        max_value=Decimal(f["max_value"]) if f["max_value"] is not None else None,
                        regex=f["regex"] or None, max_length=f["max_length"],
                    ),
                    choices=tuple(_lines(f["choices"])),
                    order=f["order"] if f["order"] is not None else i,
                )
                for i, f in enumerate(_kept(self.fields))
            ),
            messages=tuple(
                Message(kind=MessageKind(m["kind"]), language=m["language"], text=m["text"].strip(), audio=m["audio"] or None)
                for m in _kept(self.messages)
            ),
            options=CallOptions(voicemail=g["voicemail"], callback=g["callback"]),
            planned_operators=g["planned_operators"],
            reports=tuple(
                ReportSubscription(
                    report=r["report"].strip(), frequency=ReportFrequency(r["frequency"]),
                    recipients=tuple(a.strip() for a in r["recipients"].split(",") if a.strip()),
                )
                for r in _kept(self.reports)
            ),
        )


class KnowledgeEntryForm(forms.Form):
    question = forms.CharField(label=_l("Question"), max_length=500)
    answer = forms.CharField(label=_l("Answer"), widget=forms.Textarea(attrs={"rows": 4}))


class RejectForm(forms.Form):
    comment = forms.CharField(label=_l("Why is it rejected?"), widget=forms.Textarea(attrs={"rows": 3}))


class ApproveForm(forms.Form):
    effective_from = forms.DateTimeField(
        label=_l("Takes effect at (empty = now)"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )
    comment = forms.CharField(label=_l("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
