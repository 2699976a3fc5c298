from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from calldesk.apps.accounts.permissions import role_required
from calldesk.apps.customers.selectors import find_customer_by_phone, get_receivables
from calldesk.apps.hotlines.models import Hotline

from .access import DESK_ROLES, WALLBOARD_ROLES
from .models import Call, HotlineRouting
from .selectors import get_hotline_day_stats, local_day_start

STATE_LABELS = {
    "offline": _("Offline"), "ready": _("Ready"), "reserved": _("Ringing"), "talking": _("Talking"),
    "on_hold": _("On hold"), "wrap_up": _("Wrap-up"), "break": _("Break"), "training": _("Training"),
    "outbound": _("Outbound"), "not_ready": _("Not ready"),
}


def _labels() -> dict[str, str]:
    return {k: str(v) for k, v in STATE_LABELS.items()}


def _panel_url_template() -> str:
    """The hotlines app's information panel for a call, if it is there (R-HL-3)."""
    try:
        return reverse("hotlines:call_panel", kwargs={"call_id": "00000000-0000-0000-0000-000000000000"})
    except NoReverseMatch:
        return ""


@role_required(*DESK_ROLES)
def desk(request: HttpRequest) -> HttpResponse:
    number = request.GET.get("number", "").strip()
    customer = find_customer_by_phone(number) if number else None
    receivables = get_receivables(customer.pk, timezone.localdate(), customer.grace_days) if customer else None
    context = {
        "number": number,
        "customer": customer,
        "receivables": receivables,
        "searched": bool(number),
        "recent_calls": Call.objects.filter(operator=request.user, offered_at__gte=local_day_start())
        .select_related("hotline", "customer")[:20],
        "queues": sorted({q["name"] for r in HotlineRouting.objects.all() for q in r.config.get("queues", ())}),
        "hotline_names": dict(Hotline.objects.values_list("code", "name")),
        "panel_url": _panel_url_template(),
        "state_labels": _labels(),
    }
    template = "calls/_caller_card.html" if request.htmx else "calls/desk.html"
    return render(request, template, context)


@role_required(*WALLBOARD_ROLES)
def wallboard(request: HttpRequest) -> HttpResponse:
    hotlines = list(Hotline.objects.select_related("client").exclude(status=Hotline.Status.CLOSED))
    stats = get_hotline_day_stats([h.pk for h in hotlines])
    return render(request, "calls/wallboard.html", {
        "rows": [(h, stats.get(h.pk)) for h in hotlines],
        "hotline_names": {h.code: h.name for h in hotlines},
        "state_labels": _labels(),
    })
