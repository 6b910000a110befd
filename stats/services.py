"""Counting views and visitors, and the live numbers shown on public pages.

A counted article view costs the request no write: it joins the worker's batch (`record_view`,
`stats.buffer`), written a quarter second later in one statement; the live blocks cost one cache
read per page (`live_fragments`). Everything that changes a counter is a single atomic statement
(INSERT … ON CONFLICT … RETURNING), so parallel workers never lose an increment and nothing reads a
value before writing it.
"""

import logging
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import DatabaseError, connection
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import get_format

from . import buffer

logger = logging.getLogger(__name__)

BOX = "box"
MOST_READ = "most-read"


def setting(name, default):
    return getattr(settings, name, default)


_today = (0.0, 0.0, None)  # (start, end as timestamps, day): the day most requests fall in


def local_day(now):
    """The calendar day of `now` in the site's time zone (Asia/Ho_Chi_Minh)."""
    global _today
    moment = now.timestamp()
    start, end, day = _today
    if start <= moment < end:
        return day
    tz = timezone.get_default_timezone()
    day = timezone.localtime(now, tz).date()
    _today = (
        datetime.combine(day, time.min, tzinfo=tz).timestamp(),
        datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz).timestamp(),
        day,
    )
    return day


@receiver(setting_changed)
def _forget_settings(setting, **kwargs):
    global _today
    if setting == "TIME_ZONE":
        _today = (0.0, 0.0, None)


def next_midnight(now):
    """When the local day after `now` begins."""
    tz = timezone.get_default_timezone()
    tomorrow = local_day(now) + timedelta(days=1)
    return datetime.combine(tomorrow, time.min, tzinfo=tz)


def format_number(value, lang=None):
    """1234567 → "1.234.567" in Vietnamese ("1,234,567" in English): the locale's thousand separator.

    Django's own `intcomma` groups nothing for `vi` (its NUMBER_GROUPING is unset), hence this."""
    digits = str(int(value))
    sign = "-" if digits.startswith("-") else ""
    digits = digits.lstrip("-")
    separator = get_format("THOUSAND_SEPARATOR", lang)
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return sign + separator.join(groups)


def _cursor():
    """A cursor whose statements PostgreSQL plans once per connection, not once per request.

    Django binds parameters on the client side, so PostgreSQL would parse and plan the counting
    statement on every view (about 0.4 ms, more than running it takes). This cursor binds on the
    server and prepares; Django's own cursors never prepare, whatever the connection's threshold.
    STATS_PREPARED_STATEMENTS = False turns it off (e.g. behind PgBouncer < 1.21 in transaction mode).
    While queries are being logged (DEBUG, tests counting queries) Django's cursor is used, so the
    log shows the statement.
    """
    if not setting("STATS_PREPARED_STATEMENTS", True) or connection.queries_logged:
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor
    from django.db.backends.utils import CursorWrapper

    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:  # Django's default: prepared statements off
        raw.prepare_threshold = 0
    return CursorWrapper(ServerBindingCursor(raw), connection)


def _commit_clause():
    # A counter may lose the last fraction of a second of views if PostgreSQL crashes, in exchange
    # for not waiting on the WAL flush while the article's counter row is locked (set_config with
    # is_local=true only affects this statement's own transaction).
    if setting("STATS_SYNCHRONOUS_COMMIT", False):
        return ""
    return ", set_config('synchronous_commit', 'off', true)"


def shard_of(visitor):
    """Which of an article's counter rows this visitor's views go to (spreads parallel views)."""
    return visitor.int % max(1, setting("STATS_COUNTER_SHARDS", 8))


# A visitor's row for the day says when they were last seen; rewritten at most once a minute.
SEEN_EVERY_SECONDS = 60

