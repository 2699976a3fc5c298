"""Demo hotline specs (R-HL-1, R-HL-2)."""

import random
from datetime import date

from calldesk.apps.accounts.roles import Role
from calldesk.apps.clients.models import ClientCompany
from calldesk.apps.hotlines import knowledge, services
from calldesk.apps.hotlines.demo import load_hotline_demo
from calldesk.apps.hotlines.models import Hotline, SpecVersion
from tests.conftest import make_user


def test_demo_hotlines_get_effective_specs_and_a_pending_proposal(db):
    # R-HL-2: approved effective spec per client hotline; the launching one has a proposal.
    client = ClientCompany.objects.create(name="МедЛайн")
    live = Hotline.objects.create(client=client, code="info", name="Info", status=Hotline.Status.LIVE)
    launching = Hotline.objects.create(client=client, code="promo", name="Promo", status=Hotline.Status.LAUNCHING)
    load_hotline_demo(random.Random(1), date(2026, 11, 2))
    from datetime import UTC, datetime

    at = datetime(2026, 11, 2, 12, tzinfo=UTC)
    assert services.get_effective_version(live.pk, at).number == 1
    assert SpecVersion.objects.get(hotline=launching, number=2).status == "proposed"
    assert knowledge.search(live.pk, "доставке")
    user = make_user("c3", Role.CLIENT, client=client)
    services.approve_version(hotline_id=launching.pk, number=2, user=user, at=at)
