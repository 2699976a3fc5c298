"""Production settings pass Django's deployment check with no warnings."""

from __future__ import annotations

import os
import subprocess
import sys


def test_production_settings_pass_check_deploy(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "calldesk.config.settings.production",
        "CALLDESK_SECRET_KEY": "k3#9fQz!pL0@wR7" * 4,
        "CALLDESK_ALLOWED_HOSTS": "calldesk.example.com",
        "CALLDESK_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_the_demo_secret(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "calldesk.config.settings.production", "CALLDESK_VAR_DIR": str(tmp_path)}
    env.pop("CALLDESK_SECRET_KEY", None)
    result = subprocess.run([sys.executable, "-m", "django", "check"], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "CALLDESK_SECRET_KEY" in result.stderr
