"""Logins and logouts are audited like any other access (R-OPS-5)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

from calldesk.apps.audit.services import record


@receiver(user_logged_in)
def on_login(sender: object, request: HttpRequest, user: object, **kwargs: object) -> None:
    record(actor=user, action="auth.login", target=user, request=request)


@receiver(user_logged_out)
def on_logout(sender: object, request: HttpRequest, user: object, **kwargs: object) -> None:
    if user is not None:
        record(actor=user, action="auth.logout", target=user, request=request)
