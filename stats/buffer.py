"""Counting: the one path every counted view and every noted visitor takes.

A counted view (`record_view`) or a returning visitor (`note_visitor`) is an entry in this worker's
batch. The batch is written in one statement (`WRITE_BATCH_SQL`): by a background thread every
STATS_FLUSH_SECONDS (0.25 s), or, with STATS_FLUSH_SECONDS = 0, at once, before the page that
counted the view is sent (the same statement, for whatever the worker holds at that moment). Written
one at a time, a counted view cost PostgreSQL four row writes and the worker a round trip per reader:
on two cores, a fifth of what the article page can serve. The database still decides everything
that must be exact, with atomic INSERT … ON CONFLICT:

- de-duplication is done in the database, against every worker's and every server's views, so a
  visitor is counted once per window whichever worker served them;
- the batch's views are added to the article's counters (`views = views + n`), never read-then-write;
- a batch is one statement: it is counted entirely or not at all. A batch that fails (database
  away) is kept and tried again with the next one, up to KEEP_MAX views per worker.

What a reader sees: the article's count as this worker last read it from the database (at most
STATS_VIEWS_FRESH_SECONDS old, or just returned by the statement) plus the views this worker holds
that are not written yet, their own included. Views made on other workers in the last fraction of a
second may not be in it yet; with STATS_FLUSH_SECONDS = 0 it is the count the statement returned.

The trade-off: if a worker is killed outright (SIGKILL, out of memory), the views it held (the
last fraction of a second) are lost. A worker that stops normally (max_requests, reload, shutdown)
writes its batch first: gunicorn's `worker_exit` hook and `atexit`.
"""

import atexit
import itertools
import logging
import os
import threading
import time
from collections import Counter, OrderedDict
from types import SimpleNamespace

from django.conf import settings
from django.core.signals import setting_changed
from django.db import DatabaseError, connection
from django.dispatch import receiver

from .days import local_day

logger = logging.getLogger(__name__)

# Remembered (visitor, article) pairs, for showing a re-reader the same number (display only).
RECENT_MAX = 20_000
# Past this many entries a batch is written at once rather than at the next tick.
BATCH_WAKE = 2_000
# If the database stays away, at most this many views (and as many visitor notes) wait in a worker;
# later ones are dropped and their number logged when the database is back. A view and its visitor
# note take about 440 bytes (measured with tracemalloc), so a full buffer is about 22 MB per worker:
# a minute of 800 counted views a second on one worker. The back-off after a failed connection
# (portal/db/base.py) makes every write attempt of an outage fail at once; the thread retries each second.
KEEP_MAX = 50_000
# A visitor's row for the day says when they were last seen; rewritten at most once a minute.
SEEN_EVERY_SECONDS = 60

