"""Anonymous reads on a streaming replica of PostgreSQL, everything else on the primary.

Active only when DATABASE_REPLICA_URL is set (settings: DATABASES["replica"], DATABASE_ROUTERS,
ReplicaMiddleware right below the page cache). Without it nothing here runs.

Who reads where, and why:

- Replica: a reader's GET/HEAD (no staff session cookie, no "just wrote" cookie) that the page cache
  did not answer: home, category and article pages on a cache miss, search, documents and procedures,
  the department's pages, the public Q&A. Only the models of REPLICA_APPS (the published content)
  are read there: news, documents, pages, feedback, rating.
- Primary, always:
  - every write (Django sends writes to db_for_write) and every request that is not GET/HEAD;
  - staff (a session cookie): the admin reads what it has just written;
  - counting and live numbers (stats: raw SQL on the default connection, and the app is not in
    REPLICA_APPS), rate limits and the content version (core, raw SQL on the default connection),
    sessions, captchas (a challenge is created and read back within a second), logins, the audit
    trail, the mail outbox: anything not in REPLICA_APPS;
  - a reader who has just written: any POST (a feedback, a rating) gets the short-lived cookie
    WROTE_COOKIE, and for REPLICA_STICKY_SECONDS that reader's pages (the thank-you page, the tracking
    page) are read from the primary, so they see what they sent whatever the replica's lag;
  - outside requests (commands, the mail sender, the views writer thread): primary.
- Replica skipped: down, not a standby any more, lagging more than REPLICA_MAX_LAG_SECONDS behind the
  primary, or behind the content version this request was keyed with (an article published a moment
  ago: the page must not be built from older rows and cached under the new version). Checked at most
  every REPLICA_CHECK_SECONDS per process (one query to each server), and at once when a request on
  the replica failed: that request is then answered again from the primary (GET only, nothing lost).
"""

import contextvars
import logging
import threading
import time

import psycopg
from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DatabaseError, connections

from core import pagecache

logger = logging.getLogger(__name__)

REPLICA = "replica"
PRIMARY = "default"
WROTE_COOKIE = "wrote"
# The alias reads of this request may use: REPLICA inside ReplicaMiddleware's decision, None elsewhere.
_route = contextvars.ContextVar("portal_db_route", default=None)
_used = contextvars.ContextVar("portal_db_used_replica", default=None)


def replica_configured():
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Reads of REPLICA_APPS' models go to the replica inside a request ReplicaMiddleware chose for it."""

    def db_for_read(self, model, **hints):
        if _route.get() != REPLICA:
            return None  # Django's default: the primary (or the instance's own database)
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return instance._state.db
        if model._meta.app_label not in settings.DATABASE_REPLICA_APPS:
            return PRIMARY
        used = _used.get()
        if used is not None:
            used.append(model._meta.label)
        return REPLICA

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same database, one a copy of the other

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


