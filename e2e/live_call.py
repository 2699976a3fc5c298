"""A live call end to end in a real browser (R-OPS-2, R-ORD-3).

Starts `calldesk serve` on demo data with the simulator (virtual agents, no random callers:
the script rings the calls itself through POST /api/calls/offer). In headless Chromium:

1. the virtual agents are busy with long calls; op01 presses Ready and gets a call with the
   customer's card before answering, answers it and transfers it to the customer's manager,
   who is logged in too and answers; the wallboard (head) shows op01 in wrap-up and the
   manager talking within a second;
2. a key account's call rings its own manager first; with that manager logged off the phone,
   the next one rings another key-account manager.

    .venv/bin/python e2e/live_call.py [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from server import CHROMIUM_ARGS, ROOT, running_server  # noqa: E402

FIND = r"""
import json, django
django.setup()
from calldesk.apps.customers.models import Customer
from calldesk.apps.calls.selectors import get_caller_attributes
out = {}
for c in Customer.objects.filter(manager__isnull=False, phones__isnull=False).select_related("type", "manager").order_by("pk")[:400]:
    phone = c.phones.first().number
    a = get_caller_attributes(phone, intent="order")
    if a.get("blocked") != "false" or a.get("new") == "true":
        continue
    kind = "key" if a.get("key") == "true" else "plain"
    if kind == "plain" and c.manager.role != "account_manager":
        continue
    out.setdefault(kind, {"phone": phone, "name": c.legal_name, "manager": c.manager.username})
    if len(out) == 2:
        break
