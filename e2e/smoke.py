"""End-to-end smoke test in a real browser (headless Chromium driven by Playwright).

Starts Calldesk with demo data in a throw-away directory, logs in as every demo role in
Russian and in English, checks each lands on its own home screen, and that a client user
cannot reach staff pages (403) or another client's hotline (404). With --screenshots it
saves PNGs into docs/screenshots/.

    .venv/bin/python e2e/smoke.py [--screenshots] [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from server import CHROMIUM_ARGS, ROOT, running_server

# login -> (home path, a Russian text, the same text in English)
ROLES = {
    "op01": ("/calls/desk/", "Пульт оператора", "Call desk"),
    "km1": ("/orders/mine/", "Заказы моих клиентов", "My customers' orders"),
    "saleshead": ("/customers/sales/", "Клиенты без менеджера", "Customers waiting for a manager"),
    "wholesale": ("/customers/sales/", "Клиенты без менеджера", "Customers waiting for a manager"),
    "head": ("/calls/wallboard/", "Табло", "Wallboard"),
    "finance": ("/customers/receivables/", "Просроченная дебиторская задолженность", "Overdue receivables"),
    "admin": ("/administration/", "Администрирование", "Administration"),
    "client1": ("/portal/", "горячие линии", "hotlines"),
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--screenshots", action="store_true")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    failures: list[str] = []
    shots = ROOT / "docs" / "screenshots"
    with tempfile.TemporaryDirectory() as tmp, running_server(Path(tmp)) as (base, _env), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        for login, (home, ru_text, en_text) in ROLES.items():
            for language, text in (("ru", ru_text), ("en", en_text)):
                context = browser.new_context(locale=language, viewport={"width": 1280, "height": 800})
                page = context.new_page()
                page.goto(f"{base}/accounts/login/")
                page.click(f"button[name=language][value={language}]")
                page.fill("input[name=username]", login)
                page.fill("input[name=password]", "demo")
                page.keyboard.press("Enter")
                page.wait_for_load_state("networkidle")
                ok = page.url.endswith(home) and text in page.content()
                print(f"{'ok  ' if ok else 'FAIL'} {login:<10} {language} -> {page.url.removeprefix(base)}")
                if not ok:
                    failures.append(f"{login}/{language}: {page.url}")
                if args.screenshots:
                    page.screenshot(path=str(shots / f"{login}-{language}.png"), full_page=False)
                if login == "client1":
                    staff_page = page.goto(f"{base}/customers/")
                    other = page.goto(f"{base}/portal/hotlines/3/")
                    own = page.goto(f"{base}/portal/hotlines/1/")
                    isolation = (staff_page.status, other.status, own.status)
                    print(f"     client1 staff page / other client's hotline / own hotline: {isolation}")
                    if isolation != (403, 404, 200):
                        failures.append(f"client isolation {isolation}")
                context.close()
        browser.close()
    if args.screenshots:
        for name in ("head-en", "head-ru"):
            src = shots / f"{name}.png"
            if src.exists():
                src.replace(shots / f"wallboard-{name.split('-')[1]}.png")
    print(f"{len(ROLES) * 2 - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
