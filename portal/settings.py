"""Settings of the portal, read from the environment (12-factor).

Development (`make run`) sets DEBUG=1; with DEBUG off, the values a production
server needs (SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS) must be given or the
process refuses to start.
"""

import os
import shutil
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.deploy import deploy_version

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def refuse_placeholder(name, value):
    """Production never runs with the example value of .env.example (copied without being changed)."""
    example = BASE_DIR / ".env.example"
    lines = example.read_text("utf-8").splitlines() if example.exists() else []
    placeholders = {line.partition("=")[2].strip().strip('"') for line in lines if line.startswith(f"{name}=")}
    if value in placeholders:
        raise ImproperlyConfigured(
            f"{name} is the example value of .env.example: set a random one "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )


def require(name):
    value = env(name)
    if not value:
        raise ImproperlyConfigured(f"Missing environment variable {name} (required when DEBUG is off).")
    return value


DEBUG = env_bool("DEBUG")

if DEBUG:
    # A development secret lives outside the repo, made once per checkout.
    SECRET_KEY = env("SECRET_KEY") or ""
    if not SECRET_KEY:
        secret_file = BASE_DIR / "var" / "dev-secret-key"
        if not secret_file.exists():
            from django.core.management.utils import get_random_secret_key

            secret_file.parent.mkdir(exist_ok=True)
            secret_file.write_text(get_random_secret_key())
        SECRET_KEY = secret_file.read_text().strip()
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
else:
    SECRET_KEY = require("SECRET_KEY")
    refuse_placeholder("SECRET_KEY", SECRET_KEY)
    require("DATABASE_URL")  # the production wording, before the general check below
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Missing environment variable ALLOWED_HOSTS (required when DEBUG is off).")

SITE_NAME = env("SITE_NAME", "Sở Khoa học và Công nghệ")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "portal.admin_apps.PortalAdminConfig",  # django.contrib.admin with the portal's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_ckeditor_5",
    "imagekit",
    "captcha",
    "csp",
    "portal.apps_thirdparty.AxesConfig",  # django-axes, named in Vietnamese
    "django_otp",
    "portal.apps_thirdparty.TOTPConfig",  # django_otp.plugins.otp_totp, in Vietnamese
    "reversion",  # django-reversion: every saved version of articles, documents, procedures, pages (core/revisions.py)
    "core",
    "portal",
    "audit",
    "news",
    "feedback",
    "stats",
    "documents",
    "pages",
    "rating",
    "agenda",
    "consultation",
    "navigation",
    "gallery",
]

MIDDLEWARE = [
    "portal.middleware.RequestLogMiddleware",
    # An anonymous GET that the page cache answers is answered here, keeping every promise of the layers
    # below (security headers, counting, live numbers, ETag/304) without walking them (docs/performance.md,
    # "Lean cache-hit path"). Everything else goes on down.
    "portal.middleware_cachehit.CacheHitMiddleware",
    "portal.middleware.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Counts views and fills in live numbers on every page, cached or not: keep it above any page cache.
    "stats.middleware.StatsMiddleware",
    "core.pagecache.PageCacheMiddleware",
    # A cache miss of a reader reads from the replica when there is one (portal/dbrouter.py).
    "portal.dbrouter.ReplicaMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language from the URL (i18n_patterns with prefix_default_language=False in portal/urls.py): English
    # under /en/, Vietnamese everywhere else whatever the browser's Accept-Language or a cookie says. Below
    # the page cache, which holds only Vietnamese pages (a hit costs nothing more), and above CommonMiddleware,
    # which resolves URLs (APPEND_SLASH) in the request's language, as Django's docs ask.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A GET that ends in 404 at a known old address (an imported article, a moved page) is redirected instead.
    "core.redirects.RedirectMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A staff member's workflow notices ("Trả lại", "Đã xuất bản"), kept in PostgreSQL, shown on their next admin page.
    "core.workflow.middleware.NoticeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page (portal.auth).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",  # LANGUAGE_CODE: the page's language (LocaleMiddleware)
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
            ],
        },
    },
]

