"""The simulated load `calldesk demo` runs so its queues are alive (CALLDESK_SIMULATE)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model

from calldesk.apps.calls.selectors import agent_id_of
from calldesk.apps.customers.models import CustomerPhone
from calldesk.apps.hotlines.models import Hotline
from calldesk.telephony.simulator import SimulatorSettings


def build_simulator_settings() -> SimulatorSettings:
    """Modest load: a few calls a minute per live hotline, the last N operators as virtual agents.

    The first operators (op01 ...) stay free for people at a browser, who get offers from
    the same runtime next to the virtual agents.
    """
    rate = float(settings.CALLDESK_SIMULATE_CALLS_PER_MINUTE)
    count = int(settings.CALLDESK_SIMULATE_AGENTS)
    operators = list(
        get_user_model().objects.filter(role="operator", is_active=True)
        .order_by("-username").values_list("pk", flat=True)[:count]
    )
    rates: dict[str, float] = {}
    numbers: dict[str, list[str]] = {}
    phones = list(CustomerPhone.objects.order_by("pk").values_list("number", flat=True)[:500])
    for hotline in Hotline.objects.filter(status=Hotline.Status.LIVE):
        order_desk = hotline.kind == Hotline.Kind.ORDER_DESK
        rates[hotline.code] = rate * (2 if order_desk else 1)
        if order_desk:
            numbers[hotline.code] = phones
    return SimulatorSettings(
        calls_per_minute=rates,
        agents=tuple(agent_id_of(pk) for pk in operators),
        numbers=numbers,
        talk_mean_s=float(settings.CALLDESK_SIMULATE_TALK_SECONDS),
        answer_delay_s=2.0,
        patience_mean_s=150.0,
    )
