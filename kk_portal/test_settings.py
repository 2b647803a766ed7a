"""Settings for the test suite: production settings with a fast hasher, no HTTPS redirect and
a memory cache each test empties (``tests/conftest.py``); the database cache that production
uses by default has its own test (``tests/kk_portal/test_settings.py``). A ``"replica"`` alias
is the test mirror of ``"default"`` (the same test database, another connection), with no
router: only the router's tests (``tests/kk_portal/test_routers.py``) send reads to it."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("CACHE_URL", "locmem://")
# Tasks run in the request that queues them; the tests of the worker switch to the database.
os.environ.setdefault("TASKS_IMMEDIATE", "true")

from kk_portal.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {  # noqa: F405
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = tempfile.mkdtemp(prefix="kk-portal-test-media-")
ALLOWED_HOSTS = ["*"]
# Static files come from the app directories during tests; no collectstatic has run, so
# WhiteNoise must not look for STATIC_ROOT (it would warn on every request).
WHITENOISE_AUTOREFRESH = True
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not SQLite's shared in-memory database: there two connections lock each other
    # out at once instead of waiting, and the tests of two taps racing need them to wait.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.mkdtemp(prefix="kk-portal-test-db-"), "test.sqlite3")
    }
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
DATABASE_ROUTERS = []