# Database: PostgreSQL only. Django's own psycopg 3 connection pool keeps
# connections warm in each worker (DATABASES OPTIONS "pool").
if not env("DATABASE_URL"):
    # No silent default: a guessed address would reach whatever server happens to listen there.
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Run commands through make (make run, make test, "
        'make manage ARGS="…"), which starts the private PostgreSQL, or set DATABASE_URL.'
    )
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL"),
        conn_max_age=0,
        # Django's backend, checking a pooled connection only after it sat idle (portal/db/base.py),
        # so the site recovers by itself after a database restart without a round trip per request.
        engine="portal.db",
    )
}
DB_POOL_RECONNECT_TIMEOUT = float(env("DB_POOL_RECONNECT_TIMEOUT", "6"))
if not env_bool("DB_POOL_DISABLED"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        pool={
            "min_size": int(env("DB_POOL_MIN", "1")),
            "max_size": int(env("DB_POOL_MAX", "8")),
            # A reader waits at most this long for a connection when the database is away (then: 503 page).
            "timeout": float(env("DB_POOL_TIMEOUT", "3")),
            # psycopg_pool retries a lost connection after 1, 2, 4, 8, 16… s: after a 30 s outage a worker
            # could wait half a minute more before trying. It gives up after this long instead, and the
            # next reader's request starts a fresh attempt at once (measured by make chaos).
            "reconnect_timeout": DB_POOL_RECONNECT_TIMEOUT,
        },
        pool_check_idle=float(env("DB_POOL_CHECK_IDLE", "1")),
    )