WRITE_BATCH_SQL = """
WITH batch AS (
    SELECT * FROM unnest(
        string_to_array(%(visitors)s, ',')::uuid[],
        string_to_array(%(articles)s, ',')::bigint[],
        string_to_array(%(times)s, ',')::float8[],
        string_to_array(%(days)s, ',')::date[],
        string_to_array(%(clients)s, ',', '-')
    ) WITH ORDINALITY AS b(visitor, article_id, at, day, client, n)
{cookieless}), fresh AS (
    INSERT INTO stats_viewdedup AS d (visitor, article_id, viewed_at)
    SELECT visitor, article_id, to_timestamp(at) FROM batch b{view_not_refused}
    ORDER BY n
    ON CONFLICT (visitor, article_id) DO UPDATE SET viewed_at = EXCLUDED.viewed_at
        WHERE d.viewed_at <= EXCLUDED.viewed_at - interval '{window} minutes'
    RETURNING d.visitor, d.article_id
), counted AS (
    SELECT b.article_id, b.day, count(*) AS views
    FROM batch b JOIN fresh f ON f.visitor = b.visitor AND f.article_id = b.article_id
    GROUP BY b.article_id, b.day
), total AS (
    INSERT INTO stats_articleviews AS t (article_id, shard, views)
    SELECT article_id, %(shard)s, sum(views) FROM counted GROUP BY article_id ORDER BY article_id
    ON CONFLICT (article_id, shard) DO UPDATE SET views = t.views + EXCLUDED.views
), per_day AS (
    INSERT INTO stats_articleday AS a (article_id, day, shard, views)
    SELECT article_id, day, %(shard)s, views FROM counted ORDER BY article_id, day
    ON CONFLICT (article_id, day, shard) DO UPDATE SET views = a.views + EXCLUDED.views
), visit AS (
    INSERT INTO stats_visitorday AS v (day, visitor, last_seen, device)
    SELECT day, visitor, to_timestamp(at), device
    FROM unnest(
        string_to_array(%(visit_days)s, ',')::date[],
        string_to_array(%(visit_visitors)s, ',')::uuid[],
        string_to_array(%(visit_times)s, ',')::float8[],
        string_to_array(%(visit_devices)s, ',')::smallint[]
    ) WITH ORDINALITY AS x(day, visitor, at, device, n){visit_not_refused}
    ORDER BY n
    ON CONFLICT (day, visitor) DO UPDATE SET last_seen = EXCLUDED.last_seen
        WHERE v.last_seen < EXCLUDED.last_seen - interval '{seen_every} seconds'
)
SELECT a.article_id,
       (SELECT COALESCE(sum(views), 0) FROM stats_articleviews WHERE article_id = a.article_id)::bigint
       + (SELECT COALESCE(sum(views), 0) FROM counted WHERE article_id = a.article_id)::bigint{commit}
FROM (SELECT DISTINCT article_id FROM batch) a
"""
COOKIELESS_SQL = """
cookieless AS (
    SELECT visitor, article_id, client, floor(at / 60)::int AS minute,
           row_number() OVER w AS k, count(*) OVER (PARTITION BY floor(at / 60), article_id, client) AS m
    FROM batch WHERE client IS NOT NULL
    WINDOW w AS (PARTITION BY floor(at / 60), article_id, client ORDER BY n)
), swept AS (
    DELETE FROM stats_cookielessminute WHERE ctid IN (
        SELECT ctid FROM stats_cookielessminute WHERE minute < floor(%(now)s / 60)::int - 1
        LIMIT 100 FOR UPDATE SKIP LOCKED
    )
), tally AS (
    INSERT INTO stats_cookielessminute AS c (minute, article_id, client, views)
    SELECT minute, article_id, client, count(*) FROM cookieless
    GROUP BY minute, article_id, client ORDER BY minute, article_id, client
    ON CONFLICT (minute, article_id, client) DO UPDATE SET views = c.views + EXCLUDED.views
    RETURNING c.minute, c.article_id, c.client, c.views
), refused AS (
    SELECT x.visitor, x.article_id FROM cookieless x JOIN tally t USING (minute, article_id, client)
    WHERE t.views - x.m + x.k > {cookieless_limit}
"""
COOKIELESS_FILTERS = {
    "view_not_refused": "\n    WHERE NOT EXISTS (SELECT 1 FROM refused r WHERE r.visitor = b.visitor AND r.article_id = b.article_id)",
    "visit_not_refused": "\n    WHERE NOT EXISTS (SELECT 1 FROM refused r WHERE r.visitor = x.visitor)",
}
# The batch comes as comma-separated text, one string per column: building and sending a few strings
# costs the worker (and its lock on the interpreter) far less than adapting thousands of values one
# by one. Rows are written in key order (sorted columns, ORDER BY n; ORDER BY article_id …), and
# every batch writes the tables in the same order, so two workers' batches never deadlock. The final
# SELECT sees the database as it was before the statement, hence "+ this batch's counted views".
#
# Views that came without the visitor cookie carry the client's address hash (`client`; '-' for the
# others): of those, at most {cookieless_limit} (STATS_COOKIELESS_PER_MINUTE) per minute, article and
# client are counted, whichever worker or server took them. `tally` adds the batch's cookieless views
# to the minute's row (ON CONFLICT: its row lock orders simultaneous batches) and returns the row's new
# total; a view whose place in that total (the total before this batch + its rank in the batch) is past
# the limit is `refused`: not counted, and its visitor (a cookie nobody sent back) not noted. `swept`
# deletes a few rows older than the last minute. These CTEs (COOKIELESS_SQL) are in the statement only
# for a batch that holds such views (`batch_statement`): a batch of readers who kept their cookie is
# written by the statement without them, and never touches that table.
#
# {commit}: unless STATS_SYNCHRONOUS_COMMIT, the statement's transaction commits without waiting for
# the WAL flush (set_config with is_local=true affects only that transaction), so the counter rows are
# locked for microseconds, not for a disk flush. If PostgreSQL crashes, the views of the last fraction
# of a second may be lost; nothing is ever counted twice.


