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
from .models import ArticleDay, DailyTraffic, SearchDay, VisitorDay
from .services import traffic
from .visitors import Device

# What readers of a Department of Science and Technology search for (found: True), and a few things the
# portal does not have yet (found: False), which the dashboard lists as content to add.
SEARCHES = [
    ("đề tài khoa học cấp tỉnh", True, 9),
    ("quyết định 12", True, 6),
    ("sở hữu trí tuệ", True, 6),
    ("tiêu chuẩn đo lường chất lượng", True, 5),
    ("khởi nghiệp đổi mới sáng tạo", True, 4),
    ("chuyển đổi số", True, 4),
    ("thủ tục đăng ký nhãn hiệu", True, 3),
    ("lịch công tác", True, 3),
    ("tuyển dụng viên chức 2024", False, 3),
    ("giá điện", False, 2),
    ("an toàn bức xạ", True, 2),
    ("học bổng", False, 1),
    ("kiểm định cân", False, 1),
]


@dataclass(frozen=True)
class Invented:
    days: int
    visits: int
    views: int


def _searches_of(day, visits, rnd):
    rows = []
    for words, found, weight in SEARCHES:
        count = int(weight * visits / 420 * rnd.uniform(0.3, 1.7))
        if count:
            rows.append(SearchDay(day=day, query=words, searches=count, empty=0 if found else count))
    return rows


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
    closed, visitors, per_article, totals, searches = [], [], [], {}, []
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
        # Phones first, as on most state portals; a little more desktop on working days.
        phone = int(visits * rnd.uniform(0.58, 0.68) / (weekday_factor**0.3))
        phone = min(phone, visits)
        tablet = min(int(visits * rnd.uniform(0.03, 0.06)), visits - phone)
        desktop = visits - phone - tablet
        searches += _searches_of(day, visits, rnd)
        if day < yesterday:
            closed.append(
                DailyTraffic(
                    day=day,
                    visits=visits,
                    views=views_that_day,
                    phone_visits=phone,
                    tablet_visits=tablet,
                    desktop_visits=desktop,
                )
            )
        else:
            midnight = datetime.combine(day, datetime.min.time(), tzinfo=timezone.get_default_timezone())
            visitors += [
                VisitorDay(
                    day=day,
                    visitor=uuid.UUID(int=rnd.getrandbits(128)),
                    last_seen=midnight + timedelta(seconds=rnd.uniform(6 * 3600, 22 * 3600)),
                    device=Device.PHONE if n < phone else Device.TABLET if n < phone + tablet else Device.DESKTOP,
                )
                for n in range(visits)
            ]
    with transaction.atomic():
        DailyTraffic.objects.bulk_create(closed)
        VisitorDay.objects.bulk_create(visitors, batch_size=2000)
        ArticleDay.objects.bulk_create(per_article, batch_size=2000)
        SearchDay.objects.bulk_create(searches, batch_size=2000, ignore_conflicts=True)
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
