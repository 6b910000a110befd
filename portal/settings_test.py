"""Fast settings for the test suite: same database engine (PostgreSQL), quicker hashing."""

import os

os.environ.setdefault("DEBUG", "1")

from portal.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"},
    "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests-fragments"},
}
# Mail goes into the outbox as in production (tests/conftest.py puts EMAIL_BACKEND back after Django's test
# set-up swaps it); the sender, run by the `deliver_mail` fixture, delivers to django.core.mail.outbox.
MAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-private"  # noqa: F405
CAPTCHA_TEST_MODE = False
# Each test thread (live server, concurrency tests) opens its own plain connection.
DATABASES["default"].get("OPTIONS", {}).pop("pool", None)  # noqa: F405
PAGE_CACHE_POLL_SECONDS = 0  # every request sees the latest content version
LOGGING["loggers"]["portal.access"]["level"] = "WARNING"  # quiet test output  # noqa: F405
# Batches of views are written by tests/conftest.py after each request, in the test's own transaction;
# tests of the background writer (and the gunicorn ones) switch it on.
STATS_FLUSH_THREAD = env_bool("STATS_FLUSH_THREAD")  # noqa: F405
