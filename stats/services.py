"""The numbers stats keeps, by day and by article id: what pages and the dashboard show.

stats knows articles only by id: `top_article_ids` and `views_between` say which ids were read and
how much; the app that owns the articles (news) turns ids into titles and decides what it may show.
Counting itself is `stats.buffer`; putting numbers into pages is `stats.live`.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import connection, models, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from . import buffer
from .days import local_day, recent_days
from .models import ArticleDay, SearchDay
from .visitors import Device

BOX = "box"  # the live block "Thống kê truy cập" (registered in StatsConfig.ready)


def setting(name, default):
    return getattr(settings, name, default)


def article_views(article_id):
    """An article's all-time count in the database, without counting (views a worker still holds
    are not in it)."""
    return buffer.read_count(article_id)


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


def views_between(start, end, limit=None):
    """{article id: views} of the articles read between start and end (Vietnam days, both included),
    most read first (ties: the lower id first); the first `limit` only, if given. One query."""
    ranked = ArticleDay.objects.between(start, end).ranked()
    return dict(ranked[:limit] if limit is not None else ranked)


def top_article_ids(days, limit=None, now=None):
    """The articles most read in the last `days` days (today included), most read first, with their
    views in those days: {article id: views}. stats knows nothing of publication: whoever shows them
    keeps the ids it may show (ask for a few more than you show)."""
    start, end = recent_days(days, now)
    return views_between(start, end, limit)


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


def devices(start, end):
    """{Device: visits} from start to end: closed days from their totals, open ones from visitor rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH closed AS (
                SELECT day, phone_visits, tablet_visits, desktop_visits, visits FROM stats_dailytraffic
                WHERE day BETWEEN %(start)s AND %(end)s
            )
            SELECT COALESCE(sum(phone_visits), 0), COALESCE(sum(tablet_visits), 0),
                   COALESCE(sum(desktop_visits), 0),
                   COALESCE(sum(visits - phone_visits - tablet_visits - desktop_visits), 0)
            FROM closed
            UNION ALL
            SELECT count(*) FILTER (WHERE device = %(phone)s), count(*) FILTER (WHERE device = %(tablet)s),
                   count(*) FILTER (WHERE device = %(desktop)s), count(*) FILTER (WHERE device = 0)
            FROM stats_visitorday
            WHERE day BETWEEN %(start)s AND %(end)s AND day NOT IN (SELECT day FROM closed)
            """,
            {"start": start, "end": end, "phone": Device.PHONE, "tablet": Device.TABLET, "desktop": Device.DESKTOP},
        )
        rows = cursor.fetchall()
    totals = [sum(int(row[i]) for row in rows) for i in range(4)]
    return dict(zip((Device.PHONE, Device.TABLET, Device.DESKTOP, Device.UNKNOWN), totals, strict=True))


def record_search(text, found):
    """One search made on the site (`text` as the reader typed it, `found` results): counted per day
    for the dashboard's top searches and searches that found nothing. One upsert."""
    words = " ".join(str(text).lower().split())[:100]
    if not words:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO stats_searchday AS s (day, query, searches, empty) VALUES (%s, %s, 1, %s)
            ON CONFLICT (day, query) DO UPDATE SET searches = s.searches + 1, empty = s.empty + EXCLUDED.empty
            """,
            [local_day(timezone.now()), words, 0 if found else 1],
        )


def top_searches(start, end, limit=10, *, empty=False):
    """[(words, searches, found nothing)] of the period, most searched first (or most often empty)."""
    rows = SearchDay.objects.filter(day__range=(start, end))
    rows = rows.values("query").annotate(total=models.Sum("searches"), nothing=models.Sum("empty"))
    if empty:
        rows = rows.filter(nothing__gt=0).order_by("-nothing", "-total", "query")
    else:
        rows = rows.order_by("-total", "query")
    return [(row["query"], row["total"], row["nothing"]) for row in rows[:limit]]


def forget_old_searches(now=None):
    """Search words are kept STATS_SEARCH_DAYS days (stats_rollup)."""
    cutoff = local_day(now or timezone.now()) - timedelta(days=settings.STATS_SEARCH_DAYS)
    return SearchDay.objects.filter(day__lt=cutoff).delete()[0]


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


def render_box(now):
    return render_to_string("stats/_box.html", box_numbers(now))


def box_seconds():
    return setting("STATS_BOX_SECONDS", 60)


# ---------------------------------------------------------------------------------------------
# Upkeep (manage.py stats_rollup). Nothing in the request path depends on it having run.


def rollup(now=None):
    """Close finished days, prune de-duplication rows, fold counter shards. Idempotent.

    Returns how many rows each step touched; a second run right after touches none. Each step is
    its own short transaction, and none waits for a row while holding one a view may need next
    (tests/test_stats_concurrency.py folds while 200 readers count), so views never deadlock with it.
    """
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
                # The cookieless views cap counts the current minute (stats/buffer.py); older rows go.
                cursor.execute(
                    "DELETE FROM stats_cookielessminute WHERE minute < %s", [int(now.timestamp() // 60) - 1]
                )
                done["cookieless_pruned"] = cursor.rowcount
            with transaction.atomic():  # readers see a day either open or closed, never both or neither
                done.update(_close_days(cursor, closed_before))
            with transaction.atomic():
                done.update(_fold_shards(cursor, closed_before))
            done["searches_pruned"] = forget_old_searches(now)
        finally:
            cursor.execute("SELECT pg_advisory_unlock(hashtext('stats_rollup'))")
    return done


def _close_days(cursor, closed_before):
    """Finished days still counted from their visitor rows: write their totals, let the rows go."""
    done = {}
    cursor.execute(
        """
        WITH visits AS (
            SELECT day, count(*) AS n,
                   count(*) FILTER (WHERE device = %(phone)s) AS phone,
                   count(*) FILTER (WHERE device = %(tablet)s) AS tablet,
                   count(*) FILTER (WHERE device = %(desktop)s) AS desktop
            FROM stats_visitorday WHERE day < %(closed)s GROUP BY day
        ), views AS (
            SELECT a.day, sum(a.views) AS n FROM stats_articleday a
            WHERE a.day IN (SELECT day FROM visits) GROUP BY a.day
        )
        INSERT INTO stats_dailytraffic AS t (day, visits, views, phone_visits, tablet_visits, desktop_visits)
        SELECT visits.day, visits.n, COALESCE(views.n, 0), visits.phone, visits.tablet, visits.desktop
        FROM visits LEFT JOIN views USING (day)
        ON CONFLICT (day) DO UPDATE SET visits = EXCLUDED.visits, views = EXCLUDED.views,
            phone_visits = EXCLUDED.phone_visits, tablet_visits = EXCLUDED.tablet_visits,
            desktop_visits = EXCLUDED.desktop_visits
        """,
        {"closed": closed_before, "phone": Device.PHONE, "tablet": Device.TABLET, "desktop": Device.DESKTOP},
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