class ReplicaHealth:
    """Whether this process may read from the replica: the last check, at most REPLICA_CHECK_SECONDS old.

    A check asks the primary for its WAL position and the replica for its replayed position, the
    time of the last transaction it replayed and its content version. Lag: 0 when the replica has
    replayed everything the primary had written a moment before; otherwise the time since the last
    transaction it replayed. One thread checks; the others use the last answer meanwhile."""

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.lock = threading.Lock()
        self.checked = None  # clock time of the last check
        self.ok = False
        self.version = None  # the replica's content version at the last check
        self.lag = None
        self.reason = "not checked yet"
        self.checking = False

    def usable(self, version=None):
        """True if reads may go to the replica for a request keyed with content `version`."""
        now = self.clock()
        with self.lock:
            due = self.checked is None or now - self.checked >= settings.REPLICA_CHECK_SECONDS
            mine = due and not self.checking
            if mine:
                self.checking = True
        if mine:
            try:
                self.check()
            finally:
                with self.lock:
                    self.checking = False
        with self.lock:
            if not self.ok:
                return False
            behind = version is not None and (self.version is None or self.version < version)
        if behind:
            # Published a moment ago: has the replica replayed it yet? (one query, only after a change)
            try:
                replica_version = self.replica_version()
            except DatabaseError:
                self.mark_down("the content version could not be read")
                return False
            with self.lock:
                self.version = max(self.version or 0, replica_version or 0)
            return replica_version is not None and replica_version >= version
        return True

    def check(self):
        try:
            with connections[PRIMARY].cursor() as cursor:
                cursor.execute("SELECT pg_current_wal_lsn()::text")
                primary_lsn = cursor.fetchone()[0]
            # A connection of its own, not the pool's: a replica that went away answers "refused" at
            # once (or after REPLICA_CONNECT_TIMEOUT), where the pool would wait its whole timeout.
            with psycopg.connect(**replica_params()) as conn, conn.cursor() as cursor:
                cursor.execute(
                    """
                    SELECT pg_is_in_recovery(),
                           pg_last_wal_replay_lsn() >= %s::pg_lsn,
                           extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp()),
                           (SELECT version FROM core_contentversion WHERE id = 1)
                    """,
                    [primary_lsn],
                )
                standby, caught_up, since_replay, version = cursor.fetchone()
        except (DatabaseError, psycopg.Error) as exc:
            self.mark_down(f"unreachable ({str(exc).strip()[:200]})")
            return
        ok, reason, lag = judge(standby, caught_up, since_replay)
        self.record(ok, reason, version=version, lag=lag)

    def replica_version(self):
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT version FROM core_contentversion WHERE id = 1")
            row = cursor.fetchone()
        return row[0] if row else None

    def mark_down(self, reason):
        self.record(False, reason)

    def record(self, ok, reason, version=None, lag=None):
        with self.lock:
            if ok != self.ok or reason.split()[0] != self.reason.split()[0]:
                log = logger.info if ok else logger.warning
                log("replica %s: %s", "in use" if ok else "skipped", reason)
            self.ok, self.reason, self.lag = ok, reason, lag
            self.version = version if ok else self.version
            self.checked = self.clock()


def judge(standby, caught_up, since_replay):
    """(usable, why, lag in seconds) from what the replica said about itself."""
    lag = 0.0 if caught_up else float(since_replay if since_replay is not None else float("inf"))
    if not standby:
        return False, "not a standby (promoted?)", lag
    if lag > settings.REPLICA_MAX_LAG_SECONDS:
        return False, f"lagging {lag:.1f} s", lag
    return True, f"lag {lag:.2f} s", lag


health = ReplicaHealth()


def replica_params():
    """libpq parameters of the replica (DATABASES["replica"]), for the health check's own connection."""
    conf = settings.DATABASES[REPLICA]
    params = {
        "dbname": conf.get("NAME"),
        "user": conf.get("USER") or None,
        "password": conf.get("PASSWORD") or None,
        "host": conf.get("HOST") or None,
        "port": conf.get("PORT") or None,
        "connect_timeout": conf.get("OPTIONS", {}).get("connect_timeout", 1),
        "autocommit": True,
    }
    return {k: v for k, v in params.items() if v is not None}


def wants_primary(request):
    """Requests whose reads stay on the primary whatever the replica's state."""
    return (
        request.method not in ("GET", "HEAD")
        or settings.SESSION_COOKIE_NAME in request.COOKIES  # staff
        or WROTE_COOKIE in request.COOKIES  # a reader who has just sent something
    )


class ReplicaMiddleware:
    """Chooses the database of a request's reads (see the module's docstring). Placed right below the
    page cache: a cache hit never gets here, and a miss knows the content version it is keyed with."""

    def __init__(self, get_response):
        if not replica_configured():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        if wants_primary(request):
            response = self.get_response(request)
            if request.method not in ("GET", "HEAD", "OPTIONS"):
                self.remember_writer(request, response)
            return response
        if not health.usable(pagecache.content_version()):
            return self.get_response(request)
        used = []
        route, used_token = _route.set(REPLICA), _used.set(used)
        try:
            response = self.get_response(request)
        finally:
            _route.reset(route)
            _used.reset(used_token)
        if response.status_code == 503 and used:
            # The database-away page (portal.middleware) after reads on the replica: if the replica is
            # what failed, answer again from the primary (a GET: nothing is written twice).
            health.check()
            if not health.ok:
                logger.warning("replica failed during %s: answered from the primary", request.path[:300])
                return self.get_response(request)
        return response

    def remember_writer(self, request, response):
        """The short-lived cookie that sends this reader's next pages to the primary."""
        response.set_cookie(
            WROTE_COOKIE,
            "1",
            max_age=settings.REPLICA_STICKY_SECONDS,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
