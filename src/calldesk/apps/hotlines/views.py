from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from calldesk.apps.accounts.permissions import role_required
from calldesk.apps.accounts.roles import Role
from calldesk.apps.calls.selectors import get_hotline_day_stats

from .models import Hotline


@role_required(Role.CC_HEAD, Role.ADMIN)
def hotline_list(request: HttpRequest) -> HttpResponse:
    hotlines = list(Hotline.objects.select_related("client").prefetch_related("numbers"))
    stats = get_hotline_day_stats([h.pk for h in hotlines])
    rows = [(h, stats.get(h.pk)) for h in hotlines]
    return render(request, "hotlines/list.html", {"rows": rows})
