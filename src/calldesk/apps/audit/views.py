from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from calldesk.apps.accounts.permissions import role_required
from calldesk.apps.accounts.roles import Role

from .selectors import get_events


@role_required(Role.CC_HEAD, Role.FINANCE, Role.ADMIN)
def event_list(request: HttpRequest) -> HttpResponse:
    filters = {k: request.GET.get(k, "").strip() for k in ("action", "target_type", "actor")}
    page = Paginator(get_events(**filters), 50).get_page(request.GET.get("page"))
    return render(request, "audit/list.html", {"page": page, "filters": filters})
