"""Invented traffic history for a demo or a screenshot of the dashboard. Never run it in production.

Fills only days that have no traffic row yet, so running it twice adds nothing.
"""

import math
import random
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from stats.models import ArticleDay, DailyTraffic
from stats.services import forget_fragments, local_day


class Command(BaseCommand):
    help = "Invent plausible visits and views for the past days that have none (demo data; idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=90, help="how many past days to fill (today excluded)")

    def handle(self, *args, **options):
        from news.models import Article

        today = local_day(timezone.now())
        days = [today - timedelta(days=n) for n in range(options["days"], 0, -1)]
        taken = set(DailyTraffic.objects.filter(day__in=days).values_list("day", flat=True))
        days = [day for day in days if day not in taken]
        articles = list(Article.objects.published().order_by("-publish_at").values_list("id", "publish_at")[:200])
        if not days or not articles:
            self.stdout.write("Nothing to fill.")
            return
        rnd = random.Random(2023)
        popularity = {pk: rnd.paretovariate(1.3) for pk, _ in articles}
        traffic, per_article, totals = [], [], {}
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
            traffic.append(DailyTraffic(day=day, visits=max(visits, 0), views=views_today))
        with transaction.atomic():
            DailyTraffic.objects.bulk_create(traffic)
            ArticleDay.objects.bulk_create(per_article, batch_size=2000)
            with connection.cursor() as cursor:
                cursor.executemany(
                    """
                    INSERT INTO stats_articleviews AS t (article_id, views) VALUES (%s, %s)
                    ON CONFLICT (article_id) DO UPDATE SET views = t.views + EXCLUDED.views
                    """,
                    list(totals.items()),
                )
        forget_fragments()
        self.stdout.write(
            self.style.SUCCESS(
                f"Invented traffic for {len(days)} day(s): {sum(t.visits for t in traffic)} visits, "
                f"{sum(totals.values())} views."
            )
        )
