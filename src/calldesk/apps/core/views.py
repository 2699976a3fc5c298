from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from calldesk.apps.accounts.permissions import role_required
from calldesk.apps.accounts.roles import HOME, Role

from . import selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect(HOME[Role(request.user.role)])


@role_required(Role.ADMIN)
def admin_home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/admin_home.html", {"counts": selectors.get_system_counts()})
