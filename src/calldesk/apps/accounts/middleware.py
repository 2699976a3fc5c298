"""Idle expiry for staff sessions: a screen left alone for too long logs its user out."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

_KEY = "calldesk_last_seen"
_REFRESH_SECONDS = 60


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "is_staff_role", False):
            now = time.time()
            last = request.session.get(_KEY)
            if last is not None and now - float(last) > settings.CALLDESK_STAFF_IDLE_SECONDS:
                logout(request)
            elif last is None or now - float(last) > min(_REFRESH_SECONDS, settings.CALLDESK_STAFF_IDLE_SECONDS / 4):
                # Writing the session on every request would serialise all requests on the
                # session row; a minute's precision is plenty for a 30-minute idle limit.
                request.session[_KEY] = now
        return self.get_response(request)


class UserTimezoneMiddleware:
    """Show times in the user's zone; storage stays UTC."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        from django.utils import timezone

        user = getattr(request, "user", None)
        name = (getattr(user, "time_zone", "") if user is not None else "") or settings.CALLDESK_DEFAULT_USER_TIME_ZONE
        try:
            timezone.activate(ZoneInfo(name))
        except (ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        return self.get_response(request)