# One statement: de-duplicate, count the article (total and per day, in this visitor's shard),
# note the visitor's visit for the day, and return the article's count including this view.
# Data-modifying CTEs all run exactly once; the final SELECT reads the statement's snapshot (the
# count before this view) and adds this view when it was counted.
RECORD_VIEW_SQL = """
WITH fresh AS (
    INSERT INTO stats_viewdedup AS d (visitor, article_id, viewed_at) VALUES (%(visitor)s, %(article)s, %(now)s)
    ON CONFLICT (visitor, article_id) DO UPDATE SET viewed_at = EXCLUDED.viewed_at
        WHERE d.viewed_at <= EXCLUDED.viewed_at - interval '{window} minutes'
    RETURNING 1
), total AS (
    INSERT INTO stats_articleviews AS t (article_id, shard, views)
    SELECT %(article)s, %(shard)s, 1 FROM fresh
    ON CONFLICT (article_id, shard) DO UPDATE SET views = t.views + 1
), per_day AS (
    INSERT INTO stats_articleday AS a (article_id, day, shard, views)
    SELECT %(article)s, %(day)s, %(shard)s, 1 FROM fresh
    ON CONFLICT (article_id, day, shard) DO UPDATE SET views = a.views + 1
), visit AS (
    INSERT INTO stats_visitorday AS v (day, visitor, last_seen) VALUES (%(day)s, %(visitor)s, %(now)s)
    ON CONFLICT (day, visitor) DO UPDATE SET last_seen = EXCLUDED.last_seen
        WHERE v.last_seen < EXCLUDED.last_seen - interval '{seen_every} seconds'
)
SELECT (SELECT COALESCE(sum(views), 0)::bigint FROM stats_articleviews WHERE article_id = %(article)s)
       + (SELECT count(*) FROM fresh){commit}
"""

# A visitor seen on any other public page: their row for the day, nothing else.
TOUCH_SQL = """
INSERT INTO stats_visitorday AS v (day, visitor, last_seen) VALUES (%(day)s, %(visitor)s, %(now)s)
ON CONFLICT (day, visitor) DO UPDATE SET last_seen = EXCLUDED.last_seen
    WHERE v.last_seen < EXCLUDED.last_seen - interval '{seen_every} seconds'
RETURNING 1{commit}
"""

_statements = {}


def _statement(sql):
    """The statement with its settings written in (fewer parameters to send), built once per process
    and setting values."""
    key = (sql, setting("STATS_SYNCHRONOUS_COMMIT", False), settings.STATS_DEDUP_MINUTES)
    if key not in _statements:
        _statements[key] = sql.format(
            commit=_commit_clause(), window=int(settings.STATS_DEDUP_MINUTES), seen_every=SEEN_EVERY_SECONDS
        )
    return _statements[key]


def record_view(article_id, visitor, now=None):
    """Count a reader's view of an article; return the article's view count including it.

    The same visitor re-reading the article within STATS_DEDUP_MINUTES is not counted again.
    By default the view joins this worker's batch (`stats.buffer`, written within
    STATS_FLUSH_SECONDS); with STATS_FLUSH_SECONDS = 0 it is written here, in one statement."""
    now = now or timezone.now()
    if buffer.conf().flush_seconds > 0:
        return buffer.views.add_view(int(article_id), visitor, now, local_day(now))
    params = {
        "visitor": visitor,
        "article": int(article_id),
        "shard": shard_of(visitor),
        "now": now,
        "day": local_day(now),
    }
    with _cursor() as cursor:
        cursor.execute(_statement(RECORD_VIEW_SQL), params)
        return cursor.fetchone()[0]


def note_visitor(visitor, now=None):
    """Note that a known visitor is on the site now (for "Đang truy cập" and the day's visits)."""
    now = now or timezone.now()
    if buffer.conf().flush_seconds > 0:
        buffer.views.add_visit(visitor, now, local_day(now))
        return
    params = {"visitor": visitor, "now": now, "day": local_day(now)}
    with _cursor() as cursor:
        cursor.execute(_statement(TOUCH_SQL), params)


def article_views(article_id):
    """The current count in the database, without counting (crawlers, counting switched off)."""
    return buffer.read_count(article_id)


