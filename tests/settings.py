"""Test settings: the production settings with test-only switches, nothing else.

`TEST_DATABASE_URL` (a PostgreSQL URL) runs the suite on PostgreSQL; without it, SQLite.
"""

import os

os.environ.setdefault("SECRET_KEY", "onestop-test-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_COOKIES", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
# seed_demo in tests: a handful of dossiers per ward (tests/demo/test_seed_dossiers.py asks for
# a year).
os.environ.setdefault("DEMO_DOSSIERS_PER_WARD", "2-4")
os.environ.pop("DATABASE_URL", None)
# Playwright drives the browser from the test thread, which runs an event loop.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from onestop.settings import *  # noqa: F403
from onestop.settings import BASE_DIR, env

if os.environ.get("TEST_DATABASE_URL"):
    DATABASES = {"default": env.db_url_config(os.environ["TEST_DATABASE_URL"])}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "test-db.sqlite3",
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