print(json.dumps(out))
"""


SIMULATION = {
    "CALLDESK_SIMULATE": "1", "CALLDESK_SIMULATE_CALLS_PER_MINUTE": "0", "CALLDESK_SIMULATE_AGENTS": "2",
    "CALLDESK_SIMULATE_TALK_SECONDS": "3600", "CALLDESK_LANGUAGE": "en",
}


@contextlib.contextmanager
def running_server_with_callers(var_dir: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """The demo server, plus a key account and a plain customer to call from."""
    with running_server(var_dir, SIMULATION) as (base, env):
        found = json.loads(subprocess.run([sys.executable, "-c", FIND], env=env, check=True, cwd=ROOT,
                                          capture_output=True, text=True).stdout)
        yield base, found


def login(browser, base: str, username: str, path: str):
    context = browser.new_context(locale="en", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.click("button[name=language][value=en]")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo")
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    page.goto(f"{base}{path}")
    return page


def offer(head_page, base: str, number: str, intent: str = "order") -> str:
    token = head_page.evaluate("() => document.cookie.split('; ').find(c => c.startsWith('csrftoken=')).split('=')[1]")
    response = head_page.request.post(f"{base}/api/calls/offer", headers={"X-CSRFToken": token},
                                      data=json.dumps({"hotline": "order-desk", "number": number, "intent": intent}))
    assert response.status == 202, response.text()
    return str(response.json()["call_id"])


def state_of(page) -> str:
    return str(page.get_attribute("#agent-state", "data-state") or "")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import expect, sync_playwright

    results: list[tuple[str, bool, str]] = []

    def check(name: str, ok: bool, note: str = "") -> None:
        results.append((name, ok, note))
        print(f"{'ok  ' if ok else 'FAIL'} {name} {note}")

    with tempfile.TemporaryDirectory() as tmp, running_server_with_callers(Path(tmp)) as (base, found), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        plain, key = found["plain"], found["key"]
        print(f"customer {plain['name']} (manager {plain['manager']}), key account {key['name']} (manager {key['manager']})")
        head = login(browser, base, "head", "/calls/wallboard/")
        operator = login(browser, base, "op01", "/calls/desk/")
        manager = login(browser, base, plain["manager"], "/calls/desk/")
        for page in (operator, manager):
            expect(page.locator("#agent-state")).to_have_attribute("data-state", "offline", timeout=10_000)
        # The two virtual agents take the first two calls and keep them.
        for _ in range(2):
            offer(head, base, "+79030000000")
        head.wait_for_function("() => document.querySelectorAll('#wb-agents tr[data-state=talking]').length >= 2",
                               timeout=15_000)
        manager.click("[data-action=ready]")
        operator.click("[data-action=ready]")
        expect(operator.locator("#agent-state")).to_have_attribute("data-state", "ready", timeout=5_000)
        expect(manager.locator("#agent-state")).to_have_attribute("data-state", "ready", timeout=5_000)

        offer(head, base, plain["phone"])
        expect(operator.locator("#call")).to_be_visible(timeout=5_000)
        card = operator.locator("#call-card").inner_text()
        check("operator gets the call with the card before answering",
              plain["name"] in card and state_of(operator) == "reserved", f"state={state_of(operator)}")
        operator.click("[data-action=answer]")
        expect(operator.locator("#agent-state")).to_have_attribute("data-state", "talking", timeout=5_000)
        check("operator answers", True)
        operator.click("[data-action=transfer][data-to=manager]")
        started = time.monotonic()
        expect(manager.locator("#call")).to_be_visible(timeout=5_000)
        check("the customer's manager gets the transferred call with the card",
              plain["name"] in manager.locator("#call-card").inner_text())
        manager.click("[data-action=answer]")
        expect(manager.locator("#agent-state")).to_have_attribute("data-state", "talking", timeout=5_000)
        answered = time.monotonic()
        head.wait_for_function(
            """([op, mgr]) => {
                const rows = [...document.querySelectorAll('#wb-agents tr')];
                const st = (n) => (rows.find(r => r.cells[0] && r.cells[0].textContent.includes(n)) || {dataset: {}}).dataset.state;
                return ['wrap_up', 'ready'].includes(st(op)) && st(mgr) === 'talking';
            }""",
            arg=[operator_name(operator), operator_name(manager)], timeout=1_000,
        )
        shown = time.monotonic()
        check("wallboard shows the operator after the call and the manager talking within 1 s",
              shown - answered <= 1.0, f"{shown - answered:.2f} s after the answer ({shown - started:.2f} s after transfer)")
        manager.click("[data-action=end]")
        expect(manager.locator("#call")).to_be_hidden(timeout=5_000)

        # Key account: own manager first, then along the chain.
        own = manager if key["manager"] == plain["manager"] else login(browser, base, key["manager"], "/calls/desk/")
        other_name = next(n for n in ("km1", "km2", "km3") if n != key["manager"])
        other = login(browser, base, other_name, "/calls/desk/")
        for page in (own, other):
            page.click("[data-action=ready]")
            expect(page.locator("#agent-state")).to_have_attribute("data-state", "ready", timeout=10_000)
        offer(head, base, key["phone"])
        expect(own.locator("#call")).to_be_visible(timeout=5_000)
        check("a key account's call rings its own manager first",
              key["name"] in own.locator("#call-card").inner_text() and other.locator("#call").is_hidden())
        own.click("[data-action=decline]")
        expect(other.locator("#call")).to_be_visible(timeout=5_000)
        check("declined by the own manager, it rings another key-account manager", True)
        other.click("[data-action=decline]")
        own.click("[data-action=offline]")
        expect(own.locator("#agent-state")).to_have_attribute("data-state", "offline", timeout=5_000)
        other.click("[data-action=ready]")
        expect(other.locator("#agent-state")).to_have_attribute("data-state", "ready", timeout=5_000)
        offer(head, base, key["phone"])
        expect(other.locator("#call")).to_be_visible(timeout=5_000)
        check("with the own manager absent, the next call rings another key-account manager first",
              key["name"] in other.locator("#call-card").inner_text())
        browser.close()
    failed = [name for name, ok, _ in results if not ok]
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


def operator_name(page) -> str:
    return page.locator(".who").inner_text().split("·")[0].strip()


if __name__ == "__main__":
    sys.exit(main())
