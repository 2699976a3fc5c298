"""End-to-end check of the staffing plan in a real browser (R-WFM-1).

Starts Calldesk with demo data plus the workforce demo (8 weeks of interval history, shift
templates) in a throw-away directory, logs in as the head of the contact center in English,
opens next week's plan for the order desk and checks that:

* the forecast and staffing charts render (inline SVG with their legends);
* a schedule is built on first open and covers every interval (no understaffed interval);
* the plan check simulates the scheduled staff;
* raising the AHT in the what-if re-renders the plan at once with more agent-hours needed,
  without a page load, and the schedule then shows understaffed intervals;
* the XLSX export downloads.

    .venv/bin/python e2e/workforce_plan.py [--screenshots] [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from server import CHROMIUM_ARGS, ROOT, running_server  # noqa: E402


def _number(text: str) -> float:
    return float(re.sub(r"[^\d.]", "", text.replace(",", "")) or "nan")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--screenshots", action="store_true")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import expect, sync_playwright

    failures: list[str] = []

    def check(ok: bool, what: str) -> None:
        print(f"{'ok  ' if ok else 'FAIL'} {what}")
        if not ok:
            failures.append(what)

    shots = ROOT / "docs" / "screenshots"
    with tempfile.TemporaryDirectory() as tmp, running_server(Path(tmp)) as (base, _env), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="en", viewport={"width": 1360, "height": 900}, accept_downloads=True)
        page = context.new_page()
        page.goto(f"{base}/accounts/login/")
        page.click("button[name=language][value=en]")
        page.fill("input[name=username]", "head")
        page.fill("input[name=password]", "demo")
        page.keyboard.press("Enter")
        page.wait_for_load_state("networkidle")

        # The menu leads to the plan; the order desk is the first live hotline.
        page.get_by_role("link", name="Staffing plan").click()
        page.wait_for_selector("#plan-body")
        check("Staffing plan" in page.title(), "plan page opens from the menu")
        check(page.locator("svg.chart[aria-label*='history and forecast']").count() == 1, "forecast chart rendered")
        check(page.locator("svg.chart[aria-label='Agents per 30 minutes']").count() == 1, "staffing chart rendered")
        started = time.perf_counter()
        page.wait_for_selector("table.wf-schedule", timeout=60_000)
        print(f"     schedule built on first open in {time.perf_counter() - started:.1f} s")
        operators = page.locator("table.wf-schedule tbody tr").count()
        check(operators > 0, f"schedule grid lists {operators} operators")
        short = page.locator(".wf-tiles .tile").nth(3).locator("b").inner_text()
        check(short.strip() == "0", f"schedule covers every interval (understaffed intervals: {short.strip()})")
        page.wait_for_selector("#check-body .tile", timeout=30_000)
        simulated = page.locator("#check-body .tile").nth(1).locator("b").inner_text()
        check("%" in simulated, f"plan check simulated the day: SL {simulated.strip()}")
        check(page.locator("svg.chart[aria-label^='Service level per interval']").count() == 1, "plan-check chart rendered")
        if args.screenshots:
            page.screenshot(path=str(shots / "workforce-plan-en.png"), full_page=True)

        needed_before = _number(page.locator(".wf-tiles .tile").nth(1).locator("b").inner_text())
        url_before = page.url
        aht = page.locator("#whatif input[name=aht]")
        old_aht = float(aht.input_value())
        with page.expect_response(lambda r: "/workforce/" in r.url and r.request.headers.get("hx-request") == "true"):
            aht.fill(str(round(old_aht * 1.5)))
        expect(page.locator(".wf-tiles .tile").nth(1).locator("b")).not_to_have_text(f"{needed_before:,.0f}")
        needed_after = _number(page.locator(".wf-tiles .tile").nth(1).locator("b").inner_text())
        check(needed_after > needed_before, f"AHT {old_aht:.0f} -> {old_aht * 1.5:.0f} s: agent-hours needed {needed_before:.0f} -> {needed_after:.0f}")
        short_after = _number(page.locator(".wf-tiles .tile").nth(3).locator("b").inner_text())
        check(short_after > 0, f"the old schedule is now short in {short_after:.0f} intervals")
        check(page.locator(".badge.warn").count() == 1, "the schedule is marked as built for other parameters")
        check(page.url != url_before and "aht=" in page.url, "the what-if is in the address (shareable, back button)")
        if args.screenshots:
            # The staffing section after the what-if: the saved schedule is now short (red).
            page.locator("section[aria-labelledby=h-staffing] svg.chart").screenshot(path=str(shots / "workforce-whatif-en.png"))

        with page.expect_download() as download:
            page.get_by_role("link", name="Export to XLSX").click()
        path = download.value.path()
        check(path is not None and Path(path).read_bytes()[:2] == b"PK", "XLSX export downloads")
        context.close()
        browser.close()
    print(f"{'FAILED: ' + '; '.join(failures) if failures else 'all checks passed'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