def shown_views(article_id):
    """The count to show on a page that does not count this view: the database's as this worker
    knows it (at most STATS_VIEWS_FRESH_SECONDS old) plus the views it holds."""
    return buffer.views.shown(int(article_id))


def set_initial_views(article_id, views):
    """Carry an article's count over from the old site. Idempotent: never lowers a count.

    The old count goes into shard 0, raised so that the shards add up to at least `views`."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO stats_articleviews AS t (article_id, shard, views)
            SELECT %(article)s, 0, %(views)s - COALESCE(sum(views), 0)
            FROM stats_articleviews WHERE article_id = %(article)s
            HAVING %(views)s > COALESCE(sum(views), 0)
            ON CONFLICT (article_id, shard) DO UPDATE SET views = t.views + EXCLUDED.views
            """,
            {"article": int(article_id), "views": int(views)},
        )


# ---------------------------------------------------------------------------------------------
# The live blocks: rendered HTML kept in the cache, rebuilt by one process when stale.


# Visits and views per day: closed days from stats_dailytraffic, open ones (not yet closed by
# stats_rollup: today, yesterday, and any day it has not reached) counted from the detail rows.
TRAFFIC_SQL = """
WITH closed AS (
    SELECT day, visits, views FROM stats_dailytraffic WHERE day BETWEEN %(start)s AND %(end)s
), open_visits AS (
    SELECT day, count(*) AS visits FROM stats_visitorday
    WHERE day BETWEEN %(start)s AND %(end)s AND day NOT IN (SELECT day FROM closed)
    GROUP BY day
), open_views AS (
    SELECT day, sum(views) AS views FROM stats_articleday
    WHERE day BETWEEN %(start)s AND %(end)s AND day NOT IN (SELECT day FROM closed)
    GROUP BY day
), days AS (
    SELECT day, visits, views FROM closed
    UNION ALL
    SELECT day, COALESCE(v.visits, 0), COALESCE(a.views, 0)
    FROM open_visits v FULL JOIN open_views a USING (day)
)
"""


def traffic(start=None, end=None):
    """{day: (visits, views)} for the days from start to end (all days by default) that have any."""
    with connection.cursor() as cursor:
        cursor.execute(
            TRAFFIC_SQL + "SELECT day, visits, views FROM days",  # noqa: S608 — constant SQL
            {"start": start or date.min, "end": end or date.max},
        )
        return {day: (int(visits), int(views)) for day, visits, views in cursor.fetchall()}


def box_numbers(now=None):
    """The visitor box's numbers: one query."""
    now = now or timezone.now()
    today = local_day(now)
    with connection.cursor() as cursor:
        cursor.execute(
            TRAFFIC_SQL  # noqa: S608 — constant SQL, values as parameters
            + """
            SELECT (SELECT count(DISTINCT visitor) FROM stats_visitorday
                    WHERE day >= %(yesterday)s AND last_seen >= %(online_since)s),
                   COALESCE(sum(visits) FILTER (WHERE day = %(today)s), 0),
                   COALESCE(sum(visits) FILTER (WHERE day = %(yesterday)s), 0),
                   COALESCE(sum(visits) FILTER (WHERE day >= %(month)s AND day <= %(today)s), 0),
                   COALESCE(sum(visits), 0),
                   COALESCE(sum(views), 0)
            FROM days
            """,
            {
                "start": date.min,
                "end": date.max,
                "online_since": now - timedelta(minutes=settings.STATS_ONLINE_MINUTES),
                "today": today,
                "yesterday": today - timedelta(days=1),
                "month": today.replace(day=1),
            },
        )
        online, today_visits, yesterday_visits, month_visits, total, views_total = cursor.fetchone()
    return {
        "online": online,
        "today": int(today_visits),
        "yesterday": int(yesterday_visits),
        "month": int(month_visits),
        "total": int(total) + setting("STATS_VISITS_CARRIED_OVER", 0),
        "views_total": int(views_total),
    }


