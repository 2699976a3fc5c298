"""The spec as a document to sign off and build from (R-HL-6): PDF (xhtml2pdf) and DOCX
(python-docx), from any version, in Russian or English.

The PDF embeds DejaVu Sans (bundled in static/fonts, free licence) because the PDF base
fonts have no Cyrillic glyphs.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from calldesk.apps.accounts.permissions import role_required
from calldesk.apps.accounts.roles import Role

from .models import KnowledgeEntry, SpecVersion

FONT_DIR = Path(__file__).resolve().parent.parent.parent / "static" / "fonts"
FORMATS = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
LANGUAGES = {code for code, _name in settings.LANGUAGES}


def _context(version: SpecVersion) -> dict[str, Any]:
    from .views import spec_context

    return {
        "hotline": version.hotline, "version": version, "generated": timezone.now(),
        "entries": KnowledgeEntry.objects.filter(hotline_id=version.hotline_id),
        "font_regular": (FONT_DIR / "DejaVuSans.ttf").as_posix(), "font_bold": (FONT_DIR / "DejaVuSans-Bold.ttf").as_posix(),
        **spec_context(version),
    }


def render_spec_pdf(version: SpecVersion, language: str) -> bytes:
    from xhtml2pdf import pisa

    with translation.override(language):
        html = render_to_string("hotlines/document.html", _context(version))
    out = io.BytesIO()
    result = pisa.CreatePDF(html, dest=out, encoding="utf-8")
    if result.err:
        raise RuntimeError("PDF rendering failed")
    return out.getvalue()


def render_spec_docx(version: SpecVersion, language: str) -> bytes:
    import docx

    with translation.override(language):
        ctx = _context(version)
        spec, hotline = ctx["spec"], version.hotline
        doc = docx.Document()
        doc.add_heading(_("Hotline specification: %(name)s") % {"name": hotline.name}, level=0)
        doc.add_paragraph(_("Client: %(client)s. Version %(number)d (%(status)s).") % {
            "client": hotline.client.name, "number": version.number, "status": version.get_status_display()})
        if version.effective_from:
            doc.add_paragraph(_("Takes effect: %(at)s UTC") % {"at": version.effective_from.strftime("%Y-%m-%d %H:%M")})
        doc.add_heading(_("Topics"), level=1)
        for t in spec.topics:
            doc.add_paragraph(f"{t.name} ({t.code})", style="List Bullet")
        doc.add_heading(_("Call form"), level=1)
        table = doc.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        for cell, title in zip(table.rows[0].cells, [_("Key"), _("Label"), _("Type"), _("Required"), _("Choices / rules")], strict=True):
            cell.text = str(title)
        for f in sorted(spec.fields, key=lambda f: f.order):
            rules = [*f.choices]
            if f.rules.min_value is not None:
                rules.append(f"min {f.rules.min_value}")
            if f.rules.max_value is not None:
                rules.append(f"max {f.rules.max_value}")
            if f.rules.max_length:
                rules.append(f"≤ {f.rules.max_length}")
            if f.rules.regex:
                rules.append(f.rules.regex)
            row = table.add_row().cells
            row[0].text, row[1].text, row[2].text = f.key, f.label, f.type.value
            row[3].text, row[4].text = _("Yes") if f.required else _("No"), ", ".join(rules)
        doc.add_heading(_("Working hours (%(zone)s)") % {"zone": spec.hours.time_zone}, level=1)
        for day, ranges in ctx["hours"]:
            doc.add_paragraph(f"{day}: {ranges or _('closed')}")
        for d in spec.hours.holidays:
            doc.add_paragraph(_("Holiday: %(date)s") % {"date": d.isoformat()})
        for d, ranges in ctx["exceptions"]:
            doc.add_paragraph(f"{d.isoformat()}: {ranges or _('closed')}")
        doc.add_heading(_("Announcements"), level=1)
        for m in spec.messages:
            doc.add_paragraph(f"{m.kind.value} [{m.language}]: {m.text}" + (f" ({m.audio})" if m.audio else ""))
        doc.add_paragraph(_("Planned operators: %(count)d") % {"count": spec.planned_operators})
        doc.add_heading(_("Reports to the client"), level=1)
        for r in spec.reports:
            doc.add_paragraph(f"{r.report} — {r.frequency.value}: {', '.join(r.recipients)}", style="List Bullet")
        doc.add_heading(_("Knowledge base"), level=1)
        for e in ctx["entries"]:
            doc.add_paragraph(e.question, style="List Number")
            doc.add_paragraph(e.answer)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def export_response(version: SpecVersion, fmt: str, language: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    language = language if language in LANGUAGES else translation.get_language() or settings.LANGUAGE_CODE
    body = render_spec_pdf(version, language) if fmt == "pdf" else render_spec_docx(version, language)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    name = f"{version.hotline.code}-v{version.number}-{language}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@role_required(Role.CC_HEAD, Role.ADMIN)
def staff_export(request: HttpRequest, hotline_id: int, number: int, fmt: str) -> HttpResponse:
    version = get_object_or_404(SpecVersion.objects.select_related("hotline__client"), hotline_id=hotline_id, number=number)
    return export_response(version, fmt, request.GET.get("lang", ""))
