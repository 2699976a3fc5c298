"""Production settings: everything from base plus the hardening `check --deploy` asks for.

Start with CALLDESK_SECRET_KEY, CALLDESK_ALLOWED_HOSTS, DATABASE_URL and REDIS_URL set.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, env_bool

DEBUG = False
if SECRET_KEY.startswith("calldesk-embedded-demo-key") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Set CALLDESK_SECRET_KEY to a random string of 50+ characters.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("CALLDESK_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("CALLDESK_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
WHITENOISE_USE_FINDERS = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