_conf = None


def conf():
    """The STATS_ settings this module reads on every view, looked up once (and again when changed)."""
    global _conf
    if _conf is None:
        _conf = SimpleNamespace(
            flush_seconds=float(getattr(settings, "STATS_FLUSH_SECONDS", 0.25)),
            thread=getattr(settings, "STATS_FLUSH_THREAD", True),
            fresh_seconds=float(getattr(settings, "STATS_VIEWS_FRESH_SECONDS", 1.0)),
            window_seconds=settings.STATS_DEDUP_MINUTES * 60,
            statement=batch_statement(cookieless=False),
            cookieless_statement=batch_statement(cookieless=True),
            shards=max(1, getattr(settings, "STATS_COUNTER_SHARDS", 8)),
            prepared=getattr(settings, "STATS_PREPARED_STATEMENTS", True),
        )
    return _conf


def batch_statement(cookieless):
    """WRITE_BATCH_SQL for a batch with views that came without the cookie (the cap's CTEs in), or without."""
    limit = int(settings.STATS_COOKIELESS_PER_MINUTE)
    return WRITE_BATCH_SQL.format(
        window=int(settings.STATS_DEDUP_MINUTES),
        seen_every=SEEN_EVERY_SECONDS,
        commit=""
        if getattr(settings, "STATS_SYNCHRONOUS_COMMIT", False)
        else ", set_config('synchronous_commit', 'off', true)",
        cookieless=("), " + COOKIELESS_SQL.format(cookieless_limit=limit).strip()) if cookieless else "",
        **(COOKIELESS_FILTERS if cookieless else dict.fromkeys(COOKIELESS_FILTERS, "")),
    )


@receiver(setting_changed)
def _forget_settings(setting, **kwargs):
    global _conf
    if setting.startswith("STATS_"):
        _conf = None


# ---------------------------------------------------------------------------------------------
# What the request side calls.


def record_view(article_id, visitor, now, device=0, cookieless_client=None):
    """Count a reader's view of an article; return the count to show them, their view included.

    The same visitor re-reading the article within STATS_DEDUP_MINUTES is not counted again.
    `device` (stats.visitors.Device) is kept with the visitor's first visit of the day. A view that
    came without the visitor cookie gives the client's address hash (`cookieless_client`): the batch
    statement counts at most STATS_COOKIELESS_PER_MINUTE of those per minute, article and client."""
    return views.add_view(int(article_id), visitor, now, local_day(now), device, cookieless_client)


def note_visitor(visitor, now, device=0):
    """Note that a known visitor is on the site now (for "Đang truy cập" and the day's visits)."""
    views.add_visit(visitor, now, local_day(now), device)


def shown_views(article_id):
    """The count to show on a page that does not count this view (crawlers, HEAD, counting off)."""
    return views.shown(int(article_id))


def read_count(article_id):
    """The article's count in the database, nothing held by workers included."""
    with _cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(sum(views), 0)::bigint FROM stats_articleviews WHERE article_id = %s", [int(article_id)]
        )
        return cursor.fetchone()[0]