# After a failed connection no request of this process tries the database again for this many seconds:
# they fail at once (503 page, cached pages, /healthz 503) instead of each waiting for a timeout
# (portal/db/base.py, ConnectionBackOff). libpq gives up on an unanswered connection after connect_timeout.
DB_BACKOFF_SECONDS = float(env("DB_BACKOFF_SECONDS", "5"))
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", int(env("DB_CONNECT_TIMEOUT", "3")))
# Optional streaming replica: readers' reads of published content go there, everything else to the
# primary; a replica down or lagging is skipped (portal/dbrouter.py, docs/deploy.md "PostgreSQL").
DATABASE_ROUTERS = ["portal.dbrouter.ReplicaRouter"]
DATABASE_REPLICA_APPS = {"news", "documents", "pages", "feedback", "rating"}
REPLICA_MAX_LAG_SECONDS = float(env("REPLICA_MAX_LAG_SECONDS", "5"))
REPLICA_CHECK_SECONDS = float(env("REPLICA_CHECK_SECONDS", "2"))
REPLICA_STICKY_SECONDS = int(env("REPLICA_STICKY_SECONDS", "15"))
if env("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(env("DATABASE_REPLICA_URL"), conn_max_age=0, engine="portal.db")
    DATABASES["replica"]["OPTIONS"] = {
        **DATABASES["default"]["OPTIONS"],
        "connect_timeout": int(env("REPLICA_CONNECT_TIMEOUT", "1")),
    }
    if "pool" in DATABASES["replica"]["OPTIONS"]:
        # A replica that went away costs a reader at most a second before the primary answers instead.
        DATABASES["replica"]["OPTIONS"]["pool"] = {**DATABASES["replica"]["OPTIONS"]["pool"], "timeout": 1.0}
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Every cache key starts with the deploy version: a new release never serves a page or fragment of the
# one before, and servers running the same release share their entries (core/deploy.py).
DEPLOY_VERSION = deploy_version(BASE_DIR, env("DEPLOY_VERSION"))
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"portal:{DEPLOY_VERSION}",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "portal",
            "KEY_PREFIX": f"portal:{DEPLOY_VERSION}",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# Rendered fragments (core/fragments.py) stay in each worker's memory even with Redis: a fragment's key
# says everything it depends on (content version, language, values; the deploy version in the prefix),
# so the value under a key never changes and no worker can serve a stale one, while a Redis round trip
# per fragment (about 0.3 ms on loopback, ~25 fragments per uncached page) would cost more than the
# render it saves (docs/performance.md, "What a cache hit costs").
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "KEY_PREFIX": f"portal:{DEPLOY_VERSION}",
    "OPTIONS": {"MAX_ENTRIES": 20000},
}

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Whole-page cache for anonymous readers (core.pagecache).
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS", "600"))
PAGE_CACHE_POLL_SECONDS = float(env("PAGE_CACHE_POLL_SECONDS", "1"))
PAGE_CACHE_VIEWS = {
    "gallery:list",
    "gallery:detail",
    "gallery:photo",
    "gallery:videos",
    "gallery:video",
    "news:home",
    "news:category",
    "news:article",
    "news:rss",
    "news:category_rss",
    "sitemap",
    "sitemap-section",
    "sitemap-index",
    # Not the document and procedure lists: their filters are query parameters the cache key leaves out.
    # Not the English pages either: on a cache hit the stats middleware would fill in a Vietnamese visitor box.
    "documents:detail",
    "documents:rss",
    "pages:about",
    "pages:contact",
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Staff accounts (portal/auth.py, docs/security.md). Only staff have sessions: readers never log in.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out logins before the password is checked
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords (or two-factor codes) for one user name from one address: locked for 30 minutes.
AXES_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("LOGIN_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "core.clientip.client_ip"  # X-Forwarded-For only from TRUSTED_PROXIES
AXES_LOCKOUT_CALLABLE = "portal.auth.lockout_response"
AXES_USERNAME_CALLABLE = "portal.auth.axes_username"  # cut to fit the table, NUL removed
AXES_RESET_ON_SUCCESS = True
# A working day; a staff session ends 8 hours after login (SESSION_EXPIRE_AT_BROWSER_CLOSE=1 also on closing).
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE")
# Two-factor (TOTP) for every staff account, superusers included: enrolled through the one-time link of
# the invitation (portal/accounts.py). On unless DEBUG=1 (so `make run`'s printed admin login works with the
# password alone); 0 relaxes it for a small office, where it stays optional.
OTP_REQUIRED_FOR_STAFF = env_bool("OTP_REQUIRED_FOR_STAFF", not DEBUG)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "Cổng TTĐT Sở KH&CN")

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Dates typed day first (05/12/2026 is 5 December): Django's "vi" locale has no input formats of its own.
FORMAT_MODULE_PATH = ["portal.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Development and tests serve static files straight from the app folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEBUG
# 12 MB request bodies: a 10 MB image plus the form around it (the admin and the editor's image upload).
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# Every other POST (the public forms: feedback, rating) is refused above this many bytes with a Vietnamese
# 413 page, before its body is read (portal.middleware.RequestBodyLimitMiddleware). The largest the forms
# need: a 5,000-character question of 4-byte characters, percent-encoded (12 bytes each), plus the rest.
PUBLIC_POST_MAX_BYTES = 96 * 1024
# An uploaded video (gallery.Video, the media library) may be this large; the form says so in Vietnamese.
VIDEO_MAX_BYTES = int(env("VIDEO_MAX_MB", "300")) * 1024 * 1024
# Larger bodies where uploads are made: the first prefix of the path that matches sets the limit, every other
# path has PUBLIC_POST_MAX_BYTES (docs/media.md gives nginx's matching client_max_body_size per location).
REQUEST_BODY_LIMITS = [
    ("/admin/gallery/", VIDEO_MAX_BYTES + 4 * 1024 * 1024),  # a video, or a gallery's photos, plus the form
    ("/admin/core/mediaitem/", VIDEO_MAX_BYTES + 4 * 1024 * 1024),
    ("/admin/", 64 * 1024 * 1024),  # attachments (20 MB each) and images (10 MB) with their forms
    ("/ckeditor5/", DATA_UPLOAD_MAX_MEMORY_SIZE),  # one image from the editor
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o644

# Renditions are made when the source is saved, never checked at render time.
IMAGEKIT_DEFAULT_CACHEFILE_STRATEGY = "imagekit.cachefiles.strategies.Optimistic"
IMAGEKIT_SPEC_CACHEFILE_NAMER = "core.images.rendition_name"

# Every e-mail goes into the outbox, a table, in the sender's transaction (core/mail.py); the process
# `manage.py mail_sender` delivers it through MAIL_DELIVERY_BACKEND (the environment's EMAIL_BACKEND), with
# EMAIL_TIMEOUT seconds at most for each SMTP call, and retries: MAIL_MAX_ATTEMPTS in about 6 hours, then
# "failed" (admin: "Thư đi"). Sent and failed messages are forgotten after MAIL_KEEP_DAYS days.
EMAIL_BACKEND = "core.mail.OutboxBackend"
MAIL_DELIVERY_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_TIMEOUT = float(env("EMAIL_TIMEOUT", "10"))
MAIL_MAX_ATTEMPTS = int(env("MAIL_MAX_ATTEMPTS", "12"))
MAIL_KEEP_DAYS = int(env("MAIL_KEEP_DAYS", "30"))
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Cổng thông tin Sở KH&CN <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGIN_URL = "admin:login"
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
# Content Security Policy (django-csp): no inline scripts anywhere; the admin has its own policy.
_CSP_COMMON = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "connect-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "media-src": ["'self'"],
    # YouTube videos (gallery.Video) play in its no-cookie player, the only frame a page may hold.
    "frame-src": ["https://www.youtube-nocookie.com"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
CONTENT_SECURITY_POLICY = {"DIRECTIVES": {**_CSP_COMMON, "style-src": ["'self'"]}}
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {**_CSP_COMMON, "style-src": ["'self'", "'unsafe-inline'"], "img-src": ["'self'", "data:", "blob:"]}
}
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# Admin forms (core/editing.py): the open form is autosaved to the user's slot this often (and when left);
# its tab beats this often; an edit lock without a beat for EDITING_LOCK_SECONDS is free; `editing_cleanup`
# removes slots older than EDITING_AUTOSAVE_RETENTION_DAYS.
EDITING_AUTOSAVE_SECONDS = 30
EDITING_HEARTBEAT_SECONDS = 30
EDITING_LOCK_SECONDS = 120
EDITING_STATUS_SECONDS = 20  # a read-only form (someone else edits) asks this often whether the lock is free
EDITING_AUTOSAVE_RETENTION_DAYS = int(env("EDITING_AUTOSAVE_RETENTION_DAYS", "30"))

# Rich text editor (CKEditor 5). Whatever it sends, core.sanitize cleans the HTML on save.
CKEDITOR_5_FILE_UPLOAD_PERMISSION = "staff"
CKEDITOR_5_CONFIGS = {
    "default": {
        "language": "vi",
        "toolbar": [
            "heading",
            "|",
            "bold",
            "italic",
            "link",
            "bulletedList",
            "numberedList",
            "blockQuote",
            "|",
            "insertImage",
            "insertTable",
            "|",
            "undo",
            "redo",
        ],
        "image": {
            "toolbar": ["imageTextAlternative", "toggleImageCaption", "|", "imageStyle:full", "imageStyle:side"],
        },
        "table": {"contentToolbar": ["tableColumn", "tableRow", "mergeTableCells"]},
        "heading": {
            "options": [
                {"model": "paragraph", "title": "Đoạn văn", "class": "ck-heading_paragraph"},
                {"model": "heading2", "view": "h2", "title": "Tiêu đề 2", "class": "ck-heading_heading2"},
                {"model": "heading3", "view": "h3", "title": "Tiêu đề 3", "class": "ck-heading_heading3"},
                {"model": "heading4", "view": "h4", "title": "Tiêu đề 4", "class": "ck-heading_heading4"},
            ]
        },
    }
}

# Reader feedback (feedback app).
FEEDBACK_RATE_PER_HOUR = int(env("FEEDBACK_RATE_PER_HOUR", "5"))
FEEDBACK_RATE_PER_DAY = int(env("FEEDBACK_RATE_PER_DAY", "20"))
FEEDBACK_OVERDUE_DAYS = int(env("FEEDBACK_OVERDUE_DAYS", "7"))
# Decree 13/2023/NĐ-CP: citizens' names, e-mail addresses and phones are removed this many days after the
# answer (feedback_cleanup, daily); a published question then keeps only its public version.
FEEDBACK_CONTACT_RETENTION_DAYS = int(env("FEEDBACK_CONTACT_RETENTION_DAYS", "180"))
# Photos and scanned pages a citizen attaches to a question: at most this many, each at most this size
# (JPEG/PNG/PDF). They are private (PRIVATE_MEDIA_ROOT, never under MEDIA_ROOT) and removed with the
# feedback's contact details. The feedback form's POST may therefore be as large as all of them together.
FEEDBACK_ATTACHMENTS_MAX = 3
FEEDBACK_ATTACHMENT_MAX_BYTES = int(env("FEEDBACK_ATTACHMENT_MAX_BYTES", str(5 * 1024 * 1024)))
FEEDBACK_POST_MAX_BYTES = FEEDBACK_ATTACHMENTS_MAX * FEEDBACK_ATTACHMENT_MAX_BYTES + PUBLIC_POST_MAX_BYTES
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")))
# The feedback form with its files (multipart only: its plain posts keep the public limit).
REQUEST_BODY_LIMITS = [("/gop-y/", FEEDBACK_POST_MAX_BYTES, "multipart"), *REQUEST_BODY_LIMITS]
# Salt for hashing client IPs (personal data, Decree 13/2023/ND-CP). Defaults to SECRET_KEY.
IP_HASH_SALT = env("IP_HASH_SALT", SECRET_KEY)
if not DEBUG:
    refuse_placeholder("IP_HASH_SALT", IP_HASH_SALT)
# Proxies whose X-Forwarded-For entry we believe: comma-separated addresses or networks (10.0.0.0/8).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
# Readable for older readers: larger, less rotated letters (the rate limit is the real brake on robots).
CAPTCHA_IMAGE_SIZE = (180, 56)
CAPTCHA_FONT_SIZE = 36
CAPTCHA_LETTER_ROTATION = (-20, 20)
CAPTCHA_LENGTH = 5
CAPTCHA_TIMEOUT = 10  # minutes
CAPTCHA_CHALLENGE_FUNCT = "core.captcha.challenge"  # letters and digits nobody confuses
# Audio challenges in Vietnamese (digits read by `espeak-ng -v vi`, core/captcha.py); no audio button
# without it, and `manage.py check` says so (feedback.W001). The package's own English audio (flite) is not used.
CAPTCHA_ESPEAK_PATH = env("CAPTCHA_ESPEAK_PATH") or shutil.which("espeak-ng")
# New challenges (form page, refresh, audio) per client and hour, counted in PostgreSQL (core.ratelimit).
CAPTCHA_CHALLENGES_PER_HOUR = int(env("CAPTCHA_CHALLENGES_PER_HOUR", "120"))
# Never on here: only the soak's settings (portal/settings_bench.py) let its robots answer "PASSED".
CAPTCHA_TEST_MODE = False

# View counting and visitors (stats app).
STATS_DEDUP_MINUTES = int(env("STATS_DEDUP_MINUTES", "30"))
# Article requests that come without the visitor cookie (scripts; a browser's first page) count at most this
# many times a minute per client address per article (stats/middleware.py); readers with the cookie count
# once per STATS_DEDUP_MINUTES as always.
STATS_COOKIELESS_PER_MINUTE = 3
STATS_ONLINE_MINUTES = 5
# The site search asks its kinds (articles, documents, Q&A…) at once: the request's thread and this many
# threads per worker process, each with a database connection while it answers (core.search.providers.ask);
# 0 asks them one after the other. Keep DB_POOL_MAX ≥ GUNICORN_THREADS + SEARCH_THREADS.
SEARCH_THREADS = int(env("SEARCH_THREADS", "3"))
# Words searched on the site, counted per day for the leaders' dashboard (no reader, no address): kept this
# many days, then deleted by stats_rollup.
STATS_SEARCH_DAYS = int(env("STATS_SEARCH_DAYS", "90"))
# The portal rating's salted visitor and address hashes serve its daily limit; rating_cleanup blanks them after
# this many days.
RATING_HASH_DAYS = int(env("RATING_HASH_DAYS", "30"))
# A popular article's counters are spread over this many rows, so parallel views do not queue on one.
STATS_COUNTER_SHARDS = 8
# Counted views wait in the worker this long, then are written a batch at a time (stats/buffer.py);
# 0: the batch is written in the request, before the page is sent, through the same statement. Pages show a count at most STATS_VIEWS_FRESH_SECONDS old
# plus the views the worker holds.
STATS_FLUSH_SECONDS = float(env("STATS_FLUSH_SECONDS", "0.25"))
STATS_FLUSH_THREAD = True
STATS_VIEWS_FRESH_SECONDS = 1.0
# Off only to measure what counting costs (make bench, portal/settings_bench.py); pages still show the
# current numbers.
STATS_COUNTING_ENABLED = True

# One JSON line per request (portal.access) and errors tagged with the request id, on stderr.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "portal.middleware.RequestIdFilter"},
        "security_noise": {"()": "portal.middleware.SecurityNoiseFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
        "access": {"format": "%(message)s"},
    },
    "handlers": {
        # django.security.* (a bad Host header, `../` in a path…: scripted noise) becomes one WARNING line.
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id", "security_noise"],
            "formatter": "plain",
        },
        # Request log lines are written a batch at a time, every 0.2 s (portal/logbuffer.py).
        "access": {"class": "portal.logbuffer.BatchedStreamHandler", "formatter": "access", "interval": 0.2},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # lockouts are warnings; every failed login is not news
        "django.request": {"level": "ERROR"},  # 404s are in the access log already
        "portal.access": {
            "handlers": ["access"],
            "level": env("ACCESS_LOG_LEVEL", "INFO"),
            "propagate": False,
        },
    },
}
