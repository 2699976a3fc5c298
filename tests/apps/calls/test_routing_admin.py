"""Routing rules are edited as data in the back office, and a bad one is refused (R-ORD-3)."""

from __future__ import annotations

from calldesk.apps.calls.admin import HotlineRoutingForm
from calldesk.apps.calls.services import build_default_routing


def test_default_routing_passes_the_admin_form(hotline_a):
    form = HotlineRoutingForm(data={"hotline": hotline_a.pk, "config": _json(build_default_routing(hotline_a))})
    assert form.is_valid(), form.errors


def test_a_routing_the_router_cannot_read_is_refused_with_its_reason(hotline_a):
    config = build_default_routing(hotline_a)
    config["queues"] = [{"name": "q", "strategy": "no-such-strategy"}]
    form = HotlineRoutingForm(data={"hotline": hotline_a.pk, "config": _json(config)})
    assert not form.is_valid()
    assert form.errors["config"]


def test_admin_changelist_opens(admin_client, hotline_a):
    assert admin_client.get("/admin/calls/hotlinerouting/").status_code == 200


def _json(data):
    import json

    return json.dumps(data)