def most_read(now=None, days=None, limit=None):
    """Published articles most read in the last `days` days (today included), most read first."""
    from django.db.models import OuterRef, Subquery, Sum

    from news.models import Article

    from .models import ArticleDay

    now = now or timezone.now()
    days = days or setting("STATS_MOST_READ_DAYS", 7)
    limit = limit or setting("STATS_MOST_READ_COUNT", 5)
    recent = ArticleDay.objects.filter(day__gt=local_day(now) - timedelta(days=days))
    # A few more candidates than shown: some of the most read may have been unpublished since.
    top_ids = recent.values("article_id").annotate(n=Sum("views")).order_by("-n", "article_id")
    views = recent.filter(article_id=OuterRef("pk")).values("article_id").annotate(n=Sum("views")).values("n")
    return list(
        Article.objects.published()
        .filter(pk__in=Subquery(top_ids.values("article_id")[: limit * 4]))
        .only("id", "title", "slug", "publish_at")
        .annotate(recent_views=Subquery(views))
        .order_by("-recent_views", "-publish_at", "-id")[:limit]
    )


def render_box(now):
    buffer.views.flush_quietly()  # the reader who just arrived is in the numbers
    return render_to_string("stats/_box.html", box_numbers(now))


def render_most_read(now):
    buffer.views.flush_quietly()
    articles = most_read(now)
    if not articles:
        return ""
    return render_to_string(
        "stats/_most_read.html", {"articles": articles, "days": setting("STATS_MOST_READ_DAYS", 7)}
    )


FRAGMENTS = {
    # name: (builder, seconds a rendering stays fresh)
    BOX: (render_box, "STATS_BOX_SECONDS", 60),
    MOST_READ: (render_most_read, "STATS_MOST_READ_SECONDS", 300),
}


def _fragment_key(name, lang):
    return f"stats:fragment:{name}:{lang}"


def _rebuild(name, key, lang, now):
    build, seconds_setting, default_seconds = FRAGMENTS[name]
    with translation.override(lang):
        html = build(now).encode()
    # Fresh for its time, and never past midnight: "Hôm nay" must not show yesterday's number.
    fresh_until = min(now.timestamp() + setting(seconds_setting, default_seconds), next_midnight(now).timestamp())
    # Kept well past its freshness: a stale block is served while one process rebuilds it.
    cache.set(key, (fresh_until, html), 24 * 3600)
    return html


def live_fragments(names, lang, now=None):
    """{name: HTML bytes} of the live blocks, with one cache read (get_many) in the common case.

    A stale block is rebuilt by whichever request first takes a short cache lock; the others keep
    serving the stale one, so a busy site does not stampede the database when it expires."""
    now = now or timezone.now()
    keys = {_fragment_key(name, lang): name for name in names}
    cached = cache.get_many(list(keys))
    out = {}
    for key, name in keys.items():
        entry = cached.get(key)
        try:
            if entry is None:
                out[name] = _rebuild(name, key, lang, now)
                continue
            fresh_until, html = entry
            if now.timestamp() >= fresh_until and cache.add(f"{key}:lock", 1, 30):
                try:
                    html = _rebuild(name, key, lang, now)
                finally:
                    cache.delete(f"{key}:lock")
            out[name] = html
        except DatabaseError:
            logger.exception("stats: could not rebuild the %s block", name)
            out[name] = entry[1] if entry else b""
    return out


def forget_fragments(names=None):
    """Drop cached blocks (all by default): the next page rebuilds them."""
    cache.delete_many(
        [_fragment_key(name, lang) for name in names or FRAGMENTS for lang, _label in settings.LANGUAGES]
    )


# ---------------------------------------------------------------------------------------------
# Upkeep (manage.py stats_rollup). Nothing in the request path depends on it having run.


