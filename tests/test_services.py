"""The configured database, channel layer and cache really work (embedded or scaled out).

CI runs the suite a second time with DATABASE_URL and REDIS_URL set and
CALLDESK_REQUIRE_SERVICES=1; then these tests insist on PostgreSQL and Redis, so a typo in
the variables cannot silently fall back to the embedded default.
"""

from __future__ import annotations

import os
import uuid

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import connection

REQUIRED = os.environ.get("CALLDESK_REQUIRE_SERVICES") == "1"


@pytest.mark.django_db
def test_database_answers_and_is_the_expected_kind():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone()[0] == 1
    expected = "postgresql" if REQUIRED else ("postgresql" if settings.DATABASE_URL else "sqlite")
    assert connection.vendor == expected


def test_sqlite_runs_in_wal_mode_with_immediate_transactions(db):
    if connection.vendor != "sqlite":
        assert REQUIRED or settings.DATABASE_URL
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    # The test database may be in memory for some runners; on disk it must be WAL.
    assert mode in {"wal", "memory"}
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_channel_layer_delivers_a_message():
    layer = get_channel_layer()
    if REQUIRED:
        assert type(layer).__name__ == "RedisChannelLayer"
    channel = async_to_sync(layer.new_channel)()
    payload = {"type": "ping", "id": uuid.uuid4().hex}
    async_to_sync(layer.send)(channel, payload)
    assert async_to_sync(layer.receive)(channel) == payload


def test_cache_round_trip():
    if REQUIRED:
        assert "redis" in settings.CACHES["default"]["BACKEND"].lower()
    key = f"calldesk-test-{uuid.uuid4().hex}"
    cache.set(key, {"n": 1}, 30)
    assert cache.get(key) == {"n": 1}
