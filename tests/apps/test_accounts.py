"""Login, lockout, idle expiry and the user's language (R-OPS-1, R-OPS-4)."""

from __future__ import annotations

import time

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from calldesk.apps.accounts.models import User
from calldesk.apps.accounts.roles import Role
from calldesk.apps.audit.models import AuditEvent

from ..conftest import PASSWORD


def login(client: Client, username: str, password: str):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_lands_on_role_home_and_is_audited(users):
    client = Client()
    response = login(client, "user_operator", PASSWORD)
    assert response.status_code == 302
    assert client.get(response["Location"], follow=True).redirect_chain[-1][0] == reverse("calls:desk")
    assert AuditEvent.objects.filter(action="auth.login", actor=users[Role.OPERATOR]).count() == 1


def test_wrong_password_shows_a_message(users):
    response = login(Client(), "user_operator", "nope")
    assert response.status_code == 200
    assert "error" in response.content.decode()


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failed_logins_lock_the_account(users):
    client = Client()
    for _ in range(3):
        login(client, "user_operator", "wrong")
    locked = login(client, "user_operator", PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(CALLDESK_STAFF_IDLE_SECONDS=60)
def test_idle_staff_session_expires(users, monkeypatch):
    client = Client()
    login(client, "user_operator", PASSWORD)
    assert client.get(reverse("calls:desk")).status_code == 200
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 120)
    response = client.get(reverse("calls:desk"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@override_settings(CALLDESK_STAFF_IDLE_SECONDS=60)
def test_active_staff_stay_logged_in(users, monkeypatch):
    # The last-seen mark is refreshed at most every quarter of the limit, never so rarely
    # that a user who keeps working is logged out.
    client = Client()
    login(client, "user_operator", PASSWORD)
    real = time.time
    for step in range(1, 8):
        monkeypatch.setattr(time, "time", lambda step=step: real() + 40 * step)
        assert client.get(reverse("calls:desk")).status_code == 200


@override_settings(CALLDESK_STAFF_IDLE_SECONDS=60)
def test_client_portal_session_is_not_cut_by_staff_idle_rule(users, hotline_a):
    client = Client()
    login(client, "user_client", PASSWORD)
    real = time.time
    import calldesk.apps.accounts.middleware as mw

    mw.time.time = lambda: real() + 120  # type: ignore[attr-defined]
    try:
        assert client.get(reverse("clients:portal")).status_code == 200
    finally:
        mw.time.time = real  # type: ignore[attr-defined]


def test_client_user_needs_a_company(db):
    user = User(username="c", role=Role.CLIENT)
    with pytest.raises(ValidationError):
        user.full_clean()


def test_staff_user_cannot_belong_to_a_client_company(client_a):
    user = User(username="s", role=Role.OPERATOR, client=client_a)
    with pytest.raises(ValidationError):
        user.full_clean()


@pytest.mark.parametrize(("language", "expected"), [("ru", "Журнал аудита"), ("en", "Audit log")])
def test_pages_speak_the_chosen_language(users, language, expected):
    # R-OPS-4
    client = Client()
    client.force_login(users[Role.CC_HEAD])
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    assert expected in client.get(reverse("audit:list")).content.decode()


def test_saved_language_is_applied_at_login(users):
    user = users[Role.FINANCE]
    user.language = "en"
    user.save()
    client = Client()
    login(client, user.username, PASSWORD)
    assert "Overdue receivables" in client.get(reverse("customers:finance_home")).content.decode()