def rollup(now=None):
    """Close finished days, prune de-duplication rows, fold counter shards. Idempotent.

    Returns how many rows each step touched; a second run right after touches none. Each step is
    its own short transaction, and none waits for a row while holding one a view may need next
    (tests/test_stats_concurrency.py folds while 200 readers count), so views never deadlock with it.
    """
    from django.db import transaction

    now = now or timezone.now()
    today = local_day(now)
    # Today and yesterday stay open: a request that began at 23:59:59 may still count for yesterday.
    closed_before = today - timedelta(days=1)
    done = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(hashtext('stats_rollup'))")
        if not cursor.fetchone()[0]:
            return None  # another rollup is running
        try:
            with transaction.atomic():
                cursor.execute(
                    "DELETE FROM stats_viewdedup WHERE viewed_at <= %s",
                    [now - timedelta(minutes=settings.STATS_DEDUP_MINUTES)],
                )
                done["dedup_pruned"] = cursor.rowcount
            with transaction.atomic():  # readers see a day either open or closed, never both or neither
                done.update(_close_days(cursor, closed_before))
            with transaction.atomic():
                done.update(_fold_shards(cursor, closed_before))
        finally:
            cursor.execute("SELECT pg_advisory_unlock(hashtext('stats_rollup'))")
    return done


def _close_days(cursor, closed_before):
    """Finished days still counted from their visitor rows: write their totals, let the rows go."""
    done = {}
    cursor.execute(
        """
        WITH visits AS (
            SELECT day, count(*) AS n FROM stats_visitorday WHERE day < %(closed)s GROUP BY day
        ), views AS (
            SELECT a.day, sum(a.views) AS n FROM stats_articleday a
            WHERE a.day IN (SELECT day FROM visits) GROUP BY a.day
        )
        INSERT INTO stats_dailytraffic AS t (day, visits, views)
        SELECT visits.day, visits.n, COALESCE(views.n, 0) FROM visits LEFT JOIN views USING (day)
        ON CONFLICT (day) DO UPDATE SET visits = EXCLUDED.visits, views = EXCLUDED.views
        """,
        {"closed": closed_before},
    )
    done["days_closed"] = cursor.rowcount
    cursor.execute("DELETE FROM stats_visitorday WHERE day < %s", [closed_before])
    done["visitor_days_pruned"] = cursor.rowcount
    # One row per finished day, also for days nobody came: charts and exports need no gap filling.
    cursor.execute(
        """
        INSERT INTO stats_dailytraffic (day, visits, views)
        SELECT d::date, 0, 0
        FROM generate_series((SELECT min(day) FROM stats_dailytraffic), %(last)s, interval '1 day') AS d
        ON CONFLICT (day) DO NOTHING
        """,
        {"last": closed_before - timedelta(days=1)},
    )
    done["days_added"] = cursor.rowcount
    return done


def _fold_shards(cursor, closed_before):
    """Fold shard rows into shard 0: the day counters of finished days (no view writes them any
    more), and the totals of whichever rows no view is writing at this moment (SKIP LOCKED). A view
    that meets a total row deleted here inserts it anew, so nothing is lost."""
    cursor.execute(
        """
        WITH gone AS (
            DELETE FROM stats_articleday WHERE shard <> 0 AND day < %(closed)s RETURNING article_id, day, views
        )
        INSERT INTO stats_articleday AS t (article_id, day, shard, views)
        SELECT article_id, day, 0, sum(views) FROM gone GROUP BY article_id, day
        ON CONFLICT (article_id, day, shard) DO UPDATE SET views = t.views + EXCLUDED.views
        """,
        {"closed": closed_before},
    )
    done = {"articleday_folded": cursor.rowcount}
    cursor.execute(
        """
        WITH free AS (
            SELECT article_id, shard FROM stats_articleviews WHERE shard <> 0 FOR UPDATE SKIP LOCKED
        ), gone AS (
            DELETE FROM stats_articleviews t USING free
            WHERE t.article_id = free.article_id AND t.shard = free.shard
            RETURNING t.article_id, t.views
        )
        INSERT INTO stats_articleviews AS t (article_id, shard, views)
        SELECT article_id, 0, sum(views) FROM gone GROUP BY article_id
        ON CONFLICT (article_id, shard) DO UPDATE SET views = t.views + EXCLUDED.views
        """
    )
    done["articleviews_folded"] = cursor.rowcount
    return done
