"""The client portal (R-OPS-1, R-HL-2): a client user's own hotlines, the spec versions waiting
for its approval, the diff, the history. Every read goes through `selectors`, scoped to the
user's company."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from calldesk.apps.accounts.permissions import role_required
from calldesk.apps.accounts.roles import Role
from calldesk.apps.calls.selectors import get_hotline_day_stats
from calldesk.apps.hotlines import services
from calldesk.apps.hotlines.documents import export_response
from calldesk.apps.hotlines.forms import ApproveForm, RejectForm
from calldesk.apps.hotlines.views import diff_page, spec_context

from .selectors import (
    get_client_hotline,
    get_client_hotlines,
    get_client_pending_versions,
    get_client_version,
    get_client_versions,
)


@role_required(Role.CLIENT)
def portal(request: HttpRequest) -> HttpResponse:
    hotlines = list(get_client_hotlines(request.user).prefetch_related("numbers"))
    return render(request, "clients/portal.html", {
        "hotlines": hotlines, "client": request.user.client, "pending": get_client_pending_versions(request.user),
    })


@role_required(Role.CLIENT)
def hotline_detail(request: HttpRequest, hotline_id: int) -> HttpResponse:
    hotline = get_client_hotline(request.user, hotline_id)
    stats = get_hotline_day_stats([hotline.pk]).get(hotline.pk)
    versions = list(reversed(get_client_versions(request.user, hotline.pk)))
    return render(request, "clients/hotline.html", {
        "hotline": hotline, "stats": stats, "rows": list(reversed(services.get_version_rows(versions))),
        # The approved spec's count, as on the staff pages; the hotline's own is only a first estimate.
        "planned_operators": services.get_planned_operators(hotline),
    })


@role_required(Role.CLIENT)
def version_detail(request: HttpRequest, hotline_id: int, number: int) -> HttpResponse:
    version = get_client_version(request.user, hotline_id, number)
    versions = list(reversed(get_client_versions(request.user, hotline_id)))
    effective = services.get_effective_version(hotline_id)
    base = effective if effective and effective.number != number else next((v for v in reversed(versions) if v.number < number), None)
    state = next(r.state for r in services.get_version_rows(versions) if r.version.number == number)
    return render(request, "clients/version.html", {
        "hotline": version.hotline, "version": version, "state": state, "base": base,
        "changes": services.get_diff(base, version), "approve_form": ApproveForm(), "reject_form": RejectForm(),
        **spec_context(version),
    })


@role_required(Role.CLIENT)
def version_approve(request: HttpRequest, hotline_id: int, number: int) -> HttpResponse:
    get_client_version(request.user, hotline_id, number)
    if request.method == "POST":
        form = ApproveForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Enter a valid date and time."))
        else:
            try:
                services.approve_version(
                    hotline_id=hotline_id, number=number, user=request.user, at=timezone.now(),
                    effective_from=form.cleaned_data["effective_from"], comment=form.cleaned_data["comment"],
                )
            except services.HotlineError as exc:
                messages.error(request, exc.detail)
            else:
                messages.success(request, _("Version %(number)d approved.") % {"number": number})
    return redirect("clients:version", hotline_id=hotline_id, number=number)


@role_required(Role.CLIENT)
def version_reject(request: HttpRequest, hotline_id: int, number: int) -> HttpResponse:
    get_client_version(request.user, hotline_id, number)
    if request.method == "POST":
        try:
            services.reject_version(hotline_id=hotline_id, number=number, user=request.user, comment=request.POST.get("comment", ""))
        except services.HotlineError as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, _("Version %(number)d rejected.") % {"number": number})
    return redirect("clients:version", hotline_id=hotline_id, number=number)


@role_required(Role.CLIENT)
def version_diff(request: HttpRequest, hotline_id: int) -> HttpResponse:
    hotline = get_client_hotline(request.user, hotline_id)
    versions = list(reversed(get_client_versions(request.user, hotline.pk)))
    return diff_page(request, versions, hotline, "clients/diff.html", {})


@role_required(Role.CLIENT)
def version_export(request: HttpRequest, hotline_id: int, number: int, fmt: str) -> HttpResponse:
    version = get_client_version(request.user, hotline_id, number)
    return export_response(version, fmt, request.GET.get("lang", ""))
