"""Invented traffic history for a demo or a screenshot of the dashboard. Never run it in production.

Fills only days that have no traffic yet, so running it twice adds nothing. Finished days get their
closed row; yesterday, still counted live, gets invented visitors (random ids) like real ones.
"""

import math
import random
import uuid
from datetime import datetime, timedelta

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from stats.models import ArticleDay, DailyTraffic, VisitorDay
from stats.services import forget_fragments, local_day, traffic


class Command(BaseCommand):
    help = "Invent plausible visits and views for the past days that have none (demo data; idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=90, help="how many past days to fill (today excluded)")

    def handle(self, *args, **options):
        from news.models import Article

        today = local_day(timezone.now())
        days = [today - timedelta(days=n) for n in range(options["days"], 0, -1)]
        taken = traffic(days[0], days[-1]) if days else {}
        days = [day for day in days if day not in taken]
        yesterday = today - timedelta(days=1)
        articles = list(Article.objects.published().order_by("-publish_at").values_list("id", "publish_at")[:200])
        if not days or not articles:
            self.stdout.write("Nothing to fill.")
            return
        rnd = random.Random(2023)
        popularity = {pk: rnd.paretovariate(1.3) for pk, _ in articles}
        closed, visitors, per_article, totals = [], [], [], {}
        for index, day in enumerate(days):
            weekday_factor = 0.55 if day.weekday() >= 5 else 1.0
            trend = 1 + 0.004 * index + 0.15 * math.sin(index / 9)
            visits = int(rnd.gauss(420, 60) * weekday_factor * trend)
            readable = [pk for pk, published in articles if timezone.localtime(published).date() <= day]
            views_today = 0
            for pk in readable:
                views = int(popularity[pk] * rnd.uniform(0.4, 1.6) * visits / 40)
                if views:
                    per_article.append(ArticleDay(article_id=pk, day=day, views=views))
                    totals[pk] = totals.get(pk, 0) + views
                    views_today += views
            visits = max(visits, 0)
            if day < yesterday:
                closed.append(DailyTraffic(day=day, visits=visits, views=views_today))
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
        forget_fragments()
        self.stdout.write(
            self.style.SUCCESS(
                f"Invented traffic for {len(days)} day(s): {sum(t.visits for t in closed) + len(visitors)} visits, "
                f"{sum(totals.values())} views."
            )
        )