class ViewBuffer:
    """One per process. Thread-safe; forked children start with an empty one."""

    def __init__(self):
        self._reset()

    def _reset(self):
        self.pid = os.getpid()
        self.lock = threading.Lock()
        self.flush_lock = threading.Lock()
        # (visitor, article_id) -> (viewed_at, day, client address hash if it came without the cookie, else
        # None): the batch's first view of the pair
        self.views = {}
        self.visits = {}  # (day, visitor) -> last seen
        self.devices = {}  # (day, visitor) -> stats.visitors.Device it came with (only when known)
        self.pending = Counter()  # article_id -> views in the batch believed new (shown to readers)
        self.writing = Counter()  # the same for the batch being written (still shown until it is)
        self.known = {}  # article_id -> (count in the database, monotonic time it was read)
        # (visitor, article_id) -> when (timestamp) this worker last showed it as new; oldest first
        # (an OrderedDict: dropping the oldest of a plain dict again and again gets slower and slower)
        self.recent = OrderedDict()
        self.dropped = 0
        self.thread = None
        self.stopping = threading.Event()
        self.wake = threading.Event()

    def _mine(self):
        if self.pid != os.getpid():  # forked: the parent's entries are the parent's to write
            self._reset()

    # -- the request side ---------------------------------------------------------------------

    def add_view(self, article_id, visitor, now, day, device=0, client=None):
        """Take a reader's view of an article; return the count to show them (their view included)."""
        self._mine()
        key = (visitor, article_id)
        tick = now.timestamp()
        window = conf().window_seconds
        with self.lock:
            if len(self.views) >= KEEP_MAX and key not in self.views:
                self.dropped += 1
            else:
                self.views.setdefault(key, (now, day, client))
            self._add_visit((day, visitor), now, device)
            shown_before = self.recent.get(key)
            if shown_before is None or tick - shown_before >= window:
                self.recent[key] = tick
                self.recent.move_to_end(key)
                if len(self.recent) > RECENT_MAX:
                    self.recent.popitem(last=False)
                self.pending[article_id] += 1
            if len(self.views) >= BATCH_WAKE:
                self.wake.set()
        self._written_now_or_later()
        return self.shown(article_id)

    def add_visit(self, visitor, now, day, device=0):
        """Note a visitor seen on a page that is not an article."""
        self._mine()
        with self.lock:
            self._add_visit((day, visitor), now, device)
        self._written_now_or_later()

    def _add_visit(self, key, now, device=0):
        seen = self.visits.get(key)
        if seen is None or seen < now:
            if seen is None and len(self.visits) >= KEEP_MAX:
                self.dropped += 1
                return
            self.visits[key] = now
            if device and key not in self.devices:
                self.devices[key] = device

    def _written_now_or_later(self):
        """STATS_FLUSH_SECONDS = 0: the batch is written now, in the request; else by the thread."""
        if conf().flush_seconds <= 0:
            self.flush()
        else:
            self._start()

    def shown(self, article_id):
        """The article's count as this worker knows it: the database's (re-read when older than
        STATS_VIEWS_FRESH_SECONDS) plus the views held here."""
        self._mine()
        entry = self.known.get(article_id)
        if entry is None or time.monotonic() - entry[1] > conf().fresh_seconds:
            # Not while this worker's batch is being written: a read then may already include the batch,
            # which is still shown as held (`writing`), and the reader would see their view twice. A
            # stale count waits for the next request; a first one waits for the batch.
            if entry is None:
                with self.flush_lock:
                    self._reread(article_id)
            elif self.flush_lock.acquire(blocking=False):
                try:
                    self._reread(article_id)
                finally:
                    self.flush_lock.release()
        with self.lock:
            return self.known[article_id][0] + self.pending[article_id] + self.writing[article_id]

    def _reread(self, article_id):
        count = read_count(article_id)
        with self.lock:
            self._remember(article_id, count)

    def _remember(self, article_id, count):
        """Note the database's count of an article (the caller holds self.lock)."""
        old = self.known.get(article_id)
        if len(self.known) > RECENT_MAX:
            self.known.clear()
        # Counts only grow: of two reads, the larger is the later one.
        self.known[article_id] = (max(count, old[0]) if old else count, time.monotonic())

    # -- the writing side ---------------------------------------------------------------------

    def flush(self):
        """Write what this worker holds, in one statement. Returns how many views were written."""
        self._mine()
        with self.flush_lock:
            with self.lock:
                if not self.views and not self.visits:
                    return 0
                views, self.views = self.views, {}
                visits, self.visits = self.visits, {}
                devices, self.devices = self.devices, {}
                shown, self.pending = self.pending, Counter()
                self.writing.update(shown)
                dropped, self.dropped = self.dropped, 0
            if dropped:
                logger.error("stats: %d views or visits dropped while the database was away", dropped)
            try:
                totals = write_batch(views, visits, devices)
            except BaseException:
                with self.lock:
                    self.writing.subtract(shown)
                    self.writing = +self.writing
                    self.pending.update(shown)
                    for key, value in views.items():  # keep the earlier view of a pair
                        if key not in self.views or value[0] < self.views[key][0]:
                            self.views[key] = value
                    for key, seen in visits.items():
                        self._add_visit(key, seen, devices.get(key, 0))
                    self._trim()
                raise
            with self.lock:  # at once: a reader never sees the batch both held and counted, or neither
                self.writing.subtract(shown)
                self.writing = +self.writing
                for article_id, count in totals:
                    self._remember(article_id, count)
            return len(views)

    def _trim(self):
        """Keep the cap after a failed batch came back (the caller holds self.lock): the newest go."""
        excess = len(self.views) - KEEP_MAX
        if excess > 0:
            for key in list(itertools.islice(reversed(self.views), excess)):
                del self.views[key]
            self.dropped += excess

    def _start(self):
        if self.thread is not None:
            return
        if not conf().thread:
            return
        with self.lock:
            if self.thread is not None:
                return
            self.stopping.clear()
            self.thread = threading.Thread(target=self._run, name="stats-flush", daemon=True)
            self.thread.start()

    def _run(self):
        try:
            while not self.stopping.is_set():
                self.wake.wait(conf().flush_seconds)
                self.wake.clear()
                try:
                    self.flush()
                except DatabaseError as exc:  # database away: one line a second, not a traceback
                    logger.warning("stats: could not write the views (%s); kept for the next try", exc)
                    connection.close()  # a broken connection is replaced at the next try
                    self.stopping.wait(1.0)
                except Exception:
                    logger.exception("stats: could not write the views; kept for the next try")
                    connection.close()  # a broken connection is replaced at the next try
                    self.stopping.wait(1.0)
        finally:
            connection.close()

    def stop(self):
        """Stop the background thread after it wrote what it holds (tests; a worker's end uses flush)."""
        thread = self.thread
        if thread is None:
            return
        self.stopping.set()
        self.wake.set()
        thread.join(timeout=10)
        self.thread = None
        self.flush_quietly()

    def flush_quietly(self):
        try:
            self.flush()
        except Exception:
            logger.exception("stats: could not write the views held by this worker")

    def discard(self):
        """Forget everything held (tests: nothing of one test leaks into the next)."""
        with self.lock:
            self.views.clear()
            self.visits.clear()
            self.pending.clear()
            self.writing.clear()
            self.known.clear()
            self.recent.clear()


