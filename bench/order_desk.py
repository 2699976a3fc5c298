"""Order submission through the HTTP API under 16 concurrent clients, at demo and at large scale.

For each scale the script builds a fresh SQLite database in a temporary var dir (migrate +
`load_demo(scale=N)`: 1 = 500 customers; 100 = 50,000 customers and ~5 million ledger rows),
starts a real server (uvicorn, one process, as `calldesk serve` runs it) on a free 127.0.0.1
port, and drives it with 16 client threads on keep-alive connections:

* the peer baseline: a bare Django JSON endpoint (POST, parse the body, answer JSON) mounted in
  the bench's own URLconf, through the same middleware stack - the ceiling for any endpoint;
* order submission: ``POST /api/orders/`` with 1-3 lines for customers whose credit is OK
  (limits raised and stock topped up in the bench copy, so every order is accepted and each
  one pays for the full path: credit aggregates under lock, pricing, validation, stock, audit).

The last line is the summary:
    order submit p95_small=<ms> p95_large=<ms> throughput_ratio_vs_bare=<r>
(the ratio is order submissions per second over bare requests per second, both at large scale).

    .venv/bin/python bench/order_desk.py            # full size (several minutes)
    .venv/bin/python bench/order_desk.py --quick    # large scale 10 instead of 100
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CLIENTS = 16

BENCH_SETTINGS = """
from calldesk.config.settings.base import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
"""

BENCH_URLS = """
import json

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from calldesk.config.urls import urlpatterns as calldesk_urls


@csrf_exempt
def bare(request):
    payload = json.loads(request.body or b"{}")
    return JsonResponse({"ok": True, "lines": len(payload.get("lines", []))}, status=201)


urlpatterns = [path("bench/bare/", bare), *calldesk_urls]
"""


# --- building the database (runs in a subprocess with the bench settings) --------------------------


def prepare(scale: int, out: Path) -> None:
    import django

    django.setup()
    from decimal import Decimal

    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.middleware.csrf import _get_new_csrf_string
    from django.utils import timezone

    from calldesk.apps.accounts.roles import Role
    from calldesk.apps.catalog.models import Product
    from calldesk.apps.customers.models import Customer
    from calldesk.apps.demo.services import load_demo
    from calldesk.apps.orders.selectors import get_credit_status, get_earliest_delivery_date

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_demo(scale=scale, seed=7)
    loaded = time.perf_counter() - started

    rng = random.Random(11)
    ids = list(Customer.objects.exclude(type__code__in=("regional", "new")).exclude(contacts=None).values_list("id", flat=True))
    pool = []
    now = timezone.now()
    for cid in rng.sample(ids, min(len(ids), 3000)):
        customer = Customer.objects.select_related("type", "manager").get(pk=cid)
        if get_credit_status(customer, now).ok:
            pool.append({"id": cid, "person": customer.contacts.filter(may_accept_goods=True).values_list("name", flat=True).first()})
        if len(pool) >= 1000:
            break
    # Bench copy only: every order must be accepted so each one takes the whole path.
    Customer.objects.filter(pk__in=[c["id"] for c in pool]).update(credit_limit=Decimal("1000000000"))
    Product.objects.update(stock=1_000_000_000)
    products = [{"code": code, "pack": pack} for code, pack in Product.objects.filter(is_active=True, prices__isnull=False).distinct().values_list("code", "pack_size")]

    user = get_user_model().objects.create(username="bench", role=Role.OPERATOR, is_active=True)
    user.set_unusable_password()
    user.save()
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session["calldesk_last_seen"] = time.time()
    session.create()
    from calldesk.apps.customers.models import Invoice, Payment
    from calldesk.apps.orders.models import Order, OrderLine

    counts = {
        "customers": Customer.objects.count(), "invoices": Invoice.objects.count(), "payments": Payment.objects.count(),
        "orders": Order.objects.count(), "order_lines": OrderLine.objects.count(),
    }
    out.write_text(json.dumps({
        "session": session.session_key, "csrf": _get_new_csrf_string(), "customers": pool, "products": products,
        "delivery_date": get_earliest_delivery_date(timezone.now()).isoformat(), "load_seconds": round(loaded, 1),
        "counts": counts,
    }))


# --- the server and the clients ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def environment(work: Path, var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update({
        "CALLDESK_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "PYTHONPATH": os.pathsep.join([str(work), str(ROOT / "src"), env.get("PYTHONPATH", "")]),
    })
    return env


class Server:
    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "calldesk.config.asgi:application", "--host", "127.0.0.1",
             "--port", str(self.port), "--log-level", "warning", "--no-access-log", "--lifespan", "off"],
            env=env, cwd=str(ROOT),
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/api/health")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("the server did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def drive(port: int, requests: list[tuple[str, bytes, dict[str, str]]], clients: int = CLIENTS) -> tuple[list[float], float, dict[int, int]]:
    """Send the requests from `clients` threads (keep-alive); latencies in ms, wall seconds, statuses."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    cursor = iter(range(len(requests)))
    barrier = threading.Barrier(clients)

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        seen: dict[int, int] = {}
        barrier.wait()
        while True:
            with lock:
                index = next(cursor, None)
            if index is None:
                break
            path, body, headers = requests[index]
            started = time.perf_counter()
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            mine.append((time.perf_counter() - started) * 1000)
            seen[response.status] = seen.get(response.status, 0) + 1
        conn.close()
        with lock:
            latencies.extend(mine)
            for status, n in seen.items():
                statuses[status] = statuses.get(status, 0) + n

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - started, statuses


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[94]


