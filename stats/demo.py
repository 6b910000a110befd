"""Invented traffic history for a demo or a screenshot of the dashboard. Never on production data.

stats knows no articles: the caller says which article ids there are and from which day each could
be read (`manage.py stats_demo`, in news, passes the published articles).
"""

import math
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from . import live
from .days import local_day
from .models import ArticleDay, DailyTraffic, VisitorDay
from .services import traffic


@dataclass(frozen=True)
class Invented:
    days: int
    visits: int
    views: int


def invent_history(articles, days=90, now=None):
    """Fill the `days` days before today that have no traffic yet; `articles`: [(article id, first
    day it could be read)]. Idempotent: a second run finds no empty day and adds nothing.

    Finished days get their closed row; yesterday, still counted live, gets invented visitors
    (random ids) like real ones."""
    today = local_day(now or timezone.now())
    wanted = [today - timedelta(days=n) for n in range(days, 0, -1)]
    taken = traffic(wanted[0], wanted[-1]) if wanted else {}
    wanted = [day for day in wanted if day not in taken]
    if not wanted or not articles:
        return Invented(0, 0, 0)
    yesterday = today - timedelta(days=1)
    rnd = random.Random(2023)
    popularity = {pk: rnd.paretovariate(1.3) for pk, _first in articles}
    closed, visitors, per_article, totals = [], [], [], {}
    for index, day in enumerate(wanted):
        weekday_factor = 0.55 if day.weekday() >= 5 else 1.0
        trend = 1 + 0.004 * index + 0.15 * math.sin(index / 9)
        visits = max(int(rnd.gauss(420, 60) * weekday_factor * trend), 0)
        views_that_day = 0
        for pk, first in articles:
            views = int(popularity[pk] * rnd.uniform(0.4, 1.6) * visits / 40) if first <= day else 0
            if views:
                per_article.append(ArticleDay(article_id=pk, day=day, views=views))
                totals[pk] = totals.get(pk, 0) + views
                views_that_day += views
        if day < yesterday:
            closed.append(DailyTraffic(day=day, visits=visits, views=views_that_day))
        else:
            midnight = datetime.combine(day, datetime.min.time(), tzinfo=timezone.get_default_timezone())
            visitors += [
                VisitorDay(
                    day=day,
                    visitor=uuid.UUID(int=rnd.getrandbits(128)),
                    last_seen=midnight + timedelta(seconds=rnd.uniform(6 * 3600, 22 * 3600)),
                )
                for _ in range(visits)
            ]
    with transaction.atomic():
        DailyTraffic.objects.bulk_create(closed)
        VisitorDay.objects.bulk_create(visitors, batch_size=2000)
        ArticleDay.objects.bulk_create(per_article, batch_size=2000)
        with connection.cursor() as cursor:
            cursor.executemany(
                """
                INSERT INTO stats_articleviews AS t (article_id, shard, views) VALUES (%s, 0, %s)
                ON CONFLICT (article_id, shard) DO UPDATE SET views = t.views + EXCLUDED.views
                """,
                list(totals.items()),
            )
    live.forget()
    return Invented(len(wanted), sum(row.visits for row in closed) + len(visitors), sum(totals.values()))