def write_batch(views, visits, devices=None):
    """One statement: de-duplicate and count `views`, note `visits` (with the `devices` they came with,
    {(day, visitor): Device}, for a visitor's first row of the day); [(article_id, count after)]."""
    settings_now = conf()
    devices = devices or {}
    view_rows = sorted(
        (visitor.hex, article_id, at, day, client or "-") for (visitor, article_id), (at, day, client) in views.items()
    )
    visit_rows = sorted(
        (day, visitor.hex, seen, int(devices.get((day, visitor), 0))) for (day, visitor), seen in visits.items()
    )
    params = {
        "visitors": ",".join([row[0] for row in view_rows]),
        "articles": ",".join([str(row[1]) for row in view_rows]),
        "times": ",".join([repr(row[2].timestamp()) for row in view_rows]),
        "days": ",".join([row[3].isoformat() for row in view_rows]),
        "clients": ",".join([row[4] for row in view_rows]),
        # A worker writes its own row of each counter: parallel batches do not queue on one row lock.
        "shard": os.getpid() % settings_now.shards,
        "visit_days": ",".join([row[0].isoformat() for row in visit_rows]),
        "visit_visitors": ",".join([row[1] for row in visit_rows]),
        "visit_times": ",".join([repr(row[2].timestamp()) for row in visit_rows]),
        "visit_devices": ",".join([str(row[3]) for row in visit_rows]),
    }
    statement = settings_now.statement
    if any(row[4] != "-" for row in view_rows):  # views without the cookie: the statement with the cap
        statement = settings_now.cookieless_statement
        params["now"] = time.time()
    with _cursor() as cursor:
        cursor.execute(statement, params)
        return [(article_id, count) for article_id, count, *_commit in cursor.fetchall()]


def _cursor():
    """A cursor whose statements PostgreSQL plans once per connection, not once per request.

    Django binds parameters on the client side, so PostgreSQL would parse and plan the counting
    statement every time (more than running it takes). This cursor binds on the server and
    prepares; Django's own cursors never prepare, whatever the connection's threshold.
    STATS_PREPARED_STATEMENTS = False turns it off (e.g. behind PgBouncer < 1.21 in transaction mode).
    While queries are being logged (DEBUG, tests counting queries) Django's cursor is used, so the
    log shows the statement.
    """
    if not conf().prepared or connection.queries_logged:
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor
    from django.db.backends.utils import CursorWrapper

    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:  # Django's default: prepared statements off
        raw.prepare_threshold = 0
    return CursorWrapper(ServerBindingCursor(raw), connection)


views = ViewBuffer()


def flush_at_exit():
    """A worker's last act: write what it holds (gunicorn's worker_exit hook, and atexit)."""
    if views.pid == os.getpid():
        views.flush_quietly()


atexit.register(flush_at_exit)
