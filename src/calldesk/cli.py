"""The `calldesk` command: run the demo, serve, migrate, load data, plan and simulate.

Sub-commands that need no database (staffing, simulate) never start Django, so they answer
in milliseconds.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

DEFAULT_SETTINGS = "calldesk.config.settings.base"
PURE_COMMANDS = ("calldesk.commands.staffing", "calldesk.commands.simulate")


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    import django
    from django.conf import settings

    django.setup()
    for folder in (settings.VAR_DIR, settings.STATIC_ROOT, settings.MEDIA_ROOT, settings.EMAIL_FILE_PATH):
        os.makedirs(folder, exist_ok=True)


def _manage(*argv: str, **options: object) -> None:
    from django.core.management import call_command

    call_command(*argv, **options)


def cmd_migrate(args: argparse.Namespace) -> int:
    setup_django()
    _manage("migrate", "--no-input", verbosity=1 if args.verbose else 0)
    return 0


def cmd_compilemessages(args: argparse.Namespace) -> int:
    from calldesk.i18n import compile_catalogs

    for path in compile_catalogs():
        print(f"compiled {path}")
    return 0


class _Bar:
    """A progress bar over loading steps; tqdm draws it."""

    def __init__(self) -> None:
        from tqdm import tqdm

        self._bars: dict[str, tqdm] = {}
        self._tqdm = tqdm

    def __call__(self, label: str, n: int) -> None:
        bar = self._bars.get(label)
        if bar is None:
            bar = self._bars[label] = self._tqdm(desc=f"{label:<12}", unit=" rows", leave=True)
        bar.update(n)

    def close(self) -> None:
        for bar in self._bars.values():
            bar.close()


def cmd_loaddemo(args: argparse.Namespace) -> int:
    setup_django()
    from calldesk.apps.demo.services import is_loaded, load_demo

    if is_loaded():
        print("Demo data is already loaded (user 'head' exists); nothing to do.")
        return 0
    bar = _Bar()
    try:
        logins = load_demo(seed=args.seed, scale=args.scale, progress=bar)
    finally:
        bar.close()
    _print_logins(logins)
    return 0


def _print_logins(logins: Sequence[object]) -> None:
    from calldesk.apps.demo.services import DEMO_PASSWORD

    print(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
    for login in logins:
        print(f"  {login.username:<11} {str(login.role):<24} {login.note}")  # type: ignore[attr-defined]


def cmd_createuser(args: argparse.Namespace) -> int:
    setup_django()
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    from calldesk.apps.accounts.roles import Role
    from calldesk.apps.clients.models import ClientCompany

    if args.role not in Role.values:
        print(f"Unknown role {args.role!r}; choose one of: {', '.join(Role.values)}", file=sys.stderr)
        return 2
    client = None
    if args.client:
        client = ClientCompany.objects.filter(name=args.client).first()
        if client is None:
            print(f"No client company named {args.client!r}", file=sys.stderr)
            return 2
    user = get_user_model()(username=args.username, role=args.role, client=client, email=args.email or "")
    user.is_staff = user.is_superuser = args.role == Role.ADMIN
    password = args.password or os.environ.get("CALLDESK_PASSWORD")
    if not password:
        import getpass

        password = getpass.getpass("Password: ")
    user.set_password(password)
    try:
        user.full_clean()
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            print(f"{field}: {' '.join(errors)}", file=sys.stderr)
        return 2
    user.save()
    print(f"Created {args.role} {args.username}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    setup_django()
    import uvicorn

    uvicorn.run(
        "calldesk.config.asgi:application",
        host=args.host,
        port=args.port,
        workers=1,
        log_level="warning",
        # The lifespan starts the embedded routing runtime (ADR 0005).
        lifespan="on",
    )
    return 0


def cmd_router(args: argparse.Namespace) -> int:
    """The routing runtime alone (scaled out: fed through Redis; web processes never route)."""
    if args.simulate:
        os.environ["CALLDESK_SIMULATE"] = "1"
    setup_django()
    import asyncio

    from calldesk.runtime.router_process import run_router

    return asyncio.run(run_router(simulate_json=args.simulate_json, until_idle=args.until_idle))


def cmd_demo(args: argparse.Namespace) -> int:
    # Virtual callers and agents keep the demo's queues alive unless told otherwise.
    os.environ.setdefault("CALLDESK_SIMULATE", "0" if args.no_simulate else "1")
    setup_django()
    from calldesk.apps.demo.services import is_loaded

    cmd_compilemessages(args)
    _manage("migrate", "--no-input", verbosity=0)
    if not is_loaded():
        print("Loading demo data (first run only)…")
        args.scale, args.seed = 1, 7
        cmd_loaddemo(args)
    else:
        print("Demo data found; starting at once. Logins: head, op01, km1, manager1, saleshead, "
              "wholesale, finance, admin, client1 (password: demo).")
    print(f"\nCalldesk is running on http://{args.host}:{args.port}/  (Ctrl+C stops it)\n")
    return cmd_serve(args)


def cmd_manage(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["calldesk manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="calldesk", description="Calldesk contact-center platform")
    sub = parser.add_subparsers(dest="command", required=True)

    def add_server_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("--host", default=os.environ.get("CALLDESK_HOST", "127.0.0.1"))
        p.add_argument("--port", type=int, default=int(os.environ.get("CALLDESK_PORT", "8000")))

    p = sub.add_parser("demo", help="migrate, load demo data once, and serve")
    add_server_args(p)
    p.add_argument("--no-simulate", action="store_true",
                   help="no virtual callers and agents (CALLDESK_SIMULATE=0; load via CALLDESK_SIMULATE_*)")
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("serve", help="serve HTTP and WebSockets (uvicorn)")
    add_server_args(p)
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser("router", help="run the routing runtime alone, fed through Redis (scaled out)")
    p.add_argument("--simulate", action="store_true", help="also run virtual callers and agents")
    p.add_argument("--simulate-json", help="simulator settings as a JSON file (tests, load runs)")
    p.add_argument("--until-idle", action="store_true",
                   help="exit once the simulator's calls are all done (with max_calls)")
    p.set_defaults(func=cmd_router)
    p = sub.add_parser("migrate", help="create or update the database")
    p.add_argument("-v", "--verbose", action="store_true")
    p.set_defaults(func=cmd_migrate)
    p = sub.add_parser("compilemessages", help="build the translation catalogs")
    p.set_defaults(func=cmd_compilemessages)
    p = sub.add_parser("loaddemo", help="load deterministic demo data")
    p.add_argument("--scale", type=int, default=1, help="multiply customers and ledger (100 = 50,000 customers)")
    p.add_argument("--seed", type=int, default=7)
    p.set_defaults(func=cmd_loaddemo)
    p = sub.add_parser("createuser", help="create a user with a role")
    p.add_argument("username")
    p.add_argument("--role", required=True)
    p.add_argument("--password")
    p.add_argument("--email")
    p.add_argument("--client", help="client company name, for client users")
    p.set_defaults(func=cmd_createuser)
    p = sub.add_parser("manage", help="run a Django management command")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)
    for module_name in PURE_COMMANDS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "scale", 1) < 1:
        print("--scale must be at least 1", file=sys.stderr)
        return 2
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
