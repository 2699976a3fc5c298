"""Starting Calldesk with demo data in a throw-away directory, for the browser scripts."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CALLDESK = [sys.executable, "-m", "calldesk.cli"]
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def running_server(var_dir: Path, extra_env: dict[str, str] | None = None) -> Iterator[tuple[str, dict[str, str]]]:
    """Migrate, load the demo and serve on a free port; yields the base URL and the environment."""
    env = {
        **os.environ,
        "CALLDESK_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "calldesk.config.settings.base",
        **(extra_env or {}),
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    subprocess.run([*CALLDESK, "migrate"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    subprocess.run([*CALLDESK, "loaddemo"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen([*CALLDESK, "serve", "--port", str(port)], env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"{base}/api/health", timeout=1)
                break
            time.sleep(0.1)
        yield base, env
    finally:
        server.terminate()
        server.wait(timeout=10)