def order_requests(data: dict[str, Any], n: int, seed: int) -> list[tuple[str, bytes, dict[str, str]]]:
    rng = random.Random(seed)
    headers = {
        "Content-Type": "application/json",
        "Cookie": f"sessionid={data['session']}; csrftoken={data['csrf']}",
        "X-CSRFToken": data["csrf"],
    }
    result = []
    for _ in range(n):
        customer = rng.choice(data["customers"])
        lines = [{"product_code": p["code"], "quantity": p["pack"] * rng.randint(1, 3)} for p in rng.sample(data["products"], rng.randint(1, 3))]
        body = {
            "customer_id": customer["id"], "lines": lines, "delivery_date": data["delivery_date"],
            "delivery_window": {"start": "09:00", "end": "13:00"}, "accepting_person": customer["person"],
        }
        result.append(("/api/orders/", json.dumps(body).encode(), headers))
    return result


def bare_requests(data: dict[str, Any], n: int) -> list[tuple[str, bytes, dict[str, str]]]:
    headers = {"Content-Type": "application/json", "Cookie": f"sessionid={data['session']}; csrftoken={data['csrf']}"}
    body = json.dumps({"lines": [{"product_code": "P00001", "quantity": 6}]}).encode()
    return [("/bench/bare/", body, headers)] * n


def run_scale(work: Path, scale: int, orders: int) -> dict[str, Any]:
    var_dir = work / f"scale-{scale}"
    var_dir.mkdir()
    env = environment(work, var_dir)
    out = var_dir / "prepared.json"
    print(f"== scale {scale}: building the database…", flush=True)
    subprocess.run([sys.executable, __file__, "--prepare", str(scale), str(out)], env=env, check=True, cwd=str(ROOT))
    data = json.loads(out.read_text())
    print(f"   loaded in {data['load_seconds']} s: {data['counts']}", flush=True)
    server = Server(env)
    try:
        drive(server.port, bare_requests(data, 200))  # warm-up
        drive(server.port, order_requests(data, 200, seed=1))
        bare_latencies, bare_wall, bare_status = drive(server.port, bare_requests(data, orders * 2))
        latencies, wall, statuses = drive(server.port, order_requests(data, orders, seed=2))
    finally:
        server.stop()
    if set(statuses) != {201}:
        raise RuntimeError(f"order submissions failed: {statuses}")
    result = {
        "scale": scale, "p95": p95(latencies), "median": statistics.median(latencies), "throughput": len(latencies) / wall,
        "bare_p95": p95(bare_latencies), "bare_throughput": len(bare_latencies) / bare_wall,
    }
    print(f"   bare JSON endpoint: {result['bare_throughput']:.0f} req/s, p95 {result['bare_p95']:.1f} ms {bare_status}")
    print(f"   order submit:       {result['throughput']:.0f} orders/s, median {result['median']:.1f} ms, "
          f"p95 {result['p95']:.1f} ms ({len(latencies)} orders, {CLIENTS} clients)", flush=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="large scale 10 (5,000 customers) instead of 100")
    parser.add_argument("--orders", type=int, default=2000, help="order submissions measured per scale")
    parser.add_argument("--keep", action="store_true", help="keep the temporary var dirs")
    parser.add_argument("--prepare", nargs=2, metavar=("SCALE", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare(int(args.prepare[0]), Path(args.prepare[1]))
        return 0
    work = Path(tempfile.mkdtemp(prefix="calldesk-bench-"))
    (work / "bench_settings.py").write_text(BENCH_SETTINGS)
    (work / "bench_urls.py").write_text(BENCH_URLS)
    try:
        small = run_scale(work, 1, args.orders)
        large = run_scale(work, 10 if args.quick else 100, args.orders)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    ratio = large["throughput"] / large["bare_throughput"]
    print(f"p95_large/p95_small={large['p95'] / small['p95']:.2f}")
    print(f"order submit p95_small={small['p95']:.1f} p95_large={large['p95']:.1f} throughput_ratio_vs_bare={ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
