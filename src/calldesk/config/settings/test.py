"""Test settings: the same as the embedded default, faster hashing, a throwaway var dir.

DATABASE_URL and REDIS_URL still apply, so CI runs this very suite on PostgreSQL and Redis.
"""

from .base import *  # noqa: F403
from .base import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # An on-disk test database lets threads and subprocesses share it; pytest-django
    # names it and removes it.
    DATABASES["default"]["TEST"] = {"NAME": ""}
WHITENOISE_AUTOREFRESH = True
