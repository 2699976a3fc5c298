"""Test settings: the same as the embedded default, faster hashing, a throwaway var dir.

DATABASE_URL and REDIS_URL still apply, so CI runs this very suite on PostgreSQL and Redis.
"""

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # An on-disk test database (WAL, like production) lets threads share it, so the
    # concurrency tests run on SQLite too; pytest-django adds a per-worker suffix.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-calldesk.sqlite3")}
    VAR_DIR.mkdir(parents=True, exist_ok=True)
WHITENOISE_AUTOREFRESH = True
# Tests read English unless they switch language themselves; the demo defaults to Russian.
LANGUAGE_CODE = "en"
