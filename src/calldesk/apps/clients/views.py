from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from calldesk.apps.accounts.permissions import role_required
from calldesk.apps.accounts.roles import Role
from calldesk.apps.calls.selectors import get_hotline_day_stats

from .selectors import get_client_hotline, get_client_hotlines


@role_required(Role.CLIENT)
def portal(request: HttpRequest) -> HttpResponse:
    hotlines = list(get_client_hotlines(request.user))
    return render(request, "clients/portal.html", {"hotlines": hotlines, "client": request.user.client})


@role_required(Role.CLIENT)
def hotline_detail(request: HttpRequest, hotline_id: int) -> HttpResponse:
    hotline = get_client_hotline(request.user, hotline_id)
    stats = get_hotline_day_stats([hotline.pk]).get(hotline.pk)
    return render(request, "clients/hotline.html", {"hotline": hotline, "stats": stats})
