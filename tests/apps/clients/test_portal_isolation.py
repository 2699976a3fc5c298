"""The client portal shows a client user its own company only (R-OPS-1, R-HL-2)."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from calldesk.apps.accounts.roles import Role
from calldesk.apps.hotlines.models import SpecVersion
from tests.apps.hotlines.factories import make_version


@pytest.fixture
def portal(users, hotline_a, hotline_b):
    make_version(hotline_a, status="proposed")
    make_version(hotline_b, status="proposed")
    c = Client()
    c.force_login(users[Role.CLIENT])
    return c


OTHER_PAGES = [
    ("clients:hotline", lambda h: [h.pk]),
    ("clients:version", lambda h: [h.pk, 1]),
    ("clients:diff", lambda h: [h.pk]),
    ("clients:export", lambda h: [h.pk, 1, "docx"]),
]


@pytest.mark.parametrize(("name", "args"), OTHER_PAGES)
def test_another_clients_pages_answer_404(portal, hotline_a, hotline_b, name, args):
    # R-OPS-1: another client's id gives 404, never data.
    assert portal.get(reverse(name, args=args(hotline_a))).status_code == 200
    response = portal.get(reverse(name, args=args(hotline_b)))
    assert response.status_code == 404 and b"B line" not in response.content


@pytest.mark.parametrize("name", ["clients:approve", "clients:reject"])
def test_another_clients_version_cannot_be_decided(portal, hotline_b, name):
    # R-OPS-1, R-HL-2
    response = portal.post(reverse(name, args=[hotline_b.pk, 1]), {"comment": "нет"})
    assert response.status_code == 404
    assert SpecVersion.objects.get(hotline=hotline_b).status == "proposed"


def test_portal_lists_own_pending_versions_only(portal):
    # R-HL-2: versions waiting for approval, own company only.
    page = portal.get(reverse("clients:portal")).content.decode()
    assert "A line" in page and "B line" not in page


def test_api_is_scoped_to_the_users_company(portal, hotline_a, hotline_b):
    # R-OPS-1: every portal API endpoint refuses another client's ids.
    assert [h["id"] for h in portal.get("/api/clients/hotlines").json()] == [hotline_a.pk]
    assert portal.get(f"/api/clients/hotlines/{hotline_a.pk}/versions").status_code == 200
    for url in (f"/api/clients/hotlines/{hotline_b.pk}/versions", f"/api/clients/hotlines/{hotline_b.pk}/diff?a=0&b=1"):
        response = portal.get(url)
        assert response.status_code == 404 and "B line" not in response.content.decode()
    for action in ("approve", "reject"):
        response = portal.post(f"/api/clients/hotlines/{hotline_b.pk}/versions/1/{action}", data=json.dumps({"comment": "x"}), content_type="application/json")
        assert response.status_code == 404
    assert SpecVersion.objects.get(hotline=hotline_b).status == "proposed"


def test_api_approval_and_refusals_are_json(portal, hotline_a):
    # R-HL-2: 4xx JSON with detail; approval works.
    url = f"/api/clients/hotlines/{hotline_a.pk}/versions/1/"
    bad = portal.post(url + "approve", data=json.dumps({"effective_from": "tomorrow"}), content_type="application/json")
    assert bad.status_code == 400 and bad.json()["errors"][0]["path"] == "effective_from"
    no_reason = portal.post(url + "reject", data=json.dumps({"comment": ""}), content_type="application/json")
    assert no_reason.status_code == 409 and "Say why" in no_reason.json()["detail"]
    assert portal.post(url + "approve", data="{}", content_type="application/json").json()["status"] == "approved"
    again = portal.post(url + "approve", data="{}", content_type="application/json")
    assert again.status_code == 409 and again.json()["detail"]


def test_staff_cannot_use_the_portal_api(users, hotline_a):
    # R-OPS-1
    c = Client()
    c.force_login(users[Role.CC_HEAD])
    assert c.get("/api/clients/hotlines").status_code == 403
